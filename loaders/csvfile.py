"""CSV inventory files for bulk tables: a header row of field names, one record a row.
The file's name gives the kind (risks.csv or risk.csv, in any case: ``table.kind_named``,
as for a workbook's sheets), or a 'kind' column does; in a file named for a kind, a
blank 'kind' cell is that kind and another kind is a problem. The header must hold
'id' (one problem for the header if not, rather than one a row). A cell that refers to
several records separates their ids with ';'.

Cells are separated by ',' (spaces after a comma are ignored) and may be quoted with
'"'; a quoted cell may hold commas and line breaks. Every row has exactly the header's
number of cells, and a quote that is never closed is reported where it opened rather
than letting it swallow the rows after it.

A file is read as a stream, a row at a time, so its size is bounded only by its rows
(``text.MAX_ROWS``), not held whole in memory."""

from __future__ import annotations

import bisect
import contextlib
import csv
import io
import itertools
import re
from pathlib import Path

from graphgov.errors import Problem, ProblemList
from graphgov.graph import Source
from graphgov.records import RawRecord, RawValue
from graphgov.schema import LabelSpec, Schema, load_schema
from graphgov.validation import LIST_SEPARATOR

from . import table
from .text import MAX_ROWS, TextLines

_FIELD_LIMIT = csv.field_size_limit()  # the csv module's own cap on one cell
_FIELD_END = re.compile(r"[,\r\n]")
_NO_NAME = "a column has no name in the header row"


def read_csv(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The records in one CSV file and the problems found reading it; ``schema`` (the
    shipped one by default) says which kinds and reference fields there are."""
    schema = schema or load_schema()
    problems = ProblemList(shown)
    lines = TextLines(path, shown)
    # the lines keep their endings, so the csv module owns them, including those inside
    # quotes; strict makes a quote that never closes an error instead of one giant cell
    reader = csv.reader(lines, strict=True, skipinitialspace=True)
    try:
        # a header name's surrounding spaces are formatting, never part of a field name
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        return [], [lines.problem or _csv_problem(exc, path, shown, 1)]
    if lines.problem is not None:
        return [], [lines.problem]
    if lines.blank:  # nothing but whitespace so far: an empty file, or a blank header
        with contextlib.suppress(csv.Error):  # whatever follows, the header is the problem
            next((row for row in reader if not lines.blank), None)
        if lines.blank:
            return [], [lines.problem or Problem(shown, 1, None, "file is empty")]
        reason = "the header row is blank: line 1 must name the columns"
        return [], [lines.problem or Problem(shown, 1, None, reason)]
    if len(header) == 1 and LIST_SEPARATOR in header[0]:
        return [], [
            Problem(
                shown,
                1,
                None,
                f"this file seems to use {LIST_SEPARATOR!r} between columns; graphgov reads "
                "',' (comma-separated): save it as CSV with commas",
            )
        ]
    file_kind = table.kind_named(schema, path.stem)
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

    def report(index: int, field: str | None, reason: str) -> None:
        problems.append(Problem(shown, 1, field, reason))

    columns = table.columns(header, file_kind, report, lambda _: "", _NO_NAME)
    has_id = "id" in columns
    records: list[RawRecord] = []
    told_no_id = False
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(lines.problem or _csv_problem(exc, path, shown, line))
            break
        if any(cell.strip() for cell in row):
            if len(records) >= MAX_ROWS:
                problems.append(
                    Problem(
                        shown,
                        line,
                        None,
                        f"file has more than {MAX_ROWS:,} rows; split it into several files",
                    )
                )
                return [], problems.kept()
            if len(row) != len(header):
                problems.append(_ragged(row, header, shown, line))
            elif not has_id:
                if not told_no_id:  # once, for the header, not on every row
                    problems.append(Problem(shown, 1, None, table.NO_ID))
                    told_no_id = True
            else:
                records.append(
                    _record(row, columns, file_kind, schema, shown, relative, line, problems)
                )
        line = reader.line_num + 1
    if lines.problem is not None:  # a byte that is not UTF-8 ended the rows early
        return [], [*problems.kept(), lines.problem]
    return records, problems.kept()


def _ragged(row: list[str], header: list[str], shown: str, line: int) -> Problem:
    cells = f"{len(row)} cell{'s' if len(row) != 1 else ''}"
    reason = f"row has {cells} but the header has {len(header)}"
    if len(row) < len(header):
        missing = [name or f"column {n}" for n, name in enumerate(header, 1)][len(row) :]
        reason += ": no value for " + ", ".join(missing)
    else:
        extra = len(row) - len(header)
        reason += f": {extra} more than there are columns (is a ',' in a cell not quoted?)"
    if any("\n" in cell or "\r" in cell for cell in row):
        reason += "; a quoted cell here runs over several lines: is a closing quote missing?"
    return Problem(shown, line, None, reason)


def _csv_problem(exc: csv.Error, path: Path, shown: str, line: int) -> Problem:
    """The csv module's complaint about the row starting on ``line``, in plain words
    (the file is read again, whole, to find where a quote opened and closed)."""
    message = str(exc)
    if "field larger than field limit" in message:
        return Problem(shown, line, None, f"a cell is longer than {_FIELD_LIMIT:,} characters")
    text = "".join(TextLines(path, shown))
    opened, closed = _quote_lines(text, line)
    if "unexpected end of data" in message and opened is not None:
        return Problem(
            shown,
            opened,
            None,
            "a quote opened on this line is never closed, so every row after it would be "
            "read as one cell; close the quote",
        )
    if "expected after" in message and opened is not None:
        if closed is not None and closed != opened:
            return Problem(
                shown,
                opened,
                None,
                f"a quote opened on line {opened} is never closed where its cell ends: "
                f"it runs on to line {closed}, swallowing the rows between; close the quote",
            )
        return Problem(
            shown,
            opened,
            None,
            "text follows the closing quote of a cell; quote the whole cell, and write a "
            'quote inside it as ""',
        )
    return Problem(shown, line, None, f"CSV error: {message}")


def _quote_lines(text: str, start: int) -> tuple[int | None, int | None]:
    """For the row starting on line ``start``: the line where the quote of its last
    quoted cell opened, and the line where that quote closed (None if it never does).
    Jumps from quote to quote, so even a quote left open in a large file costs little."""
    lines = io.StringIO(text, newline="").readlines()
    starts = list(itertools.accumulate((len(x) for x in lines), initial=0))

    def line_at(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    opened: int | None = None
    closed: int | None = None
    pos = starts[min(start - 1, len(lines))]
    while pos < len(text):
        while text.startswith(" ", pos):  # skipinitialspace
            pos += 1
        if not text.startswith('"', pos):
            end = _FIELD_END.search(text, pos)
            if end is None or end.group() != ",":
                break
            pos = end.end()
            continue
        opened, closed = line_at(pos), None
        quote = pos + 1
        while True:
            quote = text.find('"', quote)
            if quote == -1 or not text.startswith('""', quote):
                break
            quote += 2
        if quote == -1:
            break
        closed = line_at(quote)
        pos = quote + 1
        if not text.startswith(",", pos):
            break  # the row ends here, or text follows the closing quote
        pos += 1
    return opened, closed


def _record(
    row: list[str],
    columns: list[str | None],
    spec: LabelSpec | None,
    schema: Schema,
    shown: str,
    relative: str,
    line: int,
    problems: list[Problem],
) -> RawRecord:
    fields: dict[str, RawValue] = {}
    cells = dict(zip(columns, row, strict=True))
    row_spec, wrong = table.row_kind(spec, schema, cells.get("kind"), "file")
    if wrong is not None:
        problems.append(Problem(shown, line, "kind", wrong))
    if spec is not None:
        fields["kind"] = RawValue(line, text=spec.kind)
    references = row_spec.references if row_spec else frozenset()
    for name, cell in cells.items():
        if name is None or (name == "kind" and spec is not None):
            continue
        fields[name] = table.value(cell, name in references, line)
    return RawRecord(shown, Source(relative, line), fields)
