"""Ordered vocabularies (risk tiers, levels, control statuses) and the predicates built on
them ("high risk", "applicable") are defined once, in the ontology: the summary, the
report counts, the twins and the Cypher all read that one definition and agree, and no
code or query spells an order again. Ids sort in one natural order everywhere."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from conftest import AS_OF, Writer
from cypher_engine import CypherEngine
from hypothesis import given, settings
from hypothesis import strategies as st

from graphgov import audit, pipeline
from graphgov.findings import findings
from graphgov.graph import Node, Source
from graphgov.packs import SEVERITIES, Query, builtin_packs, checks, severity_rank
from graphgov.runner import run, run_all
from graphgov.schema import load_schema, natural_key, vocabulary
from graphgov.store import MemoryStore
from graphgov.summary import high_risk, overview_text, system_counts

ROOT = Path(__file__).resolve().parents[1]
HIGH_RISK_CHECKS = [
    "high-risk-without-human-oversight",
    "high-risk-without-monitoring",
    "high-risk-without-event-logging",
    "high-risk-without-affected-stakeholders",
]

# In scope and high, out of scope and high, in scope and prohibited, and one that is
# neither: the cases on which summary, report and checks used to disagree.
SYSTEMS = """
- {kind: ai_system, id: in-high, name: In high, risk_tier: high, in_scope: true}
- {kind: ai_system, id: out-high, name: Out high, risk_tier: high, in_scope: false}
- {kind: ai_system, id: banned, name: Banned, risk_tier: prohibited, in_scope: true}
- {kind: ai_system, id: out-banned, name: Out banned, risk_tier: prohibited, in_scope: false}
- {kind: ai_system, id: chat, name: Chat, risk_tier: limited, in_scope: true}
"""


def _query(query_id: str) -> Query:
    return next(q for p in builtin_packs() for q in p.queries if q.definition.id == query_id)


def test_the_ontology_defines_the_orders_and_what_counts_as_high_risk() -> None:
    schema = load_schema()
    assert vocabulary("RiskTier").values == ("minimal", "limited", "high", "prohibited")
    # a prohibited system is at least as serious as a high-risk one
    assert vocabulary("HighRiskTier").values == ("high", "prohibited")
    assert vocabulary("ApplicableStatus").values == (
        "planned",
        "partially_implemented",
        "implemented",
    )
    assert vocabulary("Level").values == SEVERITIES
    assert [severity_rank(s) for s in SEVERITIES] == [0, 1, 2, 3]
    assert severity_rank(None) == -1
    # the properties take their closed lists from the same vocabularies
    assert schema.property("AISystem", "risk_tier").allowed == vocabulary("RiskTier").values
    assert schema.property("Control", "status").allowed == vocabulary("ControlStatus").values
    for label, name in [("Risk", "level"), ("Risk", "residual_level"), ("Incident", "severity")]:
        assert schema.property(label, name).allowed == SEVERITIES
    assert schema.query_parameters["high_risk_tiers"] == ("high", "prohibited")


def test_summary_report_twins_and_cypher_agree_on_high_risk(write_inventory: Writer) -> None:
    inventory = write_inventory({"systems.yaml": SYSTEMS})
    batch = pipeline.catalogue() + pipeline.read(inventory)
    memory, engine = MemoryStore(), CypherEngine()
    memory.add(batch)
    engine.load(batch)
    systems = list(memory.nodes("AISystem"))

    expected = {"in-high", "banned"}
    assert {s.id for s in systems if high_risk(s)} == expected
    counts = system_counts(systems)
    assert (counts.systems, counts.in_scope, counts.high_risk) == (5, 3, len(expected))
    assert "(3 in scope, 2 of them high risk)" in overview_text(memory, AS_OF)

    for check in HIGH_RISK_CHECKS:
        query = _query(check)
        params = query.parameters({}, AS_OF)
        on_memory = {r["id"] for r in run(query, memory, params).records()}
        on_cypher = {r["id"] for r in run(query, engine, params).records()}
        assert on_memory == on_cypher == expected, check


def test_residual_risk_is_compared_in_the_ontologys_order(write_inventory: Writer) -> None:
    inventory = write_inventory(
        {
            "org.yaml": "- {kind: organization, id: org, name: Org, risk_appetite: medium}\n",
            "risks.yaml": "\n".join(
                f"- {{kind: risk, id: r-{level}, name: R {level}, level: critical, "
                f"residual_level: {level}}}"
                for level in SEVERITIES
            ),
        }
    )
    batch = pipeline.catalogue() + pipeline.read(inventory)
    memory, engine = MemoryStore(), CypherEngine()
    memory.add(batch)
    engine.load(batch)
    query = _query("residual-risk-above-appetite")
    params = query.parameters({}, AS_OF)
    for store in (memory, engine):
        assert {r["id"] for r in run(query, store, params).records()} == {"r-high", "r-critical"}


# Modules and queries that used to spell an order themselves.
_SOURCES = [
    *sorted((ROOT / "graphgov").rglob("*.py")),
    *sorted((ROOT / "queries").rglob("*.py")),
]
_CYPHER = sorted((ROOT / "queries").rglob("*.cypher"))


def _ordered() -> list[tuple[str, frozenset[str]]]:
    return [
        (v.name, frozenset(v.values))
        for v in load_schema().vocabularies.values()
        if v.ordered and len(v.values) > 1
    ]


def test_no_code_or_query_spells_an_ordered_vocabulary_again() -> None:
    """A tuple, list or set holding every value of an ordered vocabulary, or a mapping
    ranking them by number, is a second copy of the ontology's order; so is a Cypher
    text quoting every value of one."""
    copies = []
    for path in _SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = node.elts
            elif isinstance(node, ast.Dict) and all(
                isinstance(v, ast.Constant) and isinstance(v.value, int) for v in node.values
            ):
                items = [k for k in node.keys if k is not None]
            else:
                continue
            strings = {i.value for i in items if isinstance(i, ast.Constant)}
            copies += [(path.name, node.lineno, v) for v, values in _ordered() if values <= strings]
    for path in _CYPHER:
        quoted = set(re.findall(r"'([^']*)'", path.read_text(encoding="utf-8")))
        copies += [(path.name, 0, v) for v, values in _ordered() if values <= quoted]
    assert copies == []


def test_the_check_detects_a_copy() -> None:
    """The scan above would see the copies the code used to have."""
    tree = ast.parse('TIERS = {"minimal": 1, "limited": 2, "high": 3, "prohibited": 4}')
    dicts = [n for n in ast.walk(tree) if isinstance(n, ast.Dict)]
    keys = {k.value for k in dicts[0].keys if isinstance(k, ast.Constant)}
    assert dict(_ordered())["RiskTier"] <= keys


# -- one natural order of ids ------------------------------------------------------------


def test_natural_key_orders_numbers_as_numbers() -> None:
    ids = ["A.10.2", "A.2.10", "A.2.2", "10", "9.1", "A.2.3", "b", "A.02.2"]
    assert sorted(ids, key=natural_key) == [
        "9.1",
        "10",
        "A.02.2",
        "A.2.2",
        "A.2.3",
        "A.2.10",
        "A.10.2",
        "b",
    ]


class _ByText(MemoryStore):
    """A store that lists nodes by id as text, as Neo4j's ORDER BY n.id does."""

    def nodes(self, label: str) -> Iterator[Node]:
        return iter(sorted(super().nodes(label), key=lambda n: n.id))


def _annex(ids: list[str]) -> list[str]:
    return [i for i in ids if i.startswith("A.")]


def test_check_report_and_soa_list_annex_a_in_natural_order(write_inventory: Writer) -> None:
    inventory = write_inventory({"systems.yaml": SYSTEMS})
    store = _ByText()
    pipeline.load(inventory, store)
    found = findings(run_all(checks(builtin_packs()), store, {}, AS_OF))
    undecided = [f.id for f in found if f.query.endswith("annex-a-control-without-decision")]
    assert "A.2.2" in undecided and "A.10.2" in undecided
    assert undecided == sorted(undecided, key=natural_key)
    assert undecided.index("A.2.2") < undecided.index("A.10.2")

    soa = [r.control.id for r in audit.statement_of_applicability(store, found, AS_OF)]
    assert soa == sorted(soa, key=natural_key) and soa.index("A.2.2") < soa.index("A.10.2")
    cov = [c.id for c in audit.coverage(store).controls]
    assert cov == soa

    query = _query("annex-a-control-without-decision")
    rows = [r["id"] for r in run(query, store, query.parameters({}, AS_OF)).records()]
    assert rows == sorted(rows, key=natural_key) == _annex(undecided)


def test_high_risk_is_about_ai_systems_only() -> None:
    node = Node("Model", "m", {"risk_tier": "high", "in_scope": True}, Source("x", 1))
    assert not high_risk(node)


def _parts_key(text: str) -> tuple[tuple[str | int, ...], str]:
    """The natural order spelt the obvious way: text and numbers alternating."""
    parts: list[str | int] = list(re.split(r"([0-9]+)", text))
    parts[1::2] = map(int, parts[1::2])
    return tuple(parts), text


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("0123456789.-_aAzZ é\x7f\U0001f600"), max_size=12),
        min_size=2,
        max_size=8,
    )
)
def test_the_natural_key_orders_as_text_and_numbers_alternating(texts: list[str]) -> None:
    # natural_key is one text per id for speed; it must order ids exactly as comparing
    # their text and number parts in turn does (any text without NUL)
    assert sorted(texts, key=natural_key) == sorted(texts, key=_parts_key)
