"""Twins are registered explicitly, one ``@twin("query-id")`` each: a helper in twins.py
is never taken for a twin, every twin names a query of its pack, and every query of a
built-in pack has its twin."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphgov.errors import InvalidInputError
from graphgov.graph import GraphBatch, Node, Relationship, Source
from graphgov.packs import BUILTIN_PACKAGE, Pack, builtin_packs, read_pack
from graphgov.store.base import Twin
from graphgov.store.memory import MemoryStore
from graphgov.twin_kit import reach, registrar, walk


@pytest.mark.parametrize("pack", builtin_packs(), ids=lambda p: p.name)
def test_every_builtin_query_has_its_twin_and_every_twin_its_query(pack: Pack) -> None:
    module = importlib.import_module(f"{BUILTIN_PACKAGE}.{pack.name}.twins")
    twins: dict[str, Twin] = module.TWINS
    assert set(twins) == {q.definition.id for q in pack.queries}
    for query in pack.queries:
        assert query.twin is twins[query.definition.id], query.ref


def test_a_twin_is_registered_once() -> None:
    twins: dict[str, Twin] = {}
    twin = registrar(twins)

    @twin("q")
    def first(store: object, p: object) -> list[object]:
        return []

    assert twins == {"q": first}
    with pytest.raises(ValueError, match="two twins for the query q"):
        twin("q")(first)


QUERY = """\
id: systems-without-purpose
title: AI system without a stated purpose
question: Which AI systems have no stated purpose?
kind: check
severity: low
columns: [id, label, name, source_file, source_line]
message: "{name} has no stated purpose"
remediation: Write down what the system is for.
"""
CYPHER = """\
MATCH (s:AISystem)
WHERE s.purpose IS NULL
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
"""
TWINS = """\
from graphgov.twin_kit import registrar, subject

TWINS = {}
twin = registrar(TWINS)


def purpose_missing(node):
    return node.get("purpose") is None


@twin("systems-without-purpose")
def systems_without_purpose(store, p):
    return [subject(s) for s in store.nodes("AISystem") if purpose_missing(s)]
"""


def _pack(tmp_path: Path, twins: str) -> Path:
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "systems-without-purpose.yaml").write_text(QUERY)
    (pack / "systems-without-purpose.cypher").write_text(CYPHER)
    (pack / "twins.py").write_text(twins)
    return pack


def test_a_public_helper_is_not_a_twin(tmp_path: Path) -> None:
    pack = read_pack(_pack(tmp_path, TWINS))
    (query,) = pack.queries
    assert query.twin is not None and query.twin.__name__ == "systems_without_purpose"


def test_a_twin_naming_no_query_is_a_problem(tmp_path: Path) -> None:
    stray = TWINS + '\n\n@twin("system-without-purpose")\ndef typo(store, p):\n    return []\n'
    with pytest.raises(InvalidInputError) as caught:
        read_pack(_pack(tmp_path, stray))
    (problem,) = caught.value.problems
    assert problem.field == "system-without-purpose"
    assert problem.reason == "no query has this id"


# -- walking from several starts at once ------------------------------------------------

_IDS = [f"d{i}" for i in range(8)]
_EDGES = st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(_IDS)), max_size=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edges=_EDGES,
    starts=st.lists(st.sampled_from(_IDS), min_size=1, max_size=4),
    depth=st.integers(1, 4),
    include_start=st.booleans(),
)
def test_a_walk_from_several_starts_is_the_union_of_their_walks(
    edges: list[tuple[str, str]], starts: list[str], depth: int, include_start: bool
) -> None:
    # one walk shared by several starts (aims-scope's) reaches what each start's own
    # walk reaches, cycles and starts reached from other starts included, at the
    # shortest depth from any of them
    store = MemoryStore()
    source = Source("g.yaml", 1)
    nodes = tuple(Node("Dataset", i, {}, source) for i in _IDS)
    rels = tuple(Relationship("DERIVED_FROM", a, b, source) for a, b in set(edges))
    store.add(GraphBatch(nodes, rels))
    one_by_one = {
        n.id
        for s in starts
        for n in reach(store, s, ["DERIVED_FROM"], "out", depth, include_start=include_start)
    }
    together = reach(store, starts, ["DERIVED_FROM"], "out", depth, include_start=include_start)
    assert len(together) == len({n.id for n in together})  # each node once
    assert {n.id for n in together} == one_by_one
    shortest = {n.id: d for d, _, n, _ in walk(store, starts, ["DERIVED_FROM"], "out", depth)}
    for node_id, d in shortest.items():
        assert d == min(
            found
            for s in starts
            for found, _, n, _ in walk(store, s, ["DERIVED_FROM"], "out", depth)
            if n.id == node_id
        )
