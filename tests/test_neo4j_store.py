"""The Neo4j store without a Neo4j server: every statement it sends or writes passes
Neo4j's own parser; its write plan, run on ladybug, leaves exactly the inventory in the
database (also after re-loads with edits and deletions, beside another inventory); its
reads of one inventory, run on ladybug beside another inventory, give exactly what the
in-memory store gives for that inventory alone; the export script round-trips hostile
text; and the real driver's failures become one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import AS_OF
from cypher_engine import CypherEngine
from cypherlint import lint

from graphgov import examples, pipeline
from graphgov.cli import cli
from graphgov.display import did_you_mean
from graphgov.errors import EnvironmentProblem
from graphgov.export import admin_import_files, script_statements
from graphgov.findings import Finding, findings
from graphgov.frameworks import load_frameworks
from graphgov.graph import GraphBatch
from graphgov.load_statements import Tag, run_digest
from graphgov.outputs.posture import posture_json
from graphgov.packs import builtin_packs
from graphgov.posture import posture
from graphgov.runner import run, run_all
from graphgov.schema import CATALOGUE_ORIGIN, load_schema
from graphgov.store import MemoryStore
from graphgov.store import neo4j_statements as cypher
from graphgov.store.base import GraphStore
from graphgov.store.neo4j import (
    InventoryChoiceError,
    InventoryView,
    Neo4jSettings,
    Neo4jStore,
    choose_inventory,
    list_inventories,
    read_inventory,
    server_error,
)

SCHEMA = load_schema()
MAP_KEYS = ("from_id", "to_id")
HOSTILE = [
    "x'}) DETACH DELETE n //",
    'quote " and \\ backslash',
    "line one\nline two\ttab",
    "/* not a comment */ -- nor this ; semicolon",
    "unicode é ü 中文 😀 \u2028 separator \x01",
]


def _acme(tmp: Path, hostile: bool = False) -> Path:
    root = tmp / "acme"
    examples.write("acme", root)
    if hostile:
        records = [
            {
                "kind": "stakeholder",
                "id": f"h{i} {HOSTILE[0]}",
                "name": text,
                "description": text,
                "stakeholder_type": "group",
            }
            for i, text in enumerate(HOSTILE)
        ]
        (root / "hostile.yaml").write_text(
            yaml.safe_dump(records, allow_unicode=True, default_style='"'), encoding="utf-8"
        )
    return root


def _tagged(batch: GraphBatch) -> tuple[GraphBatch, Tag]:
    return batch, Tag(batch.origin, run_digest(batch))


def _load(engine: CypherEngine, batch: GraphBatch, known: dict[str, str]) -> None:
    """What Neo4jStore.add sends, in order, run on ladybug."""
    tag = Tag(batch.origin, run_digest(batch))
    for text, params in cypher.write_plan(SCHEMA, batch, tag, known, 50):
        engine.query(text, params)


def _dump(engine: CypherEngine) -> dict[str, Any]:
    """Everything in the database, as comparable data."""
    nodes = {}
    for spec in SCHEMA.labels.values():
        cols = ", ".join(f"n.{p} AS {p}" for p in spec.properties)
        for row in engine.query(f"MATCH (n:{spec.name}) RETURN {cols}", {}):
            nodes[row["id"]] = (spec.name, {k: v for k, v in row.items() if v is not None})
    rels = set()
    for rel in SCHEMA.relations:
        for row in engine.query(
            f"MATCH (a)-[r:{rel}]->(b) RETURN a.id AS a, b.id AS b, "
            "r.source_file AS f, r.source_line AS l, r.inventory AS i",
            {},
        ):
            rels.add((rel, row["a"], row["b"], row["f"], row["l"], row["i"]))
    return {"nodes": nodes, "relationships": rels}


def _expected(*batches: GraphBatch) -> dict[str, Any]:
    nodes, rels = {}, set()
    for batch in batches:
        tag = Tag(batch.origin, run_digest(batch))
        for n in batch.nodes:
            props = {
                **n.properties,
                "source_file": n.source.file,
                "source_line": n.source.line,
                "inventory": tag.inventory,
                "load_run": tag.load_run,
            }
            nodes[n.id] = (n.label, {k: v for k, v in props.items() if v is not None})
        for r in batch.relationships:
            rels.add((r.type, r.start, r.end, r.source.file, r.source.line, tag.inventory))
    return {"nodes": nodes, "relationships": rels}


# -- Neo4j's parser ----------------------------------------------------------------------


def test_every_statement_the_store_sends_passes_neo4js_parser(tmp_path: Path) -> None:
    batch = pipeline.catalogue() + pipeline.read(_acme(tmp_path, hostile=True))
    texts: dict[str, tuple[str, dict[str, Any]]] = {}
    for i, text in enumerate(cypher.schema_statements(SCHEMA)):
        texts[f"schema-{i}"] = (text, {})
    params = {"ids": ["a"], "inventory": "x", "load_run": "y", "id": "a"}
    for label in SCHEMA.labels:
        texts[f"clash-{label}"] = (cypher.clash_statement(label), params)
        texts[f"nodes-{label}"] = (cypher.nodes_statement(label), {})
    for rel in SCHEMA.relations:
        texts[f"rels-{rel}"] = (cypher.relationships_statement(rel), {})
        for direction in ("out", "in"):
            texts[f"near-{rel}-{direction}"] = (
                cypher.neighbours_statement(SCHEMA, rel, direction),
                params,
            )
    scope = {"inventories": ["acme", CATALOGUE_ORIGIN]}
    for label in SCHEMA.labels:
        texts[f"scoped-nodes-{label}"] = (cypher.scoped_nodes_statement(label), scope)
    for rel in SCHEMA.relations:
        texts[f"scoped-rels-{rel}"] = (cypher.scoped_relationships_statement(rel), scope)
    texts["inventories"] = (cypher.inventories_statement(SCHEMA), {})
    texts["node"] = (cypher.node_read_statement(SCHEMA), params)
    texts["labels"] = (cypher.labels_statement(SCHEMA), params)
    for i, text in enumerate(cypher.count_statements()):
        texts[f"count-{i}"] = (text, {})
    for i, (text, step) in enumerate(cypher.write_plan(SCHEMA, batch, Tag("a", "b"), {}, 1000)):
        texts[f"write-{i}"] = (text, step)
    found = lint(SCHEMA, texts, extra_keys=MAP_KEYS)
    assert len(found) > 100
    assert {k: d for k, d in found.items() if d} == {}


def test_the_export_script_passes_neo4js_parser_with_hostile_text(tmp_path: Path) -> None:
    batch = pipeline.read(_acme(tmp_path, hostile=True))
    script = list(script_statements(SCHEMA, [_tagged(pipeline.catalogue()), _tagged(batch)]))
    found = lint(SCHEMA, {f"s{i}": (s, {}) for i, s in enumerate(script)}, extra_keys=MAP_KEYS)
    assert {k: d for k, d in found.items() if d} == {}


# -- the write plan on a real Cypher engine ----------------------------------------------


def test_load_and_reload_round_trip_on_ladybug(tmp_path: Path) -> None:
    root = _acme(tmp_path, hostile=True)
    catalogue, acme = pipeline.catalogue(), pipeline.read(root)
    engine = CypherEngine()
    _load(engine, catalogue, {})
    known = {n.id: n.label for n in catalogue.nodes}
    _load(engine, acme, known)
    first = _dump(engine)
    assert first == _expected(catalogue, acme)

    _load(engine, pipeline.read(root), known)  # unchanged: nothing changes
    assert _dump(engine) == first

    # edit a name, delete a record and a relationship
    systems = root / "systems" / "out-of-scope.yaml"
    systems.write_text(
        systems.read_text()
        .replace("  uses_dataset: marketing-segments\n", "")
        .replace("Marketing propensity scoring", "Propensity (renamed)")
    )
    rows = (root / "datasets.csv").read_text().splitlines(keepends=True)
    (root / "datasets.csv").write_text("".join(r for r in rows if "marketing-segments" not in r))
    edited = pipeline.read(root)
    _load(engine, edited, known)
    after = _dump(engine)
    assert after == _expected(catalogue, edited)
    assert "marketing-segments" not in after["nodes"]
    assert after["nodes"]["marketing-propensity"][1]["name"] == "Propensity (renamed)"


def test_inventories_sharing_a_database_do_not_touch_each_other(tmp_path: Path) -> None:
    catalogue = pipeline.catalogue()
    acme = pipeline.read(_acme(tmp_path))
    other_root = tmp_path / "other"
    examples.write("skeleton", other_root)
    engine = CypherEngine()
    known = {n.id: n.label for n in catalogue.nodes}
    for batch in (catalogue, acme):
        _load(engine, batch, known)
    # the skeleton reuses an id of acme's: the store's clash check finds it first
    clashing = pipeline.read(other_root)
    ids = [n.id for n in clashing.nodes if n.label == "Control"]
    found = engine.query(cypher.clash_statement("Control"), {"ids": ids, "inventory": "other"})
    assert found == [{"id": "ctl-ai-policy", "inventory": "acme"}]
    controls = other_root / "controls.csv"
    controls.write_text(controls.read_text().replace("ctl-ai-policy", "ctl-other-policy"))
    other = pipeline.read(other_root)
    _load(engine, other, known)
    # acme is loaded again with one system fewer: the skeleton's nodes stay
    smaller = GraphBatch(
        tuple(n for n in acme.nodes if n.id != "code-assistant"),
        tuple(r for r in acme.relationships if "code-assistant" not in (r.start, r.end)),
        acme.origin,
    )
    _load(engine, smaller, known)
    assert _dump(engine) == _expected(catalogue, smaller, other)


def test_a_clash_with_another_inventory_is_found_before_writing() -> None:
    engine = CypherEngine()
    batch = pipeline.catalogue()
    _load(engine, batch, {})
    rows = engine.query(
        cypher.clash_statement("AnnexAControl"),
        {"ids": ["A.6.2.6", "nope"], "inventory": "someone-else"},
    )
    assert rows == [{"id": "A.6.2.6", "inventory": "graphgov:catalogue"}]


def test_the_export_script_round_trips_hostile_text_on_ladybug(tmp_path: Path) -> None:
    catalogue, acme = pipeline.catalogue(), pipeline.read(_acme(tmp_path, hostile=True))
    engine = CypherEngine()
    for statement in script_statements(SCHEMA, [_tagged(catalogue), _tagged(acme)]):
        if statement.startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
            continue  # Neo4j's schema commands; ladybug's tables come from the ontology
        engine.query(statement, {})
    dumped = _dump(engine)
    assert dumped == _expected(catalogue, acme)
    names = {props.get("name") for _, props in dumped["nodes"].values()}
    assert {"line one\nline two\ttab", 'quote " and \\ backslash'} <= names


def test_admin_import_files_carry_every_node_and_relationship(tmp_path: Path) -> None:
    import csv
    import io

    catalogue, acme = pipeline.catalogue(), pipeline.read(_acme(tmp_path, hostile=True))
    files = admin_import_files(SCHEMA, [_tagged(catalogue), _tagged(acme)])
    node_rows = []
    for name, text in files.items():
        if name.startswith("nodes_"):
            reader = csv.DictReader(io.StringIO(text))
            assert reader.fieldnames and reader.fieldnames[0] == "id:ID"
            assert reader.fieldnames[-1] == ":LABEL"
            node_rows += list(reader)
    assert len(node_rows) == len(catalogue.nodes) + len(acme.nodes)
    credit = next(r for r in node_rows if r["id:ID"] == "credit-scoring")
    assert credit["in_scope:boolean"] == "true" and credit[":LABEL"] == "AISystem"
    rels = sum(
        len(list(csv.DictReader(io.StringIO(t))))
        for n, t in files.items()
        if n.startswith("relationships_")
    )
    assert rels == len(catalogue.relationships) + len(acme.relationships)
    assert "--nodes=import/nodes_AISystem.csv" in files["import-command.txt"]


# -- one inventory of a shared database, read on ladybug ---------------------------------

CHECKS = [q for p in builtin_packs() for q in p.queries if q.definition.kind == "check"]


def _globex(tmp: Path) -> Path:
    """A second organisation: the skeleton, its one id shared with acme's renamed."""
    root = tmp / "globex"
    examples.write("skeleton", root)
    controls = root / "controls.csv"
    controls.write_text(controls.read_text().replace("ctl-ai-policy", "ctl-globex-policy"))
    return root


@pytest.fixture
def shared(tmp_path: Path) -> tuple[CypherEngine, Path, Path]:
    """ladybug holding what Neo4jStore.add writes for the catalogue, acme (with hostile
    text) and globex: two organisations with the same kinds of record, side by side."""
    acme, globex = _acme(tmp_path, hostile=True), _globex(tmp_path)
    catalogue = pipeline.catalogue()
    known = {n.id: n.label for n in catalogue.nodes}
    engine = CypherEngine()
    for batch in (catalogue, pipeline.read(acme), pipeline.read(globex)):
        _load(engine, batch, known)
    return engine, acme, globex


def _alone(root: Path) -> MemoryStore:
    memory = MemoryStore()
    pipeline.load(root, memory)
    return memory


def _graph(store: GraphStore) -> dict[str, Any]:
    """Everything a command can read of a store through the GraphStore interface."""
    nodes = {n.id: n for label in SCHEMA.labels for n in store.nodes(label)}
    rels = {r for t in SCHEMA.relations for r in store.relationships(t)}
    near = {
        (node_id, t, way, tuple(sorted(n.id for n in store.neighbours(node_id, t, way))))
        for node_id in nodes
        for t in SCHEMA.relations
        for way in ("out", "in")
    }
    lookups = {node_id: store.node(node_id) for node_id in nodes}
    return {"nodes": nodes, "rels": rels, "near": near, "node": lookups, "counts": store.counts()}


def _findings(store: GraphStore) -> list[Finding]:
    return findings(run_all(CHECKS, store, {}, AS_OF))


def _posture(store: GraphStore, framework: str) -> str:
    judged = posture(store, load_frameworks(), framework, _findings(store), AS_OF)
    return posture_json(judged)


def _cypher_findings(engine: CypherEngine) -> list[Finding]:
    """Every check's own Cypher, run on ladybug."""
    return findings([run(q, engine, q.parameters({}, AS_OF)) for q in CHECKS])


def test_one_inventory_read_beside_another_is_that_inventory_alone(
    shared: tuple[CypherEngine, Path, Path], tmp_path: Path
) -> None:
    engine, acme_root, globex_root = shared
    for root, other in ((acme_root, globex_root), (globex_root, acme_root)):
        view = read_inventory(SCHEMA, engine.query, root.name)
        alone = _alone(root)
        assert _graph(view) == _graph(alone), root.name
        assert _findings(view) == _findings(alone), root.name
        assert not {n.id for n in pipeline.read(other).nodes} & set(view.graph.nodes)
        # a framework's posture read from Neo4j is the posture in memory
        for framework in ("eu-ai-act", "nist-ai-rmf"):
            assert _posture(view, framework) == _posture(alone, framework), (root, framework)

    # and both equal what the checks' Cypher gives on a database holding acme alone
    only_acme = CypherEngine()
    catalogue = pipeline.catalogue()
    for batch in (catalogue, pipeline.read(acme_root)):
        _load(only_acme, batch, {n.id: n.label for n in catalogue.nodes})
    view = read_inventory(SCHEMA, engine.query, "acme")
    assert _findings(view) == _cypher_findings(only_acme)
    # the test has teeth: the checks' Cypher on the shared database mixes the two
    assert _cypher_findings(engine) != _cypher_findings(only_acme)
    mixed = {n["id"] for n in engine.query("MATCH (n:Organization) RETURN n.id AS id", {})}
    assert len(mixed) == 2 and view.counts().labels["Organization"] == 1


def test_the_inventories_of_a_shared_database_are_listed(
    shared: tuple[CypherEngine, Path, Path],
) -> None:
    engine, _, _ = shared
    rows = engine.query(cypher.inventories_statement(SCHEMA), {})
    assert sorted(r["inventory"] for r in rows) == sorted(["acme", CATALOGUE_ORIGIN, "globex"])
    assert list_inventories(SCHEMA, engine.query) == ["acme", "globex"]
    catalogue_only = CypherEngine()
    _load(catalogue_only, pipeline.catalogue(), {})
    assert list_inventories(SCHEMA, catalogue_only.query) == []


def test_an_inventory_the_database_does_not_hold_is_refused(
    shared: tuple[CypherEngine, Path, Path],
) -> None:
    engine, _, _ = shared
    with pytest.raises(InventoryChoiceError, match="holds no inventory 'acmee'"):
        read_inventory(SCHEMA, engine.query, "acmee")


def test_which_inventory_a_reading_command_reads() -> None:
    where = "bolt://db:7687"
    assert choose_inventory([], None, where) is None
    assert choose_inventory(["acme"], None, where) is None  # one: the whole database
    assert choose_inventory(["acme", "globex"], "globex", where) == "globex"
    with pytest.raises(InventoryChoiceError) as several:
        choose_inventory(["acme", "globex"], None, where)
    assert str(several.value) == (
        "Neo4j at bolt://db:7687 holds 2 inventories ('acme', 'globex'); "
        "name the one to read with --inventory NAME"
    )
    with pytest.raises(InventoryChoiceError) as typo:
        choose_inventory(["acme", "globex"], "acmee", where, did_you_mean)
    assert str(typo.value) == (
        "--inventory: Neo4j at bolt://db:7687 holds no inventory 'acmee' "
        "(did you mean 'acme'?); it holds: 'acme', 'globex'"
    )
    with pytest.raises(InventoryChoiceError, match=r"it holds: none$"):
        choose_inventory([], "acme", where, did_you_mean)
    hostile = "x\x1b[31m\nforged"
    with pytest.raises(InventoryChoiceError) as shown:
        choose_inventory([hostile, "acme"], None, where)
    assert "\n" not in str(shown.value) and "\x1b" not in str(shown.value)


def test_a_view_runs_twins_and_refuses_what_it_cannot_scope(
    shared: tuple[CypherEngine, Path, Path],
) -> None:
    engine, acme_root, _ = shared
    view = read_inventory(SCHEMA, engine.query, "acme")
    assert isinstance(view, InventoryView) and view.name == "neo4j"
    with pytest.raises(EnvironmentProblem, match="no in-memory twin"):
        view.execute("MATCH (n) RETURN n.id AS id", None, {})
    with pytest.raises(EnvironmentProblem, match="read-only"):
        view.add(pipeline.read(acme_root))


READING = ["check", "query run", "soa", "gaps", "coverage", "trace", "viz", "report"]


@pytest.mark.parametrize("command", READING)
def test_every_reading_command_takes_inventory_and_load_does_not(command: str) -> None:
    runner = CliRunner()
    assert "--inventory NAME" in runner.invoke(cli, [*command.split(), "--help"]).output
    assert "--inventory NAME" not in runner.invoke(cli, ["load", "--help"]).output


def test_inventory_needs_the_neo4j_store(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["check", str(_acme(tmp_path)), "--inventory", "acme"])
    assert done.exit_code == 2
    assert "--inventory picks one inventory of a shared database" in done.output


# -- the real driver, without a server ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "ftp://127.0.0.1", "127.0.0.1:7687"])
def test_a_bad_scheme_is_one_plain_line(uri: str) -> None:
    with pytest.raises(EnvironmentProblem, match="the URI scheme must be one of neo4j://"):
        Neo4jStore(Neo4jSettings(uri, password="s3cret"))


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_refused_connection_is_one_plain_line(scheme: str) -> None:
    port = _free_port()
    start = time.monotonic()
    with pytest.raises(EnvironmentProblem) as caught:
        Neo4jStore(Neo4jSettings(f"{scheme}://127.0.0.1:{port}", password="s3cret"))
    assert time.monotonic() - start < 15
    assert str(caught.value) == f"cannot reach Neo4j at {scheme}://127.0.0.1:{port}: is it running?"


def test_a_server_that_never_answers_fails_in_bounded_time(silent_port: int) -> None:
    start = time.monotonic()
    with pytest.raises(EnvironmentProblem, match=r"Neo4j at bolt://127\.0\.0\.1"):
        Neo4jStore(Neo4jSettings(f"bolt://127.0.0.1:{silent_port}", password="s3cret"))
    assert time.monotonic() - start < 30


def test_the_password_is_never_shown() -> None:
    settings = Neo4jSettings("bolt://user:s3cret@127.0.0.1:1", password="s3cret-pw")
    assert "s3cret" not in repr(settings) and "s3cret" not in settings.where


def test_the_cli_says_one_line_exits_2_and_hides_the_password(tmp_path: Path) -> None:
    root = _acme(tmp_path)
    env = {
        **os.environ,
        "NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}",
        "NEO4J_PASSWORD": "s3cret-pw",
    }
    for args in (
        ["load", str(root), "--store", "neo4j"],
        ["check", "--store", "neo4j"],
        ["query", "run", "iso42001/aims-scope", "--store", "neo4j"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", "from graphgov.cli import main; main()", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == ""
        assert done.stderr.strip().count("\n") == 0, done.stderr
        assert "cannot reach Neo4j at bolt://127.0.0.1:" in done.stderr
        assert "s3cret" not in done.stderr and "Traceback" not in done.stderr


def test_what_neo4j_says_of_a_cypher_text_is_one_line() -> None:
    import doctest

    import graphgov.store.neo4j

    failed, attempted = doctest.testmod(graphgov.store.neo4j, raise_on_error=False)
    assert (failed, attempted > 0) == (0, True)
    said = server_error(
        "Neo.ClientError.Statement.SyntaxError",
        "Invalid input 'X' (line 2, column 3 (offset: 20))\n\"MATCH X\"\n   ^",
        None,
    )
    assert (said.line, said.column, "\n" in str(said)) == (2, 3, False)
    refused = server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access", 1)
    assert str(refused) == "Neo4j refused the query: Writing in read access"
