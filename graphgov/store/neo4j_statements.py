"""Every Cypher text the Neo4j store sends, beyond the load statements: schema
(constraints and indexes), clashes between inventories, removal of what a re-load no
longer has, and reads. All derived from the schema registry, every value a parameter."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphgov.graph import GraphBatch
from graphgov.load_statements import Tag, statements
from graphgov.schema import Schema

# one statement of a write plan and its parameters
WriteStep = tuple[str, dict[str, Any]]


def schema_statements(schema: Schema) -> list[str]:
    """A uniqueness constraint on id for every label, and indexes on what the packs
    filter by (closed-list and boolean properties) and on the inventory tag, which
    clash checks and removals use."""
    out = []
    for spec in schema.labels.values():
        out.append(
            f"CREATE CONSTRAINT graphgov_{spec.name}_id IF NOT EXISTS "
            f"FOR (n:{spec.name}) REQUIRE n.id IS UNIQUE"
        )
        for prop in spec.properties.values():
            if prop.allowed or prop.datatype == "boolean" or prop.name == "inventory":
                out.append(
                    f"CREATE INDEX graphgov_{spec.name}_{prop.name} IF NOT EXISTS "
                    f"FOR (n:{spec.name}) ON (n.{prop.name})"
                )
    for rel in schema.relations.values():
        out.append(
            f"CREATE INDEX graphgov_{rel.type}_inventory IF NOT EXISTS "
            f"FOR ()-[r:{rel.type}]-() ON (r.inventory)"
        )
    return out


def clash_statement(label: str) -> str:
    """Ids of a batch that another inventory already owns under ``label``."""
    return (
        f"MATCH (n:{label})\n"
        "WHERE n.id IN $ids AND n.inventory <> $inventory\n"
        "RETURN n.id AS id, n.inventory AS inventory"
    )


def remove_nodes_statement(label: str) -> str:
    """Remove the inventory's nodes that the latest load did not write."""
    return (
        f"MATCH (n:{label})\n"
        "WHERE n.inventory = $inventory AND n.load_run <> $load_run\n"
        "DETACH DELETE n"
    )


def remove_relationships_statement(rel_type: str) -> str:
    """Remove the inventory's relationships that the latest load did not write."""
    return (
        f"MATCH ()-[r:{rel_type}]->()\n"
        "WHERE r.inventory = $inventory AND r.load_run <> $load_run\n"
        "DELETE r"
    )


def _any_label(schema: Schema) -> str:
    return "|".join(schema.labels)


def node_read_statement(schema: Schema) -> str:
    """The statement that reads one node, whatever its label, by ``$id``."""
    return f"MATCH (n:{_any_label(schema)} {{id: $id}})\nRETURN n AS node, labels(n) AS labels"


def labels_statement(schema: Schema) -> str:
    """The labels of the nodes with the given ids, in one round trip."""
    return (
        f"MATCH (n:{_any_label(schema)})\nWHERE n.id IN $ids\n"
        "RETURN n.id AS id, labels(n) AS labels"
    )


def nodes_statement(label: str) -> str:
    return f"MATCH (n:{label})\nRETURN n AS node, labels(n) AS labels\nORDER BY n.id"


def relationships_statement(rel_type: str) -> str:
    return (
        f"MATCH (a)-[r:{rel_type}]->(b)\n"
        "RETURN a.id AS start, b.id AS end, r.source_file AS source_file, "
        "r.source_line AS source_line\n"
        "ORDER BY start, end"
    )


def neighbours_statement(schema: Schema, rel_type: str, direction: str) -> str:
    arrow = f"-[:{rel_type}]->" if direction == "out" else f"<-[:{rel_type}]-"
    return (
        f"MATCH (a:{_any_label(schema)} {{id: $id}}){arrow}(n)\n"
        "RETURN n AS node, labels(n) AS labels\n"
        "ORDER BY n.id"
    )


def inventories_statement(schema: Schema) -> str:
    """Every inventory tag in the database (the catalogue's among them), one branch per
    label so that each reads the label's inventory index rather than every node."""
    return "\nUNION\n".join(
        f"MATCH (n:{label})\nWHERE n.inventory IS NOT NULL\nRETURN n.inventory AS inventory"
        for label in schema.labels
    )


def scoped_nodes_statement(label: str) -> str:
    """The nodes of ``label`` that the inventories ``$inventories`` wrote."""
    return f"MATCH (n:{label})\nWHERE n.inventory IN $inventories\nRETURN n AS node\nORDER BY n.id"


def scoped_relationships_statement(rel_type: str) -> str:
    """The relationships of ``rel_type`` that the inventories ``$inventories`` wrote,
    between nodes they wrote: no end of one reaches another inventory's graph. (``end``
    is a keyword to some Cypher engines, so the columns are start_id and end_id.)"""
    return (
        f"MATCH (a)-[r:{rel_type}]->(b)\n"
        "WHERE r.inventory IN $inventories AND a.inventory IN $inventories\n"
        "  AND b.inventory IN $inventories\n"
        "RETURN a.id AS start_id, b.id AS end_id, r.source_file AS source_file, "
        "r.source_line AS source_line\n"
        "ORDER BY start_id, end_id"
    )


def count_statements() -> tuple[str, str]:
    return (
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label",
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type",
    )


def write_plan(
    schema: Schema, batch: GraphBatch, tag: Tag, known: Mapping[str, str], size: int
) -> Iterator[WriteStep]:
    """Every write of a load, in order: the load statements in chunks of ``size`` rows
    (``$rows``), then the removal of what the inventory's previous loads wrote and this
    one does not (run only after every chunk succeeded)."""
    for statement in statements(schema, batch, tag, known):
        rows = list(statement.rows)
        for start in range(0, len(rows), size):
            yield statement.text, {"rows": rows[start : start + size]}
    params = {"inventory": tag.inventory, "load_run": tag.load_run}
    for rel in schema.relations:
        yield remove_relationships_statement(rel), params
    for label in schema.labels:
        yield remove_nodes_statement(label), params
