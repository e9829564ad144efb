"""Excel workbooks (.xlsx) in an inventory folder, read like CSV files: a sheet per kind.

A sheet holds one kind of record when its name is the kind's plural or kind name
(``risks``, ``Risks``, ``risk``; case, spaces and hyphens aside: ``AI systems`` is
``ai_systems``; ``table.kind_named``), or when it has a ``kind`` column (in a sheet
named for a kind, a blank ``kind`` cell is that kind and another kind is a problem).
Its first non-empty row is the header of field names, which must hold ``id`` (one
problem for the header if not, rather than one a row), and every non-empty row after
it is a record; provenance is ``file.xlsx!Sheet`` and the row, and every problem names
the sheet, the row, the field and the column letter. A reference cell with several ids
separates them with ';'.

Cells are read by what they hold: an Excel date (time of day 00:00) or ``YYYY-MM-DD``
text for a date; TRUE/FALSE or text for a boolean; a number for a number (3.0 from
Excel is 3); a formula by the value Excel saved with it (``=HYPERLINK(...)`` gives its
text; nothing is followed, and links to other workbooks are never opened). A formula
with no saved value, an error value (``#N/A``) or a date with a time of day is a
problem.

What is left out, and what is refused:

- blank rows and columns anywhere (a header cell left blank over an empty column, as
  a merged header cell leaves them, is no column); a value under a header cell left
  blank is a problem. A cell merged down over several rows gives its value to each of
  them that holds a record, as Excel shows it; merged across columns, its value
  belongs to its first column;
- sheets named About, Help, Instructions, Lists, Notes or README (the register
  template's own, or a user's notes), empty sheets and chart sheets; any other sheet
  that holds no kind is a problem, so no sheet of records is silently skipped. A
  hidden sheet is read like any other: hiding a sheet does not take its records out
  of the inventory (the problem for a hidden sheet of no kind says so);
- ``~$name.xlsx``, the lock file Excel leaves beside a workbook it has open;
- ``.xlsm`` (macros) and ``.xls`` (the old binary format) are refused, with the way to
  save them as ``.xlsx``; a file that is not a workbook (damaged, encrypted) is one
  problem.

Memory is bounded: before openpyxl opens a workbook its zip directory is checked (at
most ``MAX_UNPACKED`` bytes unpacked, ``MAX_SHARED_TEXT`` of them for the shared text
table, which openpyxl holds whole; no part expanding more than ``MAX_RATIO`` times: a
zip bomb is refused in one line), sheets are streamed a row at a time (openpyxl's
read-only mode), and a workbook holds at most ``text.MAX_ROWS`` rows. XML declaring a
DTD (an entity-expansion bomb) is refused, and openpyxl parses through defusedxml."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import zip_longest
from pathlib import Path
from typing import Any

from graphgov.errors import EnvironmentProblem, Problem, ProblemList
from graphgov.graph import Source
from graphgov.records import RawRecord, RawValue
from graphgov.schema import LabelSpec, Schema, load_schema

from . import table
from .text import MAX_ROWS

MAX_UNPACKED = 512 * 1024 * 1024  # bytes a workbook may unpack to
MAX_SHARED_TEXT = 128 * 1024 * 1024  # of which the shared text table (held whole)
MAX_RATIO = 200  # an Excel part compresses some 5-50 times; DEFLATE's most is ~1000
_RATIO_FROM = 1024 * 1024  # parts smaller than this unpack to little, whatever the ratio
MAX_PARTS = 10_000
# sheets of notes and lists, never records (the register template writes About and Lists)
NOTE_SHEETS = ("About", "Help", "Instructions", "Lists", "Notes", "README")
_NOTE_KEYS = frozenset(table.name_key(name) for name in NOTE_SHEETS)
_SHARED_TEXT = "xl/sharedStrings.xml"
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref=[\"']"
    rb"([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})[\"']"
)
_CHUNK = 1 << 20


def read_xlsx(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The records in one workbook, a sheet per kind, and the problems found reading it;
    ``schema`` (the shipped one by default) says which kinds and fields there are."""
    schema = schema or load_schema()
    if path.name.startswith("~$"):
        return [], []  # Excel's lock file for an open workbook, not a workbook
    refused = _check_zip(path, shown)
    if isinstance(refused, Problem):
        return [], [refused]
    try:
        with warnings.catch_warnings():
            # openpyxl warns of parts it does not read (extensions, print settings):
            # none of them holds a record, and the library never prints
            warnings.simplefilter("ignore")
            return _Workbook(path, shown, relative, schema, refused).read()
    except OSError as exc:
        if exc.errno is None:  # openpyxl's word for a zip that holds no workbook
            return [], [_unreadable(shown, exc)]
        raise EnvironmentProblem(f"cannot read {shown}: {exc.strerror or exc}") from exc
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged part
        return [], [_unreadable(shown, exc)]


def read_macro_workbook(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """A macro-enabled workbook (.xlsm) is refused: graphgov reads no file that carries
    code."""
    reason = (
        "is a macro-enabled workbook (.xlsm), which graphgov does not read: save it as an "
        "Excel Workbook (.xlsx)"
    )
    return [], [Problem(shown, None, None, reason)]


def read_old_workbook(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """An Excel 97-2003 workbook (.xls) is refused: the binary format is not read."""
    reason = (
        "is an Excel 97-2003 workbook (.xls), which graphgov does not read: save it as an "
        "Excel Workbook (.xlsx)"
    )
    return [], [Problem(shown, None, None, reason)]


def _unreadable(shown: str, exc: Exception) -> Problem:
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps what defusedxml raised
        if type(cause).__name__ in (
            "EntitiesForbidden",
            "DTDForbidden",
            "ExternalReferenceForbidden",
        ):
            return Problem(shown, None, None, _DTD_REASON)
        cause = cause.__cause__ or cause.__context__
    name = type(exc).__name__
    detail = str(exc).splitlines()[0][:200] if str(exc) else name
    return Problem(
        shown,
        None,
        None,
        f"cannot be read as an Excel workbook ({detail}): is it damaged? Open it in Excel "
        "(or LibreOffice) and save it again as .xlsx",
    )


_DTD_REASON = (
    "holds XML that declares entities (a DTD), which Excel never writes and an "
    "entity-expansion bomb needs: refused"
)


@dataclass(frozen=True)
class _Parts:
    """What the zip's sheets hold that openpyxl's streaming reader does not say in
    time: whether any cell is a formula (so saved values must be checked), and each
    sheet's merged cells (only listed after its rows), by part name."""

    formulas: bool
    merges: Mapping[str, tuple[Merge, ...]]


Merge = tuple[int, int, int, int]  # first row, first column (0-based), last row, last column


def _check_zip(path: Path, shown: str) -> Problem | _Parts:
    """The problem that stops the workbook being opened, else what its parts hold."""
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {shown}: {exc.strerror or exc}") from exc
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        return Problem(
            shown,
            None,
            None,
            "is not an .xlsx workbook but an Excel 97-2003 (.xls) or a password-protected "
            "one: remove the password, or save it as an Excel Workbook (.xlsx)",
        )
    if not start:
        return Problem(shown, None, None, "file is empty")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return Problem(
            shown,
            None,
            None,
            "is not an Excel workbook (an .xlsx file is a zip archive, and this file is "
            "not one, or is damaged): save it again from Excel as .xlsx",
        )
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {shown}: {exc.strerror or exc}") from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            return Problem(
                shown, None, None, f"holds {len(parts):,} parts; a workbook has a few dozen"
            )
        total = sum(p.file_size for p in parts)
        if total > MAX_UNPACKED:
            return Problem(
                shown,
                None,
                None,
                f"would unpack to {total:,} bytes; the limit is {MAX_UNPACKED:,} (a zip "
                "bomb, or a workbook to split into several)",
            )
        for part in parts:
            if part.file_size > _RATIO_FROM and part.file_size > MAX_RATIO * max(
                part.compress_size, 1
            ):
                ratio = part.file_size // max(part.compress_size, 1)
                return Problem(
                    shown,
                    None,
                    None,
                    f"its part {part.filename!r} expands {ratio:,} times (to "
                    f"{part.file_size:,} bytes): a zip bomb, refused",
                )
            if part.filename == _SHARED_TEXT and part.file_size > MAX_SHARED_TEXT:
                return Problem(
                    shown,
                    None,
                    None,
                    f"its shared text is {part.file_size:,} bytes; the limit is "
                    f"{MAX_SHARED_TEXT:,} (split the workbook into several)",
                )
        return _scan(archive, shown, parts)


def _scan(archive: zipfile.ZipFile, shown: str, parts: list[zipfile.ZipInfo]) -> Problem | _Parts:
    """Refuse a DTD in any XML part; find formulas and merged cells in the sheets."""
    formulas = False
    merges: dict[str, tuple[Merge, ...]] = {}
    for part in parts:
        name = part.filename
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        sheet = name.startswith("xl/worksheets/")
        try:
            with archive.open(part) as stream:
                head = stream.read(4096)
                if _DTD.search(head):
                    return Problem(shown, None, None, _DTD_REASON)
                if not sheet:
                    continue
                found: set[bytes] = set()
                tail = b""
                chunk = head
                while chunk:
                    text = tail + chunk
                    formulas = formulas or _FORMULA.search(text) is not None
                    found.update(_MERGE.findall(text))
                    tail = chunk[-64:]
                    chunk = stream.read(_CHUNK)
                if found:
                    merges[name] = tuple(sorted(_merge(ref) for ref in found))
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
            return _unreadable(shown, exc)
    return _Parts(formulas, merges)


def _merge(ref: bytes) -> Merge:
    from openpyxl.utils.cell import range_boundaries

    first_col, first_row, last_col, last_row = range_boundaries(ref.decode("ascii"))
    assert first_col and first_row and last_col and last_row
    return first_row, first_col - 1, last_row, last_col - 1


def _at(index: int) -> str:
    """Where the 0-based column ``index`` is, as a problem says it."""
    return f" (column {_letter(index)})"


@cache
def _letter(index: int) -> str:
    """The column letter of the 0-based column ``index``."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Workbook:
    def __init__(
        self, path: Path, shown: str, relative: str, schema: Schema, parts: _Parts
    ) -> None:
        self.path, self.shown, self.relative, self.schema = path, shown, relative, schema
        self.parts = parts
        self.problems = ProblemList(shown)
        self.records: list[RawRecord] = []

    def read(self) -> tuple[list[RawRecord], list[Problem]]:
        from openpyxl import load_workbook

        values = load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        written = (
            load_workbook(self.path, read_only=True, data_only=False, keep_links=False)
            if self.parts.formulas
            else None
        )
        try:
            sheets = values.worksheets
            formula_sheets: Sequence[Any] = written.worksheets if written else [None] * len(sheets)
            for sheet, formula_sheet in zip(sheets, formula_sheets, strict=True):
                if not self.sheet(sheet, formula_sheet):
                    return [], self.problems.kept()
        finally:
            values.close()
            if written is not None:
                written.close()
        return self.records, self.problems.kept()

    def sheet(self, sheet: Any, formula_sheet: Any) -> bool:
        """Read one sheet's records; False when the workbook has too many rows."""
        title = str(sheet.title)
        where = f"{self.shown}!{title}"
        sheet.reset_dimensions()  # the size a writer declared may be wrong: read it all
        merges = self.parts.merges.get(str(getattr(sheet, "_worksheet_path", "")), ())
        rows = self._rows(sheet, formula_sheet)
        header_row: tuple[int, list[Any]] | None = None
        for number, cells in rows:
            if any(not _blank(value) for value, _ in cells):
                header_row = number, [value for value, _ in cells]
                break
        if header_row is None:
            return True  # an empty sheet (or a chart's) holds nothing
        number, header_cells = header_row
        header = [_header_text(v) for v in header_cells]
        while header and not header[-1]:
            header.pop()
        spec = table.kind_named(self.schema, title)
        if spec is None and table.name_key(title) in _NOTE_KEYS:
            return True
        if spec is None and "kind" not in header:
            self.problems.append(Problem(where, None, None, self._no_kind(sheet)))
            return True
        reader = _Sheet(self, where, title, spec, header, number)
        # a cell merged down over rows below the header shows its value on each of them
        down = [m for m in merges if m[0] > number and m[2] > m[0]]
        for line, cells in _filled(rows, down):
            if not any(not _blank(value) for value, _ in cells):
                continue
            if len(self.records) >= MAX_ROWS:
                self.problems.append(
                    Problem(
                        where,
                        line,
                        None,
                        f"the workbook has more than {MAX_ROWS:,} rows; split it into several",
                    )
                )
                return False
            record = reader.record(line, cells)
            if record is not None:
                self.records.append(record)
        return True

    def _no_kind(self, sheet: Any) -> str:
        kinds = ", ".join(s.plural for s in self.schema.labels.values() if not s.catalogue)
        notes = ", ".join(NOTE_SHEETS[:-1]) + " or " + NOTE_SHEETS[-1]
        reason = (
            "cannot tell which kind of record this sheet holds: name the sheet after the "
            f"kind ({kinds}) or add a 'kind' column; a sheet of notes may be named {notes}"
        )
        if getattr(sheet, "sheet_state", "visible") != "visible":
            # a sheet is often hidden to leave it out, which it does not
            reason += (
                "; this sheet is hidden, but hidden sheets are read like any other: delete "
                "the sheet, or move it to another workbook, to leave it out"
            )
        return reason

    def _rows(self, sheet: Any, formula_sheet: Any) -> Iterator[tuple[int, list[Cell]]]:
        """Each row's number and its cells, (value, openpyxl's data type), the value
        ``_UNSAVED`` for a formula cell saved without its value."""
        if formula_sheet is not None:
            formula_sheet.reset_dimensions()
            pairs: Iterator[tuple[Any, Any]] = zip_longest(
                sheet.iter_rows(), formula_sheet.iter_rows(), fillvalue=()
            )
        else:
            pairs = ((row, ()) for row in sheet.iter_rows())
        for number, (row, formula_row) in enumerate(pairs, 1):
            cells: list[Cell] = []
            for index, cell in enumerate(row):
                value = cell.value
                if value is None and index < len(formula_row):
                    other = formula_row[index]
                    unsaved = getattr(other, "data_type", None) == "f"
                    cells.append((_UNSAVED if unsaved else None, "n"))
                    continue
                cells.append((value, getattr(cell, "data_type", "n")))
            yield number, cells


def _filled(
    rows: Iterator[tuple[int, list[Cell]]], merges: list[Merge]
) -> Iterator[tuple[int, list[Cell]]]:
    """The rows with each cell merged down filled in from the merged cell's first row
    (its first column only: merged across, the value belongs to its first column). A
    blank row stays blank: a merged cell alone is no record."""
    pending = sorted(merges, reverse=True)  # the next to start last, to pop
    active: list[Merge] = []
    shown: dict[int, Cell] = {}  # column -> the value its merged cell shows
    for number, cells in rows:
        while pending and pending[-1][0] <= number:
            active.append(pending.pop())
        if active:
            blank = all(_blank(value) for value, _ in cells)
            for first, column, _, _ in active:
                if number == first:
                    shown[column] = cells[column] if column < len(cells) else (None, "n")
                elif not blank and column in shown:
                    cells += [(None, "n")] * (column + 1 - len(cells))
                    cells[column] = shown[column]
            for merge in [m for m in active if m[2] <= number]:
                active.remove(merge)
                shown.pop(merge[1], None)
        yield number, cells


class _Unsaved:
    """The value of a formula cell whose workbook was saved without its result."""


_UNSAVED = _Unsaved()
Cell = tuple[Any, str]  # a cell's value and openpyxl's data type ('e' for an error)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Sheet:
    """Reads the rows of one sheet of records."""

    def __init__(
        self,
        book: _Workbook,
        where: str,
        title: str,
        spec: LabelSpec | None,
        header: list[str],
        line: int,
    ) -> None:
        self.book, self.where, self.spec, self.header = book, where, spec, header
        self.source = f"{book.relative}!{title}"
        self.header_line = line
        self.columns = self._columns(line)
        self.has_id = "id" in self.columns
        self.told_no_id = False

    def _columns(self, line: int) -> list[str | None]:
        def report(index: int, field: str | None, reason: str) -> None:
            self.problem(line, field, reason)

        # a column with no name is reported only if a row has a value under it
        return table.columns(self.header, self.spec, report, _at, None)

    def problem(self, line: int | None, field: str | None, reason: str) -> None:
        self.book.problems.append(Problem(self.where, line, field, reason))

    def record(self, line: int, cells: list[Cell]) -> RawRecord | None:
        schema = self.book.schema
        values: dict[str, tuple[Any, str, int]] = {}
        for index, (value, data_type) in enumerate(cells):
            if _blank(value):
                continue
            name = self.columns[index] if index < len(self.columns) else None
            if name is None:
                if index >= len(self.header) or not self.header[index]:
                    self.problem(
                        line,
                        None,
                        f"a value in column {_letter(index)}, which has no name in the header "
                        "row (a merged header cell names only its first column): name the "
                        "column, or clear the cell",
                    )
                continue
            values[name] = value, data_type, index
        if not self.has_id:
            if not self.told_no_id:  # once, for the header, not on every row
                self.problem(self.header_line, None, table.NO_ID)
                self.told_no_id = True
            return None
        fields: dict[str, RawValue] = {}
        kind = values.get("kind")
        row_spec, wrong = table.row_kind(self.spec, schema, str(kind[0]) if kind else None, "sheet")
        if wrong is not None and kind is not None:
            self.problem(line, "kind", f"{_at(kind[2]).lstrip()} {wrong}")
        if self.spec is not None:
            fields["kind"] = RawValue(line, text=self.spec.kind)
        for name in self.columns:
            if name is None or (name == "kind" and self.spec is not None):
                continue
            if name not in values:
                fields[name] = RawValue(line, text=None)
                continue
            value, data_type, index = values[name]
            field = row_spec.fields.get(name) if row_spec else None
            text = self.text(line, name, value, data_type, index, field)
            if text is None:
                fields[name] = RawValue(line, text=None)
            else:
                reference = field is not None and field.relation is not None
                fields[name] = table.value(text, reference, line)
        return RawRecord(self.where, Source(self.source, line), fields)

    def text(
        self, line: int, name: str, value: Any, data_type: str, index: int, field: Any
    ) -> str | None:
        """The cell as the text a record holds, or None (a problem said why)."""
        column = f"(column {_letter(index)})"
        datatype = field.property.datatype if field is not None and field.property else None
        if value is _UNSAVED:
            self.problem(
                line,
                name,
                f"{column} is a formula saved without its value: open the workbook in Excel "
                "(or LibreOffice) and save it, so its values are saved with it",
            )
            return None
        if data_type == "e":
            self.problem(line, name, f"{column} holds the error {value}: correct its formula")
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            if value.time() != time(0, 0):
                if datatype == "date":
                    self.problem(
                        line,
                        name,
                        f"{column} holds a date with a time of day ({value.isoformat(' ')}); "
                        "a date here is a day: format the cell as a date, or write YYYY-MM-DD",
                    )
                    return None
                return value.isoformat(" ")
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (time, timedelta)):
            if datatype == "date":
                self.problem(
                    line, name, f"{column} holds a time of day, not a date: write YYYY-MM-DD"
                )
                return None
            return str(value)
        if isinstance(value, (int, float)):
            if datatype == "date":
                self.problem(
                    line,
                    name,
                    f"{column} holds the number {value!r}, not a date: format the cell as a "
                    "date, or write YYYY-MM-DD",
                )
                return None
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                return str(int(value))
            return repr(value) if isinstance(value, float) else str(value)
        text = str(value)
        return text if text.strip() else None
