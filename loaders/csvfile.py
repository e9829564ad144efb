"""CSV inventory files for bulk tables: a header row of field names, one record a row.
The file's name gives the kind (risks.csv or risk.csv), or a 'kind' column does. A cell
that refers to several records separates their ids with ';'."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from graphgov.errors import Problem
from graphgov.graph import Source
from graphgov.records import RawRecord, RawValue
from graphgov.schema import LabelSpec, load_schema
from graphgov.validation import LIST_SEPARATOR

from .text import read_text


def read_csv(path: Path, shown: str, relative: str) -> tuple[list[RawRecord], list[Problem]]:
    """The records in one CSV file and the problems found reading it."""
    text = read_text(path, shown)
    if isinstance(text, Problem):
        return [], [text]
    schema = load_schema()
    problems: list[Problem] = []
    # newline='' lets the csv module own line endings, including those inside quotes
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        return [], [Problem(shown, 1, None, f"CSV error: {exc}")]
    file_kind = schema.by_plural(path.stem) or schema.by_kind(path.stem)
    if file_kind is None and "kind" not in header:
        kinds = ", ".join(f"{s.plural}.csv" for s in schema.labels.values() if not s.catalogue)
        return [], [
            Problem(
                shown,
                1,
                None,
                "cannot tell which kind of record this file holds: name it after "
                f"the kind ({kinds}) or add a 'kind' column",
            )
        ]
    columns = _columns(header, file_kind, shown, problems)
    records = []
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(shown, line, None, f"CSV error: {exc}"))
            break
        if any(cell.strip() for cell in row):
            if len(row) > len(header):
                problems.append(
                    Problem(
                        shown,
                        line,
                        None,
                        f"row has {len(row)} cells but the header has {len(header)}",
                    )
                )
            else:
                records.append(_record(row, columns, file_kind, shown, relative, line))
        line = reader.line_num + 1
    return records, problems


def _columns(
    header: list[str], spec: LabelSpec | None, shown: str, problems: list[Problem]
) -> list[str | None]:
    """Column names, with None for columns to skip (reported once here, not per row)."""
    out: list[str | None] = []
    seen: set[str] = set()
    for name in header:
        if not name:
            problems.append(Problem(shown, 1, None, "a column has no name in the header row"))
            out.append(None)
        elif name in seen:
            problems.append(Problem(shown, 1, name, "column appears twice in the header row"))
            out.append(None)
        elif spec is not None and name not in ("kind", "id") and name not in spec.fields:
            problems.append(
                Problem(
                    shown,
                    1,
                    name,
                    f"unknown column for {spec.plural}; columns may be: {', '.join(spec.fields)}",
                )
            )
            out.append(None)
        else:
            out.append(name)
        seen.add(name)
    return out


def _record(
    row: list[str],
    columns: list[str | None],
    spec: LabelSpec | None,
    shown: str,
    relative: str,
    line: int,
) -> RawRecord:
    fields: dict[str, RawValue] = {}
    if spec is not None:
        fields["kind"] = RawValue(line, text=spec.kind)
    cells = dict(zip(columns, row, strict=False))
    kind_text = cells.get("kind", "").strip()
    row_spec = spec or load_schema().by_kind(kind_text)
    for name, cell in cells.items():
        if name is None:
            continue
        text = cell.strip()
        field = row_spec.fields.get(name) if row_spec else None
        if field is not None and field.relation is not None:
            ids = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
            fields[name] = RawValue(line, items=tuple(RawValue(line, text=i) for i in ids))
        else:
            fields[name] = RawValue(line, text=text or None)
    return RawRecord(shown, Source(relative, line), fields)
