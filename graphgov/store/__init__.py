"""Graph stores: where validated nodes and relationships live. The in-memory store is
the default; others (Neo4j) implement the same interface and register here."""

from __future__ import annotations

from collections.abc import Callable

from graphgov.store.base import (
    CypherError,
    CypherTimeoutError,
    CypherWriteError,
    GraphStore,
    Rows,
)
from graphgov.store.memory import MemoryStore

STORES: dict[str, Callable[[], GraphStore]] = {"memory": MemoryStore}

__all__ = [
    "STORES",
    "CypherError",
    "CypherTimeoutError",
    "CypherWriteError",
    "GraphStore",
    "MemoryStore",
    "Rows",
]
