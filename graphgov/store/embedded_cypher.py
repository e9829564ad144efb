"""The embedded Cypher engine: ladybug, an in-process Cypher database, holding the same
graph as a store. Its node and relationship tables are created from the ontology and
filled by the load statements the Neo4j store sends (graphgov.load_statements), so a
query without a twin, or a user's own Cypher, runs on the embedded default with no
server and no Python.

ladybug is an optional dependency (``pip install 'graphgov[cypher]'``), imported only
when Cypher first runs. Its errors come back as one-line CypherErrors naming the line and
column of the query, and where ladybug's dialect differs from Neo4j's, saying so."""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from graphgov.display import did_you_mean
from graphgov.errors import EnvironmentProblem
from graphgov.graph import GraphBatch
from graphgov.load_statements import statements
from graphgov.schema import Schema, load_schema
from graphgov.store.base import CypherError, CypherTimeoutError, Rows

__all__ = ["EmbeddedCypher", "ladybug_module"]

INSTALL_HINT = (
    "running Cypher on the embedded store needs the embedded Cypher engine: "
    "pip install 'graphgov[cypher]' (or use --store neo4j)"
)

TYPES = {
    "string": "STRING",
    "boolean": "BOOLEAN",
    "integer": "INT64",
    "decimal": "DOUBLE",
    "date": "DATE",
}

# Neo4j's spellings of functions ladybug names otherwise: the load statements use the
# first two; the rest let everyday Neo4j Cypher run unchanged.
MACROS = (
    "CREATE MACRO toInteger(x) AS to_int64(x)",
    "CREATE MACRO toFloat(x) AS to_double(x)",
    "CREATE MACRO toString(x) AS CAST(x AS STRING)",
    "CREATE MACRO type(r) AS label(r)",
    "CREATE MACRO split(s, d) AS string_split(s, d)",
)


def ladybug_module() -> ModuleType:
    """ladybug, or EnvironmentProblem saying how to install it."""
    try:
        return importlib.import_module("ladybug")
    except ImportError:
        raise EnvironmentProblem(INSTALL_HINT) from None


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


class EmbeddedCypher:
    """An in-process ladybug database with the ontology's tables, filled by the load
    statements. ``sent`` records every query text run through ``rows``/``run``."""

    def __init__(self, schema: Schema | None = None) -> None:
        ladybug = ladybug_module()
        self.schema = schema or load_schema()
        self.db = ladybug.Database(":memory:")
        self.conn = ladybug.Connection(self.db)
        self.sent: list[str] = []
        for text in (*ddl(self.schema), *MACROS):
            self.conn.execute(text)

    def load(self, batch: GraphBatch, known: Mapping[str, str] | None = None) -> None:
        """Write ``batch`` with the load statements; ``known`` maps the ids of nodes
        already loaded that its relationships reach to their labels."""
        for statement in statements(self.schema, batch, known=known):
            self._result(statement.text, {"rows": list(statement.rows)}, None)

    def rows(self, text: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every row of ``text`` as a column-to-value mapping."""
        result = self.run(text, parameters)
        return result.records()

    def run(
        self,
        text: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> Rows:
        """Run ``text``: at most ``limit`` rows (fetching one more to tell whether rows
        were cut), stopped after ``timeout`` seconds. Raises CypherError."""
        self.sent.append(text)
        result = self._result(text, parameters, timeout)
        rows = (tuple(plain(v) for v in result.get_next()) for _ in iter(result.has_next, False))
        taken = Rows.taken(tuple(result.get_column_names()), rows, limit)
        result.close()
        return taken

    def _result(self, text: str, parameters: Mapping[str, Any], timeout: float | None) -> Any:
        self.conn.set_query_timeout(0 if timeout is None else max(1, round(timeout * 1000)))
        try:
            result = self.conn.execute(text, dict(parameters))
        except RuntimeError as exc:
            raise explain(str(exc), text, timeout) from None
        if isinstance(result, list):  # several statements: only run_cypher's check stops them
            raise CypherError("one query at a time: the text holds several statements")
        return result


def plain(value: Any) -> Any:
    """A ladybug value as Python's: a node or relationship as its properties (and its
    label as ``_label``), lists and maps element by element; dates stay dates."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value:
            out = {"_label": value["_LABEL"]}
            out.update(
                (k, plain(v)) for k, v in value.items() if not k.startswith("_") and v is not None
            )
            return out
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# -- errors, explained ------------------------------------------------------------------

_POSITION = re.compile(r"\(line: (\d+), offset: (\d+)\)")
_DIALECT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), note)
    for pattern, note in (
        (
            r"has data type ANY but",
            "the embedded engine needs a typed null where a column is null in one branch "
            "of a UNION and typed in another: CAST(NULL AS STRING) (or INT64, DATE, ...)",
        ),
        (
            r"Error occurred during parsing interval",
            "the embedded engine does not take Neo4j's duration(...) forms; pass a number "
            "of days as a parameter of type days, or compare with $months_before_as_of",
        ),
        (
            r"has data type DATE but \(NODE,REL,STRUCT",
            "the embedded engine has no .year/.month/.day on dates; use date_part('year', d)",
        ),
    )
)
_MISSING_FUNCTION = {
    "DATETIME": "the embedded engine has dates but no datetime()",
    "ELEMENTID": "the embedded engine has no elementId(); use the node's id property",
    "REDUCE": "the embedded engine has no reduce(); use list_sum, list_product or an aggregation",
    "STARTNODE": "the embedded engine has no startNode()/endNode(); name the ends in the "
    "pattern, (a)-[r]->(b)",
    "ENDNODE": "the embedded engine has no startNode()/endNode(); name the ends in the "
    "pattern, (a)-[r]->(b)",
    "TIMESTAMP": "the embedded engine has no timestamp(); pass the time as a parameter",
}
_NEAR_NOTES = (
    (
        re.compile(r"^end$", re.IGNORECASE),
        "END is a keyword to the embedded engine; choose another name (end_id) or quote "
        "it in backticks, `end`",
    ),
    (
        re.compile(r"^shortestPath|^allShortestPaths", re.IGNORECASE),
        "the embedded engine spells shortestPath((a)-[*]-(b)) as (a)-[* SHORTEST 1..n]-(b)",
    ),
    (
        re.compile(r"^exists$", re.IGNORECASE),
        "the embedded engine has no exists(n.p); write n.p IS NOT NULL",
    ),
)


def _line_column(text: str, pattern: str) -> tuple[int | None, int | None]:
    match = re.search(pattern, text, re.IGNORECASE)
    if match is None:
        return None, None
    before = text[: match.start()]
    return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1


def explain(message: str, text: str, timeout: float | None = None) -> CypherError:
    """ladybug's error ``message`` for ``text`` as a one-line CypherError: where in the
    query, what went wrong, and what differs from Neo4j when that is the cause."""
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    if first.strip() == "Interrupted.":
        limit = "" if timeout is None else f" after {timeout:g} s"
        return CypherTimeoutError(f"the query ran out of time and was stopped{limit}")
    kind, _, detail = first.partition(": ")
    detail = detail or first
    position = _POSITION.search(first)
    if kind == "Parser exception" and position:
        at, offset = int(position.group(1)), int(position.group(2))
        lines = text.split("\n")
        rest = lines[at - 1][offset:] if at <= len(lines) else ""
        near = re.match(r"\w+|\S", rest)
        word = near.group(0) if near else ""
        reason = "the query cannot be parsed" + (f" near {word!r}" if word else " here")
        for pattern, note in _NEAR_NOTES:
            if word and pattern.search(word):
                reason += f"; {note}"
                break
        else:
            if re.search(r"\[\s*\w+\s+IN\b.*?\bWHERE\b", text, re.IGNORECASE | re.DOTALL):
                reason += (
                    "; the embedded engine has no list comprehensions with WHERE: use "
                    "list_filter(l, x -> ...) and list_transform(l, x -> ...)"
                )
            elif re.search(r"\bWHERE\s+\w+\s*:\s*\w", text):
                reason += (
                    "; the embedded engine does not test labels in WHERE (n:Label): "
                    "put the label in the pattern, MATCH (n:Label), or compare "
                    "label(n) = 'Label'"
                )
        return CypherError(reason, at, offset + 1)
    function = re.search(r"function (\w+) does not exist", detail)
    if function:
        name = function.group(1)
        line, column = _line_column(text, rf"\b{name}\s*\(")
        note = _MISSING_FUNCTION.get(name.upper(), "it is not a function of the embedded engine")
        return CypherError(f"unknown function {name.lower()}(): {note}", line, column)
    table = re.search(r"Table (\w+) does not exist", detail)
    if table:
        name = table.group(1)
        line, column = _line_column(text, rf":\s*`?{name}\b")
        schema = load_schema()
        known = [*schema.labels, *schema.relations]
        return CypherError(
            f"{name} is no label or relationship type of the ontology" + did_you_mean(name, known),
            line,
            column,
        )
    prop = re.search(r"Cannot find property (\w+) for (\w+)", detail)
    if prop:
        name, var = prop.group(1), prop.group(2)
        line, column = _line_column(text, rf"\b{var}\s*\.\s*{name}\b")
        return CypherError(
            f"{var} has no property {name}: the embedded engine knows only the ontology's "
            "properties of each label and fails where Neo4j would return null",
            line,
            column,
        )
    if "STRING but LIST" in detail and re.search(r"\blabels\s*\(", text, re.IGNORECASE):
        line, column = _line_column(text, r"\blabels\s*\(")
        return CypherError(
            "the embedded engine's labels(n) is one label, a string, not a list (each node "
            "has exactly one label); compare labels(n) = 'Label'",
            line,
            column,
        )
    for pattern, note in _DIALECT:
        if pattern.search(message):
            return CypherError(f"{detail.rstrip('.:')}; {note}")
    return CypherError(detail.rstrip(":"))
