"""The frameworks in the graph: every requirement of the shipped frameworks other than
ISO/IEC 42001 is a Requirement node, with its PART_OF hierarchy, and every crosswalk row
but the no-relationship ones is a relationship of its OLIR type, each with its file and
line; a query that follows a crosswalk passes Neo4j's parser and gives on ladybug
(loaded with the Neo4j store's write plan) the rows the memory store's walk gives."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from cypher_engine import CypherEngine
from cypherlint import lint

from graphgov import pipeline
from graphgov.errors import InvalidInputError
from graphgov.frameworks import EDGE_TYPES, HOME, REQUIREMENT_LABEL, Requirement, load_frameworks
from graphgov.graph import GraphBatch
from graphgov.load_statements import Tag, run_digest
from graphgov.schema import CATALOGUE_ORIGIN, load_schema
from graphgov.store import MemoryStore
from graphgov.store import neo4j_statements as cypher

SCHEMA = load_schema()
FRAMEWORKS = load_frameworks()
CROSSWALK_TYPES = sorted(EDGE_TYPES.values())
# Which requirements of a framework an Annex A control reaches through the crosswalks
REACHED = (
    f"MATCH (c:AnnexAControl {{id: $control}})-[:{'|'.join(CROSSWALK_TYPES)}]->"
    f"(r:{REQUIREMENT_LABEL})\n"
    "WHERE r.framework = $framework\n"
    "RETURN r.id AS id\n"
    "ORDER BY id"
)


def _node_id(ref: str) -> str:
    framework, _, local = ref.partition(":")
    return local if framework == HOME else ref


def _requirements() -> dict[str, Requirement]:
    return {
        r.ref: r
        for f in FRAMEWORKS.frameworks.values()
        if f.id != HOME
        for r in f.requirements.values()
    }


def _edges() -> set[tuple[str, str, str]]:
    return {
        (EDGE_TYPES[m.relationship], _node_id(m.source), _node_id(m.target))
        for m in FRAMEWORKS.mappings
        if m.relationship != "no-relationship"
    }


def _memory(acme: Path) -> MemoryStore:
    store = MemoryStore()
    pipeline.load(acme, store)
    return store


def test_every_shipped_requirement_is_a_node_with_its_source(acme: Path) -> None:
    store = _memory(acme)
    requirements = _requirements()
    nodes = {n.id: n for n in store.nodes(REQUIREMENT_LABEL)}
    assert len(nodes) == len(requirements) > 300
    assert set(nodes) == set(requirements)
    art12 = nodes["eu-ai-act:art-12"]
    assert art12.get("framework") == "eu-ai-act"
    assert art12.get("requirement_type") == "article"
    assert art12.source == _requirements()["eu-ai-act:art-12"].source
    assert art12.source.file == "graphgov:frameworks/eu-ai-act.yaml"
    # the hierarchy: one PART_OF per requirement that names its parent
    parents = {(r.start, r.end) for r in store.relationships("PART_OF")}
    expected = {(ref, f"{r.framework}:{r.parent}") for ref, r in requirements.items() if r.parent}
    assert parents == expected and expected


def test_every_linking_crosswalk_row_is_an_edge_of_its_type(acme: Path) -> None:
    store = _memory(acme)
    edges = _edges()
    found = {(t, r.start, r.end) for t in CROSSWALK_TYPES for r in store.relationships(t)}
    assert found == edges
    counts = store.counts().relationships
    per_type = Counter(e[0] for e in edges)
    assert {t: counts.get(t, 0) for t in CROSSWALK_TYPES} == {
        t: per_type[t] for t in CROSSWALK_TYPES
    }
    # a no-relationship row says two requirements do not meet: no edge joins them
    linked = {(start, end) for _, start, end in edges}
    unlinked = [
        (_node_id(m.source), m.target)
        for m in FRAMEWORKS.mappings
        if m.relationship == "no-relationship"
    ]
    assert unlinked
    for start, end in unlinked:
        reached = {n.id for t in CROSSWALK_TYPES for n in store.neighbours(start, t)}
        assert (end in reached) == ((start, end) in linked), (start, end)
    # each edge points at its crosswalk row
    (row,) = [
        m
        for m in FRAMEWORKS.mappings
        if (m.source, m.target) == ("iso42001:A.6.2.8", "eu-ai-act:art-12")
    ]
    (rel,) = [
        r
        for r in store.relationships("INTERSECTS_WITH")
        if (r.start, r.end) == ("A.6.2.8", "eu-ai-act:art-12")
    ]
    assert rel.source == row.origin
    assert rel.source.file == "graphgov:crosswalks/iso42001--eu-ai-act.yaml"


def test_an_inventory_cannot_take_a_requirement_id(acme: Path) -> None:
    with (acme / "suppliers.yaml").open("a", encoding="utf-8") as f:
        f.write('- {kind: supplier, id: "eu-ai-act:art-12", name: "Clash"}\n')
    with pytest.raises(InvalidInputError) as raised:
        pipeline.read(acme)
    assert any("eu-ai-act:art-12" in p.reason for p in raised.value.problems)


def _ladybug(catalogue: GraphBatch, acme: GraphBatch) -> CypherEngine:
    """The database the Neo4j store writes: its write plan for the catalogue, then for
    the inventory (whose relationships reach catalogue nodes), run on ladybug."""
    engine = CypherEngine()
    known: dict[str, str] = {}
    for batch in (catalogue, acme):
        tag = Tag(batch.origin or CATALOGUE_ORIGIN, run_digest(batch))
        for text, params in cypher.write_plan(SCHEMA, batch, tag, known, 100):
            engine.query(text, params)
        known |= {n.id: n.label for n in batch.nodes}
    return engine


def test_a_query_follows_the_crosswalks_on_both_stores(acme: Path) -> None:
    catalogue, inventory = pipeline.catalogue(), pipeline.read(acme)
    memory = _memory(acme)
    engine = _ladybug(catalogue, inventory)
    params = {"control": "A.6.2.8", "framework": "eu-ai-act"}
    assert lint(SCHEMA, {"reached": (REACHED, params)}) == {"reached": []}
    # the catalogue went in whole, tagged as the catalogue, beside the inventory
    rows = engine.query(
        f"MATCH (r:{REQUIREMENT_LABEL}) WHERE r.inventory = $i RETURN count(*) AS n",
        {"i": CATALOGUE_ORIGIN},
    )
    assert rows == [{"n": len(_requirements())}]
    reached_any = False
    controls = sorted(n.id for n in memory.nodes("AnnexAControl"))
    for framework in sorted(FRAMEWORKS.frameworks):
        for control in controls:
            walked = sorted(
                n.id
                for t in CROSSWALK_TYPES
                for n in memory.neighbours(control, t)
                if n.get("framework") == framework
            )
            rows = engine.query(REACHED, {"control": control, "framework": framework})
            assert [r["id"] for r in rows] == walked, (control, framework)
            reached_any = reached_any or bool(walked)
    assert reached_any
    assert "eu-ai-act:art-12" in [r["id"] for r in engine.query(REACHED, params)]
