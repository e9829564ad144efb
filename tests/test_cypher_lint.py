"""Every Cypher text graphgov sends or writes passes Neo4j's own parser, with the
ontology as the database schema: no syntax error, no unknown label, relationship type
or property, no undeclared parameter."""

from __future__ import annotations

from typing import Any

from conftest import AS_OF
from cypherlint import lint

from graphgov import pipeline
from graphgov.load_statements import statements
from graphgov.packs import Query, builtin_packs
from graphgov.schema import load_schema

SAMPLE = {"supplier": "openai", "dataset": "bureau-data", "control": "A.6.2.6"}


def _params(query: Query) -> dict[str, Any]:
    given = {p.name: SAMPLE[p.name] for p in query.definition.parameters if p.default is None}
    return query.parameters(given, AS_OF)


def test_every_query_passes_neo4js_parser() -> None:
    queries = [q for pack in builtin_packs() for q in pack.queries]
    found = lint(load_schema(), {q.ref: (q.cypher, _params(q)) for q in queries})
    assert set(found) == {q.ref for q in queries}
    assert {ref: d for ref, d in found.items() if d} == {}


def test_every_load_statement_passes_neo4js_parser() -> None:
    from graphgov import examples

    with examples.folder("acme") as folder:
        batch = pipeline.catalogue() + pipeline.read(folder)
    texts = {
        f"load-{i}": (s.text, {"rows": list(s.rows)})
        for i, s in enumerate(statements(load_schema(), batch))
    }
    # from_id and to_id are keys of the $rows maps, which the parser takes for properties
    found = lint(load_schema(), texts, extra_keys=("from_id", "to_id"))
    assert {k: d for k, d in found.items() if d} == {}


def test_the_parser_does_catch_mistakes() -> None:
    """The check above could fail: a misspelt label, an undeclared parameter and a
    syntax error are each reported."""
    found = lint(
        load_schema(),
        {
            "label": ("MATCH (s:AISytem) RETURN s.id", {}),
            "param": ("MATCH (s:AISystem) WHERE s.id = $nope RETURN s.id", {}),
            "syntax": ("MATCH (s:AISystem RETRN s", {}),
        },
    )
    assert all(found[k] for k in ("label", "param", "syntax")), found
