"""Building blocks for in-memory twins of queries. Each helper mirrors one Cypher idiom
the packs use, with the same null semantics, so a twin reads like its Cypher."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date
from typing import Any, TypeVar

from graphgov.graph import Direction, Node
from graphgov.store.base import GraphStore, Twin

T = TypeVar("T", bound=Twin)

# Relationship types along which data and models flow into a system (dependent -> what
# it is built on), and those plus system-to-system dependencies: the Cypher of the packs
# spells the same lists.
FEEDS = ("USES_DATASET", "USES_MODEL", "TRAINED_ON", "BASED_ON", "DERIVED_FROM")
DEPENDS = (*FEEDS, "DEPENDS_ON")

# Variable-length patterns in the packs' Cypher use this bound (a literal there, since
# Cypher takes no parameter for it); twins walk no further.
MAX_DEPTH = 10


def registrar(twins: dict[str, Twin]) -> Callable[[str], Callable[[T], T]]:
    """A decorator, ``@twin("query-id")``, that enters a function in ``twins`` as the
    twin of that query: a pack's twins.py fills its TWINS with it, so only the
    functions it marks are twins and each names its query where it is defined."""

    def twin(query_id: str) -> Callable[[T], T]:
        def register(function: T) -> T:
            if query_id in twins:
                raise ValueError(f"two twins for the query {query_id}")
            twins[query_id] = function
            return function

        return register

    return twin


# The helpers below read a node's properties directly rather than through Node.get:
# every check calls them once per system, control or evidence (a million nodes at L),
# and each Node.get is a Python call more.


def subject(node: Node, **extra: Any) -> dict[str, Any]:
    """The subject columns every check returns, plus ``extra`` columns."""
    return {
        "id": node.id,
        "label": node.label,
        "name": node.get("name"),
        "source_file": node.source.file,
        "source_line": node.source.line,
        **extra,
    }


def in_scope_systems(store: GraphStore) -> Iterator[Node]:
    """``MATCH (s:AISystem) WHERE s.in_scope = true``"""
    return (s for s in store.nodes("AISystem") if s.properties.get("in_scope") is True)


def high_risk_systems(store: GraphStore, tiers: Collection[str]) -> Iterator[Node]:
    """``MATCH (s:AISystem) WHERE s.in_scope = true AND s.risk_tier IN $high_risk_tiers``"""
    return (s for s in in_scope_systems(store) if s.properties.get("risk_tier") in tiers)


def controls_on(
    store: GraphStore, target: str, control_type: str, status: Iterable[str] = ("implemented",)
) -> list[Node]:
    """Controls of a type and status that APPLY_TO ``target``."""
    wanted = set(status)
    return [
        c
        for c in store.neighbours(target, "APPLIES_TO", "in")
        if (p := c.properties).get("control_type") == control_type and p.get("status") in wanted
    ]


def is_current(evidence: Node, as_of: date) -> bool:
    """``e.issued_on <= $as_of AND (e.valid_until IS NULL OR e.valid_until >= $as_of)``"""
    properties = evidence.properties
    issued, until = properties.get("issued_on"), properties.get("valid_until")
    return (
        isinstance(issued, date)
        and issued <= as_of
        and (until is None or (isinstance(until, date) and until >= as_of))
    )


def has_current_evidence(store: GraphStore, node_id: str, as_of: date) -> bool:
    return any(is_current(e, as_of) for e in store.neighbours(node_id, "EVIDENCED_BY"))


def before(value: Any, limit: date) -> bool:
    """``value < limit`` where a null value is never before anything."""
    return isinstance(value, date) and value < limit


def months_passed(earlier: Any, months: Any, months_before_as_of: Iterable[Any]) -> bool:
    """``any(m IN $months_before_as_of WHERE m.months = months AND earlier < m.day)``:
    more than ``months`` calendar months passed between ``earlier`` and the as-of date
    (null, or a count of months the parameter does not list, is never overdue)."""
    return isinstance(earlier, date) and any(
        m["months"] == months and not isinstance(months, bool) and earlier < m["day"]
        for m in months_before_as_of
    )


def walk(
    store: GraphStore,
    start: str | Collection[str],
    types: Iterable[str],
    direction: Direction,
    max_depth: int = MAX_DEPTH,
    *,
    back_to_start: bool = False,
) -> Iterator[tuple[int, str, Node, str]]:
    """Breadth first from ``start`` (a node id, or several walked as one: the union of
    their walks, each node at its shortest depth from any) over ``types`` in
    ``direction``, each node once, at its shortest depth: (depth, relationship type,
    node, the node it was reached from). With ``back_to_start`` a start node is reported
    too if a path of one hop or more leads to it (a cycle, or from another start), as a
    Cypher path of one hop or more would."""
    types = tuple(types)
    starts = [start] if isinstance(start, str) else list(dict.fromkeys(start))
    # a start is walked from at depth 0 whether or not it is reached again later
    seen = set() if back_to_start else set(starts)
    frontier = deque((s, 0) for s in starts)
    walked = set(starts)
    # the store's index of each type, where it has one: a node's ids looked up there,
    # and a Node made only for the nodes reached (most have no neighbour of most types)
    indexes = [store.adjacency(rel_type, direction) for rel_type in types]
    while frontier:
        node_id, depth = frontier.popleft()
        if depth == max_depth:
            continue
        for rel_type, index in zip(types, indexes, strict=True):
            if index is None:
                others: Iterable[Node] = store.neighbours(node_id, rel_type, direction)
            else:
                ids = index.get(node_id)
                if not ids:
                    continue
                others = [n for i in ids if i not in seen and (n := store.node(i)) is not None]
            for other in others:
                if other.id not in seen:
                    seen.add(other.id)
                    yield depth + 1, rel_type, other, node_id
                    if other.id not in walked:
                        walked.add(other.id)
                        frontier.append((other.id, depth + 1))


def reach(
    store: GraphStore,
    start: str | Collection[str],
    types: Iterable[str],
    direction: Direction,
    max_depth: int = MAX_DEPTH,
    *,
    include_start: bool = False,
) -> list[Node]:
    """Nodes reachable from ``start`` (an id, or several: the union of what each
    reaches) over ``types`` in ``direction`` within ``max_depth`` hops
    (``-[:A|B*1..max_depth]->``; ``*0..`` with ``include_start``)."""
    starts = [start] if isinstance(start, str) else list(dict.fromkeys(start))
    first = [n for s in starts if (n := store.node(s)) is not None] if include_start else []
    found = [
        node
        for _, _, node, _ in walk(
            store, starts, types, direction, max_depth, back_to_start=not include_start
        )
    ]
    return [*first, *found]
