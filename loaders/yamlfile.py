"""YAML inventory files: one record (a mapping with kind and id), a list of records, or
several documents. Read from the parser's event stream (libyaml's when it is installed),
which keeps the line of every key and value: nothing is ever constructed as an object,
tags are refused wherever they appear, and aliases are refused outright so an alias bomb
cannot expand. Work is bounded while reading: the number of values, their length, how
deeply they nest and the number of records per file each have a limit, checked as the
file is read, so a hostile file stops early instead of exhausting time or memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import yaml

from graphgov.errors import Problem, ProblemList
from graphgov.graph import Source
from graphgov.records import MAX_TEXT, RawRecord, RawValue
from graphgov.schema import Schema

from .text import MAX_RECORDS, read_text

# keys and values in one file: some 50,000 records of a few fields, beyond what anyone
# writes by hand (large tables belong in CSV), and read in a few seconds
MAX_VALUES = 500_000
MAX_DEPTH = 50  # lists and mappings inside one another; a record needs three
MAX_VALUE_CHARS = 10 * MAX_TEXT  # far beyond any text property, yet cheap to hold


class _Events(Protocol):
    """The event interface PyYAML's parsers share (libyaml's and the pure-Python one)."""

    def check_event(self, *choices: type[yaml.Event]) -> bool: ...
    def peek_event(self) -> Any: ...
    def get_event(self) -> Any: ...
    def dispose(self) -> None: ...


# libyaml scans in C, which keeps a 16 MB file to a second or two; the pure-Python parser
# gives the same events, only slower
_PARSER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_SHAPE = "a record is a mapping with 'kind' and 'id'; a file holds one record or a list of them"


class _Stop(Exception):
    """Reading this file cannot usefully go on; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def read_yaml(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The records in one YAML file and the problems found reading it."""
    text = read_text(path, shown)
    if isinstance(text, Problem):
        return [], [text]
    reader = _Reader(shown, relative)
    try:
        reader.read(text)
    except _Stop as stop:
        return [], [*reader.problems.kept(), stop.problem]
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        shown_char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        reader.problems.append(
            Problem(shown, at, None, f"character {shown_char} is not allowed in YAML text")
        )
        return [], reader.problems.kept()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(p for p in (exc.context, exc.problem) if p) or "YAML syntax error"
        reader.problems.append(
            Problem(shown, mark.line + 1 if mark else None, None, f"YAML syntax error: {reason}")
        )
        return [], reader.problems.kept()
    except yaml.YAMLError as exc:
        reader.problems.append(Problem(shown, None, None, f"YAML error: {exc}"))
        return [], reader.problems.kept()
    if not reader.records and not reader.problems:
        reader.problems.append(Problem(shown, 1, None, f"file holds no records ({_SHAPE})"))
    return reader.records, reader.problems.kept()


class _Reader:
    """Turns parser events into records, one node at a time, with the limits applied."""

    def __init__(self, shown: str, relative: str) -> None:
        self.shown = shown
        self.relative = relative
        self.records: list[RawRecord] = []
        self.problems = ProblemList(shown)
        self.values = 0
        self.items = 0  # records, and entries of a top-level list that should be records

    def read(self, text: str) -> None:
        self.parser: _Events = _PARSER(text)
        try:
            self.parser.get_event()  # stream start
            while not self.parser.check_event(yaml.StreamEndEvent):
                self.parser.get_event()  # document start
                self.document()
                self.parser.get_event()  # document end
        finally:
            self.parser.dispose()

    def document(self) -> None:
        event = self.parser.peek_event()
        if isinstance(event, yaml.SequenceStartEvent) and _plain_tag(event):
            self.parser.get_event()
            while not self.parser.check_event(yaml.SequenceEndEvent):
                self.items += 1
                if self.items > MAX_RECORDS:
                    raise _Stop(self.too_many(self.parser.peek_event()))
                self.record(self.node(None, 1))
            self.parser.get_event()
            return
        value = self.node(None, 0)
        if value is not None and not value.blank:
            self.items += 1
            if self.items > MAX_RECORDS:
                raise _Stop(self.too_many(event))
            self.record(value)

    def record(self, value: RawValue | None) -> None:
        if value is None:
            return  # its problem is already reported
        if value.mapping is None:
            self.problem(value.line, None, f"not a record: {_SHAPE}")
            return
        self.records.append(RawRecord(self.shown, Source(self.relative, value.line), value.mapping))

    def too_many(self, event: Any) -> Problem:
        return Problem(
            self.shown,
            event.start_mark.line + 1,
            None,
            f"file holds more than {MAX_RECORDS:,} records; split it into several files "
            "(large tables are best kept in CSV)",
        )

    def node(self, field: str | None, depth: int) -> RawValue | None:
        """The next node as a value, or None when it is refused (its problem reported)."""
        event = self.parser.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Stop(
                Problem(
                    self.shown,
                    line,
                    field,
                    "aliases (*name) are not supported in inventory files; write the value out",
                )
            )
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Stop(
                Problem(
                    self.shown,
                    line,
                    None,
                    f"file has more than {MAX_VALUES:,} values; split it into several files",
                )
            )
        allowed = self.allowed(event, field)
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_VALUE_CHARS:
                raise _Stop(
                    Problem(
                        self.shown,
                        line,
                        field,
                        f"value is {len(event.value):,} characters long; text holds at most "
                        f"{MAX_TEXT:,}",
                    )
                )
            if not allowed:
                return None
            plain = bool(event.implicit[0])
            if (plain and event.value in _NULLS) or str(event.tag).endswith(":null"):
                return RawValue(line)
            # blank text is a blank value; other text is kept exactly as written, so an id
            # with stray spaces is reported, not silently trimmed (records.py trims
            # property values, where that is harmless)
            return RawValue(line, text=event.value if event.value.strip() else None)
        if depth >= MAX_DEPTH:
            raise _Stop(
                Problem(
                    self.shown,
                    line,
                    field,
                    f"YAML is nested more than {MAX_DEPTH} levels deep; a record needs three",
                )
            )
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.parser.check_event(yaml.SequenceEndEvent):
                item = self.node(field, depth + 1)
                if item is not None:
                    items.append(item)
            self.parser.get_event()
            return RawValue(line, items=tuple(items)) if allowed else None
        fields = self.mapping(depth)
        return RawValue(line, mapping=fields) if allowed else None

    def mapping(self, depth: int) -> dict[str, RawValue]:
        """The fields of the mapping whose start event was just read."""
        fields: dict[str, RawValue] = {}
        while not self.parser.check_event(yaml.MappingEndEvent):
            event = self.parser.peek_event()
            key_line = event.start_mark.line + 1
            plain_key = isinstance(event, yaml.ScalarEvent) and event.tag is None
            key = self.node(None, depth + 1)
            name = key.text if key is not None and plain_key else None
            if key is not None and name is None:
                self.problem(key_line, None, "a field name must be plain text")
            value = self.node(name, depth + 1)
            if name is None or value is None:
                continue
            if name in fields:
                self.problem(
                    key_line, name, f"given twice in one record (first on line {fields[name].line})"
                )
                continue
            fields[name] = RawValue(key_line, value.text, value.items, value.mapping)
        self.parser.get_event()
        return fields

    def allowed(self, event: Any, field: str | None) -> bool:
        """Whether the node ``event`` starts is untagged (reporting its tag if not)."""
        if _plain_tag(event):
            return True
        tag = getattr(event, "tag", None)
        self.problem(event.start_mark.line + 1, field, f"YAML tags such as {tag} are not allowed")
        return False

    def problem(self, line: int, field: str | None, reason: str) -> None:
        self.problems.append(Problem(self.shown, line, field, reason))


def _plain_tag(event: yaml.Event) -> bool:
    """No tag, or one of YAML's own for plain data (``!!str 2026`` keeps text as text)."""
    tag = getattr(event, "tag", None)
    return tag is None or tag == "!" or tag in _PLAIN_TAGS
