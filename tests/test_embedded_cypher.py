"""Cypher on the embedded default: the memory store runs a query's Cypher (or a user's
own) on the embedded Cypher engine, filled by the Neo4j write plan's load statements.
Shipped queries' Cypher equals their twins through the product's own path; a pack with
no twins runs in memory; run_cypher refuses writes, stops on a timeout, cuts at a limit
and explains engine errors in one line with a position."""

from __future__ import annotations

import dataclasses
import importlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, run_cli
from queryfixtures import Fixture, fixtures

from graphgov import examples, pipeline
from graphgov.errors import EnvironmentProblem
from graphgov.findings import findings
from graphgov.graph import GraphBatch
from graphgov.packs import Query, builtin_packs, read_pack
from graphgov.runner import run, run_all, run_cypher
from graphgov.store import (
    CypherError,
    CypherTimeoutError,
    CypherWriteError,
    MemoryStore,
    embedded_cypher,
)

QUERIES = [q for pack in builtin_packs() for q in pack.queries]
ID_PARAMETERS = {"supplier": "Supplier", "dataset": "Dataset", "control": "AnnexAControl"}


def _store(inventory: Path) -> MemoryStore:
    store = MemoryStore()
    store.add(pipeline.catalogue() + pipeline.read(inventory))
    return store


@pytest.fixture(scope="module")
def acme_store(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    folder = tmp_path_factory.mktemp("acme") / "acme"
    examples.write("acme", folder)
    return _store(folder)


def _parameter_sets(query: Query, store: MemoryStore) -> list[dict[str, Any]]:
    needed = [p.name for p in query.definition.parameters if p.default is None]
    if not needed:
        return [query.parameters({}, AS_OF)]
    (name,) = needed
    ids = [*sorted(n.id for n in store.nodes(ID_PARAMETERS[name]))[:5], "no-such-id"]
    return [query.parameters({name: i}, AS_OF) for i in ids]


def _assert_cypher_equals_twin(store: MemoryStore) -> None:
    for query in QUERIES:
        assert query.twin is not None, query.ref
        bare = dataclasses.replace(query, twin=None)
        for params in _parameter_sets(query, store):
            assert run(bare, store, params).rows == run(query, store, params).rows, query.ref


def test_every_shipped_query_runs_as_cypher_in_memory_on_acme(acme_store: MemoryStore) -> None:
    _assert_cypher_equals_twin(acme_store)


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda f: f.name)
def test_every_shipped_query_runs_as_cypher_in_memory_on_the_fixtures(fixture: Fixture) -> None:
    _assert_cypher_equals_twin(_store(fixture.path))


def test_the_engine_is_built_once_and_follows_later_adds(acme_store: MemoryStore) -> None:
    store = MemoryStore()
    store.add(pipeline.catalogue())
    engine = store.cypher_engine()
    assert store.cypher_engine() is engine
    before = run_cypher(store, "MATCH (n:Organization) RETURN count(*) AS c").rows
    assert before == ((0,),)
    with examples.folder("acme") as folder:
        store.add(pipeline.read(folder))
    assert store.cypher_engine() is engine
    counted = run_cypher(store, "MATCH (n) RETURN count(*) AS c").rows[0][0]
    assert counted == sum(store.counts().labels.values())
    rels = run_cypher(store, "MATCH ()-[r]->() RETURN count(*) AS c").rows[0][0]
    assert rels == sum(store.counts().relationships.values())


PACK_YAML = """\
id: unowned-systems
title: AI systems with no owner
question: Which AI systems have no owner?
kind: check
severity: high
clauses: ['5.3']
columns: [id, label, name, source_file, source_line]
message: '{name} has no owner'
remediation: Name an owner.
"""
PACK_CYPHER = """\
// every AI system, as a finding (the test needs it to fire)
MATCH (s:AISystem)
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
"""


def test_a_pack_without_twins_runs_in_memory(tmp_path: Path, acme_store: MemoryStore) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "unowned-systems.yaml").write_text(PACK_YAML, encoding="utf-8")
    (folder / "unowned-systems.cypher").write_text(PACK_CYPHER, encoding="utf-8")
    pack = read_pack(folder)
    assert [q.twin for q in pack.queries] == [None]
    results = run_all(list(pack.queries), acme_store, {}, AS_OF)
    records = results[0].records()
    systems = {n.id: n for n in acme_store.nodes("AISystem")}
    assert {r["id"] for r in records} == set(systems)
    for record in records:
        source = systems[record["id"]].source
        assert (record["source_file"], record["source_line"]) == (source.file, source.line)
        assert isinstance(record["source_line"], int)
    assert len(findings(results)) == len(systems)


WRITES = [
    "CREATE (n:Organization {id: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:AISystem) SET n.name = 'x' RETURN n",
    "MATCH (n:AISystem) REMOVE n.name",
    "MERGE (n:Organization {id: 'x'})",
    "MATCH (n:AISystem) DELETE n",
    "DROP TABLE AISystem",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD FROM '/etc/passwd' RETURN *",
    "UNWIND [1] AS x FOREACH (y IN [1] | CREATE (:Organization {id: 'x'}))",
    "CALL { MATCH (n) RETURN n } RETURN n",
    "CALL show_tables() RETURN *",
    "COPY AISystem FROM '/tmp/x.csv'",
    "EXPORT DATABASE '/tmp/out'",
    "ATTACH '/tmp/other' AS other",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "MATCH (n) RETURN count(*) AS c; RETURN 1 AS x",
    "match (n:AISystem) /* read */ detach delete n",
]


@pytest.mark.parametrize("text", WRITES)
def test_writes_are_refused_and_the_graph_is_unchanged(text: str, acme_store: MemoryStore) -> None:
    def count() -> tuple[Any, ...]:
        nodes = run_cypher(acme_store, "MATCH (n) RETURN count(*) AS c").rows
        rels = run_cypher(acme_store, "MATCH ()-[r]->() RETURN count(*) AS c").rows
        names = run_cypher(
            acme_store, "MATCH (n:AISystem) RETURN n.name AS name ORDER BY name"
        ).rows
        return nodes, rels, names

    before = count()
    with pytest.raises(CypherWriteError) as caught:
        run_cypher(acme_store, text)
    message = str(caught.value)
    assert "\n" not in message and "nothing ran" in message
    assert count() == before


def test_write_words_inside_strings_and_comments_are_reads(acme_store: MemoryStore) -> None:
    result = run_cypher(acme_store, "// CREATE nothing\nRETURN 'DETACH DELETE; SET' AS text")
    assert result.records() == [{"text": "DETACH DELETE; SET"}]


def test_call_is_refused_with_the_reason(acme_store: MemoryStore) -> None:
    with pytest.raises(CypherWriteError, match=r"CALL is not allowed.*cannot tell"):
        run_cypher(acme_store, "CALL db.labels() YIELD label RETURN label")


def test_a_syntax_error_is_one_line_with_its_position(acme_store: MemoryStore) -> None:
    with pytest.raises(CypherError) as caught:
        run_cypher(acme_store, "MATCH (s:AISystem)\nRETURN s.id\nORDER BY s.id LIMT 3")
    error = caught.value
    assert (error.line, error.column) == (3, 15)
    assert str(error) == "line 3, column 15: the query cannot be parsed near 'LIMT'"


@pytest.mark.parametrize(
    ("text", "position", "says"),
    [
        ("MATCH (end:AISystem) RETURN end.id AS id", (1, 8), "END is a keyword"),
        ("MATCH (n:AISystem) UNWIND labels(n) AS l RETURN l", None, "labels(n) is one label"),
        ("RETURN 1 AS x UNION RETURN null AS x", None, "CAST(NULL AS STRING)"),
        ("MATCH (n:AISystem)\nRETURN elementId(n) AS e", (2, 8), "no elementId()"),
        ("MATCH (n:AISystm) RETURN n.id AS id", (1, 9), "did you mean 'AISystem'?"),
        ("MATCH (n:AISystem) RETURN n.colour AS c", (1, 27), "Neo4j would return null"),
        ("MATCH (n) WHERE n:AISystem RETURN n.id AS id", (1, 18), "label(n) = 'Label'"),
        ("RETURN [x IN [1, 2] WHERE x > 1] AS l", (1, 21), "list_filter"),
        ("RETURN date('2026-01-01') + duration({months: 1}) AS d", None, "duration"),
    ],
)
def test_dialect_differences_are_explained(
    text: str, position: tuple[int, int] | None, says: str, acme_store: MemoryStore
) -> None:
    with pytest.raises(CypherError) as caught:
        run_cypher(acme_store, text)
    error = caught.value
    assert says in str(error) and "\n" not in str(error)
    if position is not None:
        assert (error.line, error.column) == position


def test_neo4j_spellings_the_engine_adds_run(acme_store: MemoryStore) -> None:
    result = run_cypher(
        acme_store,
        "MATCH (s:AISystem)-[r]->() RETURN DISTINCT type(r) AS t, toString(1) AS s, "
        "split('a,b', ',') AS parts ORDER BY t LIMIT 1",
    )
    assert result.rows[0][1:] == ("1", ["a", "b"])


def test_values_come_back_as_python_values(acme_store: MemoryStore) -> None:
    result = run_cypher(
        acme_store,
        "MATCH (p:Policy) WHERE p.last_reviewed IS NOT NULL "
        "RETURN p.last_reviewed AS day, [p.id, 'x'] AS pair, p AS node ORDER BY p.id LIMIT 1",
    )
    ((day, pair, node),) = result.rows
    assert isinstance(day, date)
    assert isinstance(pair, list) and pair[1] == "x"
    assert node["_label"] == "Policy" and node["id"] == pair[0]
    assert result.columns == ("day", "pair", "node")


def test_parameters_and_vocabularies_reach_the_query(acme_store: MemoryStore) -> None:
    some = sorted(n.id for n in acme_store.nodes("AISystem"))[0]
    result = run_cypher(acme_store, "MATCH (s:AISystem {id: $id}) RETURN s.id AS id", {"id": some})
    assert result.rows == ((some,),)


def test_a_limit_cuts_rows_and_says_so(acme_store: MemoryStore) -> None:
    text = "UNWIND range(1, 10) AS x RETURN x ORDER BY x"
    cut = run_cypher(acme_store, text, limit=3)
    assert cut.rows == ((1,), (2,), (3,)) and cut.truncated
    whole = run_cypher(acme_store, text, limit=10)
    assert len(whole.rows) == 10 and not whole.truncated
    assert not run_cypher(acme_store, text).truncated


def test_a_long_query_stops_at_its_timeout(acme_store: MemoryStore) -> None:
    with pytest.raises(CypherTimeoutError, match=r"ran out of time and was stopped after 0\.3 s"):
        run_cypher(
            acme_store,
            "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
            "WITH a + b AS s WHERE s % 7 = 0 RETURN count(*) AS c",
            timeout=0.3,
        )
    # the engine keeps working, without the timeout
    assert run_cypher(acme_store, "RETURN 1 AS x").rows == ((1,),)


def test_without_the_engine_installed_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.import_module

    def no_ladybug(name: str, package: str | None = None) -> Any:
        if name == "ladybug":
            raise ImportError("No module named 'ladybug'")
        return real(name, package)

    monkeypatch.setattr(embedded_cypher.importlib, "import_module", no_ladybug)
    store = MemoryStore()
    store.add(GraphBatch())
    with pytest.raises(EnvironmentProblem) as caught:
        run_cypher(store, "MATCH (n) RETURN n")
    assert str(caught.value) == embedded_cypher.INSTALL_HINT
    assert "pip install 'graphgov[cypher]'" in str(caught.value)


# -- the command ---------------------------------------------------------------------------


def test_query_cypher_answers_a_question_nobody_wrote(acme: Path, tmp_path: Path) -> None:
    text = (
        "MATCH (s:AISystem)-[:USES_DATASET]->(d:Dataset) WHERE s.risk_tier = $tier "
        "RETURN d.id AS dataset, count(s) AS users ORDER BY users DESC, dataset"
    )
    question = tmp_path / "question.cypher"
    question.write_text(text)
    code, out, err = run_cli(
        "query",
        "cypher",
        str(acme),
        "-f",
        str(question),
        "--param",
        "tier=high",
        "--format",
        "csv",
    )
    assert code == 0, err
    store = MemoryStore()
    pipeline.load(acme, store)
    users: dict[str, int] = {}
    for system in store.nodes("AISystem"):
        if system.get("risk_tier") == "high":
            for dataset in store.neighbours(system.id, "USES_DATASET"):
                users[dataset.id] = users.get(dataset.id, 0) + 1
    expected = sorted(users.items(), key=lambda item: (-item[1], item[0]))
    assert out.splitlines() == ["dataset,users", *(f"{d},{n}" for d, n in expected)]
    code, out, err = run_cli(
        "query", "cypher", str(acme), text, "--param", "tier=high", "--limit", "1"
    )
    assert code == 0 and expected[0][0] in out
    assert "Only the first 1 row are shown" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MATCH (s:AISystem) DETACH DELETE s", "queries are read-only"),
        ("MATCH (s:AISystem RETURN s", "line 1, column"),
        ("CALL db.labels()", "CALL"),
    ],
)
def test_query_cypher_refuses_or_explains_in_one_line(acme: Path, text: str, expected: str) -> None:
    code, out, err = run_cli("query", "cypher", str(acme), text)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and expected in err and "Traceback" not in err
