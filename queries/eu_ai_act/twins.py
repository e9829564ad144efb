"""In-memory twins of the eu_ai_act queries: each returns the same rows as its Cypher
(a generic test runs both on the same graphs and requires identical rows)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from graphgov.graph import Node
from graphgov.packs import Row
from graphgov.store.base import GraphStore, Twin
from graphgov.twin_kit import (
    controls_on,
    high_risk_systems,
    in_scope_systems,
    registrar,
    subject,
)

P = Mapping[str, Any]
# The twin of each query id, filled by @twin below; graphgov reads it by this name.
TWINS: dict[str, Twin] = {}
twin = registrar(TWINS)

PROVIDES = ("provider", "both")
DEPLOYS = ("deployer", "both")
# The features that bring a system under Art. 50 (the flags the Cypher tests)
TRANSPARENCY_FLAGS = (
    "interacts_with_people",
    "generates_synthetic_content",
    "emotion_recognition",
    "biometric_categorisation",
    "deep_fake",
)


def _on_or_before(value: Any, limit: date) -> bool | None:
    """``value <= limit`` with Cypher's null: None when the value is not a date."""
    return value <= limit if isinstance(value, date) else None


def _live_high_risk(store: GraphStore, p: P, roles: tuple[str, ...]) -> Iterator[Node]:
    """``s.in_scope AND s.risk_tier IN $high_risk_tiers AND s.role IN roles AND
    s.lifecycle_stage IN $running_stages``"""
    for s in high_risk_systems(store, p["high_risk_tiers"]):
        if s.get("role") in roles and s.get("lifecycle_stage") in p["running_stages"]:
            yield s


@twin("high-risk-without-conformity-assessment")
def high_risk_without_conformity_assessment(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _live_high_risk(store, p, PROVIDES):
        assessed = _on_or_before(s.get("conformity_assessed_on"), p["as_of"]) is True
        if not assessed or s.get("ce_marked") is not True:
            yield subject(
                s,
                conformity_assessed_on=s.get("conformity_assessed_on"),
                ce_marked=s.get("ce_marked"),
            )


@twin("high-risk-not-registered")
def high_risk_not_registered(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _live_high_risk(store, p, PROVIDES):
        registered = _on_or_before(s.get("registered_on"), p["as_of"])
        if registered is None:
            registered = s.get("eu_database_id") is not None
        if not registered:
            yield subject(s)


def _public_body(store: GraphStore) -> bool:
    return any(o.get("public_body_or_public_service") is True for o in store.nodes("Organization"))


def _fundamental_rights_assessed(store: GraphStore, s: Node, as_of: date) -> bool:
    return any(
        a.label == "ImpactAssessment"
        and a.get("assessment_type") == "fundamental_rights"
        and _on_or_before(a.get("assessed_on"), as_of) is not False
        for a in store.neighbours(s.id, "ASSESSED_BY")
    )


@twin("deployer-without-fundamental-rights-assessment")
def deployer_without_fundamental_rights_assessment(store: GraphStore, p: P) -> Iterator[Row]:
    for s in _live_high_risk(store, p, DEPLOYS):
        point = s.get("annex_iii_point")
        owed = (isinstance(point, str) and point.lower() in p["assessed_points"]) or (
            s.get("annex_iii_area") in p["public_service_areas"] and _public_body(store)
        )
        if owed and not _fundamental_rights_assessed(store, s, p["as_of"]):
            yield subject(s, annex_iii_area=s.get("annex_iii_area"), annex_iii_point=point)


@twin("serious-incident-not-reported")
def serious_incident_not_reported(store: GraphStore, p: P) -> Iterator[Row]:
    as_of, period = p["as_of"], p["reporting_period"]
    for i in store.nodes("Incident"):
        if i.get("serious") is not True:
            continue
        aware = i.get("became_aware_on") or i.get("occurred_on")
        reported = i.get("reported_to_authority_on")
        deadline = aware + period if isinstance(aware, date) else None
        if _on_or_before(reported, as_of) is True:
            late = deadline is not None and reported > deadline
        else:
            late = deadline is None or deadline < as_of
        if late:
            yield subject(i, aware_on=aware, reported_to_authority_on=reported)


@twin("system-without-transparency-disclosure")
def system_without_transparency_disclosure(store: GraphStore, p: P) -> Iterator[Row]:
    for s in in_scope_systems(store):
        if any(s.get(flag) is True for flag in TRANSPARENCY_FLAGS) and not controls_on(
            store, s.id, "transparency"
        ):
            yield subject(s)


@twin("high-risk-without-annex-iii-area")
def high_risk_without_annex_iii_area(store: GraphStore, p: P) -> Iterator[Row]:
    for s in high_risk_systems(store, p["high_risk_tiers"]):
        if s.get("annex_iii_area") is None:
            yield subject(s)
