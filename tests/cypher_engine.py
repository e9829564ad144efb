"""ladybug, a real embedded Cypher engine, holding the same graph as the in-memory store:
the product's own embedded engine (graphgov.store.embedded_cypher), whose tables come
from the ontology and which graphgov's load statements fill, so the tests and the
product share one loader of the write plan. Every Cypher text sent through ``query`` is
recorded in ``sent``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphgov.store.embedded_cypher import EmbeddedCypher, ddl

__all__ = ["CypherEngine", "ddl"]


class CypherEngine(EmbeddedCypher):
    """An in-process ladybug database with the ontology's tables."""

    def query(self, text: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every row of ``text``; any Cypher, writes included (the write plans)."""
        return self.rows(text, parameters)

    def execute(
        self, cypher: str, twin: object, parameters: Mapping[str, Any]
    ) -> Iterable[Mapping[str, Any]]:
        """The store-shaped entry point the runner calls: the Cypher, never the twin."""
        return self.query(cypher, parameters)
