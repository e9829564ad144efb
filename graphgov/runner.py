"""Running queries on a store: parameters resolved, rows put in the query's columns and
in one deterministic order, whichever store answered."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphgov.errors import GraphgovError, InvalidInputError, Problem
from graphgov.packs import Pack, Query
from graphgov.store.base import GraphStore


@dataclass(frozen=True)
class Result:
    """The rows a query returned, in its columns' order, sorted."""

    query: Query
    parameters: Mapping[str, Any]
    rows: tuple[tuple[Any, ...], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.query.definition.columns

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def run(query: Query, store: GraphStore, parameters: Mapping[str, Any]) -> Result:
    """Run ``query`` with already resolved ``parameters`` (see Query.parameters)."""
    raw = store.execute(query.cypher, query.twin, parameters)
    return Result(query, dict(parameters), tuple(sorted_rows(raw, query.definition.columns)))


def sorted_rows(raw: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows as tuples in ``columns`` order, sorted with nulls first in every column."""
    rows = []
    for record in raw:
        if set(record) != set(columns):
            raise GraphgovError(
                f"a query returned columns {sorted(record)}, not the declared {list(columns)}"
            )
        rows.append(tuple(record[c] for c in columns))
    return sorted(
        rows,
        key=lambda row: tuple((v is not None, v) if v is not None else (False, 0) for v in row),
    )


def find(packs: Sequence[Pack], ref: str) -> Query:
    """The query named ``pack/id`` (or a bare id when only one pack has it)."""
    pack_name, _, query_id = ref.rpartition("/")
    candidates = [
        q
        for p in packs
        if not pack_name or p.name == pack_name
        for q in p.queries
        if q.definition.id == query_id
    ]
    if len(candidates) == 1:
        return candidates[0]
    known = ", ".join(q.ref for p in packs for q in p.queries)
    reason = (
        "is ambiguous; name its pack" if candidates else f"is not a known query (known: {known})"
    )
    raise InvalidInputError([Problem(ref, None, None, reason)])


def run_all(
    queries: Sequence[Query], store: GraphStore, given: Mapping[str, str], as_of: date
) -> list[Result]:
    """Run every query; ``given`` parameters go to the queries that declare them, and a
    parameter no query declares is an error."""
    declared = {p.name for q in queries for p in q.definition.parameters}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise InvalidInputError(
            [
                Problem("--param", None, name, "no query here takes this parameter")
                for name in unknown
            ]
        )
    results = []
    for query in queries:
        names = {p.name for p in query.definition.parameters}
        params = query.parameters({k: v for k, v in given.items() if k in names}, as_of)
        results.append(run(query, store, params))
    return results
