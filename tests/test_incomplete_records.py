"""Incomplete is not invalid: a register written down as far as it is known loads, and
the check incomplete-record says, line by line, what is left to fill in; what is
malformed (a wrong type, a value outside a closed list, a reference to nothing) is
still refused. And the facts a real register needed that the ontology could not say:
a policy's review interval, a dataset's quality status, an audit finding's status, a
pilot stage, a kill switch's test result."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import AS_OF, Writer
from cypher_engine import CypherEngine
from graphgov.queries.iso42001.twins import expected_properties, incomplete_record_cypher
from rdflib import RDF, RDFS, BNode, Graph, Literal
from rdflib.namespace import OWL

from graphgov import pipeline
from graphgov.dates import months_before
from graphgov.errors import InvalidInputError
from graphgov.findings import findings
from graphgov.packs import builtin_packs, checks, months_before_as_of
from graphgov.runner import run, run_all
from graphgov.schema import GG, load_schema, schema_from_graph
from graphgov.store import MemoryStore

ROOT = Path(__file__).resolve().parents[1]
QUERY = ROOT / "queries" / "iso42001" / "incomplete-record.cypher"

HALF_FINISHED = {
    "systems.yaml": """
        - kind: ai_system
          id: chat
          risk_tier: limited
          in_scope: true
          lifecycle_stage: pilot
        - kind: control
          id: ctl-off
          name: Switch the chatbot off
          status: implemented
          applies_to: chat
          last_tested: 2026-10-01
        """,
    "assessments.yaml": """
        - {kind: impact_assessment, id: ia-chat, assessed_on: 2026-01-20, assesses: chat}
        """,
    "risks.csv": "id,name,level\nr-1,Wrong answers,\n",
}


def _findings(folder: Path) -> list[tuple[str, str, str, int | None, str]]:
    store = MemoryStore()
    pipeline.load(folder, store)
    found = findings(run_all(checks(builtin_packs()), store, {}, AS_OF))
    return [(f.query.split("/")[1], f.id, f.source.file, f.source.line, f.message) for f in found]


def test_a_register_with_blanks_loads_and_says_what_to_complete(write_inventory: Writer) -> None:
    found = _findings(write_inventory(HALF_FINISHED))
    incomplete = sorted(f[1:] for f in found if f[0] == "incomplete-record")
    assert incomplete == [
        ("chat", "systems.yaml", 1, "chat has no name"),
        ("ctl-off", "systems.yaml", 6, "Switch the chatbot off has no control_type"),
        ("ia-chat", "assessments.yaml", 1, "ia-chat has no name"),
        ("r-1", "risks.csv", 2, "Wrong answers has no level"),
    ]
    # the other checks judge the records with what they have: a control of no known
    # type is not a kill switch, so the system has none
    assert ("system-without-kill-switch", "chat") in {f[:2] for f in found}


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("control_type: kill_swich", "control_type", "is not allowed"),
        ("last_test_result: maybe", "last_test_result", "is not allowed"),
        ("last_tested: yesterday", "last_tested", "YYYY-MM-DD"),
        ("applies_to: nothing-here", "applies_to", "no record has id"),
    ],
)
def test_what_is_malformed_is_still_refused(
    write_inventory: Writer, text: str, field: str, reason: str
) -> None:
    folder = write_inventory(
        {"c.yaml": f"- kind: control\n  id: c1\n  status: implemented\n  {text}\n"}
    )
    with pytest.raises(InvalidInputError) as caught:
        pipeline.load(folder, MemoryStore())
    assert [(p.field, reason in p.reason) for p in caught.value.problems] == [(field, True)]


def test_only_what_makes_a_record_unusable_is_required() -> None:
    """An id, and a system's risk tier and scope: every check selects systems by them,
    so a system without them would be passed over by the whole pack."""
    schema = load_schema()
    required = {
        (spec.name, p.name)
        for spec in schema.labels.values()
        if not spec.catalogue
        for p in spec.writable
        if p.required and p.name != "id"
    }
    assert {r for r in required if r[0] != "ApplicabilityDecision"} == {
        ("AISystem", "risk_tier"),
        ("AISystem", "in_scope"),
    }
    for spec in schema.labels.values():
        assert spec.properties["id"].required
        assert not any(p.required and p.expected for p in spec.properties.values())
    expected = expected_properties(schema)
    assert expected["Control"] == ("name", "control_type", "status")
    assert "assessed_on" in expected["ImpactAssessment"]
    # a supplier never assessed is supplier-not-assessed's finding, not an incomplete one
    assert "assessed_on" not in expected["Supplier"]


def test_the_incomplete_record_cypher_is_written_from_the_ontology() -> None:
    assert QUERY.read_text(encoding="utf-8") == incomplete_record_cypher(load_schema()), (
        "incomplete-record.cypher is stale: run `python scripts/update_queries.py`"
    )


def test_a_label_may_waive_what_every_node_is_expected_to_have() -> None:
    graph = Graph()
    graph.parse(ROOT / "ontology" / "graphgov.ttl")
    waiver = BNode()
    graph.add((waiver, RDF.type, OWL.Restriction))
    graph.add((waiver, OWL.onProperty, GG.name))
    graph.add((waiver, GG.expected, Literal(False)))
    graph.add((GG.Model, RDFS.subClassOf, waiver))
    schema = schema_from_graph(graph)
    assert not schema.property("Model", "name").expected
    assert schema.property("Supplier", "name").expected


def test_every_check_runs_on_records_that_leave_out_every_expected_value() -> None:
    """One record of each kind with only what is required: no twin trips on a missing
    value, and twins and Cypher agree on every row."""
    schema = load_schema()
    lines = []
    for spec in schema.labels.values():
        if spec.catalogue or spec.name == "ApplicabilityDecision":
            continue
        extra = ", risk_tier: high, in_scope: true" if spec.name == "AISystem" else ""
        lines.append(f"- {{kind: {spec.kind}, id: bare-{spec.kind}{extra}}}")
    lines.append("- {kind: control, id: bare-switch, applies_to: bare-ai_system}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bare.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        batch = pipeline.catalogue() + pipeline.read(root)
    memory, engine = MemoryStore(), CypherEngine()
    memory.add(batch)
    engine.load(batch)
    ids = set()
    for query in checks(builtin_packs()):
        params = query.parameters({}, AS_OF)
        rows = run(query, memory, params).rows
        assert rows == run(query, engine, params).rows, query.ref
        if query.definition.id == "incomplete-record":
            ids = {r[0] for r in rows}
    expected = expected_properties(schema)
    kinds = {s.kind for s in schema.labels.values() if s.name in expected}
    assert ids == {f"bare-{k}" for k in kinds if k != "decision"} | {"bare-switch"}


# --- what the ontology could not say


def test_a_pilot_and_the_new_facts_load(write_inventory: Writer) -> None:
    folder = write_inventory(
        {
            "a.yaml": """
                - {kind: ai_system, id: s, risk_tier: high, in_scope: true,
                   lifecycle_stage: pilot}
                - {kind: policy, id: p, policy_type: ai_policy, last_reviewed: 2026-01-01,
                   review_interval_months: 12}
                - {kind: dataset, id: d, quality_status: not_checked}
                - {kind: audit_finding, id: f, finding_status: closed, closed_on: 2026-02-01}
                - {kind: control, id: c, last_tested: 2026-01-01, last_test_result: failed}
                """
        }
    )
    store = MemoryStore()
    pipeline.load(folder, store)
    assert store.node("s").get("lifecycle_stage") == "pilot"  # type: ignore[union-attr]
    assert store.node("p").get("review_interval_months") == 12  # type: ignore[union-attr]
    assert store.node("f").get("closed_on") == date(2026, 2, 1)  # type: ignore[union-attr]
    assert store.node("c").get("last_test_result") == "failed"  # type: ignore[union-attr]


def test_months_before_counts_calendar_months() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 11, 23), 12) == date(2025, 11, 23)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
    listed = months_before_as_of(date(2026, 11, 23))
    assert listed[0] == {"months": 0, "day": date(2026, 11, 23)}
    assert listed[12] == {"months": 12, "day": date(2025, 11, 23)}
    # never before year 1, whatever as-of date a user gives
    assert months_before_as_of(date(1, 3, 5))[-1] == {"months": 2, "day": date(1, 1, 5)}
