"""The Python API for analysts (graphgov.open and what it returns): its doctests run,
each method gives what the command gives for the same inventory, and the analyst
example in docs/ runs end to end."""

from __future__ import annotations

import csv
import doctest
import importlib.util
import io
import json
import os
import runpy
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AS_OF, Writer

import graphgov
import graphgov.api
import graphgov.parameters
import graphgov.store.base
from graphgov.cli import cli
from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem, InvalidInputError
from graphgov.findings import Finding
from graphgov.lookup import UnknownRecordError
from graphgov.outputs import FINDINGS
from graphgov.outputs.html import page
from graphgov.outputs.posture import POSTURE_FORMATS
from graphgov.outputs.roadmap import roadmap_markdown
from graphgov.outputs.soa import soa_csv
from graphgov.outputs.trace import trace_json
from graphgov.store.base import CypherWriteError
from graphgov.summary import high_risk

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "analyst-example.py"
DAY = AS_OF.isoformat()


def cli_out(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


@pytest.fixture
def g(acme: Path) -> graphgov.Governance:
    return graphgov.open(acme, as_of=DAY)


# -- the surface --------------------------------------------------------------------------


@pytest.mark.parametrize("module", [graphgov.api, graphgov.parameters, graphgov.store.base])
def test_the_doctests_run_and_pass(module: object) -> None:
    failed, attempted = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert failed == 0
    assert attempted > 0


def test_the_package_exports_exactly_the_api() -> None:
    assert sorted(graphgov.__all__) == sorted([*graphgov.api.__all__, "__version__"])
    for name in graphgov.api.__all__:
        assert getattr(graphgov, name) is getattr(graphgov.api, name)
    assert graphgov.Finding is Finding and graphgov.InvalidInputError is InvalidInputError
    with pytest.raises(AttributeError):
        _ = graphgov.no_such_name  # type: ignore[attr-defined]


def test_importing_graphgov_loads_nothing_else_until_the_api_is_used() -> None:
    code = (
        "import sys, graphgov\n"
        "print(sorted(m for m in sys.modules if m.startswith('graphgov')))\n"
        "graphgov.open\n"
        "print('graphgov.api' in sys.modules, 'networkx' in sys.modules)\n"
        "from graphgov.store import MemoryStore\n"
        "MemoryStore().graph\n"
        "print('networkx' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.splitlines()
    # networkx, too, only once a graph is asked for (90 ms of every command otherwise)
    assert out == ["['graphgov']", "True False", "True"]


# -- open -----------------------------------------------------------------------------------


def test_open_takes_a_date_or_its_text_and_defaults_to_today(acme: Path) -> None:
    assert graphgov.open(acme, as_of=DAY).as_of == AS_OF
    assert graphgov.open(str(acme), as_of=AS_OF).as_of == AS_OF
    assert graphgov.open(acme, as_of=datetime(2026, 11, 23, 9, 30)).as_of == AS_OF
    assert graphgov.open(acme).as_of == date.today()
    with pytest.raises(ValueError, match="is not a real date: February 2026 has 28 days"):
        graphgov.open(acme, as_of="2026-02-30")


def test_open_lists_every_problem_of_a_bad_inventory_as_validate_does(
    write_inventory: Writer,
) -> None:
    folder = write_inventory(
        {
            "systems.yaml": """
                - kind: ai_system
                  id: a
                  in_scope: true
                  risk_tier: huge
                - kind: ai_system
                  id: b
                  in_scope: maybe
                  owned_by: nobody
            """
        }
    )
    with pytest.raises(InvalidInputError) as caught:
        graphgov.open(folder, as_of=DAY)
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    listed = [line for line in result.stderr.splitlines() if "systems.yaml" in line]
    assert [str(p) for p in caught.value.problems] == listed
    assert len(listed) >= 3


def test_open_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="no inventory folder or file"):
        graphgov.open(tmp_path / "nowhere")


# -- each method against its command --------------------------------------------------------


def test_check_gives_the_findings_check_lists(g: graphgov.Governance, acme: Path) -> None:
    listed = json.loads(cli_out("check", str(acme), "--format", "json", "--as-of", DAY))
    found = g.check()
    assert found and all(isinstance(f, Finding) for f in found)
    assert [
        (f.severity, f.query, f.label, f.id, f.name, f.message, f.source.line) for f in found
    ] == [
        (f["severity"], f["query"], f["label"], f["id"], f["name"], f["message"], f["line"])
        for f in listed["findings"]
    ]
    # the whole report too, rendered from the API's check run
    assert FINDINGS["json"](g.check_run()) == cli_out(
        "check", str(acme), "--format", "json", "--as-of", DAY
    )


def test_check_takes_packs_params_and_a_framework_as_check_does(
    g: graphgov.Governance, acme: Path
) -> None:
    args = ["check", str(acme), "--format", "json", "--as-of", DAY, "--pack", "iso42001"]
    args += ["--param", "assessed_since=2026-06-01", "--framework", "eu-ai-act"]
    listed = json.loads(cli_out(*args))["findings"]
    found = g.check(
        ["iso42001"], params={"assessed_since": date(2026, 6, 1)}, framework="eu-ai-act"
    )
    assert [(f.query, f.id, f.message) for f in found] == [
        (f["query"], f["id"], f["message"]) for f in listed
    ]
    assert {f.query.split("/")[0] for f in found} == {"iso42001"}
    with pytest.raises(InvalidInputError):
        g.check(["no-such-pack"])
    with pytest.raises(InvalidInputError):
        g.check(params={"no_such_parameter": 1})
    with pytest.raises(InvalidInputError):
        g.check(framework="no-such-framework")


def test_run_gives_the_rows_query_run_gives(g: graphgov.Governance, acme: Path) -> None:
    ref = "iso42001/supplier-blast-radius"
    out = cli_out("query", "run", ref, str(acme), "--param", "supplier=openai", "--format", "json")
    rows = g.run(ref, supplier="openai")
    assert rows.columns == ("label", "id", "name", "impact")
    assert list(rows) == json.loads(out)["rows"]
    assert len(rows) > 0 and rows[0] == next(iter(rows))
    with pytest.raises(UnknownRecordError, match="did you mean 'openai'"):
        g.run(ref, supplier="opena")
    with pytest.raises(InvalidInputError):
        g.run(ref)  # supplier is required
    with pytest.raises(InvalidInputError):
        g.run("iso42001/no-such-query")


def test_run_takes_python_values_as_their_text(g: graphgov.Governance) -> None:
    ref = "iso42001/expired-evidence"
    assert g.run(ref, as_of=date(2031, 1, 1)) == g.run(ref, as_of="2031-01-01")
    assert len(g.run(ref, as_of=date(2031, 1, 1))) > len(g.run(ref))  # judged on g.as_of


def test_query_runs_cypher_on_the_graph(g: graphgov.Governance) -> None:
    rows = g.query("MATCH (s:AISystem) RETURN s.id AS id, s.risk_tier AS tier ORDER BY id")
    expected = sorted(
        ((n.id, n.get("risk_tier")) for n in g.store.nodes("AISystem")), key=lambda r: r[0]
    )
    assert rows.columns == ("id", "tier")
    assert sorted(rows.rows) == expected
    assert not rows.truncated
    high = g.query(
        "MATCH (s:AISystem) WHERE s.in_scope AND s.risk_tier IN $high_risk_tiers RETURN s.id AS id"
    )
    assert sorted(r["id"] for r in high) == sorted(
        n.id for n in g.store.nodes("AISystem") if high_risk(n)
    )
    one = g.query("MATCH (s:AISystem {id: $id}) RETURN s.name AS name", {"id": "credit-scoring"})
    assert list(one) == [{"name": g.store.node("credit-scoring").name}]  # type: ignore[union-attr]
    cut = g.query("MATCH (s:AISystem) RETURN s.id AS id", limit=2)
    assert len(cut) == 2 and cut.truncated
    with pytest.raises(CypherWriteError):
        g.query("MATCH (s:AISystem) DETACH DELETE s")
    assert len(g.query("MATCH (s:AISystem) RETURN s.id AS id")) == len(expected)


def test_soa_rows_are_the_soa_csv_rows(g: graphgov.Governance, acme: Path) -> None:
    out = cli_out("soa", str(acme), "--format", "csv", "--as-of", DAY)
    table = list(csv.reader(io.StringIO(out)))
    by_id = {row[0]: row for row in table[1:]}
    rows = g.soa()
    assert [r.control.id for r in rows] == [row[0] for row in table[1:]]
    assert {r.control.id: r.decision for r in rows}.keys() == by_id.keys()
    assert all(by_id[r.control.id][1] == r.control.name for r in rows)
    assert soa_csv(rows) == out


def test_gaps_and_roadmap_are_what_gaps_writes(
    g: graphgov.Governance, acme: Path, tmp_path: Path
) -> None:
    target = tmp_path / "roadmap.md"
    cli_out("gaps", str(acme), "-o", str(target), "--as-of", DAY)
    gaps, phases = g.gaps(), g.roadmap()
    assert gaps and phases
    assert roadmap_markdown(gaps, phases, AS_OF, inventory=path_text(acme)) == target.read_text(
        encoding="utf-8"
    )


def _subtitle(g: graphgov.Governance, acme: Path) -> str:
    org = next(g.store.nodes("Organization"))
    return f"{org.name} · inventory {acme} · as of {DAY}"


def test_coverage_is_what_coverage_draws(
    g: graphgov.Governance, acme: Path, tmp_path: Path
) -> None:
    target = tmp_path / "coverage.html"
    cli_out("coverage", str(acme), "-o", str(target), "--as-of", DAY)
    matrix = g.coverage()
    assert len(matrix.controls) == 38
    html = page("Annex A coverage", _subtitle(g, acme), ["coverage"], coverage=matrix)
    assert html == target.read_text(encoding="utf-8")


def test_trace_is_what_trace_prints(g: graphgov.Governance, acme: Path) -> None:
    out = cli_out("trace", str(acme), "credit-scoring", "--format", "json", "--as-of", DAY)
    t = g.trace("credit-scoring")
    assert t.node.id == "credit-scoring" and t.upstream
    assert trace_json(t, inventory=path_text(acme)) == out
    with pytest.raises(UnknownRecordError, match="did you mean 'credit-scoring'"):
        g.trace("credit-scorin")


def test_posture_is_what_posture_writes(g: graphgov.Governance, acme: Path) -> None:
    out_dated = cli_out(
        "posture", str(acme), "--framework", "eu-ai-act", "--format", "json", "--as-of", DAY
    )
    act = g.posture("eu-ai-act")
    assert act.framework.id == "eu-ai-act" and act.rows
    assert POSTURE_FORMATS["json"](act) == out_dated
    assert graphgov.open(acme).posture("eu-ai-act").as_of == date.today()
    with pytest.raises(InvalidInputError, match="1 problem"):
        g.posture("eu-ai-akt")


def test_networkx_is_the_graph_read_only(g: graphgov.Governance) -> None:
    import networkx as nx

    graph = g.networkx
    counts = g.store.counts()
    assert graph.number_of_nodes() == counts.nodes
    assert graph.number_of_edges() == counts.edges
    assert graph.nodes["credit-scoring"]["node"] == g.store.node("credit-scoring")
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        graph.add_edge("credit-scoring", "openai", key="SUPPLIED_BY")
    assert g.store.counts() == counts


def test_a_governance_wraps_any_store_and_closes_it(acme: Path) -> None:
    from graphgov import pipeline
    from graphgov.store import MemoryStore

    store = MemoryStore()
    pipeline.load(acme, store)
    with graphgov.Governance(store, as_of=AS_OF, inventory=acme) as wrapped:
        assert [f.message for f in wrapped.check()] == [
            f.message for f in graphgov.open(acme, as_of=AS_OF).check()
        ]
        assert "as of 2026-11-23" in repr(wrapped)


# -- rows -----------------------------------------------------------------------------------


def test_rows_to_pandas_or_a_clear_error_without_pandas(g: graphgov.Governance) -> None:
    rows = g.run("iso42001/supplier-blast-radius", supplier="openai")
    if importlib.util.find_spec("pandas") is None:
        with pytest.raises(EnvironmentProblem, match=r"pip install pandas"):
            rows.to_pandas()
    else:
        frame = rows.to_pandas()
        assert list(frame.columns) == list(rows.columns)
        assert frame.to_dict("records") == list(rows)


def test_empty_rows_keep_their_columns(g: graphgov.Governance) -> None:
    rows = g.query("MATCH (s:AISystem {id: 'nothing'}) RETURN s.id AS id")
    assert rows.columns == ("id",) and len(rows) == 0 and list(rows) == []


# -- the analyst example --------------------------------------------------------------------


def test_the_analyst_example_answers_its_three_questions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import networkx as nx

    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert (tmp_path / "acme" / "organization.yaml").exists()
    q1, q2, q3 = (out.index(f"Q{n}:") for n in (1, 2, 3))
    assert q1 < q2 < q3
    first, second, third = out[q1:q2], out[q2:q3], out[q3:]

    g = graphgov.open(tmp_path / "acme", as_of=DAY)
    graph = g.networkx
    # Q1, worked out again with networkx: data sets reached from more than one
    # high-risk system through use, training and derivation
    feeds = {"USES_DATASET", "USES_MODEL", "TRAINED_ON", "DERIVED_FROM"}
    sub = nx.DiGraph([(a, b) for a, b, k in graph.edges(keys=True) if k in feeds])
    shared = [
        d
        for d in sorted(sub)
        if graph.nodes[d]["node"].label == "Dataset"
        and sum(1 for s in nx.ancestors(sub, d) if high_risk(graph.nodes[s]["node"])) > 1
    ]
    assert shared
    for dataset in shared:
        assert f"  {dataset} (" in first
    # Q2: every supplier is named, those hitting high-risk systems first
    suppliers = [n for n, data in graph.nodes(data=True) if data["node"].label == "Supplier"]
    assert all(s in second for s in suppliers)
    assert "high-risk (" in second
    # Q3: every partly met obligation of credit-scoring is listed
    partly = [
        r.requirement.ref
        for r in g.posture("eu-ai-act").rows
        if r.system.id == "credit-scoring" and r.status == "partly"
    ]
    assert partly and f"({len(partly)})" in third.splitlines()[0]
    assert all(ref in third for ref in partly)
