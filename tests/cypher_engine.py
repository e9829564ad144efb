"""ladybug, a real embedded Cypher engine, holding the same graph as the in-memory store:
its node and relationship tables are created from the ontology (one schema, read from
the ontology: docs/architecture.md) and filled by graphgov's own load statements. Every
Cypher text sent is recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ladybug

from graphgov.graph import GraphBatch
from graphgov.load_statements import statements
from graphgov.schema import Schema, load_schema

TYPES = {
    "string": "STRING",
    "boolean": "BOOLEAN",
    "integer": "INT64",
    "decimal": "DOUBLE",
    "date": "DATE",
}


def ddl(schema: Schema) -> list[str]:
    """CREATE statements for every label and relationship type of the ontology."""
    out = []
    for spec in schema.labels.values():
        cols = ", ".join(f"{p.name} {TYPES[p.datatype]}" for p in spec.properties.values())
        out.append(f"CREATE NODE TABLE {spec.name}({cols}, PRIMARY KEY (id))")
    props = ", ".join(f"{p.name} {TYPES[p.datatype]}" for p in schema.provenance)
    for rel in schema.relations.values():
        pairs = ", ".join(f"FROM {a} TO {b}" for a in rel.starts for b in rel.ends)
        out.append(f"CREATE REL TABLE {rel.type}({pairs}, {props})")
    return out


class CypherEngine:
    """An in-process ladybug database with the ontology's tables."""

    def __init__(self) -> None:
        self.schema = load_schema()
        self.db = ladybug.Database(":memory:")
        self.conn = ladybug.Connection(self.db)
        self.sent: list[str] = []
        for text in ddl(self.schema):
            self.conn.execute(text)
        # the load statements type numbers with Neo4j's functions, which ladybug spells
        # to_int64 and to_double
        self.conn.execute("CREATE MACRO toInteger(x) AS to_int64(x)")
        self.conn.execute("CREATE MACRO toFloat(x) AS to_double(x)")

    def load(self, batch: GraphBatch) -> None:
        for statement in statements(self.schema, batch):
            self.query(statement.text, {"rows": list(statement.rows)})

    def query(self, text: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        self.sent.append(text)
        result = self.conn.execute(text, dict(parameters))
        assert not isinstance(result, list)
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append(dict(zip(columns, result.get_next(), strict=True)))
        return rows

    def execute(
        self, cypher: str, twin: object, parameters: Mapping[str, Any]
    ) -> Iterable[Mapping[str, Any]]:
        """The store-shaped entry point the runner calls: the Cypher, never the twin."""
        return self.query(cypher, parameters)
