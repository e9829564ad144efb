"""Cypher statements that write a graph batch, generated from the schema registry: one
statement shape per label and per relationship type (with its start and end labels),
every value a parameter. They run on Neo4j and on ladybug alike: explicit
``SET n.p = row.p`` per ontology property rather than ``SET n += row``."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphgov.graph import GraphBatch, Node
from graphgov.schema import PropertySpec, Schema


@dataclass(frozen=True)
class Statement:
    """A Cypher text and the rows it takes as ``$rows``; it writes nodes of ``label`` or
    relationships of ``rel_type``."""

    text: str
    rows: tuple[dict[str, Any], ...]
    label: str | None = None
    rel_type: str | None = None


def _value(prop: PropertySpec) -> str:
    # ladybug types a parameter column that is null in every row as a string; these
    # forms give the property's own type on ladybug and Neo4j alike, and keep nulls.
    if prop.datatype == "date":
        return f"date(row.{prop.name})"
    if prop.datatype == "boolean":
        return f"row.{prop.name} = true"
    if prop.datatype == "integer":
        return f"toInteger(row.{prop.name})"
    if prop.datatype == "decimal":
        return f"toFloat(row.{prop.name})"
    return f"row.{prop.name}"


def node_write_statement(schema: Schema, label: str) -> str:
    """The statement that writes (merges) the nodes of ``label`` from ``$rows``."""
    props = schema.labels[label].properties.values()
    sets = ",\n    ".join(f"n.{p.name} = {_value(p)}" for p in props if p.name != "id")
    return f"UNWIND $rows AS row\nMERGE (n:{label} {{id: row.id}})\nSET {sets}"


def relationship_statement(schema: Schema, rel_type: str, start: str, end: str) -> str:
    sets = ",\n    ".join(f"r.{p.name} = row.{p.name}" for p in schema.provenance)
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{start} {{id: row.from_id}})\n"
        f"MATCH (b:{end} {{id: row.to_id}})\n"
        f"MERGE (a)-[r:{rel_type}]->(b)\n"
        f"SET {sets}"
    )


@dataclass(frozen=True)
class Tag:
    """What a shared store records of the load that wrote a node or relationship."""

    inventory: str = ""
    load_run: str = ""


NO_TAG = Tag()


def node_row(schema: Schema, node: Node, tag: Tag = NO_TAG) -> dict[str, Any]:
    """Every property of the label, None where the node has none, plus provenance."""
    row = {p: node.properties.get(p) for p in schema.labels[node.label].properties}
    row.update(
        source_file=node.source.file,
        source_line=node.source.line,
        inventory=tag.inventory,
        load_run=tag.load_run,
    )
    return row


def statements(
    schema: Schema, batch: GraphBatch, tag: Tag = NO_TAG, known: Mapping[str, str] | None = None
) -> Iterator[Statement]:
    """The statements that write ``batch``: nodes first, then relationships, each shape
    once with all its rows. ``known`` maps ids of nodes already stored to their labels."""
    labels = dict(known or {})
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in batch.nodes:
        labels[node.id] = node.label
        by_label[node.label].append(node_row(schema, node, tag))
    for label in sorted(by_label):
        yield Statement(node_write_statement(schema, label), tuple(by_label[label]), label=label)
    by_shape: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in batch.relationships:
        shape = (rel.type, labels[rel.start], labels[rel.end])
        by_shape[shape].append(
            {
                "from_id": rel.start,
                "to_id": rel.end,
                "source_file": rel.source.file,
                "source_line": rel.source.line,
                "inventory": tag.inventory,
                "load_run": tag.load_run,
            }
        )
    for shape in sorted(by_shape):
        yield Statement(
            relationship_statement(schema, *shape), tuple(by_shape[shape]), rel_type=shape[0]
        )


def run_digest(batch: GraphBatch) -> str:
    """A digest of a batch's content: the same inventory always loads with the same one."""
    content = [
        [n.label, n.id, sorted((k, str(v)) for k, v in n.properties.items()), str(n.source)]
        for n in batch.nodes
    ] + [[r.type, r.start, r.end, str(r.source)] for r in batch.relationships]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]
