"""The inventory as an Excel register: the blank template a governance team fills in,
and an inventory exported in the same layout, which reads back as the same graph
(``loaders/xlsxfile.py`` reads both).

Both are generated from the schema: a sheet per record kind (not the catalogue's),
named by its plural, whose header row is the kind's fields in the schema's order.
Required columns are bold on a dark fill, expected ones (a record without them loads
and is reported incomplete) bold on a light fill, and each header cell carries a note
saying which, with the field's description; a column that refers to other records says
which kinds, and that several ids are separated by ';'. A closed list of values is a
drop-down (its values on the hidden Lists sheet), a boolean a TRUE/FALSE drop-down, a
date column is formatted as a date. The About sheet says how to fill it in. A kind
whose records must each refer to a catalogue entry (a decision decides an Annex A
control) is listed in the template with a row per entry, ready for its decision.

Exported values keep their types: dates as Excel dates, booleans, whole numbers and
decimals as numbers, references as the ids of the records a relationship leads to
(written on the record it starts from, as a CSV file would hold them). Every text cell
is text, never a formula: a text that starts like one (``=``, ``+``, ``-``, ``@``) is
stored as text and marked with Excel's quote prefix, so the value itself is unchanged
and Excel shows and keeps it as typed. Text goes through ``display.printable``, as in
every other output: a character that could act on a terminal or hide text (and that a
workbook's XML cannot hold) is written as its visible escape (``\\x1b``), so such a
text reads back as its escaped form, all other text exactly.

The same inputs give the same workbook (the caller fixes the zip's dates)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from graphgov.display import printable
from graphgov.graph import GraphBatch, Node, Value
from graphgov.schema import LabelSpec, RecordField, Schema, load_schema, natural_key
from graphgov.validation import LIST_SEPARATOR

ABOUT = "About"
LISTS = "Lists"
# the workbook's own dates, fixed so that the same inventory gives the same bytes
STAMP = date(1980, 1, 1)
PREFILLED_ID = "soa-"  # a pre-filled decision's id: soa-A.2.2, as the example names them
_FORMULA_STARTS = ("=", "+", "-", "@")
_DATE_FORMAT = "yyyy-mm-dd"
_LAST_ROW = 1_048_576  # Excel's last row: drop-downs and formats cover the whole column
_REQUIRED = PatternFill("solid", fgColor="1F3864")
_EXPECTED = PatternFill("solid", fgColor="D9E2F3")
_OPTIONAL = PatternFill("solid", fgColor="F2F2F2")
_AUTHOR = "graphgov"


def template_workbook(catalogue: Iterable[Node], schema: Schema | None = None) -> Workbook:
    """The blank register: a sheet per kind, marked and with drop-downs, and a row per
    catalogue entry for each kind whose records must refer to one (the decisions, one
    per Annex A control)."""
    schema = schema or load_schema()
    known = list(catalogue)
    book = _book(schema)
    for spec in _kinds(schema):
        sheet = book[spec.plural]
        for line, row in enumerate(_prefilled(spec, known), start=2):
            _append(sheet, spec, line, row)
    return book


def register_workbook(batch: GraphBatch, schema: Schema | None = None) -> Workbook:
    """The inventory ``batch`` as a register in the template's layout: a row per record,
    its properties typed and its relationships as reference columns."""
    schema = schema or load_schema()
    book = _book(schema)
    rows: dict[str, dict[str, dict[str, Value | list[str]]]] = {}
    labels: dict[str, str] = {}
    for node in batch.nodes:
        spec = schema.labels[node.label]
        labels[node.id] = node.label
        row: dict[str, Value | list[str]] = {"id": node.id}
        row.update({k: v for k, v in node.properties.items() if k in spec.fields})
        rows.setdefault(node.label, {})[node.id] = row
    for rel in batch.relationships:
        spec_rel = schema.relations[rel.type]
        if rel.start in labels:
            owner, field, target = rel.start, spec_rel.field, rel.end
        elif rel.end in labels and spec_rel.inverse_field:
            owner, field, target = rel.end, spec_rel.inverse_field, rel.start
        else:
            raise ValueError(f"relationship {rel.type} joins no record of the batch")
        cell = rows[labels[owner]][owner].setdefault(field, [])
        assert isinstance(cell, list)
        cell.append(target)
    for spec in _kinds(schema):
        sheet = book[spec.plural]
        ordered = sorted(rows.get(spec.name, {}), key=natural_key)
        for line, ident in enumerate(ordered, start=2):  # row 1 is the header
            _append(sheet, spec, line, rows[spec.name][ident])
    return book


def _kinds(schema: Schema) -> list[LabelSpec]:
    return [s for s in schema.labels.values() if not s.catalogue]


def _prefilled(spec: LabelSpec, catalogue: Sequence[Node]) -> list[dict[str, Value | list[str]]]:
    """A row per catalogue entry a record of ``spec`` must refer to, if it must."""
    for name, field in spec.fields.items():
        rel = field.relation
        if rel is None or field.inverse or not rel.required:
            continue
        entries = sorted(
            (n for n in catalogue if n.label in rel.ends), key=lambda n: natural_key(n.id)
        )
        return [
            {
                "id": PREFILLED_ID + n.id,
                name: [n.id],
                **({"name": n.name} if "name" in spec.fields else {}),
            }
            for n in entries
        ]
    return []


def _book(schema: Schema) -> Workbook:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = ABOUT
    lists = book.create_sheet(LISTS)
    choices: dict[tuple[str, ...], str] = {}
    for spec in _kinds(schema):
        sheet = book.create_sheet(spec.plural)
        _header(sheet, spec, schema, lists, choices)
    lists.sheet_state = "hidden"
    _about(about, schema)
    book.move_sheet(lists, offset=len(book.sheetnames))
    return book


def _header(
    sheet: Worksheet,
    spec: LabelSpec,
    schema: Schema,
    lists: Worksheet,
    choices: dict[tuple[str, ...], str],
) -> None:
    sheet.append(list(spec.fields))
    for index, (name, field) in enumerate(spec.fields.items(), start=1):
        cell = sheet.cell(row=1, column=index)
        letter = get_column_letter(index)
        mark, note = _mark(spec, field, schema)
        cell.font = Font(bold=mark != "optional", color="FFFFFF" if mark == "required" else None)
        cell.fill = {"required": _REQUIRED, "expected": _EXPECTED}.get(mark, _OPTIONAL)
        cell.comment = Comment(note, _AUTHOR, width=320, height=160)
        sheet.column_dimensions[letter].width = max(14, min(40, len(name) + 4))
        column = f"{letter}2:{letter}{_LAST_ROW}"
        prop = field.property
        if prop is None:
            continue
        if prop.allowed:
            ref = choices.get(prop.allowed)
            if ref is None:
                col = get_column_letter(len(choices) + 1)
                lists.cell(row=1, column=len(choices) + 1, value=prop.name)
                for row, value in enumerate(prop.allowed, start=2):
                    lists.cell(row=row, column=len(choices) + 1, value=value)
                ref = f"{quote_sheetname(LISTS)}!${col}$2:${col}${len(prop.allowed) + 1}"
                choices[prop.allowed] = ref
            _validation(sheet, column, "list", ref, f"one of the {name} values")
        elif prop.datatype == "boolean":
            _validation(sheet, column, "list", '"TRUE,FALSE"', "TRUE or FALSE")
        elif prop.datatype == "date":
            sheet.column_dimensions[letter].number_format = _DATE_FORMAT
            _validation(sheet, column, "date", "1", "a date (YYYY-MM-DD)", operator="greaterThan")
        elif prop.datatype == "integer":
            _validation(
                sheet, column, "whole", "-1000000000", "a whole number", operator="greaterThan"
            )
        elif prop.datatype == "decimal":
            _validation(sheet, column, "decimal", "-1000000000", "a number", operator="greaterThan")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.fields))}1"


def _validation(
    sheet: Worksheet,
    cells: str,
    kind: Literal["list", "date", "whole", "decimal"],
    formula: str,
    what: str,
    operator: Literal["greaterThan"] | None = None,
) -> None:
    check = DataValidation(
        type=kind,
        formula1=formula,
        operator=operator,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a value this column takes",
        error=f"This column takes {what}.",
    )
    check.add(cells)
    sheet.add_data_validation(check)


def _mark(spec: LabelSpec, field: RecordField, schema: Schema) -> tuple[str, str]:
    """Whether the column is required, expected or optional, and its header note."""
    prop, rel = field.property, field.relation
    if prop is not None:
        mark = "required" if prop.required else "expected" if prop.expected else "optional"
        what = prop.description
        if prop.allowed:
            what += " One of: " + ", ".join(prop.allowed) + "."
        elif prop.datatype == "date":
            what += " A date (YYYY-MM-DD)."
        elif prop.datatype == "boolean":
            what += " TRUE or FALSE."
    else:
        assert rel is not None
        mark = "required" if rel.required and not field.inverse else "optional"
        ends = rel.starts if field.inverse else rel.ends
        titles = " or ".join(schema.labels[e].title for e in ends)
        what = (
            f"{rel.description} The id of the {titles} it names; several ids separated "
            f"by '{LIST_SEPARATOR}'."
        )
    head = {
        "required": f"Required: every {spec.kind} has one.",
        "expected": f"Expected: a record of {spec.plural} without it loads, and is reported "
        "incomplete.",
        "optional": "Optional.",
    }[mark]
    return mark, f"{head}\n{what.strip()}"


def _append(
    sheet: Worksheet, spec: LabelSpec, line: int, row: dict[str, Value | list[str]]
) -> None:
    # the row is given, not sheet.max_row + 1: max_row scans every cell written so far
    for index, name in enumerate(spec.fields, start=1):
        if name not in row:
            continue
        cell = sheet.cell(row=line, column=index)
        assert isinstance(cell, Cell)  # a new sheet's cells are never merged
        _put(cell, row[name])


def _put(cell: Cell, value: Value | list[str]) -> None:
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(sorted(set(value), key=natural_key))
    if isinstance(value, str):
        # a cell cannot hold most control characters at all (openpyxl refuses them)
        text = printable(value)
        cell.value = text
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        if text.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True  # Excel's own mark: keep it as text when edited
        cell.alignment = Alignment(vertical="top", wrap_text="\n" in text)
        return
    cell.value = value
    if isinstance(value, date):
        cell.number_format = _DATE_FORMAT


def _about(sheet: Worksheet, schema: Schema) -> None:
    lines = [
        ("graphgov register", True),
        ("", False),
        (
            "Each sheet holds one kind of record, named by its plural (ai_systems, risks, ...). "
            "Row 1 names the fields; every row below it is one record. Keep the header row as "
            "it is; a blank row is skipped.",
            False,
        ),
        (
            "Header colours: dark = required (a record without it is refused); light = expected "
            "(a record without it loads and is reported incomplete); grey = optional. Each "
            "header cell has a note saying what the field holds.",
            False,
        ),
        (
            f"A column that refers to other records holds their ids; several ids are separated "
            f"by '{LIST_SEPARATOR}'.",
            False,
        ),
        (
            "Dates are Excel dates or text written YYYY-MM-DD; yes/no fields are TRUE or FALSE; "
            "closed lists of values are drop-downs.",
            False,
        ),
        (
            "The decisions sheet lists every Annex A control, ready for its decision: fill in "
            "applicable (TRUE or FALSE), the justification, decided_on and decided_by.",
            False,
        ),
        (
            "Formulas are read by the value Excel saved with them. Save as .xlsx (not .xlsm or "
            ".xls). Hidden sheets are read too; this sheet and the Lists sheet are not.",
            False,
        ),
        (
            "Put the workbook in an inventory folder (beside YAML or CSV files) and run: "
            "graphgov validate FOLDER",
            False,
        ),
        ("", False),
        ("Sheets", True),
    ]
    lines += [(f"{s.plural}: {s.description}", False) for s in _kinds(schema)]
    for text, bold in lines:
        sheet.append([text])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.data_type = "s"
        cell.font = Font(bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 120
