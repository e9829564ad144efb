"""The schema as documentation: text for a terminal, Markdown for documents (the
README's table is this output) and JSON for tools. All are derived from the registry,
never written by hand."""

from __future__ import annotations

import textwrap
from typing import Any

from graphgov.schema import PropertySpec, Schema
from graphgov.terminal import table

WIDTH = 80


def schema_json(schema: Schema) -> dict[str, Any]:
    """The schema as a JSON-ready dictionary."""
    return {
        "labels": {
            spec.name: {
                "kind": spec.kind,
                "plural": spec.plural,
                "catalogue": spec.catalogue,
                "description": spec.description,
                "properties": {
                    p.name: {
                        "type": p.datatype,
                        "required": p.required,
                        "expected": p.expected,
                        "allowed": list(p.allowed),
                        "managed": p.managed,
                        "description": p.description,
                    }
                    for p in spec.properties.values()
                },
            }
            for spec in schema.labels.values()
        },
        "relationships": {
            rel.type: {
                "from": list(rel.starts),
                "to": list(rel.ends),
                "field": rel.field,
                "inverse_field": rel.inverse_field,
                "description": rel.description,
            }
            for rel in schema.relations.values()
        },
    }


def schema_markdown(schema: Schema) -> str:
    """The schema as Markdown tables: labels with their properties, then relationships."""
    lines = [
        "### Node labels",
        "",
        "Required properties are marked `*` (a record without one is refused); expected ones "
        "`+` (a record without one loads, and the check `incomplete-record` reports it). "
        "Allowed values follow in brackets, from least to most where order matters. Every "
        "node also records `source_file` and `source_line`.",
        "",
        "| label | kind | properties | what it is |",
        "|---|---|---|---|",
    ]
    for spec in schema.labels.values():
        kind = f"`{spec.kind}`" + (" (catalogue)" if spec.catalogue else "")
        props = ", ".join(_property(p) for p in spec.writable)
        lines.append(f"| `{spec.name}` | {kind} | {props} | {spec.description} |")
    lines += [
        "",
        "### Relationship types",
        "",
        "`field` is what a record of the start label writes to make the relationship; "
        "`inverse` is what a record of the end label writes for the same relationship.",
        "",
        "| type | from | to | field | inverse | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for rel in schema.relations.values():
        inverse = f"`{rel.inverse_field}`" if rel.inverse_field else ""
        lines.append(
            f"| `{rel.type}` | {', '.join(rel.starts)} | {', '.join(rel.ends)} "
            f"| `{rel.field}` | {inverse} | {rel.description} |"
        )
    return "\n".join(lines) + "\n"


def schema_text(schema: Schema) -> str:
    """The schema for a terminal: each label with its fields wrapped to 80 columns, then
    the relationship types and the fields that write them."""
    lines = [
        "Node labels (required fields marked *: a record without one is refused;",
        "expected ones +: a record without one loads and is reported incomplete;",
        "every node also records its source)",
        "",
    ]
    for spec in schema.labels.values():
        where = " (catalogue)" if spec.catalogue else f" ({spec.kind}, {spec.plural}.csv)"
        lines.append(spec.name + where)
        lines += textwrap.wrap(spec.description, WIDTH, initial_indent="  ", subsequent_indent="  ")
        fields = ", ".join(_property(p).replace("`", "") for p in spec.writable)
        lines += textwrap.wrap(
            "fields: " + fields, WIDTH, initial_indent="  ", subsequent_indent="    "
        )
        lines.append("")
    lines += ["Relationship types", ""]
    rows = [
        (rel.type, ", ".join(rel.starts), ", ".join(rel.ends), rel.field, rel.inverse_field or "")
        for rel in schema.relations.values()
    ]
    lines.append(table(("type", "from", "to", "field", "inverse"), rows, (22, 16, 16, 14, 10)))
    return "\n".join(lines) + "\n"


def _property(p: PropertySpec) -> str:
    text = f"`{p.name}`" + ("*" if p.required else "+" if p.expected else "")
    if p.allowed:
        return text + " (" + ", ".join(p.allowed) + ")"
    return text if p.datatype == "string" else f"{text} ({p.datatype})"
