"""What auditors and architects read, computed from the graph and the findings: the
Statement of Applicability, the coverage of in-scope systems by Annex A controls, the
gaps with their priority and a phased roadmap, and traces from any node."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from graphgov.findings import Finding
from graphgov.graph import Node
from graphgov.packs import SEVERITIES, severity_rank
from graphgov.schema import natural_key, vocabulary
from graphgov.store.base import GraphStore
from graphgov.twin_kit import (
    DEPENDS,
    FEEDS,
    has_current_evidence,
    in_scope_systems,
    is_current,
    reach,
    walk,
)

# The statuses that make an Annex A control applicable, least to most implemented.
STATUS_ORDER = vocabulary("ApplicableStatus").values
# Weights count from 1 so that a system of the least tier still weighs something.
TIERS = {tier: i + 1 for i, tier in enumerate(vocabulary("RiskTier").values)}
DEPENDENCIES = (*DEPENDS, "SUPPLIED_BY")
# What a control applying to a model, dataset or supplier covers: the systems built on
# it (the ontology's comment on APPLIES_TO states the rule).
_BUILT_ON = (*FEEDS, "SUPPLIED_BY")
ORGANISATION_WIDE = "organisation-wide"
# The life-cycle stages of a system in live use: where a pilot can run.
RUNNING_STAGES = vocabulary("RunningStage").values


# -- Statement of Applicability ---------------------------------------------------------


@dataclass(frozen=True)
class Implementation:
    """One of the organisation's controls implementing an Annex A control: ``covers``
    are the ids it applies to as written (``ORGANISATION_WIDE`` for the organisation or
    for nothing named), ``systems`` the in-scope AI systems it covers by the ontology's
    rule (every one, when organisation-wide)."""

    control: Node
    owners: tuple[str, ...]
    covers: tuple[str, ...]
    systems: tuple[str, ...] = ()
    organisation_wide: bool = False


@dataclass(frozen=True)
class EvidenceItem:
    evidence: Node
    current: bool


@dataclass(frozen=True)
class SoaRow:
    """One Annex A control in the Statement of Applicability."""

    control: Node
    group: str
    decision: str  # applicable | excluded | no decision
    justification: str
    status: str
    implementations: tuple[Implementation, ...]
    evidence: tuple[EvidenceItem, ...]
    # the in-scope systems the applicable implementations cover: exactly those whose
    # coverage cell for this control is neither missing nor not applicable
    systems: tuple[str, ...]
    findings: tuple[Finding, ...]
    # the decision record (None: no record; the legacy reading of the controls decides)
    record: Node | None = None
    decided_by: tuple[str, ...] = ()
    organisation_wide: bool = False


def statement_of_applicability(
    store: GraphStore, found: Sequence[Finding], as_of: date
) -> list[SoaRow]:
    """All Annex A controls in the standard's order (A.2.2 before A.10.2), each with
    its decision (from its decision record; without one, from the legacy reading of the
    controls that implement it), justification, implementing controls, evidence,
    systems covered and open findings."""
    in_scope = _in_scope_ids(store)
    rows = []
    for annex in _annex_a(store):
        objective = next(store.neighbours(annex.id, "ACHIEVES"), None)
        group = next(store.neighbours(objective.id, "OBJECTIVE_OF"), None) if objective else None
        d = _decide(store, annex)
        implementations = tuple(
            Implementation(
                c,
                tuple(o.name for o in store.neighbours(c.id, "OWNED_BY")),
                tuple(_covers(store, c)),
                tuple(sorted(covered_systems(store, c, in_scope), key=natural_key)),
                organisation_wide(store, c),
            )
            for c in d.controls
        )
        evidence = tuple(
            EvidenceItem(e, is_current(e, as_of))
            for c in d.controls
            for e in store.neighbours(c.id, "EVIDENCED_BY")
        )
        active = {c.id for c in d.active}
        applied = [i for i in implementations if i.control.id in active]
        systems = sorted({s for i in applied for s in i.systems}, key=natural_key)
        related = {annex.id, *(c.id for c in d.controls)}
        if d.record is not None:
            related.add(d.record.id)
            justification = str(d.record.get("justification") or "")
            decided_by = tuple(sorted(s.name for s in store.neighbours(d.record.id, "DECIDED_BY")))
        else:
            justification = "; ".join(
                str(c.get("justification")) for c in d.controls if c.get("justification")
            )
            decided_by = ()
        rows.append(
            SoaRow(
                control=annex,
                group=f"{group.id} {group.name}" if group else "",
                decision=d.decision,
                justification=justification,
                status=d.status,
                implementations=implementations,
                evidence=evidence,
                systems=tuple(systems),
                findings=tuple(f for f in found if annex.id in f.controls or f.id in related),
                record=d.record,
                decided_by=decided_by,
                organisation_wide=any(i.organisation_wide for i in applied),
            )
        )
    return rows


@dataclass(frozen=True)
class _Decided:
    """What the Statement of Applicability and the coverage matrix both read off one
    Annex A control: its decision, its status, and the controls behind them."""

    decision: str
    status: str
    record: Node | None
    controls: tuple[Node, ...]
    active: tuple[Node, ...]  # the controls that count: none when it is excluded


def _decide(store: GraphStore, annex: Node) -> _Decided:
    """The decision on ``annex``. A decision record decides (applicable true:
    applicable; false with a justification: excluded; blank, or an exclusion without
    its justification: no decision yet). Without a record, the legacy reading of the
    implementing controls: one from planned up makes it applicable, and not_applicable
    ones, all justified, exclude it."""
    controls = tuple(
        c for c in store.neighbours(annex.id, "IMPLEMENTS", "in") if c.label == "Control"
    )
    active = tuple(c for c in controls if c.get("status") in STATUS_ORDER)
    record = next(
        (
            d
            for d in store.neighbours(annex.id, "DECIDES", "in")
            if d.label == "ApplicabilityDecision"
        ),
        None,
    )
    if record is not None:
        applicable = record.get("applicable")
        if applicable is True:
            decision = "applicable"
        elif applicable is False and record.get("justification"):
            decision = "excluded"
        else:
            decision = "no decision"
    else:
        excluded = [c for c in controls if c.get("status") == "not_applicable"]
        if active:
            decision = "applicable"
        elif excluded and all(c.get("justification") for c in excluded):
            decision = "excluded"
        else:
            decision = "no decision"
    if decision == "excluded":
        return _Decided(decision, "not applicable", record, controls, ())
    status = max((str(c.get("status")) for c in active), key=STATUS_ORDER.index, default="missing")
    return _Decided(decision, status, record, controls, active)


def _in_scope_ids(store: GraphStore) -> frozenset[str]:
    return frozenset(s.id for s in in_scope_systems(store))


def organisation_wide(store: GraphStore, control: Node) -> bool:
    """Whether the control serves the whole organisation: it applies to the
    organisation, or names nothing it applies to."""
    targets = list(store.neighbours(control.id, "APPLIES_TO"))
    return not targets or any(t.label == "Organization" for t in targets)


def covered_systems(
    store: GraphStore, control: Node, in_scope: frozenset[str] | None = None
) -> set[str]:
    """The in-scope AI systems a control covers, by the rule the ontology states on
    APPLIES_TO: every one when it is organisation-wide; otherwise those it applies to,
    and those built on a model, dataset or supplier it applies to."""
    systems = _in_scope_ids(store) if in_scope is None else in_scope
    if organisation_wide(store, control):
        return set(systems)
    out: set[str] = set()
    for target in store.neighbours(control.id, "APPLIES_TO"):
        if target.label == "AISystem":
            out.add(target.id)
        else:
            out.update(n.id for n in reach(store, target.id, _BUILT_ON, "in"))
    return out & systems


def _annex_a(store: GraphStore) -> list[Node]:
    """Annex A controls in the standard's order (A.2.2 before A.10.2): a store may list
    them by id as text."""
    return sorted(store.nodes("AnnexAControl"), key=by_id)


def by_id(node: Node) -> tuple[str, str]:
    """The sort key of nodes listed by id, in natural order."""
    return natural_key(node.id)


def _covers(store: GraphStore, control: Node) -> list[str]:
    out = []
    for target in store.neighbours(control.id, "APPLIES_TO"):
        out.append(ORGANISATION_WIDE if target.label == "Organization" else target.id)
    return out or [ORGANISATION_WIDE]


# -- coverage -----------------------------------------------------------------------------

# An implemented control whose evidence is missing or expired on the day judged: the
# claim stands, what shows it does not.
EVIDENCE_NOT_CURRENT = "implemented, evidence not current"
CELLS = (
    "implemented",
    EVIDENCE_NOT_CURRENT,
    "partial",
    "planned",
    "missing",
    "not applicable",
)
# the cells that count a system as covered (as the Statement of Applicability lists it)
COVERED_CELLS = CELLS[:4]
_CELL_OF_STATUS = {
    "implemented": "implemented",
    "partially_implemented": "partial",
    "planned": "planned",
}


@dataclass(frozen=True)
class Coverage:
    """In-scope AI systems against Annex A controls, each cell one of CELLS."""

    systems: tuple[Node, ...]
    controls: tuple[Node, ...]
    cells: dict[tuple[str, str], str] = field(default_factory=dict)

    def count(self, system: str, cell: str) -> int:
        return sum(1 for c in self.controls if self.cells[(system, c.id)] == cell)


def coverage(store: GraphStore, as_of: date | None = None) -> Coverage:
    """Each in-scope system against each Annex A control: the best status among the
    applicable controls that cover the system (by the rule the ontology states on
    APPLIES_TO, so organisation-wide controls cover every system), as the Statement of
    Applicability decides it; an implemented cell whose implemented controls have no
    evidence current on ``as_of`` (today when not given) is EVIDENCE_NOT_CURRENT."""
    day = as_of or date.today()
    systems = sorted(
        in_scope_systems(store),
        key=lambda s: (-TIERS.get(str(s.get("risk_tier")), 0), by_id(s)),
    )
    in_scope = frozenset(s.id for s in systems)
    annex = _annex_a(store)
    cells: dict[tuple[str, str], str] = {}
    evidenced: dict[str, bool] = {}  # control id -> has evidence current on the day

    def current(control: str) -> bool:
        if control not in evidenced:
            evidenced[control] = has_current_evidence(store, control, day)
        return evidenced[control]

    for a in annex:
        d = _decide(store, a)
        covering: dict[str, list[Node]] = {}  # system id -> the active controls covering it
        for c in d.active:
            for system in covered_systems(store, c, in_scope):
                covering.setdefault(system, []).append(c)
        for s in systems:
            if d.decision == "excluded":
                cells[(s.id, a.id)] = "not applicable"
                continue
            mine = covering.get(s.id, [])
            if not mine:
                cells[(s.id, a.id)] = "missing"
                continue
            best = max((str(c.get("status")) for c in mine), key=STATUS_ORDER.index)
            cell = _CELL_OF_STATUS[best]
            if cell == "implemented" and not any(
                c.get("status") == "implemented" and current(c.id) for c in mine
            ):
                cell = EVIDENCE_NOT_CURRENT
            cells[(s.id, a.id)] = cell
    return Coverage(tuple(systems), tuple(annex), cells)


# -- gaps and roadmap ---------------------------------------------------------------------

SEVERITY_WEIGHT = {severity: i + 1 for i, severity in enumerate(SEVERITIES)}
# Organisation-wide gaps weigh as a system of this tier.
_ORGANISATION_TIER = 2
# The weights, spelt out for readers of the roadmap, from the same tables.
PRIORITY_RULE = (
    "priority = 10 x severity ("
    + ", ".join(f"{s} {w}" for s, w in SEVERITY_WEIGHT.items())
    + ") + 5 x the highest risk tier among the systems affected ("
    + ", ".join(f"{t} {w}" for t, w in TIERS.items())
    + f"; organisation-wide gaps count as {_ORGANISATION_TIER}) "
    "+ reach (the number of systems affected, at most 5)"
)
# Gaps on systems whose tier is at least this are the high-risk systems' (phase 2).
_HIGH_RISK_TIER = min(TIERS[t] for t in vocabulary("HighRiskTier").values)


@dataclass(frozen=True)
class Gap:
    """What one check found missing, either organisation-wide or on the systems it
    affects, with the findings naming each subject (``subjects``) and its priority."""

    check: str
    title: str
    severity: str
    remediation: str
    findings: tuple[Finding, ...]
    systems: tuple[Node, ...]
    organisation_wide: bool

    @property
    def tier(self) -> int:
        tiers = [TIERS.get(str(s.get("risk_tier")), 1) for s in self.systems]
        return max(tiers + ([_ORGANISATION_TIER] if self.organisation_wide or not tiers else []))

    @property
    def priority(self) -> int:
        return 10 * SEVERITY_WEIGHT[self.severity] + 5 * self.tier + min(len(self.systems), 5)

    @property
    def subjects(self) -> tuple[tuple[str, str], ...]:
        """What the gap is about, as (id, name): the subject of each finding, in order."""
        seen: dict[str, str] = {}
        for f in sorted(self.findings, key=lambda f: natural_key(f.id)):
            seen.setdefault(f.id, f.name)
        return tuple(seen.items())


@dataclass(frozen=True)
class Phase:
    name: str
    why: str
    gaps: tuple[Gap, ...]


def affected_systems(store: GraphStore, finding: Finding) -> list[Node]:
    """The in-scope AI systems a finding's subject bears on (empty: organisation-wide)."""
    node = store.node(finding.id)
    if node is None:
        return []
    systems: dict[str, Node] = {}

    def add(nodes: Iterable[Node]) -> None:
        for n in nodes:
            if n.label == "AISystem" and n.get("in_scope") is True:
                systems.setdefault(n.id, n)

    if node.label == "AISystem":
        add([node])
    elif node.label in ("Model", "Dataset", "Supplier"):
        add(reach(store, node.id, DEPENDENCIES, "in"))
    elif node.label == "Control":
        targets = list(store.neighbours(node.id, "APPLIES_TO"))
        add(targets)
        for t in targets:
            add(reach(store, t.id, DEPENDENCIES, "in"))
    elif node.label == "Evidence":
        for c in store.neighbours(node.id, "EVIDENCED_BY", "in"):
            add(store.neighbours(c.id, "APPLIES_TO"))
            add(store.neighbours(c.id, "ASSESSED_BY", "in"))
    elif node.label == "Risk":
        add(store.neighbours(node.id, "HAS_RISK", "in"))
    elif node.label in ("ImpactAssessment", "RiskAssessment"):
        add(store.neighbours(node.id, "ASSESSED_BY", "in"))
    elif node.label == "Incident":
        add(store.neighbours(node.id, "INVOLVES"))
    elif node.label == "AuditFinding":
        add(store.neighbours(node.id, "CONCERNS"))
    return sorted(systems.values(), key=by_id)


def gaps(store: GraphStore, found: Sequence[Finding]) -> list[Gap]:
    """Findings grouped by check and by reach (organisation-wide findings apart from
    those on particular systems, so each gap is one or the other), plus the controls
    left partially implemented, each named by a finding of its own; most urgent first."""
    groups: dict[tuple[str, bool], list[tuple[Finding, list[Node]]]] = {}
    for f in [*found, *_partial_findings(store)]:
        hit = affected_systems(store, f)
        groups.setdefault((f.query, not hit), []).append((f, hit))
    out = []
    for (check, org_wide), items in groups.items():
        systems = {s.id: s for _, hit in items for s in hit}
        first = items[0][0]
        out.append(
            Gap(
                check,
                first.title,
                first.severity,
                first.remediation,
                tuple(f for f, _ in items),
                tuple(sorted(systems.values(), key=by_id)),
                org_wide,
            )
        )
    return sorted(
        out, key=lambda g: (-g.priority, -severity_rank(g.severity), g.check, g.organisation_wide)
    )


PARTIAL_CHECK = "graphgov/partially-implemented-control"


def _partial_findings(store: GraphStore) -> list[Finding]:
    """A finding for each control left partially implemented: no check of a pack asks
    it, but the gap analysis names each one, with its line."""
    out = []
    for c in sorted(store.nodes("Control"), key=by_id):
        if c.get("status") != "partially_implemented":
            continue
        annex = sorted((a.id for a in store.neighbours(c.id, "IMPLEMENTS")), key=natural_key)
        out.append(
            Finding(
                query=PARTIAL_CHECK,
                title="Control only partially implemented",
                severity="medium",
                label=c.label,
                id=c.id,
                name=c.name,
                message=f"{c.name} is only partially implemented",
                clauses=(),
                controls=tuple(annex),
                remediation="Finish implementing the control and evidence it.",
                source=c.source,
            )
        )
    return out


def roadmap(store: GraphStore, all_gaps: Sequence[Gap]) -> list[Phase]:
    """Phases as the seeds describe a staged programme: the organisation-wide
    foundations every system relies on (phase 0), a pilot on the highest-impact running
    system the most urgent gap affects (phase 1), the other high-risk systems (2), then
    the rest of the scope (3)."""
    phases: list[Phase] = []
    org = [g for g in all_gaps if g.organisation_wide]
    phases.append(
        Phase(
            "Phase 0: organisation-wide foundations",
            "The AI policy, the Statement of Applicability, roles, channels and supplier "
            "management serve every system, and a pilot builds on them: lay them first.",
            tuple(org),
        )
    )
    left = [g for g in all_gaps if not g.organisation_wide]
    scores: dict[str, tuple[int, int, str]] = {}
    for g in left:
        for s in g.systems:
            tier, total, _ = scores.get(s.id, (TIERS.get(str(s.get("risk_tier")), 1), 0, s.id))
            scores[s.id] = (tier, total + g.priority, s.id)
    running = [
        (g, [s for s in g.systems if s.get("lifecycle_stage") in RUNNING_STAGES]) for g in left
    ]
    top = next(((g, systems) for g, systems in running if systems), None)
    if top is not None:
        # the pilot: among the running systems the most urgent gap on a running system
        # affects, the one with the highest risk tier, then the most at stake across all
        # its gaps; a system still in design has nothing in operation to pilot on
        pilot = max(scores[s.id] for s in top[1])[2]
        pilot_node = store.node(pilot)
        name = pilot_node.name if pilot_node else pilot
        take = [g for g in left if any(s.id == pilot for s in g.systems)]
        phases.append(
            Phase(
                f"Phase 1: pilot on {name}",
                f"{name} is the highest-impact system in live use ("
                + ", ".join(RUNNING_STAGES)
                + ") among those the most urgent gap affects (risk tier, then the summed "
                "priority of its gaps); close its gaps first, most urgent first.",
                tuple(take),
            )
        )
        left = [g for g in left if g not in take]
    high = [g for g in left if g.tier >= _HIGH_RISK_TIER]
    phases.append(
        Phase(
            "Phase 2: the other high-risk systems",
            "Extend what the pilot established to every high-risk system.",
            tuple(high),
        )
    )
    rest = [g for g in left if g not in high]
    phases.append(
        Phase(
            "Phase 3: the rest of the scope",
            "Remaining gaps on limited- and minimal-risk systems.",
            tuple(rest),
        )
    )
    return [p for p in phases if p.gaps]


# -- trace --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    depth: int
    rel_type: str
    direction: str  # out: the node depends on it; in: it depends on the node
    node: Node
    via: str


@dataclass(frozen=True)
class Trace:
    node: Node
    upstream: tuple[Step, ...]
    downstream: tuple[Step, ...]
    context: tuple[Step, ...]


def trace(store: GraphStore, node_id: str, max_depth: int = 10) -> Trace | None:
    """What ``node_id`` depends on (upstream), what depends on it (downstream), each by
    relationship type and depth, and its direct context (owners, controls, risks, ...)."""
    start = store.node(node_id)
    if start is None:
        return None
    streams = [
        tuple(
            Step(depth, rel, direction, node, via)
            for depth, rel, node, via in walk(store, start.id, DEPENDENCIES, direction, max_depth)
        )
        for direction in ("out", "in")
    ]
    graph_types = {t for t in _all_types(store) if t not in DEPENDENCIES}
    context = tuple(
        Step(1, rel, direction, other, start.id)
        for rel in sorted(graph_types)
        for direction in ("out", "in")
        for other in store.neighbours(start.id, rel, direction)
    )
    return Trace(start, streams[0], streams[1], context)


def _all_types(store: GraphStore) -> list[str]:
    return list(store.counts().relationships)
