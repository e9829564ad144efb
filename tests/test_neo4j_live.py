"""The full Neo4j path against a live server: load, check, re-load, removal and hostile
strings. No Neo4j server can be installed on graphgov's CI machines, so these run only
where NEO4J_URI is set (with NEO4J_USERNAME, NEO4J_PASSWORD and, optionally,
NEO4J_DATABASE). They write inventories named graphgov-test-* and remove them after."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import AS_OF

from graphgov import examples, pipeline
from graphgov.errors import StoreConflictError
from graphgov.findings import findings
from graphgov.packs import builtin_packs
from graphgov.runner import run_all
from graphgov.store import MemoryStore
from graphgov.store.neo4j import Neo4jSettings, Neo4jStore

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="needs NEO4J_URI (a live Neo4j)"),
]
CHECKS = [q for p in builtin_packs() for q in p.queries if q.definition.kind == "check"]
NAME = "graphgov-test-acme"


@pytest.fixture
def store() -> Iterator[Neo4jStore]:
    target = Neo4jStore(Neo4jSettings.from_env())
    yield target
    with target.driver.session(database=target.settings.database) as session:
        session.run(
            "MATCH (n) WHERE n.inventory STARTS WITH 'graphgov-test-' DETACH DELETE n"
        ).consume()
    target.close()


def _findings(store: object) -> set[tuple[str, str, str]]:
    return {(f.query, f.id, f.message) for f in findings(run_all(CHECKS, store, {}, AS_OF))}  # type: ignore[arg-type]


def test_neo4j_gives_the_findings_memory_gives(store: Neo4jStore, acme: Path) -> None:
    pipeline.load(acme, store, name=NAME)
    memory = MemoryStore()
    pipeline.load(acme, memory)
    assert _findings(store) == _findings(memory)


def test_reload_unchanged_then_edited(store: Neo4jStore, acme: Path) -> None:
    pipeline.load(acme, store, name=NAME)
    before = store.counts()
    pipeline.load(acme, store, name=NAME)
    assert store.counts() == before
    rows = (acme / "datasets.csv").read_text().splitlines(keepends=True)
    (acme / "datasets.csv").write_text(
        "".join(r for r in rows if "fraud-labels" not in r).replace("fraud-labels", "")
    )
    systems = acme / "systems" / "fraud.yaml"
    systems.write_text(systems.read_text().replace("  trained_on: fraud-labels\n", ""))
    pipeline.load(acme, store, name=NAME)
    assert store.node("fraud-labels") is None
    assert store.counts().labels["Dataset"] == before.labels["Dataset"] - 1


def test_batched_load_and_hostile_strings(tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    examples.write("skeleton", root)
    hostile = "x'}) MATCH (n) DETACH DELETE n // \\ \" \n é 😀"
    text = (
        (root / "systems.yaml")
        .read_text()
        .replace(
            "My first AI system",
            hostile.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").join('""'),
        )
    )
    (root / "systems.yaml").write_text(text)
    target = Neo4jStore(Neo4jSettings.from_env(), batch_size=2)
    try:
        pipeline.load(root, target, name="graphgov-test-hostile")
        node = target.node("first-system")
        assert node is not None and node.name == hostile
    finally:
        with target.driver.session(database=target.settings.database) as session:
            session.run(
                "MATCH (n) WHERE n.inventory STARTS WITH 'graphgov-test-' DETACH DELETE n"
            ).consume()
        target.close()


def test_another_inventory_cannot_take_an_id(store: Neo4jStore, acme: Path, tmp_path: Path) -> None:
    pipeline.load(acme, store, name=NAME)
    clash = tmp_path / "clash"
    examples.write("skeleton", clash)  # reuses ctl-ai-policy
    before = store.counts()
    with pytest.raises(StoreConflictError, match="ctl-ai-policy"):
        pipeline.load(clash, store, name="graphgov-test-clash")
    assert store.counts() == before
