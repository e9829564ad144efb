"""The full Neo4j path against a live server: load, check, re-load, removal, hostile
strings, and reading one inventory of a database that holds two. No Neo4j server can be
installed on graphgov's CI machines, so these run only where NEO4J_URI is set (with
NEO4J_USERNAME, NEO4J_PASSWORD and, optionally, NEO4J_DATABASE). They write inventories
named graphgov-test-* and remove them after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import AS_OF

from graphgov import examples, pipeline
from graphgov.errors import StoreConflictError
from graphgov.findings import findings
from graphgov.packs import builtin_packs
from graphgov.runner import run_all
from graphgov.schema import load_schema
from graphgov.store import MemoryStore
from graphgov.store.base import GraphStore
from graphgov.store.neo4j import InventoryChoiceError, Neo4jSettings, Neo4jStore

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
    assert _findings(store.scoped(NAME)) == _findings(memory)
    if store.inventories() == [NAME]:  # the whole database is this inventory: Cypher on Neo4j
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


def _globex(tmp: Path) -> Path:
    root = tmp / "globex"
    examples.write("skeleton", root)
    controls = root / "controls.csv"
    controls.write_text(controls.read_text().replace("ctl-ai-policy", "ctl-globex-policy"))
    return root


def _graph(target: GraphStore) -> tuple[object, ...]:
    schema = load_schema()
    nodes = {n.id: n for label in schema.labels for n in target.nodes(label)}
    rels = {r for t in schema.relations for r in target.relationships(t)}
    return nodes, rels, target.counts()


def _graphgov(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from graphgov.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_one_inventory_of_a_shared_database_is_read_alone(
    store: Neo4jStore, acme: Path, tmp_path: Path
) -> None:
    globex = _globex(tmp_path)
    names = {acme: NAME, globex: "graphgov-test-globex"}
    for root, name in names.items():
        pipeline.load(root, store, name=name)
    assert set(names.values()) <= set(store.inventories())
    with pytest.raises(InventoryChoiceError, match=r"inventories .*--inventory NAME"):
        store.reading(None)
    for root, name in names.items():
        alone = MemoryStore()
        pipeline.load(root, alone)
        view = store.reading(name)
        assert _graph(view) == _graph(alone), name
        assert _findings(view) == _findings(alone), name


def test_the_cli_reads_one_inventory_and_refuses_to_mix(
    store: Neo4jStore, acme: Path, tmp_path: Path
) -> None:
    pipeline.load(acme, store, name=NAME)
    pipeline.load(_globex(tmp_path), store, name="graphgov-test-globex")
    mixed = _graphgov("check", "--store", "neo4j")
    assert mixed.returncode == 2 and mixed.stdout == ""
    assert mixed.stderr.count("\n") == 1 and "--inventory NAME" in mixed.stderr
    assert f"'{NAME}'" in mixed.stderr and "'graphgov-test-globex'" in mixed.stderr
    typo = _graphgov("soa", "--store", "neo4j", "--inventory", NAME + "x")
    assert typo.returncode == 2 and typo.stderr.count("\n") == 1
    assert f"(did you mean '{NAME}'?)" in typo.stderr
    as_of = ("--format", "json", "--as-of", AS_OF.isoformat())
    scoped = _graphgov("check", "--store", "neo4j", "--inventory", NAME, *as_of)
    alone = _graphgov("check", str(acme), *as_of)
    assert scoped.returncode == alone.returncode, scoped.stderr
    # from a folder, findings name files under it; from Neo4j, as the inventory holds them
    from_folder = json.loads(alone.stdout.replace(f"{acme}/", ""))
    assert {**json.loads(scoped.stdout), "inventory": ""} == {**from_folder, "inventory": ""}
    for command in ("gaps", "coverage", "report"):
        done = _graphgov(command, "--store", "neo4j", "--inventory", NAME)
        assert done.returncode == 0, (command, done.stderr)


def test_a_cypher_text_of_ones_own_is_bounded_on_neo4j(store: Neo4jStore, acme: Path) -> None:
    """query cypher on Neo4j: a limit cuts rows and says so, the server stops a query past
    the timeout, and a syntax error is one line naming where."""
    from graphgov.runner import run_cypher
    from graphgov.store.base import CypherError, CypherTimeoutError

    pipeline.load(acme, store, name=NAME)
    cut = run_cypher(store, "MATCH (s:AISystem) RETURN s.id AS id", {}, limit=2)
    assert len(cut) == 2 and cut.truncated and cut.columns == ("id",)
    with pytest.raises(CypherTimeoutError, match="ran out of time"):
        run_cypher(
            store,
            "UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 0 RETURN count(i) AS n",
            {},
            timeout=0.5,
        )
    with pytest.raises(CypherError, match=r"^line 1, column \d+: ") as raised:
        run_cypher(store, "MATCH (s:AISystem) RETRN s", {})
    assert "\n" not in str(raised.value)
