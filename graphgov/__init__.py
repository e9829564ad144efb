"""graphgov: a knowledge-graph governance and traceability engine for ISO/IEC 42001.

For analysts, ``graphgov.open`` loads an inventory and answers questions from Python
(see ``graphgov.api``)::

    import graphgov
    g = graphgov.open("acme/", as_of="2026-11-23")
    g.check()                                   # findings, most severe first
    g.query("MATCH (s:AISystem) RETURN s.id, s.risk_tier")

Importing graphgov is cheap: the engine is imported on first use of these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from graphgov.api import Finding, Governance, InvalidInputError, Rows, open

__all__ = ["Finding", "Governance", "InvalidInputError", "Rows", "__version__", "open"]

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    # the engine (schema, stores, packs) is read only when the API is first used
    if name in _API:
        from graphgov import api

        return getattr(api, name)
    raise AttributeError(f"module 'graphgov' has no attribute {name!r}")
