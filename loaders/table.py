"""What the CSV and Excel readers share: a table of records, one a row, under a header of
field names, in a file or sheet that may name the kind it holds.

Each reader says where a column is (CSV: nowhere more than the header row; Excel: the
column letter), so every problem here takes that as ``at``: `` (column C)`` or ``""``."""

from __future__ import annotations

import re
from collections.abc import Callable

from graphgov.display import did_you_mean, quoted
from graphgov.records import RawValue
from graphgov.schema import LabelSpec, Schema
from graphgov.validation import LIST_SEPARATOR

_SEPARATORS = re.compile(r"[\s-]+")
# the columns every kind has, besides its fields
_ALWAYS = ("kind", "id")
NO_ID = (
    "the header has no id column; add one, with each record's id: every record needs an "
    "id, unique in the inventory"
)

# reports a problem on the header row: (column index, field, reason)
Report = Callable[[int, str | None, str], None]


def name_key(name: str) -> str:
    """A file's or sheet's name as a kind is looked up: case, spaces and hyphens aside
    (``AI Systems``, ``ai-systems`` and ``AI_SYSTEMS`` are all ``ai_systems``)."""
    return _SEPARATORS.sub("_", name.strip().lower())


def kind_named(schema: Schema, name: str) -> LabelSpec | None:
    """The kind a file or sheet named ``name`` holds (its plural or its kind name), or
    None."""
    key = name_key(name)
    for spec in schema.labels.values():
        if key in (name_key(spec.plural), name_key(spec.kind)):
            return spec
    return None


def columns(
    header: list[str],
    spec: LabelSpec | None,
    report: Report,
    at: Callable[[int], str],
    blank: str | None,
) -> list[str | None]:
    """The field each column holds, None for a column to skip (each reported once here,
    not on every row). ``blank`` is the reason for a column with no name, or None to
    pass it by here (the reader says if a row fills it). A header with no id column
    is for the reader to report, once, at its first record (``NO_ID``)."""
    out: list[str | None] = []
    seen: set[str] = set()
    for index, name in enumerate(header):
        if not name:
            if blank is not None:
                report(index, None, blank)
            out.append(None)
        elif name in seen:
            report(index, name, f"column appears twice in the header row{at(index)}")
            out.append(None)
        elif spec is not None and name not in _ALWAYS and name not in spec.fields:
            hint = did_you_mean(name, [*spec.fields, *_ALWAYS])
            report(
                index,
                name,
                f"unknown column for {spec.plural}{at(index)}{hint}; columns may be: "
                + ", ".join(spec.fields),
            )
            out.append(None)
        else:
            out.append(name)
        seen.add(name)
    return out


def row_kind(
    spec: LabelSpec | None, schema: Schema, text: str | None, holder: str
) -> tuple[LabelSpec | None, str | None]:
    """The kind of a row whose ``kind`` cell holds ``text`` (None when blank or there is
    no such column), in a ``holder`` ("file", "sheet") that names ``spec`` or no kind;
    and the reason the cell is a problem, or None. In a table that names its kind a
    blank cell is that kind, and another kind is refused: its columns were checked
    against the table's kind."""
    if spec is None:
        return (schema.by_kind(text.strip()) if text else None), None
    if text is None or text == spec.kind or not text.strip() or kind_named(schema, text) is spec:
        return spec, None
    other = kind_named(schema, text)
    named = other.kind if other is not None else quoted(text.strip())
    return spec, (
        f"the {holder} holds {spec.plural}, so this row cannot be a {named}: move the row to "
        f"the {holder} of its kind, or clear the kind cell"
    )


def value(text: str | None, reference: bool, line: int) -> RawValue:
    """A cell's text as a record's value: a reference cell as the ids it separates with
    ';', any other as written, None when blank (a missing value)."""
    if text is None or not text.strip():
        return RawValue(line, text=None) if not reference else _ids([], line)
    if not reference:
        # other text is kept as written, so an id with stray spaces is reported, not
        # silently trimmed
        return RawValue(line, text=text)
    # spaces around ';' belong to the separator; an id's own spaces are reported by
    # validation, so only the outer edges of the cell are left as written
    parts = [part for part in text.split(LIST_SEPARATOR) if part.strip()]
    return _ids([_trim_separator(p, n, len(parts)) for n, p in enumerate(parts)], line)


def _ids(ids: list[str], line: int) -> RawValue:
    return RawValue(line, items=tuple(RawValue(line, text=i) for i in ids))


def _trim_separator(part: str, index: int, count: int) -> str:
    """``part`` of a ';' list without the spaces that sit next to a ';'."""
    if index > 0:
        part = part.lstrip()
    if index < count - 1:
        part = part.rstrip()
    return part
