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
from graphgov.twin import DEPENDS, in_scope_systems, is_current, reach, walk

# The statuses that make an Annex A control applicable, least to most implemented.
STATUS_ORDER = vocabulary("ApplicableStatus").values
# Weights count from 1 so that a system of the least tier still weighs something.
TIERS = {tier: i + 1 for i, tier in enumerate(vocabulary("RiskTier").values)}
DEPENDENCIES = (*DEPENDS, "SUPPLIED_BY")
ORGANISATION_WIDE = "organisation-wide"


# -- Statement of Applicability ---------------------------------------------------------


@dataclass(frozen=True)
class Implementation:
    control: Node
    owners: tuple[str, ...]
    covers: tuple[str, ...]


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
    systems: tuple[str, ...]
    findings: tuple[Finding, ...]


def statement_of_applicability(
    store: GraphStore, found: Sequence[Finding], as_of: date
) -> list[SoaRow]:
    """All Annex A controls in the standard's order (A.2.2 before A.10.2), each with
    its decision, justification, implementing controls, evidence, systems covered and
    open findings."""
    rows = []
    for annex in _annex_a(store):
        objective = next(store.neighbours(annex.id, "ACHIEVES"), None)
        group = next(store.neighbours(objective.id, "OBJECTIVE_OF"), None) if objective else None
        controls = [
            c for c in store.neighbours(annex.id, "IMPLEMENTS", "in") if c.label == "Control"
        ]
        active = [c for c in controls if c.get("status") in STATUS_ORDER]
        excluded = [c for c in controls if c.get("status") == "not_applicable"]
        if active:
            decision = "applicable"
        elif excluded and all(c.get("justification") for c in excluded):
            decision = "excluded"
        else:
            decision = "no decision"
        status = max(
            (str(c.get("status")) for c in active),
            key=STATUS_ORDER.index,
            default="not applicable" if decision == "excluded" else "missing",
        )
        implementations = tuple(
            Implementation(
                c,
                tuple(o.name for o in store.neighbours(c.id, "OWNED_BY")),
                tuple(_covers(store, c)),
            )
            for c in controls
        )
        evidence = tuple(
            EvidenceItem(e, is_current(e, as_of))
            for c in controls
            for e in store.neighbours(c.id, "EVIDENCED_BY")
        )
        systems = sorted(
            {s for i in implementations if i.control in active for s in i.covers}, key=natural_key
        )
        related = {annex.id, *(c.id for c in controls)}
        rows.append(
            SoaRow(
                control=annex,
                group=f"{group.id} {group.name}" if group else "",
                decision=decision,
                justification="; ".join(
                    str(c.get("justification")) for c in controls if c.get("justification")
                ),
                status=status,
                implementations=implementations,
                evidence=evidence,
                systems=tuple(systems),
                findings=tuple(f for f in found if annex.id in f.controls or f.id in related),
            )
        )
    return rows


def _annex_a(store: GraphStore) -> list[Node]:
    """Annex A controls in the standard's order (A.2.2 before A.10.2): a store may list
    them by id as text."""
    return sorted(store.nodes("AnnexAControl"), key=by_id)


def by_id(node: Node) -> tuple[tuple[str | int, ...], str]:
    """The sort key of nodes listed by id, in natural order."""
    return natural_key(node.id)


def _covers(store: GraphStore, control: Node) -> list[str]:
    out = []
    for target in store.neighbours(control.id, "APPLIES_TO"):
        out.append(ORGANISATION_WIDE if target.label == "Organization" else target.id)
    return out


# -- coverage -----------------------------------------------------------------------------

CELLS = ("implemented", "partial", "planned", "missing", "not applicable")
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


def coverage(store: GraphStore) -> Coverage:
    """Each in-scope system against each Annex A control: the best status among the
    controls that implement it and apply to the system or to the whole organisation."""
    systems = sorted(
        in_scope_systems(store),
        key=lambda s: (-TIERS.get(str(s.get("risk_tier")), 0), by_id(s)),
    )
    annex = _annex_a(store)
    cells: dict[tuple[str, str], str] = {}
    for a in annex:
        controls = [c for c in store.neighbours(a.id, "IMPLEMENTS", "in") if c.label == "Control"]
        # an exclusion without a justification is no decision (as in the SoA): missing
        excluded = any(
            c.get("status") == "not_applicable" and c.get("justification") for c in controls
        )
        for s in systems:
            statuses = [
                str(c.get("status"))
                for c in controls
                if c.get("status") in STATUS_ORDER
                and any(
                    t.id == s.id or t.label == "Organization"
                    for t in store.neighbours(c.id, "APPLIES_TO")
                )
            ]
            if statuses:
                cells[(s.id, a.id)] = _CELL_OF_STATUS[max(statuses, key=STATUS_ORDER.index)]
            else:
                cells[(s.id, a.id)] = "not applicable" if excluded else "missing"
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
# Gaps whose tier is at least this are the high-risk systems' (roadmap phase 2).
_HIGH_RISK_TIER = min(TIERS[t] for t in vocabulary("HighRiskTier").values)


@dataclass(frozen=True)
class Gap:
    """What one check found missing, with the systems it affects and its priority."""

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
    """Findings grouped by check, plus controls left partially implemented, most urgent
    first."""
    by_check: dict[str, list[Finding]] = {}
    for f in found:
        by_check.setdefault(f.query, []).append(f)
    out = []
    for check, items in by_check.items():
        systems: dict[str, Node] = {}
        org_wide = False
        for f in items:
            hit = affected_systems(store, f)
            org_wide = org_wide or not hit
            systems.update({s.id: s for s in hit})
        out.append(
            Gap(
                check,
                items[0].title,
                items[0].severity,
                items[0].remediation,
                tuple(items),
                tuple(sorted(systems.values(), key=by_id)),
                org_wide,
            )
        )
    partial = [c for c in store.nodes("Control") if c.get("status") == "partially_implemented"]
    if partial:
        systems = {
            s.id: s
            for c in partial
            for s in store.neighbours(c.id, "APPLIES_TO")
            if s.label == "AISystem"
        }
        out.append(
            Gap(
                "partially-implemented-controls",
                "Controls only partially implemented",
                "medium",
                "Finish implementing these controls and evidence them.",
                tuple(),
                tuple(sorted(systems.values(), key=by_id)),
                any(
                    t.label == "Organization"
                    for c in partial
                    for t in store.neighbours(c.id, "APPLIES_TO")
                ),
            )
        )
    return sorted(out, key=lambda g: (-g.priority, -severity_rank(g.severity), g.check))


def roadmap(store: GraphStore, all_gaps: Sequence[Gap]) -> list[Phase]:
    """Phases as the seeds describe a staged programme: a pilot on the highest-impact
    system with gaps, the other high-risk systems, organisation-wide foundations, then
    the rest of the scope."""
    scores: dict[str, tuple[int, int, str]] = {}
    for g in all_gaps:
        for s in g.systems:
            tier, total, _ = scores.get(s.id, (TIERS.get(str(s.get("risk_tier")), 1), 0, s.id))
            scores[s.id] = (tier, total + g.priority, s.id)
    phases: list[Phase] = []
    left = list(all_gaps)
    top = next((g for g in all_gaps if g.systems), None)
    if top is not None:
        # the pilot: among the systems the most urgent gap affects, the one with the
        # highest risk tier, then the most at stake across all its gaps
        pilot = max(scores[s.id] for s in top.systems)[2]
        pilot_node = store.node(pilot)
        name = pilot_node.name if pilot_node else pilot
        take = [g for g in left if any(s.id == pilot for s in g.systems)]
        phases.append(
            Phase(
                f"Phase 1: pilot on {name}",
                f"{name} is the highest-impact system among those the most "
                "urgent gap affects (risk tier, then the summed priority of its "
                "gaps); close its gaps first, most urgent first.",
                tuple(take),
            )
        )
        left = [g for g in left if g not in take]
    high = [g for g in left if g.tier >= _HIGH_RISK_TIER and g.systems]
    phases.append(
        Phase(
            "Phase 2: the other high-risk systems",
            "Extend what the pilot established to every high-risk system.",
            tuple(high),
        )
    )
    left = [g for g in left if g not in high]
    org = [g for g in left if g.organisation_wide]
    phases.append(
        Phase(
            "Phase 3: organisation-wide foundations",
            "Policies, the Statement of Applicability, suppliers and channels "
            "that serve every system.",
            tuple(org),
        )
    )
    rest = [g for g in left if g not in org]
    phases.append(
        Phase(
            "Phase 4: the rest of the scope",
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
