"""The Statement of Applicability as CSV, Markdown and XLSX (HTML is a page section)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from graphgov.audit import SoaRow
from graphgov.display import printable
from graphgov.frameworks import load_frameworks
from graphgov.outputs.cells import markdown_cell, spreadsheet_cell

COLUMNS = (
    "control",
    "title",
    "group",
    "decision",
    "justification",
    "status",
    "implemented by",
    "owners",
    "evidence",
    "systems",
    "open findings",
    "other frameworks",
)


def _decision(r: SoaRow) -> str:
    """The decision, with when and by whom its record says it was taken; an exclusion
    without its justification is no decision yet, and says so."""
    if r.record is None:
        return r.decision
    when = r.record.get("decided_on")
    said = " ".join(
        s for s in (f"on {when}" if when else "", "by " + ", ".join(r.decided_by)) if s != "by "
    )
    if r.decision == "no decision" and r.record.get("applicable") is False:
        return f"no decision (excluded {said} without a justification)".replace("  ", " ")
    return f"{r.decision} ({said})" if said else r.decision


def _justification(r: SoaRow) -> str:
    notes = r.record.get("notes") if r.record is not None else None
    if not notes:
        return r.justification
    return f"{r.justification} (notes: {notes})" if r.justification else f"(notes: {notes})"


def _systems(r: SoaRow) -> str:
    if r.organisation_wide and r.systems:
        return f"organisation-wide: all {len(r.systems)} in-scope systems"
    return ", ".join(r.systems)


def crosswalked(r: SoaRow) -> str:
    """What the Annex A control reaches in the other frameworks through the crosswalks."""
    known = load_frameworks()
    reached = [x for x in known.references([r.control.id]) if x.relationship is not None]
    return known.describe(reached)


def _row(r: SoaRow) -> list[str]:
    return [
        r.control.id,
        r.control.name,
        r.group,
        _decision(r),
        _justification(r),
        r.status.replace("_", " "),
        "; ".join(
            f"{i.control.id} ({str(i.control.get('status')).replace('_', ' ')})"
            for i in r.implementations
        ),
        "; ".join(sorted({o for i in r.implementations for o in i.owners})),
        "; ".join(
            f"{e.evidence.id} ({'current' if e.current else 'not current'}"
            + (f", to {e.evidence.get('valid_until')}" if e.evidence.get("valid_until") else "")
            + ")"
            for e in r.evidence
        ),
        _systems(r),
        "; ".join(f.message for f in r.findings),
        crosswalked(r),
    ]


def soa_csv(rows: Sequence[SoaRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[spreadsheet_cell(c) for c in _row(r)] for r in rows])
    return out.getvalue()


def soa_markdown(rows: Sequence[SoaRow], as_of: date) -> str:
    home = load_frameworks().home.name
    head = f"# Statement of Applicability ({home} Annex A), as of {as_of.isoformat()}\n\n"
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(markdown_cell(c) for c in _row(r)) + " |" for r in rows]
    return head + "\n".join(lines) + "\n"


def soa_xlsx(rows: Sequence[SoaRow], as_of: date) -> bytes:
    """A workbook an auditor can work in: header frozen, filters, widths, wrapped text;
    one sheet per view. Byte-identical for the same inputs."""
    from openpyxl import Workbook  # only this output needs openpyxl

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Statement of Applicability"
    sheet_of(sheet, COLUMNS, [_row(r) for r in rows], [10, 34, 26, 13, 40, 14, 36, 26, 44, 30, 50])
    controls = book.create_sheet("Controls")
    sheet_of(
        controls,
        ("Annex A control", "control", "name", "status", "justification", "owners", "applies to"),
        [
            [
                r.control.id,
                i.control.id,
                i.control.name,
                str(i.control.get("status")).replace("_", " "),
                str(i.control.get("justification") or ""),
                ", ".join(i.owners),
                ", ".join(i.covers),
            ]
            for r in rows
            for i in r.implementations
        ],
        [14, 30, 40, 20, 40, 30, 40],
    )
    evidence = book.create_sheet("Evidence")
    sheet_of(
        evidence,
        ("Annex A control", "evidence", "name", "issued", "valid until", "current", "location"),
        [
            [
                r.control.id,
                e.evidence.id,
                e.evidence.name,
                str(e.evidence.get("issued_on") or ""),
                str(e.evidence.get("valid_until") or ""),
                "yes" if e.current else "no",
                str(e.evidence.get("location") or ""),
            ]
            for r in rows
            for e in r.evidence
        ],
        [14, 30, 44, 12, 12, 9, 34],
    )
    return workbook_bytes(book, as_of)


def workbook_bytes(book: Any, as_of: date) -> bytes:
    """A workbook's bytes, dated ``as_of`` and with fixed zip entries: equal inputs give
    equal bytes, whenever they are saved."""
    from openpyxl.xml.functions import tostring

    stamp = datetime(as_of.year, as_of.month, as_of.day)
    book.properties.creator = "graphgov"
    book.properties.created = stamp
    book.properties.modified = stamp
    raw = io.BytesIO()
    book.save(raw)
    # openpyxl stamps 'modified' with the time of saving; write the properties again
    # with the date given, as openpyxl itself writes them
    book.properties.modified = stamp
    core = tostring(book.properties.to_tree())
    return _fixed_zip(raw.getvalue(), {"docProps/core.xml": core})


def sheet_of(
    sheet: object, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> None:
    """Fill a worksheet as auditors expect it: a bold frozen header with filters, wrapped
    cells, column widths; every cell text, never a formula, and printable."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    sheet.append(list(header))
    for row in rows:
        # a cell cannot hold most control characters at all (openpyxl refuses them)
        sheet.append([printable(c) for c in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3E8EF")
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
            if cell.data_type == "f":  # inventory text that looks like a formula stays text
                cell.data_type = "s"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _fixed_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with fixed entry timestamps and the ``replace`` entries, so equal
    inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, replace.get(info.filename) or source.read(info.filename))
    return out.getvalue()
