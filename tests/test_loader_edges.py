"""Input that is wrong at the edges: files too large in some dimension, CSV rows that do
not fit their header, folders that cannot be read, odd file names, YAML tags anywhere,
dates that are not YYYY-MM-DD, text that tries to forge a message, and whitespace."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import Writer, run_cli, unprivileged
from graphgov.loaders import text, yamlfile

from graphgov import pipeline
from graphgov.dates import parse_date
from graphgov.errors import MAX_PROBLEMS, InvalidInputError, Problem

STAKEHOLDER = "kind: stakeholder\nid: cro\nname: Chief risk officer\nstakeholder_type: role\n"
SYSTEM = (
    "- kind: stakeholder\n  id: cro\n  name: CRO\n  stakeholder_type: role\n"
    "- kind: ai_system\n  id: credit\n  name: Credit\n  risk_tier: high\n  in_scope: true\n"
    "  owned_by: cro\n"
)


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(root)
    return list(caught.value.problems)


def _reasons(root: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [(Path(p.file).name, p.line, p.field, p.reason) for p in _problems(root)]


# 1. Bounded work, memory and problems


def test_a_list_of_three_million_items_is_refused_at_the_record_limit(
    write_inventory: Writer,
) -> None:
    root = write_inventory({"a.yaml": "- a\n" * 3_000_000})
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(root)
    error = caught.value
    assert len(error.problems) == MAX_PROBLEMS
    limit = text.MAX_RECORDS
    assert error.omitted == limit + 1 - MAX_PROBLEMS  # the not-a-record items, and the limit
    assert f"{MAX_PROBLEMS:,} problems shown and {error.omitted:,} more" == str(error)


def test_the_record_limit_names_the_line_reached(
    write_inventory: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "MAX_RECORDS", 2)
    records = "".join(
        f"- {{kind: stakeholder, id: s{n}, name: S, stakeholder_type: role}}\n" for n in range(3)
    )
    root = write_inventory({"a.yaml": records})
    assert _reasons(root) == [
        (
            "a.yaml",
            3,
            None,
            "file holds more than 2 records; split it into several files "
            "(large tables are best kept in CSV)",
        )
    ]


def test_the_value_limit_is_checked_while_reading(
    write_inventory: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "MAX_VALUES", 10)
    root = write_inventory({"a.yaml": "kind: risk\n" + "".join(f"k{i}: v\n" for i in range(20))})
    assert _reasons(root) == [
        ("a.yaml", 5, None, "file has more than 10 values; split it into several files")
    ]


def test_a_huge_value_stops_reading_early(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": STAKEHOLDER + "description: " + "x" * 2_000_000 + "\n"})
    assert _reasons(root) == [
        (
            "a.yaml",
            5,
            "description",
            "value is 2,000,000 characters long; text holds at most 10,000",
        )
    ]


def test_problems_kept_are_capped_and_the_rest_counted() -> None:
    problems = [Problem("a.yaml", n, None, "bad") for n in range(1, 2501)]
    error = InvalidInputError(problems)
    assert len(error.problems) == MAX_PROBLEMS and error.problems[0].line == 1
    assert error.omitted == 1500
    assert str(error) == "1,000 problems shown and 1,500 more"
    assert str(InvalidInputError(problems[:2])) == "2 problems found"


def test_a_reader_stops_keeping_problems_beyond_the_cap(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": "- a\n" * (MAX_PROBLEMS + 250)})
    with pytest.raises(InvalidInputError) as caught:
        pipeline.read(root)
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.omitted == 250


# 2. CSV rows that do not fit the header


def test_a_short_csv_row_names_the_columns_without_a_value(write_inventory: Writer) -> None:
    root = write_inventory(
        {"a.yaml": SYSTEM, "controls.csv": "id,name,control_type,status,implements\nc1,X,policy\n"}
    )
    assert _reasons(root) == [
        (
            "controls.csv",
            2,
            None,
            "row has 3 cells but the header has 5: no value for status, implements",
        )
    ]


def test_a_long_csv_row_is_an_error(write_inventory: Writer) -> None:
    root = write_inventory({"risks.csv": "id,name,level\nr1,Risk,low,extra\n"})
    ((_, line, _, reason),) = _reasons(root)
    assert line == 2 and reason.startswith("row has 4 cells but the header has 3")


def test_an_unclosed_quote_is_reported_where_it_opened(write_inventory: Writer) -> None:
    root = write_inventory(
        {"risks.csv": 'id,name,level\nr1,Risk,low\nr2,"Other,low\nr3,Third,low\nr4,F,low\n'}
    )
    ((_, line, _, reason),) = _reasons(root)
    assert line == 3 and "a quote opened on this line is never closed" in reason


def test_an_unclosed_quote_that_meets_a_later_quote_is_reported(write_inventory: Writer) -> None:
    root = write_inventory(
        {"risks.csv": 'id,name,level\nr1,"Risk,low\nr2,Other,low\nr3,"Third",low\n'}
    )
    ((_, line, _, reason),) = _reasons(root)
    assert line == 2 and "a quote opened on line 2 is never closed" in reason


def test_a_quoted_cell_may_hold_line_breaks_and_commas(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "risks.csv": "id,name,description,level\n"
            'r1,Risk,"one, line\nand ""two""",low\nr2,B,,low\n'
        }
    )
    batch = pipeline.read(root)
    nodes = {n.id: n for n in batch.nodes}
    assert nodes["r1"].properties["description"] == 'one, line\nand "two"'
    assert nodes["r2"].source.line == 4


def test_a_semicolon_separated_csv_says_so(write_inventory: Writer) -> None:
    root = write_inventory({"risks.csv": "id;name;level\nr1;Risk;low\n"})
    ((_, line, field, reason),) = _reasons(root)
    assert (line, field) == (1, None)
    assert "this file seems to use ';' between columns; graphgov reads ','" in reason


def test_a_kind_column_in_a_file_named_for_a_kind_is_that_kind(write_inventory: Writer) -> None:
    header = "kind,id,name,stakeholder_type\n"
    root = write_inventory({"stakeholders.csv": header + ",cro,CRO,role\nstakeholder,u,U,role\n"})
    assert {n.id: n.label for n in pipeline.read(root).nodes} == {
        "cro": "Stakeholder",
        "u": "Stakeholder",
    }
    root = write_inventory({"stakeholders.csv": header + ",cro,CRO,role\nsupplier,v,V,role\n"})
    assert _reasons(root) == [
        (
            "stakeholders.csv",
            3,
            "kind",
            "the file holds stakeholders, so this row cannot be a supplier: move the row to "
            "the file of its kind, or clear the kind cell",
        )
    ]


def test_a_csv_header_without_an_id_column_is_one_problem(write_inventory: Writer) -> None:
    root = write_inventory({"risks.csv": "name,level\nA,low\nB,high\nC,low\n"})
    assert _reasons(root) == [
        (
            "risks.csv",
            1,
            None,
            "the header has no id column; add one, with each record's id: every record "
            "needs an id, unique in the inventory",
        )
    ]


def test_a_csv_file_name_in_upper_case_names_its_kind(write_inventory: Writer) -> None:
    root = write_inventory({"RISKS.CSV": "id,name\nr1,Drift\n", "AI-Systems.csv": "id,name\n"})
    assert {n.id: n.label for n in pipeline.read(root).nodes} == {"r1": "Risk"}


def test_an_unknown_csv_column_suggests_the_likely_one(write_inventory: Writer) -> None:
    root = write_inventory({"ai_systems.csv": "id,name,risk_teir\ns,S,high\n"})
    ((name, line, reason),) = [(n, line, r) for n, line, f, r in _reasons(root) if f == "risk_teir"]
    assert (name, line) == ("ai_systems.csv", 1)
    assert reason.startswith("unknown column for ai_systems (did you mean 'risk_tier'?); ")


# 3. Folders and files that cannot be read, links, odd names


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o755)
        path.write_text(content, encoding="utf-8")
        path.chmod(0o644)


def _validate_unprivileged(folder: Path) -> tuple[int, str]:
    # warm every lazy import and cache as root first: under 'nobody' the interpreter's
    # own files (under /root) may be out of reach
    run_cli("validate", str(folder))
    with unprivileged():
        code, _, err = run_cli("validate", str(folder))
    return code, err


def test_an_unreadable_sub_folder_is_an_environment_error(open_folder: Path) -> None:
    _write(open_folder, {"a.yaml": SYSTEM, "more/risks.csv": "id,name,level\nr1,Risk,low\n"})
    (open_folder / "more").chmod(0)
    code, err = _validate_unprivileged(open_folder)
    assert code == 2, err
    assert err.strip() == (
        f"graphgov: cannot read folder {open_folder / 'more'}: Permission denied"
    )


def test_an_unlistable_folder_is_named_instead_of_dangling_references(
    open_folder: Path,
) -> None:
    _write(open_folder, {"systems/a.yaml": SYSTEM, "risks.csv": "id,name,level\nr1,R,low\n"})
    (open_folder / "systems").chmod(0o311)  # may be entered, not listed
    code, err = _validate_unprivileged(open_folder)
    assert code == 2, err
    assert f"cannot read folder {open_folder / 'systems'}" in err
    assert "no record has id" not in err


def test_an_unreadable_file_is_an_environment_error_naming_it(open_folder: Path) -> None:
    _write(open_folder, {"a.yaml": SYSTEM, "b.yaml": STAKEHOLDER.replace("cro", "b")})
    (open_folder / "b.yaml").chmod(0)
    code, err = _validate_unprivileged(open_folder)
    assert code == 2, err
    assert f"graphgov: cannot read {open_folder / 'b.yaml'}: Permission denied" in err


def test_broken_links_and_link_loops_are_problems_naming_the_link(
    write_inventory: Writer,
) -> None:
    root = write_inventory({"a.yaml": SYSTEM})
    (root / "gone.yaml").symlink_to("nowhere.yaml")
    (root / "self.yaml").symlink_to("self.yaml")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to("..")
    (root / "notes.txt").symlink_to("nowhere.txt")  # not an inventory file: ignored
    code, _, err = run_cli("validate", str(root))
    assert code == 1, err
    assert f"{root / 'gone.yaml'}: symbolic link to nowhere.yaml leads to nothing" in err
    assert f"{root / 'self.yaml'}: symbolic link to self.yaml is a loop" in err
    assert f"{root / 'sub' / 'up'}: symbolic link to .. leads back to a folder" in err
    assert "notes.txt" not in err


def test_a_file_name_that_is_not_utf8_reaches_the_graph_as_printable_text(
    write_inventory: Writer,
) -> None:
    root = write_inventory({"a.yaml": SYSTEM})
    odd = root / os.fsdecode(b"caf\xe9.yaml")
    odd.write_text(STAKEHOLDER.replace("cro", "other"), encoding="utf-8")
    batch = pipeline.read(root)
    (node,) = [n for n in batch.nodes if n.id == "other"]
    assert node.source.file == "caf\\xe9.yaml"
    node.source.file.encode("utf-8")
    odd.write_text("kind: nothing\n", encoding="utf-8")
    problems = _problems(root)
    assert {p.file for p in problems} == {str(root / "caf\\xe9.yaml")}
    for problem in problems:
        str(problem).encode("utf-8")


# 4. YAML tags anywhere, and lines for structural problems


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("--- !!python/object:os.system\n" + STAKEHOLDER, 1),
        ("!!python/name:os.system kind: stakeholder\nid: a\n", 1),
        ("- !!python/object:x\n  kind: stakeholder\n", 1),
        ("- kind: ai_system\n  id: s\n  owned_by:\n    - !!python/name:os.system cro\n", 4),
        ("kind: stakeholder\nid: a\nextra: !!python/object:x {a: 1}\n", 3),
        ("kind: stakeholder\nid: a\n? !!python/tuple [a, b]\n: x\n", 3),
    ],
    ids=["document", "key", "record in a list", "list item", "mapping value", "complex key"],
)
def test_yaml_tags_are_refused_everywhere(write_inventory: Writer, content: str, line: int) -> None:
    root = write_inventory({"a.yaml": content})
    assert run_cli("validate", str(root))[0] == 1
    tagged = [p for p in _problems(root) if "tags such as" in p.reason]
    assert tagged and tagged[0].line == line, tagged


def test_deep_nesting_names_the_line_where_it_went_too_deep(write_inventory: Writer) -> None:
    deep = "x:\n" + "".join("  " * n + "- \n" for n in range(1, 60)) + "\n"
    root = write_inventory({"a.yaml": "kind: risk\nid: r\n" + deep})
    ((_, line, _, reason),) = _reasons(root)
    assert reason == "YAML is nested more than 50 levels deep; a record needs three"
    assert line == 3 + yamlfile.MAX_DEPTH  # "x:" is line 3, each level a line further


# 5. Dates


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("0", "must be a date written YYYY-MM-DD (got '0')"),
        ("86400", "must be a date written YYYY-MM-DD (got '86400')"),
        ("2026-01-05T00:00:00", "must be a date written YYYY-MM-DD (got '2026-01-05T00:00:00')"),
        (
            "2026-01-05 00:00:00+05:00",
            "must be a date written YYYY-MM-DD (got '2026-01-05 00:00:00+05:00')",
        ),
        ("2026-1-5", "must be a date written YYYY-MM-DD (got '2026-1-5')"),
        (
            "2026-13-45",
            "'2026-13-45' is in YYYY-MM-DD form but is not a real date: there is no month 13",
        ),
        (
            "2026-02-30",
            "'2026-02-30' is in YYYY-MM-DD form but is not a real date: February 2026 has 28 days",
        ),
    ],
)
def test_only_real_dates_written_yyyy_mm_dd_are_dates(
    write_inventory: Writer, written: str, reason: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(written)
    assert str(caught.value) == reason
    for inventory in (
        {"evidence.csv": f"id,name,evidence_type,issued_on\ne1,E,log,{written}\n"},
        {"a.yaml": f"kind: evidence\nid: e1\nname: E\nevidence_type: log\nissued_on: {written}\n"},
    ):
        root = write_inventory(inventory)
        ((_, _, field, found),) = _reasons(root)
        assert (field, found) == ("issued_on", reason)


def test_a_real_date_is_read(write_inventory: Writer) -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    root = write_inventory(
        {"evidence.csv": "id,name,evidence_type,issued_on\ne1,E,log,2024-02-29\n"}
    )
    (node,) = pipeline.read(root).nodes
    assert node.properties["issued_on"] == date(2024, 2, 29)


# 6. Messages cannot be forged by input


def test_a_field_name_cannot_forge_a_problem_line(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": STAKEHOLDER + '"x\\nb.yaml:1: id": 1\n"\\u202eab": 2\n'})
    code, _, err = run_cli("validate", str(root))
    assert code == 1
    lines = err.splitlines()
    assert all(line.startswith(str(root / "a.yaml")) for line in lines[:-1]), lines
    assert any("'x\\nb.yaml:1: id': unknown field" in line for line in lines)
    assert any("'\\u202eab': unknown field" in line for line in lines)
    assert "\u202e" not in err


def test_a_reason_carrying_input_is_shown_on_one_printable_line() -> None:
    problem = Problem("a.yaml", 3, "kind", "unknown kind 'r\u202eisk\x1b[31m\nforged'")
    assert str(problem) == "a.yaml:3: kind: unknown kind 'r\\u202eisk\\x1b[31m\\nforged'"
    assert str(Problem("a.yaml", 1, "name", "x")) == "a.yaml:1: name: x"


# 7. Whitespace


def test_an_id_with_surrounding_spaces_is_reported_not_trimmed(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": STAKEHOLDER.replace("id: cro", "id: ' cro'")})
    assert _reasons(root) == [("a.yaml", 2, "id", "must not start or end with spaces (got ' cro')")]


def test_a_reference_with_surrounding_spaces_is_reported(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": SYSTEM.replace("owned_by: cro", "owned_by: 'cro '")})
    assert _reasons(root) == [
        ("a.yaml", 10, "owned_by", "id 'cro ' must not start or end with spaces")
    ]


def test_csv_spacing_around_commas_and_separators_is_formatting(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "a.yaml": SYSTEM,
            "controls.csv": " id , name, control_type, status, implements\n"
            "c1, Human  oversight , human_oversight, implemented, A.6.2.6 ;  A.9.2\n",
        }
    )
    batch = pipeline.read(root)
    (control,) = [n for n in batch.nodes if n.id == "c1"]
    assert control.properties["name"] == "Human  oversight"
    assert {r.end for r in batch.relationships if r.start == "c1"} == {"A.6.2.6", "A.9.2"}


def test_a_csv_id_with_trailing_spaces_is_reported(write_inventory: Writer) -> None:
    root = write_inventory({"risks.csv": "id,name,level\nr1 ,Risk,low\n"})
    assert _reasons(root) == [
        ("risks.csv", 2, "id", "must not start or end with spaces (got 'r1 ')")
    ]


def test_free_text_is_trimmed(write_inventory: Writer) -> None:
    root = write_inventory(
        {"a.yaml": STAKEHOLDER.replace("Chief risk officer", "'  Chief risk officer  '")}
    )
    (node,) = pipeline.read(root).nodes
    assert node.properties["name"] == "Chief risk officer"


# CSV is streamed: no size limit, only a limit on rows


def test_a_csv_larger_than_the_whole_file_limit_is_read_as_a_stream(
    write_inventory: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.catalogue()  # read before the limit shrinks: the catalogue is YAML
    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1000)
    rows = "".join(f"s{n},System {n},limited,true\r\n" for n in range(200))
    root = write_inventory({"ai_systems.csv": "id,name,risk_tier,in_scope\r\n" + rows})
    batch = pipeline.read(root)
    assert len(batch.nodes) == 200 and batch.nodes[-1].source.line == 201
    big_yaml = write_inventory({"a.yaml": SYSTEM + "# " + "x" * 2000 + "\n"})
    assert "the limit is 1,000" in _problems(big_yaml)[0].reason  # a YAML file is held whole


def test_a_csv_over_the_row_limit_is_refused_naming_the_line(
    write_inventory: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphgov.loaders import csvfile

    monkeypatch.setattr(csvfile, "MAX_ROWS", 3)
    rows = "".join(f"s{n},System {n},limited\n" for n in range(5))
    root = write_inventory({"ai_systems.csv": "id,name,risk_tier\n" + rows})
    assert _reasons(root) == [
        ("ai_systems.csv", 5, None, "file has more than 3 rows; split it into several files")
    ]


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"  \n\n", 1, "file is empty"),
        (b"\n\nid,name\n", 1, "the header row is blank: line 1 must name the columns"),
        (b"id,name\ns1,ok\ns2,caf\xe9\n", 3, "file is not UTF-8 text (byte 0xe9 at offset 20)"),
        (b'id,name\ns1,"never closed\n\n', 2, "a quote opened on this line is never closed"),
    ],
)
def test_a_streamed_csv_reports_where_it_goes_wrong(
    write_inventory: Writer, content: bytes, line: int, reason: str
) -> None:
    root = write_inventory({"a.yaml": SYSTEM})
    (root / "ai_systems.csv").write_bytes(content)
    (problem,) = _problems(root)
    assert (Path(problem.file).name, problem.line) == ("ai_systems.csv", line)
    assert problem.reason.startswith(reason)


def test_lone_carriage_returns_end_lines_in_a_streamed_csv(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": SYSTEM})
    rows = b"id,name,risk_tier,in_scope\rs1,A,limited,true\rs2,B,oops,true\r"
    (root / "ai_systems.csv").write_bytes(rows)
    (problem,) = _problems(root)
    assert (problem.line, problem.field) == (3, "risk_tier")


def test_printable_text_takes_the_fast_path_only_when_nothing_needs_escaping() -> None:
    """display.printable returns text that str.isprintable() accepts as it is: that is
    right only while every character it escapes is one isprintable() refuses."""
    import sys

    from graphgov import display

    escaped = [
        c
        for c in range(sys.maxunicode + 1)
        if display._UNSAFE.match(chr(c)) or 0xDC80 <= c <= 0xDCFF
    ]
    assert escaped and not [c for c in escaped if chr(c).isprintable()]
    assert display.printable("plain A.10.2 café") == "plain A.10.2 café"
    assert display.printable("bell\x07") != "bell\x07"
