"""The in-memory store: atomic adds, lookups by label and id, walks by type and direction."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphgov import pipeline
from graphgov.errors import StoreConflictError
from graphgov.graph import GraphBatch, Node, Relationship, Source
from graphgov.store import MemoryStore

SRC = Source("a.yaml", 1)


def _node(label: str, ident: str, **props: object) -> Node:
    return Node(label, ident, {"id": ident, "name": ident.upper(), **props}, SRC)  # type: ignore[arg-type]


def _store() -> MemoryStore:
    store = MemoryStore()
    store.add(
        GraphBatch(
            (
                _node("AISystem", "s1"),
                _node("AISystem", "s2"),
                _node("Model", "m1"),
                _node("Dataset", "d1"),
            ),
            (
                Relationship("USES_MODEL", "s1", "m1", SRC),
                Relationship("USES_MODEL", "s2", "m1", SRC),
                Relationship("TRAINED_ON", "m1", "d1", SRC),
            ),
        )
    )
    return store


def test_lookups_by_id_label_and_type() -> None:
    store = _store()
    assert store.node("s1") == _node("AISystem", "s1")
    assert store.node("nope") is None
    assert [n.id for n in store.nodes("AISystem")] == ["s1", "s2"]
    assert [r.start for r in store.relationships("USES_MODEL")] == ["s1", "s2"]
    assert list(store.nodes("Risk")) == []


def test_walks_follow_type_and_direction() -> None:
    store = _store()
    assert [n.id for n in store.neighbours("s1", "USES_MODEL")] == ["m1"]
    assert [n.id for n in store.neighbours("m1", "USES_MODEL", "in")] == ["s1", "s2"]
    assert [n.id for n in store.neighbours("m1", "TRAINED_ON")] == ["d1"]
    assert list(store.neighbours("m1", "USES_MODEL")) == []


def test_counts_per_label_and_type() -> None:
    counts = _store().counts()
    assert counts.labels == {"AISystem": 2, "Dataset": 1, "Model": 1}
    assert counts.relationships == {"TRAINED_ON": 1, "USES_MODEL": 2}
    assert (counts.nodes, counts.edges) == (4, 3)


def test_a_clashing_batch_adds_nothing() -> None:
    store = _store()
    before = store.counts()
    clash = GraphBatch(
        (_node("Risk", "r1"), _node("Model", "s1")),  # s1 exists with another label
        (Relationship("HAS_RISK", "m1", "r1", SRC),),
    )
    with pytest.raises(StoreConflictError, match="s1"):
        store.add(clash)
    assert store.counts() == before
    assert store.node("r1") is None


def test_a_relationship_to_an_unknown_node_adds_nothing() -> None:
    store = _store()
    before = store.counts()
    with pytest.raises(StoreConflictError, match="ghost"):
        store.add(
            GraphBatch((_node("Risk", "r1"),), (Relationship("HAS_RISK", "ghost", "r1", SRC),))
        )
    assert store.counts() == before


def test_adding_the_same_nodes_again_changes_nothing() -> None:
    store = _store()
    before = store.counts()
    store.add(
        GraphBatch((_node("AISystem", "s1"),), (Relationship("USES_MODEL", "s1", "m1", SRC),))
    )
    assert store.counts() == before


_ENDS = st.sampled_from(["a", "b", "c", "hub"])
_REL = st.tuples(st.sampled_from(["USES", "FEEDS"]), _ENDS, _ENDS, st.integers(1, 3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_REL, max_size=30), max_size=4))
def test_each_relationship_is_held_once_the_first_written(
    batches: list[list[tuple[str, str, str, int]]],
) -> None:
    """Relationships written again, in one batch or a later one, hubs included: the store
    holds each (type, start, end) once, as first written, in the order first written."""
    store = MemoryStore()
    store.add(GraphBatch(tuple(_node("Model", i) for i in ("a", "b", "c", "hub"))))
    first: dict[tuple[str, str, str], Relationship] = {}
    for written in batches:
        rels = tuple(Relationship(t, s, e, Source("f.yaml", line)) for t, s, e, line in written)
        store.add(GraphBatch((), rels))
        for r in rels:
            first.setdefault((r.type, r.start, r.end), r)
    for kind in ("USES", "FEEDS"):
        expected = [r for (t, _, _), r in first.items() if t == kind]
        assert list(store.relationships(kind)) == expected
        for ident in ("a", "b", "c", "hub"):
            assert [n.id for n in store.neighbours(ident, kind)] == [
                r.end for r in expected if r.start == ident
            ]
            assert [n.id for n in store.neighbours(ident, kind, "in")] == [
                r.start for r in expected if r.end == ident
            ]
    assert store.counts().edges == len(first)


def test_the_networkx_graph_carries_nodes_and_typed_edges() -> None:
    graph = _store().graph
    assert graph.nodes["m1"]["node"].label == "Model"
    assert set(graph["s1"]["m1"]) == {"USES_MODEL"}


def test_a_loaded_graph_is_out_of_the_cycle_collectors_sight(acme: Path) -> None:
    # the collector would walk every node again on each full collection during the
    # queries, for nothing to free; what the pipeline built is frozen instead, and the
    # collector runs as it did before
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    store = MemoryStore()
    pipeline.load(acme, store)
    node = next(store.nodes("AISystem"))
    tracked = {id(o) for o in gc.get_objects()}  # the generations the collector walks
    assert gc.get_freeze_count() > 0
    assert id(node) not in tracked and id(node.properties) not in tracked
    assert gc.isenabled()
