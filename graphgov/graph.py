"""The graph model every stage shares: nodes, relationships and where each came from.

A graph holds millions of these, so they have slots and no per-object dict (72 bytes
a relationship instead of 112: 200 MB less at a million nodes), and are not frozen
dataclasses: a frozen one is built through ``object.__setattr__`` field by field, 3.5x
slower (2.9 million relationships: 1.96 s instead of 0.56 s). They are values all the
same: nothing assigns to one after it is built, and a Source or a Relationship hashes
by what it holds."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Value = str | bool | int | float | date
Direction = Literal["out", "in"]


@dataclass(order=True, slots=True, unsafe_hash=True)
class Source:
    """Where a fact came from: a file relative to its inventory folder, and a line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(slots=True)
class Node:
    """A node: its label, its id (unique in the whole graph), properties and source."""

    label: str
    id: str
    properties: Mapping[str, Value]
    source: Source

    @property
    def name(self) -> str:
        return str(self.properties.get("name", self.id))

    def get(self, name: str) -> Value | None:
        return self.properties.get(name)


@dataclass(slots=True, unsafe_hash=True)
class Relationship:
    """A typed, directed relationship from ``start`` to ``end`` (node ids)."""

    type: str
    start: str
    end: str
    source: Source


@dataclass(frozen=True)
class GraphBatch:
    """Validated nodes and relationships, ready for a store to add in one go."""

    nodes: tuple[Node, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    origin: str = ""

    def __add__(self, other: GraphBatch) -> GraphBatch:
        return GraphBatch(
            self.nodes + other.nodes,
            self.relationships + other.relationships,
            self.origin or other.origin,
        )


@dataclass(frozen=True)
class Counts:
    """How many nodes per label and relationships per type a store holds."""

    labels: Mapping[str, int] = field(default_factory=dict)
    relationships: Mapping[str, int] = field(default_factory=dict)

    @property
    def nodes(self) -> int:
        return sum(self.labels.values())

    @property
    def edges(self) -> int:
        return sum(self.relationships.values())


@contextlib.contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """For building a graph: it makes millions of small objects that are all kept, so
    the cycle collector would walk them again and again as they pile up, for nothing to
    free (reading, adding to a store, RDF). The collector is as it was afterwards.

    ``keep``: what exists when the block ends is kept for as long as the process needs
    its graph (a store's), so it is moved out of the collector's sight (``gc.freeze``)
    before the collector resumes; else its first collection walks all of it once more
    (1.8 s at a million nodes), and every later full one again, during the queries.
    Cyclic garbage made in the block is then never collected: the block should make
    none worth the name."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()
