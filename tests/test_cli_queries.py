"""The check and query commands: exit codes (0 nothing at --fail-on, 1 findings, 2 usage
errors), the formats they write, and users' own packs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import AS_OF, Writer

from graphgov.cli import cli

DATE = ["--as-of", AS_OF.isoformat()]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def test_check_exits_1_on_findings_and_0_below_the_threshold(acme: Path) -> None:
    code, out, _ = run("check", str(acme), *DATE)
    assert code == 1 and "HIGH (37)" in out and "53 findings" in out
    assert run("check", str(acme), *DATE, "--fail-on", "critical")[0] == 0
    assert run("check", str(acme), *DATE, "--fail-on", "never")[0] == 0
    assert run("check", str(acme), *DATE, "--fail-on", "high")[0] == 1


def test_check_writes_sarif_to_a_file(acme: Path, tmp_path: Path) -> None:
    target = tmp_path / "graphgov.sarif"
    code, out, err = run(
        "check", str(acme), *DATE, "--fail-on", "high", "--format", "sarif", "-o", str(target)
    )
    assert code == 1 and out == ""
    assert "53 findings from 34 checks written to" in err
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_check_takes_parameters_for_the_queries_that_declare_them(acme: Path) -> None:
    _, out, _ = run(
        "check", str(acme), *DATE, "--format", "json", "--param", "assessed_since=2020-01-01"
    )
    suppliers = {
        f["id"] for f in json.loads(out)["findings"] if f["query"].endswith("supplier-not-assessed")
    }
    assert suppliers == {"docuread", "verifyme"}  # OpenAI was assessed after 2020


def test_check_usage_errors_exit_2(acme: Path, write_inventory: Writer) -> None:
    assert run("check", str(acme), "--param", "nonsense=1")[0] == 2
    assert run("check", str(acme), "--param", "assessed_since=last-year")[0] == 2
    assert run("check", str(acme), "--param", "no-equals-sign")[0] == 2
    assert run("check", str(acme), "--pack", "nope")[0] == 2
    bad = write_inventory({"a.yaml": "kind: nope\nid: x\n"})
    code, _, err = run("check", str(bad))
    assert code == 2 and "unknown kind 'nope'" in err
    assert run("check", str(bad.parent / "missing"))[0] == 2


def test_query_list_show_and_run(acme: Path) -> None:
    code, out, _ = run("query", "list")
    assert code == 0 and "iso42001/high-risk-without-human-oversight  [check, high]" in out
    code, out, _ = run("query", "show", "iso42001/high-risk-without-human-oversight")
    assert code == 0 and "MATCH (s:AISystem)" in out and "A.9.2" in out
    code, out, _ = run(
        "query",
        "run",
        "iso42001/supplier-blast-radius",
        str(acme),
        "--param",
        "supplier=openai",
        "--format",
        "json",
    )
    assert code == 0
    assert {r["id"] for r in json.loads(out)["rows"]} >= {"customer-chatbot", "hosted-llm"}


def test_query_usage_errors_exit_2(acme: Path) -> None:
    assert run("query", "show", "iso42001/nope")[0] == 2
    code, _, err = run("query", "run", "iso42001/supplier-blast-radius", str(acme))
    assert code == 2 and "supplier is required" in err
    assert (
        run(
            "query", "run", "iso42001/impact-assessment-overdue", str(acme), "--param", "as_of=soon"
        )[0]
        == 2
    )


PACK_QUERY = """\
id: systems-without-purpose
title: AI system without a stated purpose
question: Which AI systems have no stated purpose?
kind: check
severity: low
controls: [A.9.4]
columns: [id, label, name, source_file, source_line]
message: "{name} has no stated purpose"
remediation: Write down what the system is for.
"""
PACK_CYPHER = """\
MATCH (s:AISystem)
WHERE s.purpose IS NULL
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
"""
PACK_TWINS = """\
from graphgov.twin_kit import subject

def systems_without_purpose(store, p):
    return [subject(s) for s in store.nodes("AISystem") if s.get("purpose") is None]

TWINS = {"systems-without-purpose": systems_without_purpose}
"""


def test_a_users_own_pack_runs_beside_the_builtin_one(acme: Path, tmp_path: Path) -> None:
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "systems-without-purpose.yaml").write_text(PACK_QUERY)
    (pack / "systems-without-purpose.cypher").write_text(PACK_CYPHER)
    (pack / "twins.py").write_text(PACK_TWINS)
    code, out, _ = run(
        "check", str(acme), *DATE, "--pack-dir", str(pack), "--pack", "house", "--format", "json"
    )
    assert code == 1
    assert {f["id"] for f in json.loads(out)["findings"]} == {
        "marketing-propensity",
        "code-assistant",
    }
    assert "house/systems-without-purpose" in run("query", "list", "--pack-dir", str(pack))[1]


def test_a_pack_query_must_declare_the_parameters_its_cypher_uses(tmp_path: Path) -> None:
    pack = tmp_path / "loose"
    pack.mkdir()
    (pack / "q1.yaml").write_text(PACK_QUERY.replace("systems-without-purpose", "q1"))
    (pack / "q1.cypher").write_text(PACK_CYPHER.replace("IS NULL", "= $purpose"))
    code, _, err = run("query", "list", "--pack-dir", str(pack))
    assert code == 2 and f"{pack / 'q1.cypher'}: purpose: parameter used but not declared" in err


def test_a_malformed_pack_gets_file_line_and_field(tmp_path: Path) -> None:
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "q1.yaml").write_text(
        PACK_QUERY.replace("systems-without-purpose", "q1").replace(
            "severity: low", "severity: urgent"
        )
    )
    (pack / "q1.cypher").write_text(PACK_CYPHER + "SET s.name = $name\n")
    (pack / "q2.yaml").write_text("id: q2\ntitle: [unclosed\n")
    code, _, err = run("query", "list", "--pack-dir", str(pack))
    assert code == 2
    assert f"{pack / 'q1.yaml'}:5: severity:" in err
    assert f"{pack / 'q1.cypher'}: queries are read-only; SET is not allowed" in err
    assert f"{pack / 'q2.yaml'}:" in err and "YAML syntax error" in err
