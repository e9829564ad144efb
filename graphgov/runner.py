"""Running queries on a store: parameters resolved, rows put in the query's columns and
in one deterministic order, whichever store answered."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphgov.errors import GraphgovError, InvalidInputError, Problem
from graphgov.lookup import did_you_mean, named_node
from graphgov.packs import Pack, Query
from graphgov.schema import natural_key
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
    # the ontology's vocabularies, for callers that resolved parameters by hand
    parameters = {**query.vocabularies, **parameters}
    raw = store.execute(query.cypher, query.twin, parameters)
    return Result(query, parameters, tuple(sorted_rows(raw, query.definition.columns)))


def check_named(query: Query, store: GraphStore, parameters: Mapping[str, Any]) -> None:
    """Raise UnknownRecordError when a parameter that names a record (its metadata gives
    the record's label) names none in ``store``: a user's typo must not read as an empty
    answer. Run before ``run`` wherever a person gave the parameters."""
    for param in query.definition.parameters:
        value = parameters.get(param.name)
        if param.label is not None and value is not None:
            for node_id in value if isinstance(value, list) else [value]:
                named_node(store, str(node_id), [param.label], where=f"parameter {param.name}")


def sorted_rows(raw: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows as tuples in ``columns`` order, sorted with nulls first in every column."""
    rows = []
    for record in raw:
        if set(record) != set(columns):
            raise GraphgovError(
                f"a query returned columns {sorted(record)}, not the declared {list(columns)}"
            )
        rows.append(tuple(record[c] for c in columns))
    return sorted(rows, key=lambda row: tuple(_order(v) for v in row))


def _order(value: Any) -> tuple[bool, Any]:
    """Nulls first; ids and other text in natural order (A.2.2 before A.10.2)."""
    if value is None:
        return (False, 0)
    return (True, natural_key(value) if isinstance(value, str) else value)


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
    refs = [q.ref for p in packs for q in p.queries]
    if candidates:
        reason = "is ambiguous; name its pack: " + ", ".join(q.ref for q in candidates)
    else:
        ids = [*refs, *(ref.split("/", 1)[1] for ref in refs)]
        reason = f"is not a known query{did_you_mean(ref, ids)}; `graphgov query list` lists them"
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
        check_named(query, store, params)
        results.append(run(query, store, params))
    return results
