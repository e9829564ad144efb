"""The interface every graph store implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from graphgov.graph import Counts, Direction, GraphBatch, Node, Relationship


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

    def has(self, node_id: str) -> bool:
        return self.node(node_id) is not None

    def close(self) -> None:  # noqa: B027 - a store with nothing to release need not override
        """Release what the store holds open."""


# A query's in-memory implementation: the store and the parameters in, rows out.
Twin = Callable[[GraphStore, Mapping[str, Any]], Iterable[Mapping[str, Any]]]
