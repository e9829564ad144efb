"""Text summaries of a loaded graph for the terminal: counts per label and relationship
type, and an overview of an organisation's AI systems."""

from __future__ import annotations

import textwrap
from datetime import date

from graphgov.findings import Finding
from graphgov.graph import Counts, Node
from graphgov.packs import severity_rank
from graphgov.store.base import GraphStore
from graphgov.terminal import table
from graphgov.twin import before


def counts_text(counts: Counts) -> str:
    """Nodes per label and relationships per type, as two tables."""
    labels = table(["label", "nodes"], sorted(counts.labels.items()))
    rels = table(["relationship type", "count"], sorted(counts.relationships.items()))
    total = f"{counts.nodes} nodes, {counts.edges} relationships"
    return f"{labels}\n\n{rels}\n\n{total}"


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
    in_scope = [s for s in systems if s.get("in_scope")]
    high = [s for s in in_scope if s.get("risk_tier") in ("high", "prohibited")]
    out.append("")
    out.append(
        f"AI systems: {len(systems)} ({len(in_scope)} in scope, {len(high)} of them high risk)"
    )
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


def _system_order(node: Node) -> tuple[int, int, str]:
    tiers = ["prohibited", "high", "limited", "minimal"]
    tier = str(node.get("risk_tier"))
    return (0 if node.get("in_scope") else 1, tiers.index(tier) if tier in tiers else 9, node.id)


def findings_summary(found: list[Finding], checks: int, top: int = 8) -> str:
    """How many findings of each severity, and the checks with the most of them."""
    if not found:
        return f"Checks: none of the {checks} checks found a gap."
    by_check: dict[str, list[Finding]] = {}
    for f in found:
        by_check.setdefault(f.query, []).append(f)
    severities = ", ".join(
        f"{n} {s}"
        for s in ("critical", "high", "medium", "low")
        if (n := sum(1 for f in found if f.severity == s))
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
