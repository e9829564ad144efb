"""Every query of the built-in packs: it fires on its fixture and stays quiet on its twin
fixture, and its Cypher (run on ladybug, a real Cypher engine) and its in-memory twin
return identical rows on every graph: the fixtures, the example organisation and
hypothesis-generated inventories."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF
from cypher_engine import CypherEngine
from hypothesis import HealthCheck, given, settings
from queryfixtures import Fixture, fixtures
from strategies import GeneratedRecord, inventories, write

from graphgov import examples, pipeline
from graphgov.graph import GraphBatch
from graphgov.packs import Query, builtin_packs
from graphgov.runner import run
from graphgov.store import MemoryStore

QUERIES = [q for pack in builtin_packs() for q in pack.queries]
# Queries whose Cypher cannot run on ladybug, with the reason. Keep this list short.
LADYBUG_EXCEPTIONS: dict[str, str] = {}
# For required parameters without a default: the label whose ids to try.
ID_PARAMETERS = {"supplier": "Supplier", "dataset": "Dataset", "control": "AnnexAControl"}


def _graph(inventory: Path) -> GraphBatch:
    return pipeline.catalogue() + pipeline.read(inventory)


def _both(batch: GraphBatch) -> tuple[MemoryStore, CypherEngine]:
    memory, engine = MemoryStore(), CypherEngine()
    memory.add(batch)
    engine.load(batch)
    return memory, engine


def _parameter_sets(
    query: Query, memory: MemoryStore, given: dict[str, str]
) -> list[dict[str, Any]]:
    """Parameter values to try: the given ones, or every id of the right label for each
    id parameter (plus one that matches nothing)."""
    needed = [
        p.name for p in query.definition.parameters if p.default is None and p.name not in given
    ]
    if not needed:
        return [query.parameters(given, AS_OF)]
    (name,) = needed
    ids = [*sorted(n.id for n in memory.nodes(ID_PARAMETERS[name]))[:8], "no-such-id"]
    return [query.parameters({**given, name: i}, AS_OF) for i in ids]


def _assert_twins_agree(batch: GraphBatch) -> None:
    memory, engine = _both(batch)
    for query in QUERIES:
        if query.ref in LADYBUG_EXCEPTIONS:
            continue
        for params in _parameter_sets(query, memory, {}):
            expected = run(query, engine, params).rows
            assert run(query, memory, params).rows == expected, (query.ref, params)


def test_every_query_has_firing_and_quiet_fixtures() -> None:
    cases = {(f.query, f.case) for f in fixtures()}
    for query in QUERIES:
        assert (query.definition.id, "fires") in cases, query.ref
        assert (query.definition.id, "passes") in cases, query.ref


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda f: f.name)
def test_query_fires_only_on_its_fixture(fixture: Fixture) -> None:
    (query,) = [q for q in QUERIES if q.definition.id == fixture.query]
    memory, engine = _both(_graph(fixture.path))
    given = dict(fixture.params)
    as_of = date.fromisoformat(given.pop("as_of", AS_OF.isoformat()))
    params = query.parameters(given, as_of)
    rows = run(query, memory, params).records()
    key = "id" if "id" in query.definition.columns else query.definition.columns[0]
    assert {str(r[key]) for r in rows} == fixture.expect
    if fixture.case == "fires":
        assert fixture.expect, "a firing fixture must name what it expects"
    assert run(query, engine, params).rows == run(query, memory, params).rows


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda f: f.name)
def test_twins_agree_on_every_fixture(fixture: Fixture) -> None:
    _assert_twins_agree(_graph(fixture.path))


def test_twins_agree_on_the_example_organisation() -> None:
    with examples.folder("acme") as folder:
        _assert_twins_agree(_graph(folder))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(records=inventories(max_records=14))
def test_twins_agree_on_generated_inventories(records: list[GeneratedRecord]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inv"
        write(records, root, set())
        batch = _graph(root)
    _assert_twins_agree(batch)


HOSTILE = "x'}) MATCH (n) DETACH DELETE n //"


def test_no_inventory_value_ever_reaches_a_query_text() -> None:
    """Inventory values travel as parameters only: whatever the inventory holds, the
    text sent is the query's own .cypher file byte for byte, and hostile values (one of
    them an id passed as a parameter) never appear in it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hostile"
        examples.write("acme", root)
        with (root / "suppliers.yaml").open("a", encoding="utf-8") as f:
            f.write(
                f'- {{kind: supplier, id: "{HOSTILE}", name: "{HOSTILE} 2"}}\n'
                f'- {{kind: model, id: m-hostile, name: "{HOSTILE} 3", '
                f'supplied_by: "{HOSTILE}"}}\n'
            )
        batch = _graph(root)
    memory, engine = _both(batch)
    assert memory.node(HOSTILE) is not None
    for query in QUERIES:
        on_disk = Path(query.source).with_suffix(".cypher").read_text(encoding="utf-8")
        for params in _parameter_sets(query, memory, {}):
            engine.sent.clear()
            run(query, engine, params)
            assert engine.sent == [on_disk], query.ref
            assert HOSTILE not in engine.sent[0]
    sent_ids = {
        row["id"]
        for row in run(_query("supplier-blast-radius"), engine, {"supplier": HOSTILE}).records()
    }
    assert sent_ids == {"m-hostile"}, "the hostile id worked as a parameter"


def _query(query_id: str) -> Query:
    return next(q for q in QUERIES if q.definition.id == query_id)
