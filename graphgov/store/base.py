"""The interface every graph store implements."""

from __future__ import annotations

import importlib
import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphgov.errors import EnvironmentProblem, GraphgovError
from graphgov.graph import Counts, Direction, GraphBatch, Node, Relationship

PANDAS_HINT = "pip install pandas"


class GraphStore(ABC):
    """A graph of typed nodes and relationships, each with its source."""

    name: str

    @abstractmethod
    def add(self, batch: GraphBatch) -> None:
        """Add every node and relationship of ``batch``, or, if any clashes with what the
        store holds, none of them (StoreConflictError)."""

    @abstractmethod
    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""

    @abstractmethod
    def nodes(self, label: str) -> Iterator[Node]:
        """Every node with this label, in the order they were added."""

    @abstractmethod
    def relationships(self, rel_type: str) -> Iterator[Relationship]:
        """Every relationship of this type, in the order they were added."""

    @abstractmethod
    def neighbours(
        self, node_id: str, rel_type: str, direction: Direction = "out"
    ) -> Iterator[Node]:
        """The nodes joined to ``node_id`` by ``rel_type``: its ends when ``direction``
        is "out", its starts when "in"."""

    def adjacency(
        self, rel_type: str, direction: Direction = "out"
    ) -> Mapping[str, Sequence[str]] | None:
        """The ids ``neighbours`` gives for every node, by node id, when the store holds
        them at hand (an index in memory, not to be changed), else None: a walk over many
        nodes then looks each one's up there instead of asking node by node."""
        return None

    @abstractmethod
    def counts(self) -> Counts:
        """Nodes per label and relationships per type."""

    @abstractmethod
    def execute(
        self,
        cypher: str,
        twin: Twin | None,
        parameters: Mapping[str, Any],
    ) -> Iterable[Mapping[str, Any]]:
        """Run a read-only query: its Cypher on a Cypher engine, or its in-memory twin.
        Returns rows as column-to-value mappings."""

    def cypher(
        self,
        text: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> Rows:
        """Run a Cypher text (a user's own, already checked to be read-only: see
        graphgov.runner.run_cypher): at most ``limit`` rows, stopped after ``timeout``
        seconds where the store can stop a query. This default runs it through
        ``execute`` with no twin and does not enforce the timeout; the memory store
        runs it on its embedded Cypher engine."""
        records = iter(self.execute(text, None, parameters))
        first = next(records, None)
        columns = tuple(first) if first is not None else ()
        every = itertools.chain([] if first is None else [first], records)
        rows = (tuple(r[c] for c in columns) for r in every)
        return Rows.taken(columns, rows, limit)

    def has(self, node_id: str) -> bool:
        return self.node(node_id) is not None

    def close(self) -> None:  # noqa: B027 - a store with nothing to release need not override
        """Release what the store holds open."""


# A query's in-memory implementation: the store and the parameters in, rows out.
Twin = Callable[[GraphStore, Mapping[str, Any]], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Rows:
    """The rows a query returned: ``columns`` and, in the same order, the values of each
    row in ``rows``; ``truncated`` when a limit cut rows off; ``query`` the pack query's
    ref ('pack/id'), None for a Cypher text of one's own. Iterating gives each row as a
    dict from column to value.

    >>> rows = Rows(("id", "risk_tier"), (("credit-scoring", "high"), ("fraud", "limited")))
    >>> len(rows), rows.columns
    (2, ('id', 'risk_tier'))
    >>> rows[0]
    {'id': 'credit-scoring', 'risk_tier': 'high'}
    >>> [r["id"] for r in rows if r["risk_tier"] == "high"]
    ['credit-scoring']
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool = False
    query: str | None = None

    @classmethod
    def taken(
        cls, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]], limit: int | None
    ) -> Rows:
        """The first ``limit`` of ``rows`` (all of them when None), reading one more to
        tell whether rows were cut, and no further.

        >>> Rows.taken(("n",), ((i,) for i in range(5)), 2)
        Rows(columns=('n',), rows=((0,), (1,)), truncated=True, query=None)
        """
        kept = list(itertools.islice(rows, None if limit is None else limit + 1))
        truncated = limit is not None and len(kept) > limit
        return cls(columns, tuple(kept[:limit] if truncated else kept), truncated)

    def records(self) -> list[dict[str, Any]]:
        """Every row as a dict from column to value."""
        return list(self)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return dict(zip(self.columns, self.rows[index], strict=True))

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame with these columns. pandas is not a dependency
        of graphgov: without it this raises EnvironmentProblem saying to
        ``pip install pandas``."""
        try:
            pandas = importlib.import_module("pandas")
        except ModuleNotFoundError:
            raise EnvironmentProblem(
                f"Rows.to_pandas needs pandas, which graphgov does not install: {PANDAS_HINT}"
            ) from None
        return pandas.DataFrame([list(row) for row in self.rows], columns=list(self.columns))


class CypherError(GraphgovError):
    """A Cypher text failed: ``line`` and ``column`` (1-based) say where, when known.
    The message is one line."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(" ".join(f"{where}{reason}".split()))


class CypherWriteError(CypherError):
    """The text would write (or reach outside the graph); nothing ran."""


class CypherTimeoutError(CypherError):
    """The query ran past its time limit and was stopped."""
