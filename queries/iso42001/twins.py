"""In-memory twins of the iso42001 queries: each returns the same rows as its Cypher
(a generic test runs both on the same graphs and requires identical rows)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphgov.graph import Node
from graphgov.packs import Row
from graphgov.schema import Schema, load_schema
from graphgov.store.base import GraphStore, Twin
from graphgov.twin_kit import (
    DEPENDS,
    FEEDS,
    before,
    controls_on,
    has_current_evidence,
    high_risk_systems,
    in_scope_systems,
    is_current,
    months_passed,
    reach,
    registrar,
    subject,
)

P = Mapping[str, Any]
# The twin of each query id, filled by @twin below; graphgov reads it by this name.
TWINS: dict[str, Twin] = {}
twin = registrar(TWINS)


def _high_risk(store: GraphStore, p: P) -> Iterator[Node]:
    return high_risk_systems(store, p["high_risk_tiers"])


def _assessed_by(store: GraphStore, s: Node, label: str) -> bool:
    return any(n.label == label for n in store.neighbours(s.id, "ASSESSED_BY"))


@twin("high-risk-without-human-oversight")
def high_risk_without_human_oversight(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _high_risk(store, p):
        if not controls_on(store, s.id, "human_oversight"):
            yield subject(s)


@twin("system-without-kill-switch")
def system_without_kill_switch(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        tested = [
            c
            for c in controls_on(store, s.id, "kill_switch")
            if c.get("last_tested") is not None and c.get("last_test_result") != "failed"
        ]
        if not tested:
            yield subject(s)


@twin("system-without-impact-assessment")
def system_without_impact_assessment(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        if not _assessed_by(store, s, "ImpactAssessment"):
            yield subject(s)


@twin("impact-assessment-overdue")
def impact_assessment_overdue(store: GraphStore, p: P) -> Iterator[Row]:
    for a in store.nodes("ImpactAssessment"):
        if before(a.get("next_review"), p["as_of"]):
            yield subject(a, next_review=a.get("next_review"))


@twin("system-without-risk-assessment")
def system_without_risk_assessment(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        if not _assessed_by(store, s, "RiskAssessment"):
            yield subject(s)


@twin("risk-without-treatment")
def risk_without_treatment(store: GraphStore, p: P) -> Iterator[Row]:
    for r in store.nodes("Risk"):
        if r.get("treatment") is None:
            yield subject(r, level=r.get("level"))


@twin("residual-risk-above-appetite")
def residual_risk_above_appetite(store: GraphStore, p: P) -> Iterator[Row]:
    org = next(store.nodes("Organization"), None)
    appetite = (org.get("risk_appetite") if org else None) or p["default_appetite"]
    for r in store.nodes("Risk"):
        residual = r.get("residual_level") or r.get("level")
        levels = p["levels"]
        if (
            residual in levels
            and appetite in levels
            and (levels.index(residual) > levels.index(appetite))
        ):
            yield subject(r, residual=residual, appetite=appetite)


@twin("implemented-control-without-current-evidence")
def implemented_control_without_current_evidence(store: GraphStore, p: P) -> Iterator[Row]:
    for c in store.nodes("Control"):
        if c.get("status") == "implemented" and not has_current_evidence(store, c.id, p["as_of"]):
            yield subject(c)


@twin("expired-evidence")
def expired_evidence(store: GraphStore, p: P) -> Iterator[Row]:
    for e in store.nodes("Evidence"):
        if before(e.get("valid_until"), p["as_of"]):
            yield subject(e, valid_until=e.get("valid_until"))


def _decision(store: GraphStore, annex: str) -> Node | None:
    """``OPTIONAL MATCH (d:ApplicabilityDecision)-[:DECIDES]->(a)`` (at most one)."""
    return next(
        (d for d in store.neighbours(annex, "DECIDES", "in") if d.label == "ApplicabilityDecision"),
        None,
    )


def _implementing(store: GraphStore, annex: str) -> list[Node]:
    return [c for c in store.neighbours(annex, "IMPLEMENTS", "in") if c.label == "Control"]


@twin("annex-a-control-without-decision")
def annex_a_control_without_decision(store: GraphStore, p: P) -> Iterator[Row]:
    files = [d.source.file for d in store.nodes("ApplicabilityDecision")]
    decisions = min(files) if files else None
    for a in store.nodes("AnnexAControl"):
        d = _decision(store, a.id)
        if d is not None and d.get("applicable") is not None:
            continue
        if d is None and any(
            c.get("status") in p["applicable_statuses"] or c.get("status") == "not_applicable"
            for c in _implementing(store, a.id)
        ):
            continue
        if d is not None:
            yield {**subject(a), "source_file": d.source.file, "source_line": d.source.line}
        elif decisions is not None:
            yield {**subject(a), "source_file": decisions, "source_line": None}
        else:
            yield subject(a)


@twin("exclusion-without-justification")
def exclusion_without_justification(store: GraphStore, p: P) -> Iterator[Row]:
    for a in store.nodes("AnnexAControl"):
        d = _decision(store, a.id)
        controls = _implementing(store, a.id)
        silent = sorted(
            (
                c
                for c in controls
                if c.get("status") == "not_applicable" and c.get("justification") is None
            ),
            key=lambda c: c.id,
        )
        if d is not None:
            if d.get("applicable") is False and d.get("justification") is None:
                yield {**subject(a), "source_file": d.source.file, "source_line": d.source.line}
        elif silent and not any(c.get("status") in p["applicable_statuses"] for c in controls):
            at = silent[0]
            yield {**subject(a), "source_file": at.source.file, "source_line": at.source.line}


@twin("personal-data-without-provenance")
def personal_data_without_provenance(store: GraphStore, p: P) -> Iterator[Row]:
    for d in store.nodes("Dataset"):
        if d.get("contains_personal_data") is not True or d.get("provenance") is not None:
            continue
        feeds = reach(store, d.id, FEEDS, "in")
        if any(
            n.label == "AISystem"
            and n.get("in_scope") is True
            and n.get("risk_tier") in p["high_risk_tiers"]
            for n in feeds
        ):
            yield subject(d)


@twin("dataset-without-quality-check")
def dataset_without_quality_check(store: GraphStore, p: P) -> Iterator[Row]:
    for d in store.nodes("Dataset"):
        status, checked = d.get("quality_status"), d.get("quality_checked_on")
        if d.get("in_scope") is not False and (
            checked is None or status in ("not_checked", "unknown")
        ):
            yield subject(d, quality_status=status or "unknown", quality_checked_on=checked)


def _dependents(store: GraphStore, supplier: str) -> list[Node]:
    """Nodes that depend on something the supplier supplies, the supplied included."""
    found: dict[str, Node] = {}
    for x in store.neighbours(supplier, "SUPPLIED_BY", "in"):
        for n in reach(store, x.id, DEPENDS, "in", include_start=True):
            found.setdefault(n.id, n)
    return list(found.values())


@twin("supplier-not-assessed")
def supplier_not_assessed(store: GraphStore, p: P) -> Iterator[Row]:
    # the organisation itself (an AI-BOM's manufacturer, say) is no third party to assess
    own = {str(o.get("name")).lower() for o in store.nodes("Organization") if o.get("name")}
    for s in store.nodes("Supplier"):
        assessed = s.get("assessed_on")
        if assessed is not None and not before(assessed, p["assessed_since"]):
            continue
        if s.get("name") is not None and str(s.get("name")).lower() in own:
            continue
        if any(
            n.label == "AISystem" and n.get("in_scope") is True for n in _dependents(store, s.id)
        ):
            yield subject(s, assessed_on=assessed)


@twin("system-without-owner")
def system_without_owner(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        if not any(n.label == "Stakeholder" for n in store.neighbours(s.id, "OWNED_BY")):
            yield subject(s)


@twin("system-without-role")
def system_without_role(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        if s.get("role") is None:
            yield subject(s)


@twin("high-risk-without-monitoring")
def high_risk_without_monitoring(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _high_risk(store, p):
        if not controls_on(store, s.id, "monitoring"):
            yield subject(s)


@twin("high-risk-without-event-logging")
def high_risk_without_event_logging(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _high_risk(store, p):
        if not controls_on(store, s.id, "event_logging"):
            yield subject(s)


@twin("no-concern-reporting-channel")
def no_concern_reporting_channel(store: GraphStore, p: P) -> Iterator[Row]:
    channel = any(
        c.get("control_type") == "concern_reporting" and c.get("status") == "implemented"
        for c in store.nodes("Control")
    )
    if not channel:
        yield from (subject(o) for o in store.nodes("Organization"))


@twin("incident-not-communicated")
def incident_not_communicated(store: GraphStore, p: P) -> Iterator[Row]:
    for i in store.nodes("Incident"):
        if i.get("communicated") is False:
            yield subject(i, severity=i.get("severity"))


def _corrected(store: GraphStore, node: Node) -> bool:
    return any(n.label == "CorrectiveAction" for n in store.neighbours(node.id, "CORRECTED_BY"))


@twin("incident-without-corrective-action")
def incident_without_corrective_action(store: GraphStore, p: P) -> Iterator[Row]:
    for i in store.nodes("Incident"):
        if not _corrected(store, i):
            yield subject(i)


@twin("nonconformity-without-corrective-action")
def nonconformity_without_corrective_action(store: GraphStore, p: P) -> Iterator[Row]:
    for f in store.nodes("AuditFinding"):
        kind = f.get("finding_type")
        if kind in ("minor_nonconformity", "major_nonconformity") and not _corrected(store, f):
            yield subject(f, finding_type=kind, finding_status=f.get("finding_status") or "open")


@twin("audit-finding-closed-without-date")
def audit_finding_closed_without_date(store: GraphStore, p: P) -> Iterator[Row]:
    for f in store.nodes("AuditFinding"):
        if f.get("finding_status") == "closed" and f.get("closed_on") is None:
            yield subject(f, finding_type=f.get("finding_type"))


@twin("scope-leakage")
def scope_leakage(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        leaks = {
            x.id
            for rel in ("DEPENDS_ON", "USES_MODEL", "USES_DATASET")
            for x in store.neighbours(s.id, rel)
            if x.get("in_scope") is False
        }
        for dependency in sorted(leaks):
            yield subject(s, dependency=dependency)


@twin("high-risk-without-affected-stakeholders")
def high_risk_without_affected_stakeholders(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _high_risk(store, p):
        if not any(n.label == "Stakeholder" for n in store.neighbours(s.id, "AFFECTS")):
            yield subject(s)


@twin("provider-without-verification-evidence")
def provider_without_verification_evidence(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        if s.get("role") not in ("provider", "both"):
            continue
        checked = any(
            is_current(e, p["as_of"])
            for c in controls_on(store, s.id, "verification_validation")
            for e in store.neighbours(c.id, "EVIDENCED_BY")
            if e.label == "Evidence"
        )
        if not checked:
            yield subject(s)


@twin("ai-policy-overdue")
def ai_policy_overdue(store: GraphStore, p: P) -> Iterator[Row]:
    for policy in store.nodes("Policy"):
        last, interval = policy.get("last_reviewed"), policy.get("review_interval_months")
        if policy.get("policy_type") == "ai_policy" and (
            before(policy.get("next_review"), p["as_of"])
            or months_passed(last, interval, p["months_before_as_of"])
        ):
            yield subject(
                policy,
                next_review=policy.get("next_review"),
                last_reviewed=last,
                review_interval_months=interval,
            )


def expected_properties(schema: Schema) -> dict[str, tuple[str, ...]]:
    """The properties the ontology expects (gg:expected) on each label an inventory
    writes, by label: what incomplete-record asks for."""
    out = {}
    for spec in schema.labels.values():
        names = tuple(p.name for p in spec.properties.values() if p.expected)
        if names and not spec.catalogue:
            out[spec.name] = names
    return out


def incomplete_record_cypher(schema: Schema) -> str:
    """The Cypher of incomplete-record, written out from the ontology: ladybug cannot read
    a property by a name given as a value (n[$name]), so each label's expected
    properties are spelt in a part of their own."""
    head = (
        "// Generated from the ontology's expected properties (gg:expected): do not edit.\n"
        "// Regenerate with `python scripts/update_queries.py`.\n"
    )
    parts = []
    for label, names in expected_properties(schema).items():
        cases = ",\n        ".join(
            f"CASE WHEN n.{name} IS NULL THEN '{name}' END" for name in names
        )
        parts.append(
            f"MATCH (n:{label})\n"
            f"UNWIND [{cases}] AS missing\n"
            "WITH n, missing\n"
            "WHERE missing IS NOT NULL\n"
            f"RETURN n.id AS id, '{label}' AS label, n.name AS name,\n"
            "       n.source_file AS source_file, n.source_line AS source_line, missing\n"
        )
    return head + "UNION ALL\n".join(parts)


@twin("incomplete-record")
def incomplete_record(store: GraphStore, p: P) -> Iterator[Row]:
    for label, names in expected_properties(load_schema()).items():
        for n in store.nodes(label):
            properties = n.properties  # read directly: a million records, several names each
            for name in names:
                if properties.get(name) is None:
                    yield subject(n, missing=name)


# --- explorations


@twin("supplier-blast-radius")
def supplier_blast_radius(store: GraphStore, p: P) -> Iterator[Row]:
    dependents = _dependents(store, p["supplier"])
    rows: set[tuple[str, str, Any, str]] = set()
    for n in dependents:
        if n.label in ("AISystem", "Model", "Dataset"):
            rows.add((n.label, n.id, n.get("name"), "depends on the supplier"))
    for s in (n for n in dependents if n.label == "AISystem"):
        for n in store.neighbours(s.id, "AFFECTS"):
            rows.add(("Stakeholder", n.id, n.get("name"), "affected by a dependent system"))
        for n in store.neighbours(s.id, "APPLIES_TO", "in"):
            rows.add(("Control", n.id, n.get("name"), "covers a dependent system"))
    for label, ident, name, impact in rows:
        yield {"label": label, "id": ident, "name": name, "impact": impact}


@twin("data-lineage")
def data_lineage(store: GraphStore, p: P) -> Iterator[Row]:
    start = store.node(p["dataset"])
    if start is None or start.label != "Dataset":
        return
    for n in reach(store, start.id, DEPENDS, "in"):
        if n.label in ("Dataset", "Model", "AISystem"):
            yield {"label": n.label, "id": n.id, "name": n.get("name")}


def _scope(node: Node) -> str:
    """``CASE n.in_scope WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not set' END``"""
    flag = node.get("in_scope")
    return "yes" if flag is True else "no" if flag is False else "not set"


@twin("aims-scope")
def aims_scope(store: GraphStore, p: P) -> Iterator[Row]:
    rows: set[tuple[str, str, Any, str]] = set()
    systems = list(in_scope_systems(store))
    starts = [s.id for s in systems]
    # one walk from every in-scope system at once: the rows are a union, and systems
    # share their foundation models and suppliers
    for s in systems:
        rows.add(("AISystem", s.id, s.get("name"), "yes"))
        for n in store.neighbours(s.id, "AFFECTS"):
            rows.add(("Stakeholder", n.id, n.get("name"), "not applicable"))
    for n in reach(store, starts, FEEDS, "out"):
        if n.label in ("Model", "Dataset"):
            rows.add((n.label, n.id, n.get("name"), _scope(n)))
    for x in reach(store, starts, DEPENDS, "out", include_start=True):
        for n in store.neighbours(x.id, "SUPPLIED_BY"):
            rows.add(("Supplier", n.id, n.get("name"), "not applicable"))
    for label, ident, name, in_scope in rows:
        yield {"label": label, "id": ident, "name": name, "in_scope": in_scope}


@twin("annex-a-control-trace")
def annex_a_control_trace(store: GraphStore, p: P) -> Iterator[Row]:
    control = store.node(p["control"])
    if control is None or control.label != "AnnexAControl":
        return
    for c in store.neighbours(control.id, "IMPLEMENTS", "in"):
        if c.label != "Control":
            continue
        # OPTIONAL MATCH: no evidence or no target still gives a row, with nulls
        evidence: list[Node | None] = [
            e for e in store.neighbours(c.id, "EVIDENCED_BY") if e.label == "Evidence"
        ] or [None]
        targets: list[Node | None] = list(store.neighbours(c.id, "APPLIES_TO")) or [None]
        for e in evidence:
            for t in targets:
                yield {
                    "control": c.id,
                    "name": c.get("name"),
                    "status": c.get("status"),
                    "justification": c.get("justification"),
                    "evidence": e.id if e else None,
                    "valid_until": e.get("valid_until") if e else None,
                    "applies_to": t.id if t else None,
                }
