"""YAML inventory files: one record (a mapping with kind and id), a list of records, or
several documents. Read with PyYAML's safe composer, which keeps the line of every key
and value; nothing is ever constructed as an object, and aliases are refused outright
so an alias bomb cannot expand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graphgov.errors import Problem
from graphgov.graph import Source
from graphgov.records import RawRecord, RawValue

from .text import read_text

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_SHAPE = "a record is a mapping with 'kind' and 'id'; a file holds one record or a list of them"


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not supported in inventory files; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def read_yaml(path: Path, shown: str, relative: str) -> tuple[list[RawRecord], list[Problem]]:
    """The records in one YAML file and the problems found reading it."""
    text = read_text(path, shown)
    if isinstance(text, Problem):
        return [], [text]
    reader = _Reader(shown, relative)
    try:
        _compose(text, reader)
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        return [], [
            Problem(shown, at, None, f"character {exc.character!r} is not allowed in YAML text")
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(p for p in (exc.context, exc.problem) if p) or "YAML syntax error"
        return [], [
            Problem(shown, mark.line + 1 if mark else None, None, f"YAML syntax error: {reason}")
        ]
    except yaml.YAMLError as exc:
        return [], [Problem(shown, None, None, f"YAML error: {exc}")]
    except RecursionError:
        return [], [Problem(shown, None, None, "YAML is nested too deeply")]
    if not reader.records and not reader.problems:
        reader.problems.append(Problem(shown, None, None, f"file holds no records ({_SHAPE})"))
    return reader.records, reader.problems


def _compose(text: str, reader: _Reader) -> None:
    loader = _NoAliasLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                reader.document(node)
    finally:
        loader.dispose()


class _Reader:
    def __init__(self, shown: str, relative: str) -> None:
        self.shown = shown
        self.relative = relative
        self.records: list[RawRecord] = []
        self.problems: list[Problem] = []

    def document(self, node: yaml.Node) -> None:
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.record(item)
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return
        else:
            self.record(node)

    def record(self, node: yaml.Node) -> None:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            self.problems.append(Problem(self.shown, line, None, f"not a record: {_SHAPE}"))
            return
        fields = self.mapping(node)
        self.records.append(RawRecord(self.shown, Source(self.relative, line), fields))

    def mapping(self, node: yaml.MappingNode) -> dict[str, RawValue]:
        fields: dict[str, RawValue] = {}
        for key, value in node.value:
            key_line = key.start_mark.line + 1
            if not isinstance(key, yaml.ScalarNode) or not key.value:
                self.problems.append(
                    Problem(self.shown, key_line, None, "a field name must be plain text")
                )
                continue
            if key.value in fields:
                self.problems.append(
                    Problem(
                        self.shown,
                        key_line,
                        key.value,
                        f"given twice in one record (first on line {fields[key.value].line})",
                    )
                )
                continue
            raw = self.value(value, key.value, key_line)
            if raw is not None:
                fields[key.value] = raw
        return fields

    def value(self, node: yaml.Node, field: str, line: int) -> RawValue | None:
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                Problem(self.shown, line, field, f"YAML tags such as {node.tag} are not allowed")
            )
            return None
        if isinstance(node, yaml.SequenceNode):
            items = [self.value(item, field, item.start_mark.line + 1) for item in node.value]
            return RawValue(line, items=tuple(i for i in items if i is not None))
        if isinstance(node, yaml.MappingNode):
            return RawValue(line, mapping=self.mapping(node))
        if node.tag.endswith(":null") or node.value == "":
            return RawValue(line)
        return RawValue(line, text=str(node.value).strip() or None)
