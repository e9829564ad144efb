"""The Neo4j store without a Neo4j server: every statement it sends or writes passes
Neo4j's own parser; its write plan, run on ladybug, leaves exactly the inventory in the
database (also after re-loads with edits and deletions, beside another inventory); the
export script round-trips hostile text; and the real driver's failures become one line."""

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
from cypher_engine import CypherEngine
from cypherlint import lint

from graphgov import examples, pipeline
from graphgov.errors import EnvironmentProblem
from graphgov.export import admin_import_files, script_statements
from graphgov.graph import GraphBatch
from graphgov.load_statements import Tag, run_digest
from graphgov.schema import load_schema
from graphgov.store import neo4j_statements as cypher
from graphgov.store.neo4j import Neo4jSettings, Neo4jStore

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
    texts["node"] = (cypher.node_statement(SCHEMA), params)
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
