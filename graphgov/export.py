"""Exports for Neo4j's own tools: a Cypher script for cypher-shell or Neo4j Browser
(values as Cypher literals, escaped by Neo4j's rules), and CSV files with the headers
``neo4j-admin database import`` expects, for bulk loads of millions of records."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from graphgov.display import UNSAFE_CHARACTERS
from graphgov.graph import GraphBatch
from graphgov.load_statements import Tag, statements
from graphgov.schema import PropertySpec, Schema
from graphgov.store.neo4j_statements import schema_statements

ROWS_PER_STATEMENT = 500
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_ADMIN_TYPES = {"boolean": ":boolean", "integer": ":long", "decimal": ":double", "date": ":date"}


def quote(text: str) -> str:
    """A Cypher string literal: backslash escapes for quotes, backslashes, control and
    invisible characters (including Unicode line separators); everything else as is, so
    a script read in an editor or a terminal shows exactly what it will load."""
    return "'" + _NEEDS_ESCAPE.sub(_escape, text) + "'"


_NEEDS_ESCAPE = re.compile(f"[\\\\'\u2028\u2029{UNSAFE_CHARACTERS}\t\n]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def literal(value: Any) -> str:
    """A Python value as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Cypher has no literal for a non-finite number")
        return repr(value)
    if isinstance(value, date):
        return f"date({quote(value.isoformat())})"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


# Typed nulls: ladybug (the engine the tests load scripts into) cannot unify a list of
# maps where a field is a date or boolean in one map and a bare null in another; these
# forms are null on Neo4j too.
_TYPED_NULLS = {"date": "date(null)", "boolean": "(null = true)"}


def _rows_literal(schema: Schema, rows: Sequence[Mapping[str, Any]], label: str | None) -> str:
    props = schema.labels[label].properties if label else {}
    maps = []
    for row in rows:
        fields = []
        for key, value in row.items():
            prop = props.get(key)
            if value is None and prop is not None and prop.datatype in _TYPED_NULLS:
                fields.append(f"{key}: {_TYPED_NULLS[prop.datatype]}")
            else:
                fields.append(f"{key}: {literal(value)}")
        maps.append("{" + ", ".join(fields) + "}")
    return "[" + ", ".join(maps) + "]"


def script_statements(schema: Schema, batches: Sequence[tuple[GraphBatch, Tag]]) -> Iterator[str]:
    """The statements of a script that loads ``batches`` into an empty or existing
    database: constraints and indexes, then every load statement with its rows inlined."""
    yield from schema_statements(schema)
    known: dict[str, str] = {}
    for batch, tag in batches:
        for statement in statements(schema, batch, tag, known):
            rows = list(statement.rows)
            label = statement.label
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                chunk = _rows_literal(schema, rows[start : start + ROWS_PER_STATEMENT], label)
                yield statement.text.replace("UNWIND $rows", f"UNWIND {chunk}", 1)
        known.update({n.id: n.label for n in batch.nodes})


def cypher_script(schema: Schema, batches: Sequence[tuple[GraphBatch, Tag]]) -> str:
    head = (
        "// graphgov export: load with `cypher-shell -f FILE` or paste into Neo4j Browser.\n"
        "// Re-running it changes nothing: every node and relationship is MERGEd by id.\n\n"
    )
    return head + "".join(f"{s};\n\n" for s in script_statements(schema, batches))


def admin_import_files(schema: Schema, batches: Sequence[tuple[GraphBatch, Tag]]) -> dict[str, str]:
    """File name to CSV text: one node file per label, one relationship file per type,
    and ``import-command.txt`` with the neo4j-admin command that reads them."""
    known: dict[str, str] = {}
    node_rows: dict[str, list[dict[str, Any]]] = {}
    rel_rows: dict[str, list[dict[str, Any]]] = {}
    for batch, tag in batches:
        for statement in statements(schema, batch, tag, known):
            if statement.label is not None:
                node_rows.setdefault(statement.label, []).extend(statement.rows)
            elif statement.rel_type is not None:
                rel_rows.setdefault(statement.rel_type, []).extend(statement.rows)
        known.update({n.id: n.label for n in batch.nodes})
    files: dict[str, str] = {}
    for label, rows in sorted(node_rows.items()):
        props = list(schema.labels[label].properties.values())
        header = ["id:ID"] + [_admin(p) for p in props if p.name != "id"] + [":LABEL"]
        files[f"nodes_{label}.csv"] = _csv(
            header,
            [
                [r["id"]] + [csv_cell(r[p.name]) for p in props if p.name != "id"] + [label]
                for r in rows
            ],
        )
    provenance = list(schema.provenance)
    for rel_type, rows in sorted(rel_rows.items()):
        header = [":START_ID", ":END_ID", ":TYPE"] + [_admin(p) for p in provenance]
        files[f"relationships_{rel_type}.csv"] = _csv(
            header,
            [
                [r["from_id"], r["to_id"], rel_type] + [csv_cell(r[p.name]) for p in provenance]
                for r in rows
            ],
        )
    command = ["neo4j-admin database import full --multiline-fields=true"]
    command += [f"  --nodes=import/{name}" for name in files if name.startswith("nodes_")]
    command += [f"  --relationships=import/{name}" for name in files if name.startswith("rel")]
    command += ["  neo4j"]
    files["import-command.txt"] = " \\\n".join(command) + "\n"
    return files


def _admin(prop: PropertySpec) -> str:
    return prop.name + _ADMIN_TYPES.get(prop.datatype, "")


def csv_cell(value: Any) -> str:
    """A property value as a CSV field bulk loaders read back (neo4j-admin, ladybug's
    COPY): empty for null, true/false, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    # "\r\n" makes the csv module quote a field holding a lone "\r", which would
    # otherwise split the row when neo4j-admin reads it
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
