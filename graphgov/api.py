"""graphgov for analysts: one inventory, opened once, asked anything from Python.

``open`` validates and loads an inventory by the same rules as the command line, and
returns a ``Governance``: the checks' findings, ad-hoc Cypher and pack queries as
``Rows``, the networkx graph, and every auditor's view (Statement of Applicability,
gaps, roadmap, coverage, traces, a framework's posture), all judged on one day.

>>> import graphgov
>>> from graphgov import examples
>>> with examples.folder("acme") as acme:
...     g = graphgov.open(acme, as_of="2026-11-23")
>>> g.as_of
datetime.date(2026, 11, 23)
>>> found = g.check()                     # every check's findings, most severe first
>>> isinstance(found[0], graphgov.Finding), found[0].at_least(found[-1].severity)
(True, True)
>>> hit = g.run("iso42001/supplier-blast-radius", supplier="openai")
>>> "customer-chatbot" in [row["id"] for row in hit if row["label"] == "AISystem"]
True
>>> g.query("MATCH (s:AISystem {id: $id}) RETURN s.risk_tier AS tier", {"id": "credit-scoring"})[0]
{'tier': 'high'}

A bad inventory raises ``InvalidInputError`` listing every problem, and nothing is
loaded; the library never prints.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from graphgov import pipeline
from graphgov.dates import parse_date
from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem, InvalidInputError
from graphgov.findings import Finding, findings
from graphgov.frameworks import Frameworks, load_frameworks
from graphgov.packs import Pack, builtin_packs, checks, read_pack
from graphgov.parameters import as_text
from graphgov.runner import check_named, find, run_all
from graphgov.store.base import GraphStore, Rows
from graphgov.store.memory import MemoryStore

if TYPE_CHECKING:
    import networkx as nx

    from graphgov.audit import Coverage, Gap, Phase, SoaRow, Trace
    from graphgov.graph import GraphBatch
    from graphgov.outputs.check_run import CheckRun
    from graphgov.posture import Posture
    from graphgov.versions import Version

__all__ = ["Finding", "Governance", "InvalidInputError", "Rows", "open"]

PathLike = str | os.PathLike[str]


def open(
    inventory: PathLike,
    *,
    as_of: date | str | None = None,
    pack_dirs: Sequence[PathLike] = (),
    framework_dirs: Sequence[PathLike] = (),
    name: str | None = None,
) -> Governance:
    """The inventory folder (or file) ``inventory``, validated and loaded with the
    ISO/IEC 42001 catalogue into an in-memory graph, judged on ``as_of`` (a date or
    'YYYY-MM-DD'; default today). ``pack_dirs`` are folders of your own queries (as
    ``--pack-dir``), ``framework_dirs`` of your own frameworks and crosswalks (as
    ``--framework-dir``); ``name`` is the inventory's name (default: its folder's).

    Raises InvalidInputError listing every problem of a bad inventory (nothing is
    loaded), EnvironmentProblem for a path that cannot be read, ValueError for a bad
    ``as_of``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from graphgov import examples
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = examples.write("acme", Path(tmp) / "acme")
    ...     g = open(Path(tmp) / "acme", as_of="2026-11-23")
    >>> g.inventory.name
    'acme'
    >>> bad = "kind: ai_system\\nid: x\\nin_scope: true\\nrisk_tier: huge\\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "systems.yaml").write_text(bad)
    ...     try:
    ...         open(tmp)
    ...     except InvalidInputError as exc:
    ...         print(*(f"{p.field}: {p.reason}" for p in exc.problems))
    risk_tier: 'huge' is not allowed; use one of: minimal, limited, high, prohibited
    >>> open("acme/", as_of="23/11/2026")
    Traceback (most recent call last):
    ...
    ValueError: as_of must be a date written YYYY-MM-DD (got '23/11/2026')
    """
    day = _day(as_of)  # before reading anything
    path = Path(inventory)
    if not path.exists():
        raise EnvironmentProblem(f"no inventory folder or file {path_text(path)!r}")
    store = MemoryStore()
    pipeline.load(path, store, name=name)
    return Governance(
        store, as_of=day, inventory=path, pack_dirs=pack_dirs, framework_dirs=framework_dirs
    )


def open_version(
    version: Version,
    *,
    as_of: date | str | None = None,
    pack_dirs: Sequence[PathLike] = (),
    framework_dirs: Sequence[PathLike] = (),
) -> tuple[GraphBatch, Governance]:
    """One version of an inventory (``graphgov.versions.checkout``) read, loaded into
    an in-memory graph and judged on ``as_of``, as ``open`` does a folder: its batch and
    its Governance. Raises InvalidInputError with every problem named by the version as
    the user gave it (``pipeline.read_version``)."""
    batch = pipeline.read_version(version)
    store = MemoryStore()
    pipeline.add(batch, store)
    judged = Governance(
        store,
        as_of=as_of,
        inventory=version.path,
        pack_dirs=pack_dirs,
        framework_dirs=framework_dirs,
    )
    return batch, judged


class Governance:
    """One graph (an inventory in memory, or any ``GraphStore``, such as a Neo4j store
    opened by the caller) judged on one day, ``as_of``. Every answer is computed from the
    graph as loaded; the findings that the auditors' views read are computed once.

    >>> from graphgov import examples
    >>> with examples.folder("acme") as acme:
    ...     g = open(acme, as_of="2026-11-23")
    >>> g.store.counts().labels["AISystem"]
    14
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        as_of: date | str | None = None,
        inventory: PathLike | None = None,
        pack_dirs: Sequence[PathLike] = (),
        framework_dirs: Sequence[PathLike] = (),
    ) -> None:
        self._store = store
        self._as_of = _day(as_of)
        self._inventory = None if inventory is None else Path(inventory)
        self._pack_dirs = tuple(Path(p) for p in pack_dirs)
        self._frameworks = load_frameworks([Path(p) for p in framework_dirs])
        self._packs: list[Pack] | None = None
        self._found: list[Finding] | None = None

    # -- what it is ---------------------------------------------------------------------

    @property
    def store(self) -> GraphStore:
        """The graph store holding the inventory and the catalogue."""
        return self._store

    @property
    def as_of(self) -> date:
        """The day expiry, reviews and evidence are judged against."""
        return self._as_of

    @property
    def inventory(self) -> Path | None:
        """The inventory folder or file this was opened from (None for a given store)."""
        return self._inventory

    @property
    def frameworks(self) -> Frameworks:
        """The frameworks and crosswalks findings and posture are read through."""
        return self._frameworks

    @property
    def networkx(self) -> nx.MultiDiGraph[str]:
        """The graph as a read-only networkx MultiDiGraph: nodes are ids, each with its
        graphgov Node as the ``node`` attribute; edges are keyed by relationship type,
        each with its Relationship as ``rel``. Only the in-memory store has one.

        >>> import networkx as nx
        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> graph = g.networkx
        >>> graph.nodes["credit-scoring"]["node"].label
        'AISystem'
        >>> graph.has_edge("credit-scoring", "credit-gbm-v3", key="USES_MODEL")
        True
        >>> "credit-gbm-v3" in nx.descendants(graph, "credit-scoring")
        True
        >>> graph.add_node("x")
        Traceback (most recent call last):
        ...
        networkx.exception.NetworkXError: Frozen graph can't be modified
        """
        if not isinstance(self._store, MemoryStore):
            raise EnvironmentProblem(
                f"a networkx graph exists only in the memory store, not in {self._store.name}"
            )
        return self._store.graph.copy(as_view=True)

    # -- checks and queries -------------------------------------------------------------

    def check(
        self,
        packs: Sequence[str] = (),
        pack_dirs: Sequence[PathLike] = (),
        params: Mapping[str, object] | None = None,
        framework: str | None = None,
    ) -> list[Finding]:
        """The findings of every check, most severe first, as ``graphgov check`` lists
        them: of the built-in packs and those in ``pack_dirs`` (and those given to
        ``open``), only the packs named in ``packs`` when given; ``params`` go to the
        checks that declare them; with ``framework``, only the findings bearing on it.

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> found = g.check()
        >>> found[0].at_least(found[-1].severity)      # most severe first
        True
        >>> all(f.source.file and f.message for f in found)   # each traced to its line
        True
        >>> {f.query.split("/")[0] for f in g.check(packs=["iso42001"])}
        {'iso42001'}
        >>> len(g.check(framework="eu-ai-act")) <= len(found)
        True
        """
        return list(self.check_run(packs, pack_dirs, params, framework).findings)

    def check_run(
        self,
        packs: Sequence[str] = (),
        pack_dirs: Sequence[PathLike] = (),
        params: Mapping[str, object] | None = None,
        framework: str | None = None,
        baseline: PathLike | None = None,
    ) -> CheckRun:
        """What ``check`` computes, with the results of every check that ran, as the
        findings formats of ``graphgov.outputs.FINDINGS`` render it (``check`` takes
        the same arguments).

        With ``baseline`` (a folder or file, or ``REV:PATH`` for a version in git, as
        ``graphgov.versions.checkout`` reads it), the baseline's findings are computed
        with the same packs, parameters, framework and day, and the run says of each
        finding whether it is new or unchanged (by ``findings.fingerprint``) and which
        of the baseline's are absent now (``CheckRun.baseline``). A baseline that is not
        there raises EnvironmentProblem; an invalid one InvalidInputError, its problems
        named by the baseline's spec (``main:acme/systems/x.yaml``).

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        ...     run = g.check_run(baseline=acme)     # against itself: nothing new
        >>> run.baseline_summary().startswith("0 new, ")
        True
        """
        run = self._check_run(packs, pack_dirs, params, framework)
        if baseline is None:
            return run
        return self._against(run, os.fspath(baseline), packs, pack_dirs, params, framework)

    def _against(
        self,
        run: CheckRun,
        spec: str,
        packs: Sequence[str],
        pack_dirs: Sequence[PathLike],
        params: Mapping[str, object] | None,
        framework: str | None,
    ) -> CheckRun:
        from graphgov.outputs.check_run import with_baseline
        from graphgov.versions import checkout

        with checkout(spec) as version:
            _, old = open_version(version, as_of=self._as_of, pack_dirs=self._pack_dirs)
            old._frameworks = self._frameworks  # judged through the same frameworks as this run
            before = old._check_run(packs, pack_dirs, params, framework)
        # the absent findings' files, from the current folder as the current ones are
        shown = path_text(version.path) if version.where is None else version.where
        return with_baseline(run, before, spec, version.revision, shown, version.skipped)

    def _check_run(
        self,
        packs: Sequence[str],
        pack_dirs: Sequence[PathLike],
        params: Mapping[str, object] | None,
        framework: str | None,
    ) -> CheckRun:
        from graphgov.outputs.check_run import CheckRun

        if framework is not None:
            self._known_framework(framework)
        queries = checks(self._select(packs, pack_dirs))
        results = run_all(queries, self._store, as_text(params or {}), self._as_of)
        found = findings(results, self._frameworks)
        if framework is not None:  # only what bears on that framework
            found = [f for f in found if any(r.framework == framework for r in f.references)]
        shown = path_text(self._inventory) if self._inventory is not None else ""
        return CheckRun(
            tuple(results), tuple(found), shown, self._as_of, self._frameworks, framework
        )

    def run(self, ref: str, /, **params: object) -> Rows:
        """The rows of the pack query ``ref`` ('pack/id', or a bare id one pack has),
        its parameters given by name and checked as ``graphgov query run`` checks them:
        an unknown or badly typed one raises InvalidInputError, an id that names no
        record of the expected label UnknownRecordError. Values may be text, numbers,
        booleans, dates or lists.

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> rows = g.run("iso42001/supplier-blast-radius", supplier="openai")
        >>> rows.columns
        ('label', 'id', 'name', 'impact')
        >>> g.run("supplier-blast-radius", supplier="opena")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphgov.lookup.UnknownRecordError: parameter supplier: ... (did you mean 'openai'?)
        >>> try:
        ...     g.run("supplier-blast-radius", supplier="openai", depth=3)
        ... except InvalidInputError as exc:
        ...     print(exc.problems[0].field, "-", exc.problems[0].reason)
        depth - unknown parameter (known: supplier)
        """
        from graphgov.runner import run

        query = find(self._all_packs(), ref)
        values = query.parameters(as_text(params), self._as_of)
        check_named(query, self._store, values)
        return run(query, self._store, values).as_rows()

    def query(
        self,
        cypher: str,
        /,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> Rows:
        """The rows of a read-only Cypher query, every value a ``$parameter`` given in
        ``params``, in the order the query returns them (say ORDER BY for an order);
        ``timeout`` (seconds) and ``limit`` (rows; ``truncated`` says whether rows were
        cut) bound what it may cost. The ontology's vocabularies (``$high_risk_tiers``,
        ``$levels``, ``$applicable_statuses``), ``$as_of`` and ``$months_before_as_of``
        are given for you. On the memory store it runs on the embedded Cypher engine
        (``pip install 'graphgov[cypher]'``), through ``graphgov.runner.run_cypher``.
        Raises CypherWriteError for a text that could write (nothing runs),
        CypherTimeoutError past ``timeout``, CypherError for any other failure, each of
        one line naming where in the text (all from graphgov.store.base).

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> rows = g.query(
        ...     "MATCH (s:AISystem) WHERE s.risk_tier IN $high_risk_tiers "
        ...     "RETURN s.id AS id, s.risk_tier AS tier ORDER BY id"
        ... )
        >>> rows.columns
        ('id', 'tier')
        >>> "credit-scoring" in [r["id"] for r in rows]
        True
        >>> g.query("MATCH (s:AISystem) RETURN s.id AS id", {}, limit=1).truncated
        True
        >>> g.query("MATCH (s:AISystem) SET s.name = 'x' RETURN s.id")
        Traceback (most recent call last):
        ...
        graphgov.store.base.CypherWriteError: queries are read-only; SET is not allowed; nothing ran
        """
        from graphgov.runner import run_cypher

        return run_cypher(
            self._store, cypher, params, timeout=timeout, limit=limit, as_of=self._as_of
        )

    # -- auditors and architects ----------------------------------------------------------

    def findings(self) -> list[Finding]:
        """The findings of the built-in packs' checks with their default parameters:
        what the Statement of Applicability, gaps, roadmap, traces and posture read
        (computed once)."""
        if self._found is None:
            results = run_all(checks(builtin_packs()), self._store, {}, self._as_of)
            self._found = findings(results, self._frameworks)
        return list(self._found)

    def soa(self) -> list[SoaRow]:
        """The Statement of Applicability: every Annex A control in the standard's
        order, with its decision, justification, implementing controls, evidence,
        systems covered and open findings (as ``graphgov soa``).

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> rows = g.soa()
        >>> len(rows), rows[0].control.id, rows[-1].control.id
        (38, 'A.2.2', 'A.10.4')
        """
        from graphgov.audit import statement_of_applicability

        return statement_of_applicability(self._store, self.findings(), self._as_of)

    def gaps(self) -> list[Gap]:
        """The gaps the findings (and partly implemented controls) show, each with its
        priority, most urgent first (as ``graphgov gaps``).

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> gaps = g.gaps()
        >>> gaps[0].priority >= gaps[-1].priority
        True
        """
        from graphgov.audit import gaps

        return gaps(self._store, self.findings())

    def roadmap(self) -> list[Phase]:
        """The gaps as a phased roadmap: organisation-wide foundations first, then a
        pilot system, the other high-risk systems and the rest (as ``graphgov gaps``).

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> g.roadmap()[0].name
        'Phase 0: organisation-wide foundations'
        """
        from graphgov.audit import roadmap

        return roadmap(self._store, self.gaps())

    def coverage(self) -> Coverage:
        """In-scope AI systems against Annex A controls, each cell implemented, partial,
        planned, missing, not applicable, or implemented with no current evidence (as
        ``graphgov coverage``).

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> matrix = g.coverage()
        >>> len(matrix.controls), "credit-scoring" in [s.id for s in matrix.systems]
        (38, True)
        >>> from graphgov.audit import CELLS
        >>> matrix.cells[("credit-scoring", "A.6.2.6")] in CELLS
        True
        """
        from graphgov.audit import coverage

        return coverage(self._store, self._as_of)

    def trace(self, node_id: str) -> Trace:
        """Everything upstream and downstream of ``node_id``, by relationship type and
        depth, and its direct context (as ``graphgov trace``). Raises
        UnknownRecordError when the graph has no such node.

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> t = g.trace("credit-scoring")
        >>> t.node.label, t.upstream[0].depth
        ('AISystem', 1)
        """
        from graphgov.audit import trace
        from graphgov.lookup import named_node

        named_node(self._store, node_id, where="node_id")
        result = trace(self._store, node_id)
        assert result is not None  # the node exists
        return result

    def posture(self, framework: str) -> Posture:
        """Every obligation of ``framework`` for every in-scope AI system: whether it
        applies and why, and where it does, met, partly, not met or unknown and why (as
        ``graphgov posture``). Raises InvalidInputError for an unknown framework.

        >>> from graphgov import examples
        >>> with examples.folder("acme") as acme:
        ...     g = open(acme, as_of="2026-11-23")
        >>> act = g.posture("eu-ai-act")
        >>> act.framework.id
        'eu-ai-act'
        >>> sum(act.counts().values()) == len(act.rows)
        True
        """
        from graphgov.posture import posture

        return posture(self._store, self._frameworks, framework, self.findings(), self._as_of)

    # -- lifetime -----------------------------------------------------------------------

    def close(self) -> None:
        """Release what the store holds open (nothing, for the memory store)."""
        self._store.close()

    def __enter__(self) -> Governance:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = path_text(self._inventory) if self._inventory is not None else self._store.name
        return f"<graphgov.Governance {where} as of {self._as_of.isoformat()}>"

    # -- helpers ------------------------------------------------------------------------

    def _all_packs(self) -> list[Pack]:
        if self._packs is None:
            self._packs = builtin_packs() + [read_pack(folder) for folder in self._pack_dirs]
        return self._packs

    def _select(self, names: Sequence[str], pack_dirs: Sequence[PathLike]) -> list[Pack]:
        packs = self._all_packs() + [read_pack(Path(folder)) for folder in pack_dirs]
        if isinstance(names, str):  # one pack named as text, not its letters
            names = [names]
        if not names:
            return packs
        known = {p.name for p in packs}
        unknown = [n for n in names if n not in known]
        if unknown:
            from graphgov.errors import Problem

            reason = f"unknown pack (known: {', '.join(sorted(known))})"
            raise InvalidInputError([Problem("packs", None, n, reason) for n in unknown])
        return [p for p in packs if p.name in names]

    def _known_framework(self, framework: str) -> None:
        if framework not in self._frameworks.frameworks:
            from graphgov.display import did_you_mean
            from graphgov.errors import Problem

            known = self._frameworks.frameworks
            reason = (
                f"no framework {framework!r}{did_you_mean(framework, known)} "
                f"(known: {', '.join(sorted(known))})"
            )
            raise InvalidInputError([Problem("framework", None, None, reason)])


def _day(as_of: date | str | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return parse_date(as_of)
    except ValueError as exc:  # the same words as for a date in an inventory
        raise ValueError(f"as_of {exc}") from None
