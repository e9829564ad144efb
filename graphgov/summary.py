"""Text summaries of a loaded graph for the terminal: counts per label and relationship
type, and an overview of an organisation's AI systems."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from graphgov.findings import Finding
from graphgov.graph import Counts, Node
from graphgov.packs import SEVERITIES, severity_rank
from graphgov.schema import natural_key, vocabulary
from graphgov.store.base import GraphStore
from graphgov.terminal import table
from graphgov.twin_kit import before


def counts_text(counts: Counts) -> str:
    """Nodes per label and relationships per type, as two tables."""
    labels = table(["label", "nodes"], sorted(counts.labels.items()))
    rels = table(["relationship type", "count"], sorted(counts.relationships.items()))
    total = f"{counts.nodes} nodes, {counts.edges} relationships"
    return f"{labels}\n\n{rels}\n\n{total}"


def high_risk(node: Node) -> bool:
    """Whether ``node`` is a high-risk AI system in the sense every check, summary and
    report uses: in the scope of the management system, with a risk tier the ontology
    counts as high risk (gg:HighRiskTier: high or prohibited)."""
    return (
        node.label == "AISystem"
        and node.get("in_scope") is True
        and node.get("risk_tier") in vocabulary("HighRiskTier")
    )


@dataclass(frozen=True)
class SystemCounts:
    """How many AI systems there are, how many in scope, how many of those high risk."""

    systems: int
    in_scope: int
    high_risk: int


def system_counts(systems: Iterable[Node]) -> SystemCounts:
    """The counts of ``systems`` (the AISystem nodes) that summaries and reports show."""
    nodes = list(systems)
    return SystemCounts(
        systems=len(nodes),
        in_scope=sum(1 for s in nodes if s.get("in_scope") is True),
        high_risk=sum(1 for s in nodes if high_risk(s)),
    )


def overview_text(store: GraphStore, as_of: date) -> str:
    """The organisation, its AI systems and the state of its evidence on ``as_of``."""
    out = []
    org = next(store.nodes("Organization"), None)
    if org is not None:
        sector = f" ({org.get('sector')})" if org.get("sector") else ""
        out.append(f"{org.name}{sector}, as of {as_of.isoformat()}")
        scope = org.get("scope_statement")
        if scope:
            out.append(textwrap.fill(f"Scope: {scope}", width=80, subsequent_indent="  "))
    systems = list(store.nodes("AISystem"))
    n = system_counts(systems)
    out.append("")
    out.append(f"AI systems: {n.systems} ({n.in_scope} in scope, {n.high_risk} of them high risk)")
    rows = [
        (
            s.id,
            s.get("risk_tier"),
            s.get("role") or "?",
            s.get("lifecycle_stage"),
            s.get("in_scope"),
            sum(1 for _ in store.neighbours(s.id, "APPLIES_TO", "in")),
        )
        for s in sorted(systems, key=_system_order)
    ]
    out.append(
        table(
            ["id", "tier", "role", "stage", "in scope", "controls"],
            rows,
            widths=[28, 10, 11, 11, 8, 8],
        )
    )
    evidence = list(store.nodes("Evidence"))
    expired = [e for e in evidence if before(e.get("valid_until"), as_of)]
    out.append("")
    out.append(
        f"Evidence: {len(evidence)} items, {len(expired)} past their valid_until date "
        f"on {as_of.isoformat()}"
    )
    return "\n".join(out)


def _system_order(node: Node) -> tuple[int, int, tuple[str, str]]:
    """In scope first, then the most serious tier first, then by id."""
    tier = vocabulary("RiskTier").rank(node.get("risk_tier"))
    return (0 if node.get("in_scope") is True else 1, -tier, natural_key(node.id))


def findings_summary(found: list[Finding], checks: int, top: int = 8) -> str:
    """How many findings of each severity, and the checks with the most of them."""
    if not found:
        return f"Checks: none of the {checks} checks found a gap."
    by_check: dict[str, list[Finding]] = {}
    for f in found:
        by_check.setdefault(f.query, []).append(f)
    severities = ", ".join(
        f"{n} {s}" for s in reversed(SEVERITIES) if (n := sum(1 for f in found if f.severity == s))
    )
    rows = sorted(
        by_check.values(), key=lambda fs: (-len(fs), -severity_rank(fs[0].severity), fs[0].title)
    )[:top]
    lines = [
        f"Checks: {len(found)} findings ({severities}) from {len(by_check)} of {checks} checks"
    ]
    lines.append(
        table(
            ["findings", "severity", "check"],
            [(len(fs), fs[0].severity, fs[0].title) for fs in rows],
            widths=[8, 8, 60],
        )
    )
    return "\n".join(lines)
