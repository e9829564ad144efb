"""Running queries on a store: parameters resolved, rows put in the query's columns and
in one deterministic order, whichever store answered."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphgov.display import did_you_mean
from graphgov.errors import GraphgovError, InvalidInputError, Problem
from graphgov.lookup import named_node
from graphgov.packs import Pack, Query, cypher_problems, strip_literals
from graphgov.parameters import given
from graphgov.schema import natural_key
from graphgov.store.base import CypherWriteError, GraphStore, Rows


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

    def as_rows(self) -> Rows:
        """The rows as every query's answer is given (the API's, the row formats')."""
        return Rows(self.columns, self.rows, query=self.query.ref)


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
    wanted = set(columns)
    rows = []
    for record in raw:
        if record.keys() != wanted:
            raise GraphgovError(
                f"a query returned columns {sorted(record)}, not the declared {list(columns)}"
            )
        rows.append(tuple(record[c] for c in columns))
    try:
        keys = _rank_keys(rows, len(columns))
    except TypeError:  # values no order relates; some may never be compared: as below
        return sorted(rows, key=lambda row: tuple(map(_order, row)))
    order = sorted(range(len(rows)), key=keys.__getitem__)
    return [rows[i] for i in order]


def _order(value: Any) -> tuple[bool, Any]:
    """Nulls first; ids and other text in natural order (A.2.2 before A.10.2)."""
    if value is None:
        return (False, 0)
    if not isinstance(value, str):
        return (True, value)
    return (True, natural_key(value))


def _rank_keys(rows: list[tuple[Any, ...]], width: int) -> list[tuple[int, ...]]:
    """Each row's key in ``_order``'s order as numbers: each column's distinct values
    ranked once (rows of text keys compared again and again were most of sorting a
    236k-row exploration), and no further column than it takes to tell rows apart.
    Raises TypeError for a column whose values no order relates."""
    keys: list[tuple[int, ...]] = [()] * len(rows)
    for i in range(width):
        ranks = _ranks({row[i] for row in rows})
        keys = [(*key, ranks[row[i]]) for key, row in zip(keys, rows, strict=True)]
        if len(set(keys)) == len(keys):
            break
    return keys


def _ranks(values: set[Any]) -> dict[Any, int]:
    """Each value's place in ``_order``'s order: null first, then text in natural order
    or else other values in theirs (a column of both raises TypeError, as comparing them
    in ``_order`` would)."""
    texts = [v for v in values if isinstance(v, str)]
    others = [v for v in values if v is not None and not isinstance(v, str)]
    if texts and others:
        raise TypeError("text and other values in one column")
    ordered = sorted(texts, key=natural_key) if texts else sorted(others)
    ranks = {value: rank for rank, value in enumerate(ordered)}
    ranks[None] = -1
    return ranks


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


# Beyond Cypher's write clauses (packs.cypher_problems): the embedded engine's own
# statements that write, or read or write outside the graph (files, extensions, other
# databases), and transaction control.
_OUTSIDE = re.compile(
    r"\b(COPY|EXPORT|IMPORT|ATTACH|INSTALL|UNINSTALL|LOAD|ALTER|CHECKPOINT|USE|BEGIN"
    r"|COMMIT|ROLLBACK)\b",
    re.IGNORECASE,
)


def run_cypher(
    store: GraphStore,
    text: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = None,
    limit: int | None = None,
    as_of: date | None = None,
) -> Rows:
    """Run a user's own Cypher ``text`` read-only: refused before anything runs when it
    could write (CypherWriteError; CALL is refused altogether, procedures and CALL { }
    subqueries alike, since graphgov cannot tell the ones that read from those that
    write), stopped after ``timeout`` seconds (CypherTimeoutError), cut to ``limit`` rows
    (``truncated`` then says so). Engine errors are CypherErrors of one line naming the
    line and column of the query. The parameters graphgov gives every query (the
    ontology's vocabularies; ``$as_of`` and ``$months_before_as_of`` judged on ``as_of``:
    graphgov.parameters.given) are passed where the text uses them, like a pack's query."""
    refusal = read_only_problem(text)
    if refusal is not None:
        raise CypherWriteError(refusal)
    if limit is not None and limit < 0:
        raise InvalidInputError([Problem("--limit", None, None, "must be 0 or more")])
    if timeout is not None and timeout <= 0:
        raise InvalidInputError([Problem("--timeout", None, None, "must be more than 0")])
    values = {**given(text, as_of), **(parameters or {})}
    return store.cypher(text, values, timeout=timeout, limit=limit)


def read_only_problem(text: str) -> str | None:
    """Why ``text`` may not run as a read-only query, or None."""
    problems = cypher_problems(text, None, "query")
    if problems:
        reason = problems[0].reason
        if reason.endswith("CALL is not allowed"):
            reason += (
                " (procedure calls and CALL { } subqueries are refused altogether: "
                "graphgov cannot tell those that read from those that write)"
            )
        return reason + "; nothing ran"
    code = strip_literals(text)
    outside = _OUTSIDE.search(code)
    if outside:
        return (
            f"queries read the graph only; {outside.group(1).upper()} is not allowed; nothing ran"
        )
    if ";" in code.rstrip().rstrip(";"):
        return "one query at a time: the text holds several statements; nothing ran"
    if not code.strip():
        return "the query is empty"
    return None
