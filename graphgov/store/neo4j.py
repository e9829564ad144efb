"""The Neo4j store, through the official driver: where a team shares one governance
graph. Loads are validated before Neo4j is touched; by default one transaction writes a
whole inventory, or with ``batch_size`` managed write transactions (which retry
transient errors) write it in batches and remove what the inventory no longer has only
after every batch succeeded. Queries run in read transactions.

Several inventories may share a database. ``Neo4jStore.scoped`` reads one of them, with
the catalogue every inventory shares, into an ``InventoryView``: a read-only in-memory
copy on which reads and query twins run, so nothing of another inventory reaches its
results and the packs' Cypher needs no inventory filter."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable

from graphgov.display import quoted
from graphgov.errors import EnvironmentProblem, GraphgovError, StoreConflictError
from graphgov.graph import Counts, Direction, GraphBatch, Node, Relationship, Source
from graphgov.load_statements import Tag, run_digest
from graphgov.schema import CATALOGUE_ORIGIN, Schema, load_schema, natural_key
from graphgov.store import neo4j_statements as cypher
from graphgov.store.base import CypherError, CypherTimeoutError, GraphStore, Rows, Twin
from graphgov.store.memory import MemoryStore

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
CONNECT_SECONDS = 5.0
Progress = Callable[[int], None]
# Words to add to "no such name" for a misspelt one, from the names there are.
Suggest = Callable[[str, Iterable[str]], str]
# Sends one read statement (a Cypher text and its parameters) and returns its rows.
Read = Callable[[str, Mapping[str, Any]], Iterable[Mapping[str, Any]]]


class InventoryChoiceError(GraphgovError):
    """A read of a shared database named an inventory it does not hold, or named none
    where it holds several (a usage error: exit 2)."""


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect. The password is kept out of repr and messages."""

    uri: str = field(repr=False)  # may hold credentials: bolt://user:password@host
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None

    @classmethod
    def from_env(cls, **given: str | None) -> Neo4jSettings:
        """Settings from the given values, else NEO4J_URI, NEO4J_USERNAME,
        NEO4J_PASSWORD and NEO4J_DATABASE."""
        uri = given.get("uri") or os.environ.get("NEO4J_URI")
        if not uri:
            raise EnvironmentProblem("no Neo4j server given: set NEO4J_URI or --neo4j-uri")
        return cls(
            uri=uri,
            user=given.get("user") or os.environ.get("NEO4J_USERNAME") or "neo4j",
            password=given.get("password") or os.environ.get("NEO4J_PASSWORD") or "",
            database=given.get("database") or os.environ.get("NEO4J_DATABASE") or None,
        )

    @property
    def where(self) -> str:
        """The server and database, for messages (never the password)."""
        parts = urlsplit(self.uri)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
        db = f" (database {self.database})" if self.database else ""
        return f"{parts.scheme}://{host}{port}{db}"


class Neo4jStore(GraphStore):
    """A graph in a Neo4j database."""

    name = "neo4j"

    def __init__(
        self,
        settings: Neo4jSettings,
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
        schema: Schema | None = None,
    ) -> None:
        scheme = urlsplit(settings.uri).scheme
        if scheme not in SCHEMES:
            raise EnvironmentProblem(
                f"cannot use {settings.uri.split('@')[-1]!r}: the URI scheme must be one of "
                + ", ".join(f"{s}://" for s in SCHEMES)
            )
        self.settings = settings
        self.batch_size = batch_size
        self.progress = progress
        self.schema = schema or load_schema()
        self._schema_ready = False
        try:
            self.driver = GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                connection_timeout=CONNECT_SECONDS,
                connection_acquisition_timeout=CONNECT_SECONDS * 2,
                max_transaction_retry_time=30.0,
            )
            # a query, not verify_connectivity(database=...), which is a preview feature:
            # it proves the server, the credentials and the database in one round trip
            with self.driver.session(database=settings.database) as session:
                session.run("RETURN 1").consume()
        except Exception as exc:
            raise self._problem(exc) from None

    def _problem(self, exc: Exception) -> EnvironmentProblem:
        where = self.settings.where
        if isinstance(exc, AuthError):
            return EnvironmentProblem(
                f"Neo4j at {where} refused the credentials of user {self.settings.user!r}"
            )
        if isinstance(exc, ServiceUnavailable):
            return EnvironmentProblem(f"cannot reach Neo4j at {where}: is it running?")
        if isinstance(exc, ClientError) and "DatabaseNotFound" in (exc.code or ""):
            return EnvironmentProblem(
                f"Neo4j at {where} has no database {self.settings.database!r}"
            )
        if isinstance(exc, Neo4jError | DriverError):
            return EnvironmentProblem(f"Neo4j at {where}: {exc.__class__.__name__}")
        return EnvironmentProblem(f"cannot connect to Neo4j at {where}: {exc.__class__.__name__}")

    def close(self) -> None:
        self.driver.close()

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.settings.database)

    def _guard(self, work: Callable[[], Any]) -> Any:
        try:
            return work()
        except (Neo4jError, DriverError) as exc:
            raise self._problem(exc) from None

    # -- writing ------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (each IF NOT EXISTS), once per store."""
        if self._schema_ready:
            return

        def create() -> None:
            with self._session() as session:
                for text in cypher.schema_statements(self.schema):
                    session.run(text).consume()

        self._guard(create)
        self._schema_ready = True

    def add(self, batch: GraphBatch) -> None:
        """Load ``batch`` as the inventory named by ``batch.origin``, replacing what a
        previous load of it wrote; other inventories are never touched."""
        tag = Tag(batch.origin or CATALOGUE_ORIGIN, run_digest(batch))
        self.ensure_schema()
        plan = list(
            cypher.write_plan(
                self.schema, batch, tag, self._labels_of(batch), self.batch_size or 1000
            )
        )
        self._guard(lambda: self._write(batch, tag, plan))

    def _labels_of(self, batch: GraphBatch) -> dict[str, str]:
        """Labels of the nodes the batch's relationships reach outside the batch."""
        inside = {n.id for n in batch.nodes}
        outside = {e for r in batch.relationships for e in (r.start, r.end)} - inside
        if not outside:
            return {}
        rows = self.execute(cypher.labels_statement(self.schema), None, {"ids": sorted(outside)})
        return {r["id"]: next(la for la in r["labels"] if la in self.schema.labels) for r in rows}

    def _write(self, batch: GraphBatch, tag: Tag, plan: Sequence[cypher.WriteStep]) -> None:
        with self._session() as session:
            if self.batch_size is None:
                with session.begin_transaction() as tx:
                    self._refuse_clashes(tx, batch, tag)
                    for text, params in plan:
                        tx.run(text, params).consume()
                        self._advance(params)
                    tx.commit()
                return
            session.execute_read(lambda tx: self._refuse_clashes(tx, batch, tag))
            for text, params in plan:
                session.execute_write(_run_one, text, params)
                self._advance(params)

    def _advance(self, params: Mapping[str, Any]) -> None:
        if self.progress is not None:
            self.progress(len(params.get("rows", ())))

    def _refuse_clashes(
        self, tx: neo4j.ManagedTransaction | neo4j.Transaction, batch: GraphBatch, tag: Tag
    ) -> None:
        by_label: dict[str, list[str]] = {}
        for node in batch.nodes:
            by_label.setdefault(node.label, []).append(node.id)
        clashes = []
        for label, ids in sorted(by_label.items()):
            result = tx.run(cypher.clash_statement(label), ids=ids, inventory=tag.inventory)
            clashes += [f"{r['id']} (in {r['inventory']})" for r in result]
        if clashes:
            raise StoreConflictError(
                "nothing was loaded; ids already used by another inventory: "
                + ", ".join(clashes[:10])
            )

    # -- reading ------------------------------------------------------------------------

    def execute(
        self,
        cypher_text: str,
        twin: Twin | None,
        parameters: Mapping[str, Any],
    ) -> list[dict[str, Any]]:
        """Run a query's Cypher in a read transaction; Neo4j values come back as Python's."""

        def work() -> list[dict[str, Any]]:
            with self._session() as session:
                return session.execute_read(_rows, cypher_text, parameters)

        rows: list[dict[str, Any]] = self._guard(work)
        return rows

    def cypher(
        self,
        text: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> Rows:
        """Run a user's own read-only Cypher ``text`` in a read transaction that the
        server stops after ``timeout`` seconds, reading at most ``limit`` rows (one more
        to tell whether rows were cut). Raises CypherTimeoutError past the timeout and
        CypherError, of one line naming where in the text, for what the server refuses."""

        @neo4j.unit_of_work(timeout=timeout)
        def read(tx: neo4j.ManagedTransaction) -> Rows:
            result = tx.run(text, dict(parameters))
            rows = (tuple(_python(v) for v in record.values()) for record in result)
            return Rows.taken(tuple(result.keys()), rows, limit)

        try:
            with self._session() as session:
                rows: Rows = session.execute_read(read)
        except ClientError as exc:
            raise server_error(exc.code or "", exc.message or "", timeout) from None
        except (Neo4jError, DriverError) as exc:
            raise self._problem(exc) from None
        return rows

    def inventories(self) -> list[str]:
        """The names of the inventories loaded into the database (not the catalogue's),
        in natural order."""
        return list_inventories(self.schema, lambda t, p: self.execute(t, None, p))

    def reading(self, inventory: str | None, suggest: Suggest | None = None) -> GraphStore:
        """What a command that reads should read: the inventory named ``inventory`` (and
        the catalogue) alone; with none named, the whole database, when it holds at most
        one inventory. Raises InventoryChoiceError, ``suggest`` completing the message for
        a misspelt name, otherwise: results of several inventories are never mixed."""
        held = self.inventories()
        chosen = choose_inventory(held, inventory, self.settings.where, suggest)
        return self if chosen is None else self.scoped(chosen)

    def scoped(self, inventory: str) -> InventoryView:
        """The inventory named ``inventory`` with the catalogue, read in one transaction
        (so a load running meanwhile is seen whole or not at all). Raises
        InventoryChoiceError when the database holds no such inventory."""

        def read(tx: neo4j.ManagedTransaction) -> InventoryView:
            return read_inventory(self.schema, lambda t, p: _rows(tx, t, p), inventory)

        def work() -> InventoryView:
            with self._session() as session:
                return session.execute_read(read)

        view: InventoryView = self._guard(work)
        return view

    def _nodes(self, text: str, **params: Any) -> list[Node]:
        return [
            _node(self.schema, row["node"], row["labels"])
            for row in self.execute(text, None, params)
        ]

    def node(self, node_id: str) -> Node | None:
        found = self._nodes(cypher.node_read_statement(self.schema), id=node_id)
        return found[0] if found else None

    def nodes(self, label: str) -> Iterator[Node]:
        return iter(self._nodes(cypher.nodes_statement(label)))

    def relationships(self, rel_type: str) -> Iterator[Relationship]:
        rows = self.execute(cypher.relationships_statement(rel_type), None, {})
        return iter(
            Relationship(rel_type, r["start"], r["end"], Source(r["source_file"], r["source_line"]))
            for r in rows
        )

    def neighbours(
        self, node_id: str, rel_type: str, direction: Direction = "out"
    ) -> Iterator[Node]:
        text = cypher.neighbours_statement(self.schema, rel_type, direction)
        return iter(self._nodes(text, id=node_id))

    def counts(self) -> Counts:
        labels_text, types_text = cypher.count_statements()
        labels = {r["label"]: r["count"] for r in self.execute(labels_text, None, {})}
        types = {r["type"]: r["count"] for r in self.execute(types_text, None, {})}
        return Counts(labels, types)


class InventoryView(MemoryStore):
    """One inventory of a shared Neo4j database and the catalogue, copied into memory:
    every read and every query's twin runs on this copy alone. Read-only."""

    name = "neo4j"

    def __init__(self, inventory: str, batch: GraphBatch) -> None:
        super().__init__()
        super().add(batch)
        self.inventory = inventory

    def add(self, batch: GraphBatch) -> None:
        raise EnvironmentProblem(
            f"inventory {quoted(self.inventory)}, as read from Neo4j, is read-only; "
            "load into Neo4j with `graphgov load INVENTORY --store neo4j`"
        )

    def execute(
        self,
        cypher_text: str,
        twin: Twin | None,
        parameters: Mapping[str, Any],
    ) -> Iterable[Mapping[str, Any]]:
        if twin is None:
            raise EnvironmentProblem(
                "this query has no in-memory twin, which reading one inventory of a shared "
                f"database (--inventory {quoted(self.inventory)}) needs: its Cypher would "
                "read every inventory in the database"
            )
        return twin(self, parameters)


def choose_inventory(
    held: Sequence[str], named: str | None, where: str, suggest: Suggest | None = None
) -> str | None:
    """The inventory to read of a database at ``where`` holding ``held``: ``named``, or
    None (the whole database) when none is named and it holds at most one. Raises
    InventoryChoiceError when ``named`` is not held, or none is named and several are."""
    listed = ", ".join(quoted(name) for name in held) or "none"
    if named is None:
        if len(held) > 1:
            raise InventoryChoiceError(
                f"Neo4j at {where} holds {len(held)} inventories ({listed}); "
                "name the one to read with --inventory NAME"
            )
        return None
    if named not in held:
        hint = suggest(named, held) if suggest else ""
        raise InventoryChoiceError(
            f"--inventory: Neo4j at {where} holds no inventory {quoted(named)}{hint}; "
            f"it holds: {listed}"
        )
    return named


def list_inventories(schema: Schema, read: Read) -> list[str]:
    """The names of the inventories a shared database holds, through ``read``: every
    inventory tag but the catalogue's, in natural order."""
    rows = read(cypher.inventories_statement(schema), {})
    names = {r["inventory"] for r in rows} - {CATALOGUE_ORIGIN, None, ""}
    return sorted(names, key=natural_key)


def read_inventory(schema: Schema, read: Read, inventory: str) -> InventoryView:
    """What the inventory ``inventory`` wrote into a shared database, and the catalogue,
    through ``read``: the nodes both tagged, and the relationships both tagged between
    them. Raises InventoryChoiceError when no node carries the name."""
    scope = {"inventories": sorted({inventory, CATALOGUE_ORIGIN})}
    nodes: list[Node] = []
    held = False
    for label in schema.labels:
        for row in read(cypher.scoped_nodes_statement(label), scope):
            data = row["node"]
            held = held or data.get("inventory") == inventory
            nodes.append(_node(schema, data, [label]))
    if not held:
        raise InventoryChoiceError(f"the database holds no inventory {quoted(inventory)}")
    relationships = [
        Relationship(
            rel_type, r["start_id"], r["end_id"], Source(r["source_file"], r["source_line"])
        )
        for rel_type in schema.relations
        for r in read(cypher.scoped_relationships_statement(rel_type), scope)
    ]
    return InventoryView(inventory, GraphBatch(tuple(nodes), tuple(relationships), inventory))


def _node(schema: Schema, data: Mapping[str, Any], labels: Sequence[str]) -> Node:
    """A stored node as graphgov's Node: its ontology properties that have a value,
    without the provenance the store manages."""
    label = next((la for la in labels if la in schema.labels), labels[0])
    managed = {p.name for p in schema.provenance}
    spec = schema.labels.get(label)
    keys = [k for k in data if k not in managed] if spec is None else spec.properties
    props = {k: data[k] for k in keys if k not in managed and data.get(k) is not None}
    return Node(
        label,
        str(data["id"]),
        props,
        Source(data.get("source_file", ""), data.get("source_line")),
    )


def _rows(
    tx: neo4j.ManagedTransaction, text: str, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The rows of one read statement; Neo4j values come back as Python's."""
    return [
        {k: _python(v) for k, v in record.items()}  # type: ignore[no-untyped-call]
        for record in tx.run(text, dict(params))
    ]


_SERVER_POSITION = re.compile(r"\(line (\d+), column (\d+)")


def server_error(code: str, message: str, timeout: float | None) -> CypherError:
    """What Neo4j said about a user's Cypher text (its status ``code`` and ``message``)
    as a one-line CypherError: a timeout as CypherTimeoutError, a syntax error with the
    line and column the server names.

    >>> str(server_error("Neo.ClientError.Transaction.TransactionTimedOut", "...", 0.5))
    'the query ran out of time and was stopped after 0.5 s'
    >>> str(server_error("Neo.ClientError.Statement.SyntaxError",
    ...     "Invalid input 'RETRN': expected 'RETURN' (line 1, column 10 (offset: 9))", None))
    "line 1, column 10: Invalid input 'RETRN': expected 'RETURN'"
    """
    if "TransactionTimedOut" in code:
        after = "" if timeout is None else f" after {timeout:g} s"
        return CypherTimeoutError(f"the query ran out of time and was stopped{after}")
    first = message.strip().splitlines()[0] if message.strip() else code or "unknown error"
    position = _SERVER_POSITION.search(first)
    if position is None:
        return CypherError(f"Neo4j refused the query: {first}")
    reason = first[: position.start()].rstrip(" ,(")
    return CypherError(reason, int(position.group(1)), int(position.group(2)))


def _run_one(tx: neo4j.ManagedTransaction, text: str, params: Mapping[str, Any]) -> None:
    """One statement in a managed write transaction (retried on transient errors)."""
    tx.run(text, dict(params)).consume()


def _python(value: Any) -> Any:
    """Neo4j's temporal and graph values as plain Python."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, neo4j.graph.Node):
        return {k: _python(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_python(v) for v in value]
    return value
