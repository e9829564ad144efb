"""Generate a realistic synthetic organisation as an inventory folder, from a thousand
records to a million: a group of business units, each with its AI systems and their
models, datasets, risks, controls, evidence and assessments, a few percent of them
carrying planted gaps.

What it writes is an inventory like any other: ``graphgov validate`` accepts it with no
problem, and the shipped checks find the planted gaps and nothing else (``GAPS`` says
which checks each kind of gap makes fire, once per gap). The same size, seed and
``as_of`` give byte-identical files: every choice comes from random streams seeded with
``seed`` (one per business unit, so a unit's records do not shift when another's
change), and every date is counted from ``as_of``, never from today.

Rows are streamed to the files of one business unit at a time, so writing a million
records holds no more than a unit's worth of them in memory. The folder is written
beside its destination under a hidden name and renamed into place once complete, so a
failed or interrupted run leaves nothing behind.
"""

from __future__ import annotations

import csv
import json
import math
import os
import random
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import repeat
from pathlib import Path
from typing import IO, Any

from graphgov import pipeline
from graphgov.dates import parse_date
from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem
from graphgov.files import make_folder
from graphgov.schema import Schema, load_schema, natural_key

# The reference day every date is counted from when none is given: the day the example
# organisation and the tests are judged on.
AS_OF = date(2026, 11, 23)
# AI systems per named size; about 17 records and 49 relationships each, so S is some
# 1,000 records, M 100,000 records and 290,000 relationships, L ten times M.
SIZES: Mapping[str, int] = {"S": 60, "M": 5_900, "L": 59_000}
MAX_SYSTEMS = 1_000_000
# Share of AI systems with one planted gap; incidents, audit findings and suppliers
# have their own shares below. Each kind of population has at least one gap.
SYSTEM_GAP_SHARE = 0.05
INCIDENT_GAP_SHARE = 0.04
FINDING_GAP_SHARE = 0.05
SUPPLIER_GAP_SHARE = 0.04
OUT_OF_SCOPE_SHARE = 0.04
APPETITE = "medium"  # the group's risk appetite, a value of the ontology's Level

ORGANIZATION = "meridian"
HIGH_RISK = "high"  # the tier the high-risk templates below take (a HighRiskTier value)


@dataclass(frozen=True)
class Gap:
    """A kind of gap ``generate`` plants: the kind of record it is planted on, what it
    is, and the checks (``pack/id``) it makes fire, each once per planted gap; the first
    is the check that looks for it."""

    subject: str
    description: str
    checks: tuple[str, ...]


def _iso(check: str) -> str:
    return "iso42001/" + check


def _act(check: str) -> str:
    return "eu_ai_act/" + check


# fmt: off
GAPS: Mapping[str, Gap] = {
    "oversight-not-implemented": Gap(
        "ai_system", "a high-risk system whose human oversight is only planned",
        (_iso("high-risk-without-human-oversight"),)),
    "monitoring-missing": Gap("ai_system", "a high-risk system with no monitoring control",
        (_iso("high-risk-without-monitoring"),)),
    "event-logging-missing": Gap("ai_system", "a high-risk system with no event-logging control",
        (_iso("high-risk-without-event-logging"),)),
    "affected-parties-missing": Gap("ai_system", "a high-risk system that names nobody it affects",
        (_iso("high-risk-without-affected-stakeholders"),)),
    "kill-switch-failed": Gap("ai_system", "a system whose kill switch failed its last test",
        (_iso("system-without-kill-switch"),)),
    "expired-evidence": Gap("ai_system", "a monitoring control whose only evidence has expired",
        (_iso("expired-evidence"), _iso("implemented-control-without-current-evidence"))),
    "control-without-evidence": Gap(
        "ai_system", "an implemented monitoring control with no evidence at all",
        (_iso("implemented-control-without-current-evidence"),)),
    "impact-assessment-missing": Gap("ai_system", "a system with no impact assessment",
        (_iso("system-without-impact-assessment"),)),
    "impact-assessment-overdue": Gap("ai_system", "an impact assessment past its review date",
        (_iso("impact-assessment-overdue"),)),
    "risk-assessment-missing": Gap("ai_system", "a system with no risk assessment",
        (_iso("system-without-risk-assessment"),)),
    "assessment-draft": Gap("ai_system", "an impact assessment written down before it was dated",
        (_iso("incomplete-record"),)),
    "owner-missing": Gap("ai_system", "a system nobody is accountable for",
        (_iso("system-without-owner"),)),
    "role-missing": Gap("ai_system", "a system whose role (provider, deployer) is not recorded",
        (_iso("system-without-role"),)),
    "dataset-not-checked": Gap("ai_system", "a dataset whose quality was never checked",
        (_iso("dataset-without-quality-check"),)),
    "personal-data-without-provenance": Gap(
        "ai_system", "personal data feeding a high-risk system, with no provenance",
        (_iso("personal-data-without-provenance"),)),
    "risk-untreated": Gap("ai_system", "a risk with no treatment decided",
        (_iso("risk-without-treatment"),)),
    "residual-above-appetite": Gap(
        "ai_system", "a risk whose residual level is above the group's appetite",
        (_iso("residual-risk-above-appetite"),)),
    "scope-leakage": Gap("ai_system", "an in-scope system that depends on an out-of-scope one",
        (_iso("scope-leakage"),)),
    "validation-not-implemented": Gap(
        "ai_system", "a system the group provides whose validation is only planned",
        (_iso("provider-without-verification-evidence"),)),
    "annex-iii-area-missing": Gap("ai_system", "a high-risk system with no Annex III area recorded",
        (_act("high-risk-without-annex-iii-area"),)),
    "conformity-missing": Gap(
        "ai_system", "a high-risk system the group provides, in use, never conformity-assessed",
        (_act("high-risk-without-conformity-assessment"),)),
    "registration-missing": Gap(
        "ai_system", "a high-risk system the group provides, in use, not in the EU database",
        (_act("high-risk-not-registered"),)),
    "fundamental-rights-assessment-missing": Gap(
        "ai_system", "a credit or insurance system in use with no fundamental-rights assessment",
        (_act("deployer-without-fundamental-rights-assessment"),)),
    "transparency-missing": Gap(
        "ai_system", "a system that talks to people or generates content, with no disclosure",
        (_act("system-without-transparency-disclosure"),)),
    "incident-not-communicated": Gap("incident", "an incident never communicated",
        (_iso("incident-not-communicated"),)),
    "incident-without-corrective-action": Gap("incident", "an incident with no corrective action",
        (_iso("incident-without-corrective-action"),)),
    "serious-incident-reported-late": Gap(
        "incident", "a serious incident reported to the authority after the deadline",
        (_act("serious-incident-not-reported"),)),
    "nonconformity-without-corrective-action": Gap(
        "audit_finding", "an audit nonconformity with no corrective action",
        (_iso("nonconformity-without-corrective-action"),)),
    "finding-closed-without-date": Gap(
        "audit_finding", "an audit finding closed without saying when",
        (_iso("audit-finding-closed-without-date"),)),
    "supplier-not-assessed": Gap(
        "supplier", "a supplier to in-scope systems never assessed, or not for over a year",
        (_iso("supplier-not-assessed"),)),
    "annex-a-undecided": Gap("decision", "an Annex A control with no applicability decision yet",
        (_iso("annex-a-control-without-decision"),)),
    "exclusion-without-justification": Gap(
        "decision", "an Annex A control excluded without a justification",
        (_iso("exclusion-without-justification"),)),
}
# fmt: on


def _planted_on(subject: str) -> tuple[str, ...]:
    return tuple(kind for kind, gap in GAPS.items() if gap.subject == subject)


_SYSTEM_GAPS = _planted_on("ai_system")
_INCIDENT_GAPS = _planted_on("incident")
_FINDING_GAPS = _planted_on("audit_finding")


@dataclass(frozen=True)
class GeneratedSummary:
    """What ``generate`` wrote: the folder, the AI systems and business units, the files,
    the records per kind and the relationships they make, and the gaps planted per kind
    of ``GAPS`` (every kind is listed, with 0 for those not planted)."""

    folder: Path
    size: str
    seed: int
    as_of: date
    systems: int
    units: int
    files: int
    records: Mapping[str, int]
    relationships: int
    gaps: Mapping[str, int]

    @property
    def total_records(self) -> int:
        """Every record written: the graph's nodes, without the catalogue."""
        return sum(self.records.values())

    @property
    def total_gaps(self) -> int:
        """Every gap planted."""
        return sum(self.gaps.values())

    def expected_findings(self) -> dict[str, int]:
        """How many findings each check (``pack/id``) gives on the inventory, judged on
        ``as_of``: the planted gaps and nothing else; checks not named give none."""
        out: Counter[str] = Counter()
        for kind, count in self.gaps.items():
            for check in GAPS[kind].checks:
                out[check] += count
        return {check: n for check, n in sorted(out.items()) if n}


def systems_for(size: str | int) -> int:
    """The number of AI systems a size names: S, M or L (any case), or a whole number of
    systems (as an int or its digits). Raises ValueError for anything else."""
    if isinstance(size, bool):
        raise ValueError(f"size must be S, M, L or a number of AI systems (got {size!r})")
    if isinstance(size, str):
        text = size.strip()
        if text.upper() in SIZES:
            return SIZES[text.upper()]
        if not text.isdigit():
            raise ValueError(f"size must be S, M, L or a number of AI systems (got {size!r})")
        size = int(text)
    if not 1 <= size <= MAX_SYSTEMS:
        raise ValueError(f"the number of AI systems must be from 1 to {MAX_SYSTEMS:,} (got {size})")
    return size


def generate(
    folder: Path, size: str | int, seed: int = 0, *, as_of: date | str = AS_OF
) -> GeneratedSummary:
    """Write a generated organisation of ``size`` (S about 1,000 records, M about 100,000,
    L about 1,000,000, or a number of AI systems) into ``folder``, which must be absent
    or empty, from random ``seed``, with every date counted from ``as_of`` (a date or
    'YYYY-MM-DD'; the checks find exactly the planted gaps when judged on that day).
    Returns what was written.

    Raises ValueError for a bad size or ``as_of``, EnvironmentProblem (one line) when
    ``folder`` is a file or a folder that is not empty, or cannot be written; a failed or
    interrupted run leaves nothing behind."""
    systems = systems_for(size)
    day = _day(as_of)
    folder = Path(folder)
    shown = size.strip().upper() if isinstance(size, str) else str(size)
    try:
        taken = folder.exists() and (not folder.is_dir() or any(folder.iterdir()))
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot read {path_text(folder)}: {exc.strerror or exc}"
        ) from None
    if taken:
        raise EnvironmentProblem(
            f"{path_text(folder)} already exists and is not empty; choose a new folder"
        )
    parent = make_folder(folder.absolute().parent)
    try:
        # written beside the destination, under a hidden name, and renamed into place
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=parent))
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write {path_text(folder)}: {exc.strerror or exc}"
        ) from None
    try:
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp's folder is private; this one is not
        writer = _Organisation(work, systems, seed, day)
        writer.write()
        os.replace(work, folder)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise EnvironmentProblem(
            f"cannot write {path_text(folder)}: {exc.strerror or exc}"
        ) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return GeneratedSummary(
        folder=folder,
        size=shown,
        seed=seed,
        as_of=day,
        systems=systems,
        units=len(writer.units),
        files=writer.files,
        records=dict(sorted(writer.records.items())),
        relationships=writer.relationships,
        gaps={kind: writer.gaps[kind] for kind in GAPS},
    )


def _day(as_of: date | str) -> date:
    if isinstance(as_of, date):
        return as_of
    try:
        return parse_date(as_of)
    except ValueError as exc:
        raise ValueError(f"as_of {exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- what the organisation is made of ------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    """A kind of AI system a business unit runs: its name, EU AI Act tier (and Annex III
    area and point when high risk), how it is built (``in_house``; ``saas``: a
    supplier's service; ``llm``: on a foundation model), the data it reads, its purpose
    and the risk categories it carries, most likely first."""

    slug: str
    name: str
    tier: str
    build: str
    data: str
    purpose: str
    model_type: str = "gradient-boosted trees"
    personal: bool = True
    special: bool = False
    area: str | None = None
    point: str | None = None
    interacts: bool = False
    synthetic: bool = False
    risks: tuple[str, ...] = ("robustness",)
    out_of_scope: float = OUT_OF_SCOPE_SHARE


@dataclass(frozen=True)
class _Division:
    """A line of business; the group runs it in many countries, one unit each."""

    slug: str
    name: str
    shared: tuple[tuple[str, str, bool], ...]  # the unit's own datasets: slug, name, personal
    affected: tuple[tuple[str, str, str], ...]  # parties its systems affect: slug, name, type
    templates: tuple[_Template, ...]


_T = _Template
# fmt: off
_DIVISIONS = (
    _Division(
        "retail-banking", "Retail Banking",
        shared=(("customers", "Customer master records", True), ("ledger", "Account ledger", True)),
        affected=(("applicants", "Loan applicants", "affected_party"),
                  ("customers", "Customers", "customer")),
        templates=(
            _T("credit-scoring", "Credit scoring", HIGH_RISK, "in_house", "loan applications",
               "Score personal-loan applications; underwriters decide.", area="essential-services",
               point="5b", risks=("bias_fairness", "transparency", "privacy")),
            _T("affordability", "Affordability assessment", HIGH_RISK, "in_house",
               "bank statements", "Estimate income and outgoings of applicants.",
               area="essential-services", point="5b", risks=("robustness", "bias_fairness")),
            _T("fraud-detection", "Fraud detection", "limited", "in_house", "card transactions",
               "Flag suspicious card transactions for investigators.",
               model_type="graph neural network", risks=("robustness", "security")),
            _T("aml-monitoring", "AML transaction monitoring", "limited", "saas",
               "account transactions", "Detect money-laundering patterns.",
               risks=("legal", "robustness")),
            _T("customer-chatbot", "Customer chatbot", "limited", "llm", "help-centre articles",
               "Answer customers' questions and hand over to an agent.", personal=False,
               interacts=True, synthetic=True, risks=("robustness", "privacy")),
            _T("collections", "Collections prioritisation", "limited", "in_house",
               "loan book history", "Order the collections call list.",
               model_type="logistic regression", risks=("societal", "bias_fairness")),
            _T("document-reader", "Document extraction", "minimal", "saas", "uploaded documents",
               "Read payslips and statements uploaded by applicants."),
            _T("marketing-propensity", "Marketing propensity", "minimal", "in_house",
               "marketing segments", "Rank customers for offers.",
               model_type="logistic regression", risks=("privacy",), out_of_scope=0.5),
        ),
    ),
    _Division(
        "insurance", "Insurance",
        shared=(("policies", "Policy administration records", True),
                ("claims", "Claims history", True)),
        affected=(("policyholders", "Policyholders", "customer"),
                  ("claimants", "Claimants", "affected_party")),
        templates=(
            _T("life-pricing", "Life insurance pricing", HIGH_RISK, "in_house",
               "life applications", "Price life cover for individual applicants.",
               model_type="generalised linear model", area="essential-services", point="5c",
               risks=("bias_fairness", "transparency")),
            _T("health-underwriting", "Health underwriting", HIGH_RISK, "in_house",
               "medical questionnaires", "Assess health cover applications.", special=True,
               area="essential-services", point="5c", risks=("bias_fairness", "privacy")),
            _T("claims-triage", "Claims triage", "limited", "in_house", "claim forms",
               "Route claims to fast track or an adjuster.", risks=("robustness", "societal")),
            _T("claims-fraud", "Claims fraud detection", "limited", "in_house", "claims",
               "Flag claims for the special investigations unit.",
               risks=("bias_fairness", "robustness")),
            _T("policy-assistant", "Policy assistant", "limited", "llm", "policy wordings",
               "Answer policyholders' questions about cover.", personal=False, interacts=True,
               synthetic=True, risks=("robustness", "transparency")),
            _T("claims-documents", "Claims document reader", "minimal", "saas", "claim documents",
               "Extract figures from invoices and reports."),
        ),
    ),
    _Division(
        "people", "People Services",
        shared=(("hr-records", "HR records", True),
                ("applicant-tracking", "Applicant tracking records", True)),
        affected=(("candidates", "Job candidates", "affected_party"),
                  ("employees", "Employees", "group")),
        templates=(
            _T("cv-screening", "CV screening", HIGH_RISK, "saas", "CVs",
               "Rank applications for recruiters.", area="employment", point="4a",
               risks=("bias_fairness", "transparency")),
            _T("performance-insights", "Performance insights", HIGH_RISK, "in_house",
               "performance records", "Suggest ratings for performance reviews.",
               area="employment", point="4b", risks=("bias_fairness", "privacy")),
            _T("attrition", "Attrition predictor", "limited", "in_house", "HR snapshots",
               "Estimate which teams may lose staff.", model_type="logistic regression",
               risks=("privacy", "societal")),
            _T("interview-scheduling", "Interview scheduling", "minimal", "saas", "calendars",
               "Propose interview slots."),
            _T("hr-helpdesk", "HR helpdesk assistant", "limited", "llm", "HR policies",
               "Answer staff questions about HR policies.", personal=False, interacts=True,
               synthetic=True, risks=("robustness", "privacy")),
        ),
    ),
    _Division(
        "energy", "Energy Networks",
        shared=(("grid-telemetry", "Grid telemetry", False),
                ("accounts", "Customer accounts", True)),
        affected=(("customers", "Energy customers", "customer"),
                  ("communities", "Local communities", "affected_party")),
        templates=(
            _T("grid-balancing", "Grid balancing", HIGH_RISK, "in_house", "grid telemetry",
               "Dispatch storage and demand response on the grid.",
               model_type="reinforcement learning policy", personal=False,
               area="critical-infrastructure", point="2",
               risks=("safety", "robustness", "security")),
            _T("outage-prediction", "Outage prediction", "limited", "in_house", "fault records",
               "Predict faults on the network.", model_type="time-series forecaster",
               personal=False, risks=("robustness", "safety")),
            _T("meter-anomaly", "Meter anomaly detection", "minimal", "in_house", "meter readings",
               "Spot faulty or tampered meters.", model_type="isolation forest",
               risks=("privacy", "robustness")),
            _T("vegetation-inspection", "Vegetation inspection", "minimal", "saas", "drone images",
               "Find vegetation near power lines in drone images.", personal=False),
            _T("energy-assistant", "Energy customer assistant", "limited", "llm", "tariff guides",
               "Help customers with bills and tariffs.", personal=False, interacts=True,
               synthetic=True, risks=("robustness", "transparency")),
        ),
    ),
    _Division(
        "education", "Learning and Education",
        shared=(("learners", "Learner records", True), ("courses", "Course content", False)),
        affected=(("learners", "Learners", "affected_party"),
                  ("course-applicants", "Course applicants", "affected_party")),
        templates=(
            _T("admissions", "Admissions scoring", HIGH_RISK, "in_house", "applications",
               "Score applications to courses.", area="education", point="3a",
               risks=("bias_fairness", "transparency")),
            _T("exam-proctoring", "Exam proctoring", HIGH_RISK, "saas", "exam recordings",
               "Flag possible cheating in online exams.", model_type="computer-vision network",
               area="education", point="3d", risks=("bias_fairness", "privacy")),
            _T("learning-recommender", "Learning recommender", "limited", "in_house",
               "learning activity", "Suggest the next module to learners.",
               model_type="matrix factorisation", risks=("societal",)),
            _T("essay-feedback", "Essay feedback", "limited", "llm", "marked essays",
               "Draft feedback on learners' essays for tutors.", interacts=True, synthetic=True,
               risks=("transparency", "bias_fairness")),
        ),
    ),
    _Division(
        "logistics", "Logistics",
        shared=(("shipments", "Shipment records", True),
                ("fleet-telemetry", "Fleet telemetry", False)),
        affected=(("shippers", "Shipping customers", "customer"), ("drivers", "Drivers", "group")),
        templates=(
            _T("route-optimisation", "Route optimisation", "minimal", "in_house",
               "delivery history", "Plan delivery routes.", model_type="mixed-integer optimiser",
               personal=False),
            _T("demand-forecasting", "Demand forecasting", "minimal", "in_house", "parcel volumes",
               "Forecast parcel volumes per depot.", model_type="time-series forecaster",
               personal=False),
            _T("warehouse-vision", "Warehouse vision", "minimal", "saas", "conveyor images",
               "Count and check parcels on conveyors.", personal=False,
               risks=("robustness", "safety")),
            _T("task-allocation", "Driver task allocation", HIGH_RISK, "in_house",
               "driver performance", "Allocate rounds to drivers by performance.",
               area="employment", point="4b", risks=("bias_fairness", "societal")),
            _T("invoice-reader", "Invoice extraction", "minimal", "saas", "invoices",
               "Read supplier invoices.", personal=False),
        ),
    ),
    _Division(
        "retail", "Retail and E-commerce",
        shared=(("orders", "Customer orders", True), ("catalogue", "Product catalogue", False)),
        affected=(("shoppers", "Shoppers", "customer"),
                  ("sellers", "Marketplace sellers", "customer")),
        templates=(
            _T("product-recommender", "Product recommender", "minimal", "in_house",
               "browsing history", "Recommend products to shoppers.",
               model_type="two-tower network", risks=("privacy", "societal")),
            _T("dynamic-pricing", "Dynamic pricing", "limited", "in_house", "sales history",
               "Set prices from demand and stock.", personal=False, risks=("legal", "robustness")),
            _T("shopping-assistant", "Shopping assistant", "limited", "llm",
               "product descriptions", "Answer shoppers' questions about products.",
               personal=False, interacts=True, synthetic=True,
               risks=("robustness", "transparency")),
            _T("returns-fraud", "Returns fraud detection", "limited", "in_house", "returns",
               "Flag suspicious returns.", risks=("bias_fairness", "robustness")),
            _T("marketing-content", "Marketing content generator", "limited", "llm",
               "brand guidelines", "Draft product copy and campaign images.", personal=False,
               synthetic=True, risks=("legal", "transparency")),
            _T("marketing-propensity", "Marketing propensity", "minimal", "in_house",
               "campaign responses", "Rank shoppers for campaigns.",
               model_type="logistic regression", risks=("privacy",), out_of_scope=0.5),
        ),
    ),
    _Division(
        "technology", "Group Technology",
        shared=(("it-tickets", "IT service tickets", True),
                ("security-logs", "Security event logs", True)),
        affected=(("employees", "Employees", "group"), ("it-users", "IT service users", "group")),
        templates=(
            _T("code-assistant", "Developer code assistant", "minimal", "llm", "code repositories",
               "Suggest code to developers.", personal=False, risks=("security", "legal"),
               out_of_scope=0.6),
            _T("ticket-routing", "Ticket routing", "minimal", "in_house", "IT tickets",
               "Route IT tickets to resolver groups.", model_type="text classifier"),
            _T("security-anomaly", "Security anomaly detection", "limited", "in_house",
               "security events", "Flag unusual logins and data transfers.",
               model_type="isolation forest", risks=("security", "privacy")),
        ),
    ),
    _Division(
        "customer-service", "Customer Service",
        shared=(("transcripts", "Call and chat transcripts", True),
                ("knowledge-base", "Service knowledge base", False)),
        affected=(("customers", "Customers", "customer"),
                  ("agents", "Contact-centre agents", "group")),
        templates=(
            _T("call-summarisation", "Call summarisation", "limited", "llm", "call recordings",
               "Summarise calls for the case record.", synthetic=True,
               risks=("robustness", "privacy")),
            _T("complaint-classifier", "Complaint classifier", "limited", "in_house", "complaints",
               "Classify complaints and spot vulnerable customers.", model_type="text classifier",
               risks=("societal", "robustness")),
            _T("agent-assist", "Agent assist", "limited", "llm", "service articles",
               "Suggest answers to agents during calls.", personal=False, synthetic=True),
            _T("identity-verification", "Identity verification", "limited", "saas",
               "identity documents", "Match a selfie to an identity document (one to one).",
               model_type="face-matching network", special=True,
               risks=("privacy", "bias_fairness")),
        ),
    ),
)
# fmt: on

_COUNTRIES = (
    ("uk", "UK"), ("de", "Germany"), ("fr", "France"), ("es", "Spain"), ("it", "Italy"),
    ("nl", "Netherlands"), ("be", "Belgium"), ("pl", "Poland"), ("se", "Sweden"),
    ("dk", "Denmark"), ("no", "Norway"), ("fi", "Finland"), ("ie", "Ireland"),
    ("pt", "Portugal"), ("at", "Austria"), ("ch", "Switzerland"), ("cz", "Czechia"),
    ("ro", "Romania"), ("gr", "Greece"), ("hu", "Hungary"), ("us", "United States"),
    ("ca", "Canada"), ("br", "Brazil"), ("mx", "Mexico"), ("in", "India"),
    ("sg", "Singapore"), ("jp", "Japan"), ("au", "Australia"), ("za", "South Africa"),
    ("ae", "UAE"),
)  # fmt: skip

# The risk register's vocabulary: per category, a risk's name, the Annex C risk sources
# it may come from and the Annex C objective it threatens.
_RISKS: Mapping[str, tuple[str, tuple[str, ...], str]] = {
    "bias_fairness": ("{} disadvantages protected groups", ("C.3.4", "C.3.3"), "C.2.5"),
    "transparency": ("People cannot understand outcomes of {}", ("C.3.2",), "C.2.11"),
    "privacy": ("Personal data used by {} is exposed or misused", ("C.3.1", "C.3.4"), "C.2.7"),
    "robustness": ("{} degrades as its data drifts", ("C.3.6", "C.3.4"), "C.2.8"),
    "safety": ("A failure of {} harms people or assets", ("C.3.3", "C.3.5"), "C.2.9"),
    "security": ("{} is manipulated through crafted inputs", ("C.3.4", "C.3.1"), "C.2.10"),
    "societal": ("{} presses vulnerable people too hard", ("C.3.3",), "C.2.5"),
    "legal": ("{} breaches a legal or contractual duty", ("C.3.1", "C.3.7"), "C.2.1"),
}
# A system's own controls: per type, the Annex A controls it implements, its name, the
# evidence that shows it and that evidence's type.
_CONTROLS: Mapping[str, tuple[str, str, str, str]] = {
    "kill_switch": ("A.6.2.5;A.9.2", "Switch {} off and fall back to manual handling",
                    "Kill-switch drill report", "test_report"),
    "monitoring": ("A.6.2.6;A.9.3", "Performance and drift monitoring of {}",
                   "Monitoring report", "log"),
    "verification_validation": ("A.6.2.4", "Validation of {} before each release",
                                "Validation report", "test_report"),
    "human_oversight": ("A.9.2;A.5.4", "Human review of outcomes of {}", "Review log sample",
                        "record"),
    "event_logging": ("A.6.2.8;A.6.2.6", "Decision log of {}", "Log retention check", "log"),
    "transparency": ("A.8.2;A.8.5", "People told when they deal with {}",
                     "Disclosure screenshot", "record"),
    "data_quality": ("A.7.4;A.7.6", "Input data quality checks for {}", "Data quality report",
                     "test_report"),
    "risk_management": ("A.5.4", "Fairness testing of {} across groups",
                        "Fairness test report", "test_report"),
}  # fmt: skip
# Gaps that leave out one of a system's controls, and gaps that leave one only planned.
_LEFT_OUT = {
    "monitoring-missing": "monitoring",
    "event-logging-missing": "event_logging",
    "transparency-missing": "transparency",
}
_ONLY_PLANNED = {
    "oversight-not-implemented": "human_oversight",
    "validation-not-implemented": "verification_validation",
}
_HIGH_RISK_GAPS = frozenset(
    {
        "oversight-not-implemented",
        "monitoring-missing",
        "event-logging-missing",
        "affected-parties-missing",
        "annex-iii-area-missing",
    }
)
# Annex III points whose every deployer assesses fundamental rights (the eu_ai_act pack's
# assessed_points): creditworthiness, and life and health insurance pricing.
_RIGHTS_ASSESSED_POINTS = ("5b", "5c")
_OWNER_ANSWERS = frozenset({"kill_switch", "human_oversight"})
_TREATMENTS = ("mitigate", "transfer", "avoid")
_TREATMENT_SHARES = (0.8, 0.12, 0.08)
# Controls that also cover the system's model (the model is what they test or watch).
_ON_THE_MODEL_TOO = frozenset({"verification_validation", "monitoring"})
_SECOND_OBJECTIVE = "C.2.1"  # accountability: at stake whenever any other objective is
# The group's own controls, for the whole organisation: id, name, type, Annex A controls.
_GROUP_CONTROLS = (
    ("ctl-ai-policy", "AI policy approved by the group board", "policy", "A.2.2;A.2.3"),
    ("ctl-policy-review", "Yearly review of the AI policy", "policy", "A.2.4"),
    ("ctl-ai-roles", "AI roles and responsibilities in every unit", "documentation", "A.3.2"),
    ("ctl-speak-up", "Speak-up channel for AI concerns", "concern_reporting", "A.3.3"),
    ("ctl-resource-register", "Group register of AI resources", "documentation",
     "A.4.2;A.4.3;A.4.5"),
    ("ctl-ai-training", "Responsible-AI training for staff", "training", "A.4.6"),
    ("ctl-impact-process", "AI impact assessment procedure", "impact_assessment",
     "A.5.2;A.5.3;A.5.5"),
    ("ctl-sdlc", "Responsible AI development life cycle", "documentation",
     "A.6.1.2;A.6.1.3;A.6.2.2;A.6.2.3;A.6.2.7"),
    ("ctl-data-governance", "Data quality and preparation standard", "data_quality",
     "A.7.2;A.7.4;A.7.6"),
    ("ctl-data-provenance", "Data acquisition and lineage catalogue", "data_provenance",
     "A.7.3;A.7.5"),
    ("ctl-user-information", "Information for users of AI systems", "transparency", "A.8.2;A.8.5"),
    ("ctl-incident-comms", "AI incident communication procedure", "incident_response", "A.8.4"),
    ("ctl-responsible-use", "Acceptable use of AI systems", "policy", "A.9.2;A.9.3;A.9.4"),
    ("ctl-supplier-mgmt", "AI supplier due diligence", "supplier_management", "A.10.2;A.10.3"),
)  # fmt: skip
# The Statement of Applicability's exceptions; every other Annex A control applies.
_UNDECIDED = "A.4.4"  # the planted undecided control
_UNJUSTIFIED = "A.8.3"  # the planted exclusion without a justification
_EXCLUDED = {"A.10.4": "The group offers no AI system or service to business customers."}
_JUSTIFICATIONS = {
    "A.2": "The group develops and uses AI systems in every division; its AI policy frames them.",
    "A.3": "Hundreds of AI systems across units need named owners and a way to raise concerns.",
    "A.4": "The AI systems depend on data, compute and people that must be known to be governed.",
    "A.5": "Credit, insurance, hiring and education decisions affect individuals and groups.",
    "A.6": "Most models are built in house by unit ML teams and run in production.",
    "A.7": "Models are trained and run on customer, employee and operational data.",
    "A.8": "Customers, staff and regulators must be told what the AI systems do.",
    "A.9": "Staff in every unit use AI systems in daily decisions.",
    "A.10": "The group relies on AI suppliers for models, data and services.",
}
_SUPPLIER_WORDS = (
    ("Northbridge", "Bluepeak", "Cedar", "Halcyon", "Ironwood", "Juniper", "Kestrel",
     "Lumen", "Mistral Bay", "Nimbus", "Orchid", "Pioneer", "Quartz", "Redwood", "Sable",
     "Tidewater", "Umbra", "Vantage", "Willow", "Zephyr", "Aurora", "Beacon", "Cobalt",
     "Delta Crest", "Ember"),
    ("Analytics", "Data", "AI", "Labs", "Systems", "Cloud", "Intelligence", "Software",
     "Insights", "Technologies"),
)  # fmt: skip
_SUPPLIER_TYPES = (  # type, share of suppliers
    ("ai_service", 0.35),
    ("model_provider", 0.2),
    ("data_provider", 0.25),
    ("cloud", 0.1),
    ("tooling", 0.1),
)
_STAGES = (  # lifecycle stage, share of in-scope systems
    ("operation", 0.6),
    ("deployment", 0.14),
    ("pilot", 0.08),
    ("validation", 0.08),
    ("development", 0.07),
    ("design", 0.03),
)
_FOUNDATION_FAMILIES = ("Atlas", "Borealis", "Cirrus", "Draco", "Equinox", "Fathom", "Galena")


@dataclass(eq=False)
class _Unit:
    """One business unit: its id (its folder's name), name, division and its share."""

    id: str
    name: str
    division: _Division
    systems: int
    incidents: int
    first: int  # the global number of its first system


@dataclass(eq=False)  # each plan is itself: compared by identity, as pools remove them
class _System:
    """What is decided about one AI system before its rows are written, and what follows
    from it."""

    id: str
    name: str
    template: _Template
    unit: _Unit
    high: bool  # its tier is one of the ontology's high-risk tiers
    in_scope: bool
    role: str
    stage: str
    running: bool  # its stage is one of live use
    gap: str | None = None
    depends_on: list[str] = field(default_factory=list)
    supplier: str | None = None  # the supplier whose service it is

    @property
    def provider(self) -> bool:
        return self.role in ("provider", "both")

    @property
    def profile(self) -> tuple[bool, ...]:
        """What decides which kinds of gap the system can carry (see ``_fits``)."""
        t = self.template
        talks = t.interacts or t.synthetic
        return (self.high, self.provider, self.running, self.needs_fria, t.personal, talks)

    @property
    def in_house(self) -> bool:
        """Its model is the group's own: trained in house, or tuned from a foundation
        model by a unit that also provides the system."""
        build = self.template.build
        return build == "in_house" or (build == "llm" and self.role == "both")

    @property
    def owner(self) -> str:
        return f"{self.unit.id}-head" if self.high else f"{self.unit.id}-product-owner"

    @property
    def needs_fria(self) -> bool:
        """The EU AI Act asks its deployer for a fundamental-rights impact assessment
        (Art. 27: credit scoring and life or health insurance, Annex III 5(b) and 5(c))."""
        point = (self.template.point or "").lower()
        deploys = self.role in ("deployer", "both")
        return self.high and deploys and self.running and point in _RIGHTS_ASSESSED_POINTS


def _fits(kind: str, s: _System, can_leak: bool) -> bool:
    """Whether a system can carry a gap of ``kind`` (a high-risk gap needs a high-risk
    system, a provider's gap a provider, ...)."""
    t = s.template
    if kind in _HIGH_RISK_GAPS:
        return s.high
    if kind == "personal-data-without-provenance":
        return s.high and t.personal
    if kind in ("conformity-missing", "registration-missing"):
        return s.high and s.provider and s.running
    if kind == "fundamental-rights-assessment-missing":
        return s.needs_fria
    if kind == "impact-assessment-missing":
        return not s.needs_fria  # else its other impact assessment would still count
    if kind == "validation-not-implemented":
        return s.provider
    if kind == "transparency-missing":
        return t.interacts or t.synthetic
    if kind == "scope-leakage":
        return can_leak
    return True


# -- writing ------------------------------------------------------------------------------


class _Table:
    """One CSV file of records of one kind, written row by row."""

    def __init__(self, owner: _Organisation, path: Path, kind: str, columns: Sequence[str]):
        self.owner, self.kind, self.columns = owner, kind, tuple(columns)
        spec = owner.schema.by_kind(kind)
        assert spec is not None, kind
        unknown = [c for c in columns if c != "id" and c not in spec.fields]
        assert not unknown, (kind, unknown)
        self.references = [
            i for i, c in enumerate(self.columns) if c in spec.fields and spec.fields[c].relation
        ]
        self.known = frozenset(self.columns)
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(self.columns)
        self.rows = 0
        owner.files += 1

    def add(self, **values: Any) -> None:
        """Write one record; each value is text, a boolean, a date or a list of ids."""
        if not values.keys() <= self.known:
            raise AssertionError(f"{self.kind}: no columns {sorted(values.keys() - self.known)}")
        row = [
            v if v.__class__ is str else _cell(v) for v in map(values.get, self.columns, repeat(""))
        ]
        self.writer.writerow(row)
        self.rows += 1
        links = 0
        for i in self.references:
            cell = row[i]
            if cell:
                links += cell.count(";") + 1
        self.owner.relationships += links

    def close(self) -> None:
        self.handle.close()
        self.owner.records[self.kind] += self.rows


def _cell(value: Any) -> str:
    """A value as a CSV cell: blank for None, true or false, YYYY-MM-DD, ids joined by
    ';' (the values a record holds are only ever of these types, or text)."""
    return _CELL[type(value)](value)


def _date_cell(value: date) -> str:
    text = _DATE_TEXT.get(value)
    if text is None:
        text = _DATE_TEXT[value] = value.isoformat()
    return text


_DATE_TEXT: dict[date, str] = {}
_CELL: dict[type, Callable[[Any], str]] = {
    type(None): lambda _: "",
    str: str,
    bool: lambda v: "true" if v else "false",
    date: _date_cell,
    list: ";".join,
    tuple: ";".join,
}


def _yaml_text(comment: str, records: list[dict[str, Any]], flow: bool) -> str:
    """Records as a YAML list, each on one line (``flow``) or one field a line, after
    ``comment``. Written here rather than by a YAML library so the bytes never depend
    on which emitter is installed; values are text, booleans, dates, numbers or lists
    of ids, and text that could read as anything else is quoted."""
    out = ["".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())]
    for record in records:
        fields = [(k, _yaml_value(v)) for k, v in record.items() if v is not None]
        if flow:
            out.append("- {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}\n")
        else:
            lines = [f"{k}: {v}" for k, v in fields]
            out.append("- " + "\n  ".join(lines) + "\n\n")
    return "".join(out).rstrip("\n") + "\n"


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()&'-]*[A-Za-z0-9.)]|[A-Za-z]")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and "  " not in text:
        return text
    # a JSON string is a YAML double-quoted scalar
    return json.dumps(text, ensure_ascii=False)


_SYSTEM_COLUMNS = (
    "id", "name", "purpose", "risk_tier", "role", "lifecycle_stage", "in_scope",
    "annex_iii_area", "annex_iii_point", "interacts_with_people",
    "generates_synthetic_content", "conformity_assessed_on", "ce_marked", "registered_on",
    "eu_database_id", "owned_by", "overseen_by", "supplied_by", "uses_model", "uses_dataset",
    "depends_on", "affects", "assessed_by", "has_risk",
)  # fmt: skip
_MODEL_COLUMNS = (
    "id", "name", "model_type", "version", "origin", "in_scope", "based_on", "supplied_by",
    "trained_on", "owned_by",
)  # fmt: skip
_DATASET_COLUMNS = (
    "id", "name", "contains_personal_data", "special_category_data", "in_scope",
    "provenance", "quality_checked_on", "quality_status", "derived_from", "supplied_by",
    "owned_by",
)  # fmt: skip
_RISK_COLUMNS = (
    "id", "name", "risk_category", "likelihood", "consequence", "level", "treatment",
    "residual_level", "mitigated_by", "has_source", "threatens", "owned_by",
)  # fmt: skip
_CONTROL_COLUMNS = (
    "id", "name", "control_type", "status", "implements", "applies_to", "owned_by",
    "evidenced_by", "last_tested", "last_test_result",
)  # fmt: skip
_EVIDENCE_COLUMNS = ("id", "name", "evidence_type", "issued_on", "valid_until", "location")
_RA_COLUMNS = ("id", "name", "assessed_on", "next_review", "method", "identifies", "evidenced_by")
_IA_COLUMNS = (
    "id", "name", "assessment_type", "assessed_on", "next_review", "method", "evidenced_by",
)  # fmt: skip
_DECISION_COLUMNS = (
    "id", "decides", "name", "applicable", "justification", "decided_on", "decided_by", "notes",
)  # fmt: skip
# The files of a business unit's folder: per kind of record, its file and columns.
_UNIT_TABLES = {
    "ai_system": ("ai_systems.csv", _SYSTEM_COLUMNS),
    "model": ("models.csv", _MODEL_COLUMNS),
    "dataset": ("datasets.csv", _DATASET_COLUMNS),
    "risk": ("risks.csv", _RISK_COLUMNS),
    "control": ("controls.csv", _CONTROL_COLUMNS),
    "evidence": ("evidence.csv", _EVIDENCE_COLUMNS),
    "risk_assessment": ("risk_assessments.csv", _RA_COLUMNS),
    "impact_assessment": ("impact_assessments.csv", _IA_COLUMNS),
}


class _Organisation:
    """Writes one generated organisation into ``root``, unit by unit, keeping counts."""

    def __init__(self, root: Path, systems: int, seed: int, as_of: date) -> None:
        self.root, self.total, self.seed, self.as_of = root, systems, seed, as_of
        self.rng = random.Random(seed)
        self.schema: Schema = load_schema()
        self.files = 0
        self.relationships = 0
        self.records: Counter[str] = Counter()
        self.gaps: Counter[str] = Counter()
        self._vocabulary()
        self.units = self._plan_units()
        self.suppliers = self._plan_suppliers()
        self.foundations = self._plan_foundations()
        # suppliers reached from an in-scope system, by index: the planted supplier gaps
        # are chosen among them, so each is found
        self.used_suppliers: set[int] = set()
        self.tables: dict[str, _Table] = {}
        self.incident_serial = 0
        total_incidents = sum(u.incidents for u in self.units)
        self.system_gaps = self._sample(systems, SYSTEM_GAP_SHARE)
        self.incident_gaps = self._assign(
            self._sample(total_incidents, INCIDENT_GAP_SHARE, len(_INCIDENT_GAPS)),
            _INCIDENT_GAPS,
        )

    # -- vocabulary, read from the ontology --------------------------------------------

    def _vocabulary(self) -> None:
        schema = self.schema
        self.levels = schema.vocabulary("Level").values
        if APPETITE not in self.levels:
            raise AssertionError(f"risk appetite {APPETITE!r} is not a level of the ontology")
        self.appetite_rank = self.levels.index(APPETITE)
        self.high_tiers = schema.vocabulary("HighRiskTier").values
        self.running = schema.vocabulary("RunningStage").values
        self.likelihoods = schema.property("Risk", "likelihood").allowed
        self.consequences = schema.property("Risk", "consequence").allowed
        tiers = schema.vocabulary("RiskTier").values
        for division in _DIVISIONS:
            for t in division.templates:
                if t.tier not in tiers:
                    raise AssertionError(f"template {t.slug}: {t.tier!r} is not a risk tier")
        annex = [n for n in pipeline.home_catalogue().nodes if n.label == "AnnexAControl"]
        self.annex = sorted(((n.id, n.name) for n in annex), key=lambda a: natural_key(a[0]))
        self.stages = [s for s, _ in _STAGES]
        self.stage_weights = [w for _, w in _STAGES]

    # -- planning ------------------------------------------------------------------------

    def _plan_units(self) -> list[_Unit]:
        """Business units and how many systems and incidents each has."""
        rng, n = self.rng, self.total
        count = max(1, min(n, round(1.2 * math.sqrt(n))))
        weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
        shares = _split(n, weights)
        units: list[_Unit] = []
        seen: Counter[str] = Counter()
        first = 0
        for i, size in enumerate(shares):
            division = _DIVISIONS[i % len(_DIVISIONS)]
            code, country = _COUNTRIES[(i // len(_DIVISIONS)) % len(_COUNTRIES)]
            base = f"{division.slug}-{code}"
            seen[base] += 1
            again = seen[base]
            uid = base if again == 1 else f"{base}-{again}"
            name = f"{division.name} {country}" + ("" if again == 1 else f" {again}")
            incidents = sum(1 for _ in range(size) if rng.random() < 0.05)
            units.append(_Unit(uid, name, division, size, incidents, first))
            first += size
        if sum(u.incidents for u in units) < len(_INCIDENT_GAPS):
            units[0].incidents += len(_INCIDENT_GAPS)
        return units

    def _plan_suppliers(self) -> list[tuple[str, str, str, str]]:
        """Suppliers shared by the whole group: id, name, type, criticality."""
        rng = self.rng
        count = max(len(_SUPPLIER_TYPES) * 2, round(self.total / 60))
        first, second = _SUPPLIER_WORDS
        out = []
        seen: Counter[str] = Counter()
        types = [t for t, _ in _SUPPLIER_TYPES]
        weights = [w for _, w in _SUPPLIER_TYPES]
        for i in range(count):
            # every type at least twice, then by share
            kind = types[i % len(types)] if i < 2 * len(types) else rng.choices(types, weights)[0]
            name = f"{first[i % len(first)]} {second[(i // len(first)) % len(second)]}"
            seen[name] += 1
            if seen[name] > 1:
                name = f"{name} {seen[name]}"
            sid = "sup-" + name.lower().replace(" ", "-")
            criticality = rng.choices(("high", "medium", "low"), (0.3, 0.5, 0.2))[0]
            out.append((sid, name, kind, criticality))
        self.by_type: dict[str, list[int]] = {t: [] for t in types}
        for i, (_, _, kind, _) in enumerate(out):
            self.by_type[kind].append(i)
        return out

    def _plan_foundations(self) -> list[tuple[str, str, int | None]]:
        """Foundation models the group approves for every unit: id, name, supplier index
        (None for an open model the group hosts itself)."""
        rng = self.rng
        count = max(4, round(self.total / 400))
        providers = self.by_type["model_provider"]
        out = []
        for i in range(count):
            family = _FOUNDATION_FAMILIES[i % len(_FOUNDATION_FAMILIES)]
            generation = 1 + i // len(_FOUNDATION_FAMILIES)
            supplier = None if i % 4 == 3 else providers[rng.randrange(len(providers))]
            out.append((f"fm-{family.lower()}-{generation}", f"{family} {generation}", supplier))
        return out

    def _sample(self, population: int, share: float, least: int = 1) -> set[int]:
        """Which members (by number) of a population of ``population`` carry a gap."""
        if population == 0:
            return set()
        count = min(population, max(least, round(population * share)))
        return set(self.rng.sample(range(population), count))

    def _assign(self, members: set[int], kinds: Sequence[str]) -> dict[int, str]:
        """Gap kinds for the sampled members, taking turns so that each kind is planted."""
        return {m: kinds[i % len(kinds)] for i, m in enumerate(sorted(members))}

    # -- the whole organisation --------------------------------------------------------

    def write(self) -> None:
        """Every unit's folder, then the group's files."""
        (self.root / "units").mkdir()
        for unit in self.units:
            # a stream of its own per unit: what one unit holds never shifts another's
            self.rng = random.Random(f"graphgov-generate:{self.seed}:{unit.id}")
            self._unit(unit)
        self.rng = random.Random(f"graphgov-generate:{self.seed}:group")
        self._group()

    def _past(self, least: int, most: int) -> date:
        """A day from ``least`` to ``most`` days before ``as_of``."""
        return self.as_of - timedelta(days=least + int(self.rng.random() * (most - least + 1)))

    def _future(self, least: int, most: int) -> date:
        """A day from ``least`` to ``most`` days after ``as_of``."""
        return self.as_of + timedelta(days=least + int(self.rng.random() * (most - least + 1)))

    # -- one business unit ------------------------------------------------------------

    def _unit(self, unit: _Unit) -> None:
        """The unit's folder: its stakeholders, its own datasets, every one of its
        systems with what belongs to it, and its incidents."""
        folder = self.root / "units" / unit.id
        folder.mkdir()
        self.tables = {
            kind: _Table(self, folder / name, kind, columns)
            for kind, (name, columns) in _UNIT_TABLES.items()
        }
        try:
            self._unit_people(unit)
            for slug, name, personal in unit.division.shared:
                self.tables["dataset"].add(
                    id=f"{unit.id}-data-{slug}",
                    name=f"{name} ({unit.name})",
                    contains_personal_data=personal,
                    special_category_data=False,
                    in_scope=True,
                    provenance=f"System of record of {unit.name}, replicated nightly",
                    quality_checked_on=self._past(5, 300),
                    quality_status="checked",
                    owned_by=f"{unit.id}-data-owner",
                )
            plans = self._plan_systems(unit)
            for plan in plans:
                self._system(plan)
            self._incidents(unit, plans)
        finally:
            for table in self.tables.values():
                table.close()

    def _unit_people(self, unit: _Unit) -> None:
        """The unit's roles and teams, and the parties its systems affect."""
        u, n = unit.id, unit.name
        people: list[dict[str, Any]] = [
            _person(f"{u}-head", f"Head of {n}", "role", True),
            _person(f"{u}-product-owner", f"{n} AI product owner", "role", True),
            _person(f"{u}-data-owner", f"{n} data owner", "role", True),
            _person(f"{u}-ml-lead", f"{n} ML lead", "role", True),
            _person(f"{u}-risk-lead", f"{n} risk and compliance lead", "role", True),
            _person(f"{u}-ml-team", f"{n} ML engineering team", "team", True),
            _person(f"{u}-operations", f"{n} operations team", "team", True),
            _person(f"{u}-reviewers", f"{n} case review team", "team", True),
        ]
        for slug, name, kind in unit.division.affected:
            people.append(_person(f"{u}-{slug}", f"{name} of {n}", kind, kind == "group"))
        self._yaml(
            self.root / "units" / u / "stakeholders.yaml",
            f"Roles, teams and the parties the AI systems of {n} affect.",
            people,
            flow=True,
        )

    def _plan_systems(self, unit: _Unit) -> list[_System]:
        """The unit's systems as decided before any is written: template, scope, role,
        stage, what each depends on and which carry a gap (see ``_plant``)."""
        rng = self.rng
        plans: list[_System] = []
        taken: Counter[str] = Counter()
        templates = unit.division.templates
        for _ in range(unit.systems):
            template = templates[rng.randrange(len(templates))]
            taken[template.slug] += 1
            again = taken[template.slug]
            sid = f"{unit.id}-{template.slug}" + ("" if again == 1 else f"-{again}")
            name = f"{template.name}, {unit.name}" + ("" if again == 1 else f" ({again})")
            if template.build == "saas":
                role = "deployer"
            elif template.build == "llm":
                role = rng.choice(("deployer", "both"))
            else:
                role = rng.choice(("provider", "both", "both"))
            stage = rng.choices(self.stages, self.stage_weights)[0]
            plans.append(
                _System(
                    sid,
                    name,
                    template,
                    unit,
                    high=template.tier in self.high_tiers,
                    in_scope=rng.random() >= template.out_of_scope,
                    role=role,
                    stage=stage,
                    running=stage in self.running,
                )
            )
        for i, plan in enumerate(plans):
            if plan.in_scope and i and rng.random() < 0.12:
                other = plans[rng.randrange(i)]
                if other.in_scope:
                    plan.depends_on.append(other.id)
        self._plant(unit, plans)
        return plans

    def _plant(self, unit: _Unit, plans: list[_System]) -> None:
        """Give the unit's share of system gaps to in-scope systems, one each: for each,
        the kind planted least so far that a system of the unit can carry (when tied, the
        one fewest of them can carry), on a system chosen at random among those that can.
        Kinds only some systems can carry (a high-risk provider's) so come round as often
        as the rest."""
        rng = self.rng
        slots = sum(1 for k in range(unit.systems) if unit.first + k in self.system_gaps)
        outside = [p.id for p in plans if not p.in_scope]
        pools: dict[str, list[_System]] = {kind: [] for kind in _SYSTEM_GAPS}
        fits: dict[tuple[bool, ...], list[str]] = {}
        for plan in plans:
            if not plan.in_scope:
                continue
            profile = plan.profile
            if profile not in fits:
                fits[profile] = [k for k in _SYSTEM_GAPS if _fits(k, plan, bool(outside))]
            for kind in fits[profile]:
                pools[kind].append(plan)
        for _ in range(slots):
            open_kinds = [k for k in _SYSTEM_GAPS if pools[k]]
            if not open_kinds:
                return  # every in-scope system of the unit has a gap already
            order = _SYSTEM_GAPS.index
            kind = min(open_kinds, key=lambda k: (self.gaps[k], len(pools[k]), order(k)))
            plan = pools[kind][rng.randrange(len(pools[kind]))]
            for k in fits[plan.profile]:
                pools[k].remove(plan)
            plan.gap = kind
            self.gaps[kind] += 1
            if kind == "scope-leakage":
                plan.depends_on.append(outside[rng.randrange(len(outside))])

    # -- one AI system ------------------------------------------------------------------

    def _system(self, s: _System) -> None:
        """Every record of one AI system: its datasets, model, controls (each with its
        evidence), risks and assessments, then the system itself."""
        datasets, reads = self._datasets(s)
        model = self._model(s, datasets)
        implemented = self._controls(s, model)
        risks = self._risks(s, implemented)
        assessed = self._assessments(s, risks)
        self._system_row(s, model, reads, risks, assessed)

    def _datasets(self, s: _System) -> tuple[list[str], list[str]]:
        """A source (drawn from the unit's records, or licensed from a data provider), a
        training or reference set prepared from it and sometimes a held-out evaluation
        set; returns them and the datasets the system reads when it runs."""
        rng, u, tp, gap = self.rng, s.unit.id, s.template, s.gap
        ids = [f"{s.id}-source", f"{s.id}-training"]
        if rng.random() < 0.45:
            ids.append(f"{s.id}-evaluation")
        shared = s.unit.division.shared[rng.randrange(len(s.unit.division.shared))]
        records = f"{u}-data-{shared[0]}"
        supplier = self._supplier("data_provider", s.in_scope) if rng.random() < 0.25 else None
        if supplier is not None:
            provenance = (
                f"Licensed from {self.suppliers[supplier][1]} under contract "
                f"{u.upper()}-{rng.randint(100, 999)}"
            )
        else:
            provenance = f"Extracted from {shared[1]} by pipeline {tp.slug}-etl"
        prepared = "training" if s.in_house else "reference"
        rows = [
            (
                f"{tp.data.capitalize()} for {s.name}",
                None if gap == "personal-data-without-provenance" else provenance,
                [] if supplier is not None else [records],
                f"{u}-data-owner",
            ),
            (
                f"{s.name} {prepared} set",
                f"Prepared from {ids[0]} by pipeline {tp.slug}-features v{rng.randint(1, 9)}",
                [ids[0]],
                f"{u}-ml-lead",
            ),
            (f"{s.name} evaluation set", f"Held out from {ids[0]}", [ids[0]], f"{u}-ml-lead"),
        ]
        for did, (name, origin, parents, owner) in zip(ids, rows, strict=False):
            unchecked = gap == "dataset-not-checked" and did == ids[-1]
            self.tables["dataset"].add(
                id=did,
                name=name,
                contains_personal_data=tp.personal,
                special_category_data=tp.special and tp.personal,
                in_scope=s.in_scope,
                provenance=origin,
                quality_checked_on=None if unchecked else self._past(5, 330),
                quality_status="not_checked" if unchecked else "checked",
                derived_from=parents,
                supplied_by=self.suppliers[supplier][0] if did == ids[0] and supplier else None,
                owned_by=owner,
            )
        # an in-house system reads its source data, and often its unit's records too; a
        # bought one also reads the reference set prepared for it
        reads = ids[:1] if s.in_house else ids[:2]
        if s.in_house and supplier is None and rng.random() < 0.4:
            reads = [ids[0], records]
        return ids, reads

    def _model(self, s: _System, datasets: list[str]) -> str:
        """The system's model: trained in house on its datasets, a supplier's (the
        service's supplier supplies the system too), or built on a foundation model."""
        rng, u, tp = self.rng, s.unit.id, s.template
        based_on = supplier = None
        if tp.build == "saas":
            supplier = self.suppliers[self._supplier("ai_service", s.in_scope)][0]
            s.supplier = supplier
        elif tp.build == "llm":
            foundation, _, provider = self.foundations[rng.randrange(len(self.foundations))]
            based_on = foundation
            if s.in_scope and provider is not None:
                self.used_suppliers.add(provider)
        if tp.build == "llm":
            kind = (
                "fine-tuned large language model" if s.in_house else "hosted large language model"
            )
        else:
            kind = tp.model_type
        model = f"{s.id}-model"
        self.tables["model"].add(
            id=model,
            name=f"{s.name} model",
            model_type=kind,
            version=f"{rng.randint(1, 6)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
            origin="in_house" if s.in_house else "third_party",
            in_scope=s.in_scope,
            based_on=based_on,
            supplied_by=supplier,
            trained_on=datasets[1:] if s.in_house else [],
            owned_by=f"{u}-ml-lead" if s.in_house else f"{u}-product-owner",
        )
        return model

    def _controls(self, s: _System, model: str) -> list[str]:
        """The system's own controls (3 to 5 as a rule, one fewer when a gap leaves one
        out), each implemented one with its evidence; returns the implemented ones."""
        rng, tp = self.rng, s.template
        types = ["kill_switch", "monitoring"]
        if s.provider:
            types.append("verification_validation")
        if s.high:
            types += ["human_oversight", "event_logging"]
        if tp.interacts or tp.synthetic:
            types.append("transparency")
        if len(types) < 3:
            types.append("data_quality")
        if len(types) < 5 and "bias_fairness" in tp.risks and rng.random() < 0.5:
            types.append("risk_management")
        left_out = _LEFT_OUT.get(s.gap or "")
        planned = _ONLY_PLANNED.get(s.gap or "")
        implemented = []
        for ctype in types:
            if ctype == left_out:
                continue
            cid = f"{s.id}-{ctype.replace('_', '-')}"
            self._control(s, cid, ctype, ctype == planned, model)
            if ctype != planned:
                implemented.append(cid)
        return implemented

    def _control(self, s: _System, cid: str, ctype: str, planned: bool, model: str) -> None:
        """A control of the system, with its evidence unless it is only planned; the
        system's owner answers for its kill switch and oversight, its ML lead for the rest."""
        rng, gap = self.rng, s.gap
        annex, name, evidence_name, evidence_type = _CONTROLS[ctype]
        tested = result = evidence = None
        if not planned and not (gap == "control-without-evidence" and ctype == "monitoring"):
            evidence = f"{cid}-ev"
            issued = self._past(5, 320)
            if ctype == "kill_switch":
                tested = issued
                result = "failed" if gap == "kill-switch-failed" else "passed"
            if gap == "expired-evidence" and ctype == "monitoring":
                issued = self._past(420, 800)
                until = issued + timedelta(days=365)
            else:
                until = issued + timedelta(days=rng.choice((365, 730)))
            self.tables["evidence"].add(
                id=evidence,
                name=f"{evidence_name}, {s.name}",
                evidence_type=evidence_type,
                issued_on=issued,
                valid_until=until,
                location=f"dms://{s.id}/{ctype.replace('_', '-')}/{issued.year}",
            )
        self.tables["control"].add(
            id=cid,
            name=name.format(s.name),
            control_type=ctype,
            status="planned" if planned else "implemented",
            implements=annex,
            applies_to=[s.id, model] if ctype in _ON_THE_MODEL_TOO else s.id,
            owned_by=s.owner if ctype in _OWNER_ANSWERS else f"{s.unit.id}-ml-lead",
            evidenced_by=evidence,
            last_tested=tested,
            last_test_result=result,
        )

    def _risks(self, s: _System, implemented: list[str]) -> list[str]:
        """One to three risks of the system, rated, treated and (unless accepted or
        avoided) mitigated by its implemented controls, residual within the appetite."""
        rng, tp, gap = self.rng, s.template, s.gap
        count = rng.randint(1, min(3, len(tp.risks) + 1))
        categories = list(tp.risks[:count])
        while len(categories) < count:
            extra = rng.choice(list(_RISKS))
            if extra not in categories:
                categories.append(extra)
        top, appetite = len(self.levels) - 1, self.appetite_rank
        out = []
        for n, category in enumerate(categories, 1):
            planted = gap if n == 1 else None
            treatment: str | None
            residual: str | None
            if planted == "risk-untreated":
                likelihood, consequence, level = self._rating(0, appetite)
                treatment = residual = None
            elif planted == "residual-above-appetite":  # the treatment fell short
                likelihood, consequence, level = self._rating(appetite + 1, top)
                treatment, residual = "mitigate", self.levels[appetite + 1]
            else:
                likelihood, consequence, level = self._rating(0, top)
                rank = self.levels.index(level)
                if rank <= appetite and rng.random() < 0.3:
                    treatment, residual = "accept", level
                else:
                    treatment = rng.choices(_TREATMENTS, _TREATMENT_SHARES)[0]
                    residual = self.levels[rng.randint(0, min(rank, appetite))]
            mitigations: list[str] = []
            if treatment in ("mitigate", "transfer") and implemented:
                mitigations = rng.sample(implemented, min(len(implemented), rng.randint(1, 3)))
            text, sources, objective = _RISKS[category]
            threatens = [objective]
            if objective != _SECOND_OBJECTIVE and rng.random() < 0.25:
                threatens.append(_SECOND_OBJECTIVE)
            rid = f"{s.id}-risk-{n}"
            out.append(rid)
            self.tables["risk"].add(
                id=rid,
                name=text.format(s.name),
                risk_category=category,
                likelihood=likelihood,
                consequence=consequence,
                level=level,
                treatment=treatment,
                residual_level=residual,
                mitigated_by=mitigations,
                has_source=sources if rng.random() < 0.4 else sources[rng.randrange(len(sources))],
                threatens=threatens,
                owned_by=s.owner,
            )
        return out

    def _rating(self, least: int, most: int) -> tuple[str, str, str]:
        """A likelihood, a consequence and the level they make, a level whose place in
        the ontology's order is from ``least`` to ``most``."""
        rng, levels = self.rng, self.levels
        scale = len(self.likelihoods) + len(self.consequences) - 1
        while True:
            li = rng.randrange(len(self.likelihoods))
            ci = rng.randrange(len(self.consequences))
            rank = min(len(levels) - 1, (li + ci) * len(levels) // scale)
            if least <= rank <= most:
                return self.likelihoods[li], self.consequences[ci], levels[rank]

    def _assessments(self, s: _System, risks: list[str]) -> list[str]:
        """The system's risk assessment (which identified its risks), its impact
        assessment and, where the EU AI Act asks for one, its fundamental-rights impact
        assessment; returns those written. A high-risk system's are evidenced."""
        rng, gap = self.rng, s.gap
        assessed: list[str] = []
        if gap != "risk-assessment-missing":
            ra = f"{s.id}-ra"
            assessed.append(ra)
            self.tables["risk_assessment"].add(
                id=ra,
                name=f"{s.name} risk assessment",
                assessed_on=self._past(30, 500),
                next_review=self._future(20, 600),
                method=rng.choice(("ISO/IEC 23894", "Group AI risk method v3")),
                identifies=risks,
                evidenced_by=self._assessment_evidence(s, ra, "Risk assessment record"),
            )
        if gap != "impact-assessment-missing":
            ia = f"{s.id}-ia"
            assessed.append(ia)
            if gap == "impact-assessment-overdue":
                done, review = self._past(500, 900), self._past(1, 120)
            else:
                done, review = self._past(30, 500), self._future(20, 600)
            self.tables["impact_assessment"].add(
                id=ia,
                name=f"{s.name} impact assessment",
                assessment_type="ai_system",
                assessed_on=None if gap == "assessment-draft" else done,
                next_review=review,
                method="ISO/IEC 42005",
                evidenced_by=self._assessment_evidence(s, ia, "Impact assessment record"),
            )
        if s.needs_fria and gap != "fundamental-rights-assessment-missing":
            fria = f"{s.id}-fria"
            assessed.append(fria)
            self.tables["impact_assessment"].add(
                id=fria,
                name=f"{s.name} fundamental-rights impact assessment",
                assessment_type="fundamental_rights",
                assessed_on=self._past(30, 400),
                next_review=self._future(30, 500),
                method="EU AI Act Art. 27 template",
            )
        return assessed

    def _assessment_evidence(self, s: _System, aid: str, what: str) -> str | None:
        if not s.high and self.rng.random() < 0.5:
            return None
        evidence = f"{aid}-ev"
        issued = self._past(5, 320)
        self.tables["evidence"].add(
            id=evidence,
            name=f"{what}, {s.name}",
            evidence_type="document",
            issued_on=issued,
            valid_until=issued + timedelta(days=730),
            location=f"dms://{s.id}/assessments/{issued.year}",
        )
        return evidence

    def _system_row(
        self, s: _System, model: str, reads: list[str], risks: list[str], assessed: list[str]
    ) -> None:
        """The system itself; a high-risk system the group provides and runs is
        conformity-assessed, CE marked and registered in the EU database."""
        rng, u, tp, gap = self.rng, s.unit.id, s.template, s.gap
        conformity = registered = eu_id = ce = None
        if s.high and s.provider and s.running:
            if gap != "conformity-missing":
                conformity, ce = self._past(60, 700), True
            if gap != "registration-missing":
                start = conformity or self._past(60, 700)
                registered = start + timedelta(days=rng.randint(1, 14))
                eu_id = f"EU-HR-{registered.year}-{u.upper()}-{rng.randint(10_000, 99_999)}"
        affected = [f"{u}-{slug}" for slug, _, _ in s.unit.division.affected]
        affects = (
            []
            if gap == "affected-parties-missing"
            else rng.sample(affected, rng.randint(1, len(affected)))
        )
        unmapped = gap == "annex-iii-area-missing"
        self.tables["ai_system"].add(
            id=s.id,
            name=s.name,
            purpose=tp.purpose,
            risk_tier=tp.tier,
            role=None if gap == "role-missing" else s.role,
            lifecycle_stage=s.stage,
            in_scope=s.in_scope,
            annex_iii_area=None if unmapped else tp.area,
            annex_iii_point=None if unmapped else tp.point,
            interacts_with_people=True if tp.interacts else None,
            generates_synthetic_content=True if tp.synthetic else None,
            conformity_assessed_on=conformity,
            ce_marked=ce,
            registered_on=registered,
            eu_database_id=eu_id,
            owned_by=None if gap == "owner-missing" else s.owner,
            overseen_by=f"{u}-reviewers" if s.high else f"{u}-operations",
            supplied_by=s.supplier,
            uses_model=model,
            uses_dataset=reads,
            depends_on=s.depends_on,
            affects=affects,
            assessed_by=assessed,
            has_risk=risks,
        )

    def _supplier(self, kind: str, in_scope: bool) -> int:
        """A supplier of ``kind``, by index, noted as used when ``in_scope``."""
        pool = self.by_type[kind]
        index = pool[self.rng.randrange(len(pool))]
        if in_scope:
            self.used_suppliers.add(index)
        return index

    # -- incidents and corrective actions ---------------------------------------------

    def _incidents(self, unit: _Unit, plans: list[_System]) -> None:
        """The unit's incidents, each communicated and answered by a corrective action
        (a serious one reported to the authority in time), but for the planted gaps."""
        if not unit.incidents:
            return
        rng, u = self.rng, unit.id
        inside = [p for p in plans if p.in_scope] or plans
        records: list[dict[str, Any]] = []
        for _ in range(unit.incidents):
            number = self.incident_serial
            self.incident_serial += 1
            gap = self.incident_gaps.get(number)
            if gap:
                self.gaps[gap] += 1
            system = inside[rng.randrange(len(inside))]
            iid = f"inc-{u}-{number + 1:05d}"
            occurred = self._past(20, 500)
            aware = occurred + timedelta(days=rng.randint(0, 4))
            serious = gap == "serious-incident-reported-late" or rng.random() < 0.08
            record: dict[str, Any] = {
                "kind": "incident",
                "id": iid,
                "name": f"{system.name}: {rng.choice(_INCIDENT_WHAT)}",
                "occurred_on": occurred,
                "became_aware_on": aware,
                "severity": self.levels[rng.randrange(len(self.levels))],
            }
            if serious:
                record["severity"] = self.levels[-1]
                record["serious"] = True
                late = gap == "serious-incident-reported-late"
                delay = rng.randint(20, 60) if late else rng.randint(2, 14)
                record["reported_to_authority_on"] = min(aware + timedelta(days=delay), self.as_of)
            if gap == "incident-not-communicated":
                record["communicated"] = False
            else:
                record["communicated"] = True
                record["communicated_on"] = aware + timedelta(days=rng.randint(1, 10))
            record["involves"] = [system.id, f"{system.id}-model"]
            action = None
            if gap != "incident-without-corrective-action":
                action = f"ca-{u}-{number + 1:05d}"
                record["corrected_by"] = action
            records.append(record)
            if action:
                done = occurred < self.as_of - timedelta(days=120)
                records.append(
                    {
                        "kind": "corrective_action",
                        "id": action,
                        "name": f"Correct and prevent: {record['name']}",
                        "action_status": "done" if done else rng.choice(("open", "in_progress")),
                        "due_on": occurred + timedelta(days=rng.randint(30, 120)),
                        "owned_by": f"{u}-head",
                    }
                )
        self._yaml(
            self.root / "units" / u / "incidents.yaml",
            f"Incidents of {unit.name}'s AI systems and the corrective actions that answer them.",
            records,
            flow=False,
        )

    # -- the group's own files ------------------------------------------------------------

    def _group(self) -> None:
        """The group's files: the organisation, its stakeholders, policies, own controls
        and their evidence, suppliers, foundation models, Statement of Applicability and
        internal audit findings."""
        rng, root, org = self.rng, self.root, ORGANIZATION
        self._yaml(
            root / "organization.yaml",
            "The group running the AI management system, its scope and its risk appetite.\n"
            f"Generated by graphgov (seed {self.seed}, {self.total:,} AI systems, "
            f"dates counted from {self.as_of.isoformat()}).",
            [
                {
                    "kind": "organization",
                    "id": org,
                    "name": "Meridian Group plc",
                    "sector": "financial services, energy, logistics and retail",
                    "public_body_or_public_service": False,
                    "risk_appetite": APPETITE,
                    "scope_statement": (
                        f"AI systems of the group's {len(self.units):,} business units in "
                        f"{len(_DIVISIONS)} divisions, except those marked out of scope."
                    ),
                }
            ],
            flow=False,
        )
        self._yaml(root / "stakeholders.yaml", "The group's roles, bodies and regulators.", [
            _person("board", "Group board", "group", True),
            _person("cro", "Group Chief Risk Officer", "role", True),
            _person("ai-governance-lead", "Group AI Governance Lead", "role", True),
            _person("ai-governance-board", "AI governance board", "group", True),
            _person("ciso", "Chief Information Security Officer", "role", True),
            _person("dpo", "Group Data Protection Officer", "role", True),
            _person("procurement", "Group procurement", "team", True),
            _person("internal-audit", "Internal audit", "team", True),
            _person("ml-platform", "Group ML platform team", "team", True),
            _person("conduct-regulator", "Conduct regulator", "regulator", False),
            _person("data-protection-authority", "Data protection authority", "regulator", False),
            _person("market-surveillance", "AI market surveillance authority", "regulator", False),
        ], flow=True)  # fmt: skip

        evidence = _Table(self, root / "evidence.csv", "evidence", _EVIDENCE_COLUMNS)
        controls = _Table(self, root / "controls.csv", "control", _CONTROL_COLUMNS)
        owners = ("ai-governance-lead", "cro", "ml-platform", "dpo", "procurement")
        try:
            for cid, name, ctype, annex in _GROUP_CONTROLS:
                ev = f"ev-{cid.removeprefix('ctl-')}"
                issued = self._past(10, 300)
                evidence.add(
                    id=ev,
                    name=f"{name}: current version",
                    evidence_type="document",
                    issued_on=issued,
                    valid_until=issued + timedelta(days=730),
                    location=f"dms://group/{cid}",
                )
                controls.add(
                    id=cid,
                    name=name,
                    control_type=ctype,
                    status="implemented",
                    implements=annex,
                    applies_to=org,
                    owned_by=owners[rng.randrange(len(owners))],
                    evidenced_by=ev,
                )
            self._policies(evidence)
            self._suppliers(controls, evidence)
        finally:
            evidence.close()
            controls.close()
        self._foundation_models()
        self._decisions()
        self._audit_findings()
        self._readme()

    def _policies(self, evidence: _Table) -> None:
        """The AI policy and two others, each reviewed within its yearly interval."""
        records = []
        for pid, name, ptype in (
            ("pol-ai", "Group AI policy", "ai_policy"),
            ("pol-data", "Group data policy", "data_policy"),
            ("pol-acceptable-use", "Acceptable use of AI", "acceptable_use"),
        ):
            reviewed = self._past(20, 300)
            ev = f"ev-{pid}"
            evidence.add(
                id=ev,
                name=f"{name} with board minute",
                evidence_type="document",
                issued_on=reviewed,
                valid_until=reviewed + timedelta(days=730),
                location=f"dms://group/{pid}",
            )
            records.append(
                {
                    "kind": "policy",
                    "id": pid,
                    "name": name,
                    "policy_type": ptype,
                    "version": f"{self.rng.randint(2, 5)}.0",
                    "approved_on": reviewed - timedelta(days=365 * 2),
                    "last_reviewed": reviewed,
                    "review_interval_months": 12,
                    "next_review": reviewed + timedelta(days=365),
                    "owned_by": "ai-governance-lead",
                    "evidenced_by": ev,
                }
            )
        self._yaml(self.root / "policies.yaml", "The group's policies (5.2, A.2).", records, False)

    def _suppliers(self, controls: _Table, evidence: _Table) -> None:
        """Suppliers, written last so the planted gaps fall on suppliers that in-scope
        systems use; each highly critical one has a contract control with evidence."""
        used = sorted(self.used_suppliers)
        gapped: set[int] = set()
        if used:
            count = max(1, round(len(used) * SUPPLIER_GAP_SHARE))
            gapped = set(self.rng.sample(used, count))
        records = []
        for i, (sid, name, kind, criticality) in enumerate(self.suppliers):
            record: dict[str, Any] = {
                "kind": "supplier",
                "id": sid,
                "name": name,
                "supplier_type": kind,
                "criticality": criticality,
            }
            if i in gapped:
                self.gaps["supplier-not-assessed"] += 1
                if self.rng.random() < 0.5:
                    record["assessed_on"] = self._past(400, 900)
            else:
                record["assessed_on"] = self._past(10, 330)
            record["owned_by"] = "procurement"
            records.append(record)
            if criticality == "high" and i not in gapped:
                cid, ev = f"ctl-contract-{sid}", f"ev-contract-{sid}"
                issued = self._past(10, 330)
                evidence.add(
                    id=ev,
                    name=f"Data processing agreement with {name}",
                    evidence_type="certificate",
                    issued_on=issued,
                    valid_until=issued + timedelta(days=1095),
                    location=f"dms://legal/{sid}",
                )
                controls.add(
                    id=cid,
                    name=f"Contract and data processing terms with {name}",
                    control_type="supplier_management",
                    status="implemented",
                    implements="A.10.3",
                    applies_to=sid,
                    owned_by="procurement",
                    evidenced_by=ev,
                )
        self._yaml(
            self.root / "suppliers.yaml",
            "Third parties that provide models, data, AI services, compute or tooling "
            "(A.10.3).\nassessed_on is the date of the last supplier assessment; it is left "
            "out where there was none.",
            records,
            flow=False,
        )

    def _foundation_models(self) -> None:
        """The foundation models units build on: a supplier's, or open models."""
        table = _Table(self, self.root / "models.csv", "model", _MODEL_COLUMNS)
        try:
            for fid, name, supplier in self.foundations:
                table.add(
                    id=fid,
                    name=f"{name} foundation model",
                    model_type="large language model",
                    version=f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 9)}",
                    origin="open_source" if supplier is None else "third_party",
                    in_scope=True,
                    supplied_by=None if supplier is None else self.suppliers[supplier][0],
                    owned_by="ml-platform",
                )
        finally:
            table.close()

    def _decisions(self) -> None:
        """One applicability decision per Annex A control of the catalogue: applicable
        with a justification, one excluded with one, and the two planted gaps."""
        table = _Table(self, self.root / "decisions.csv", "decision", _DECISION_COLUMNS)
        decided = self._past(200, 400)
        try:
            for aid, name in self.annex:
                row: dict[str, Any] = {"id": f"soa-{aid}", "decides": aid, "name": name}
                if aid == _UNDECIDED:
                    self.gaps["annex-a-undecided"] += 1
                    row["notes"] = "To decide at the next AI governance board."
                elif aid == _UNJUSTIFIED:
                    self.gaps["exclusion-without-justification"] += 1
                    row.update(applicable=False, decided_on=decided)
                    row.update(decided_by="ai-governance-board")
                    row["notes"] = "Excluded at the board; the reason was not written down."
                else:
                    group = ".".join(aid.split(".")[:2])
                    justification = _EXCLUDED.get(aid) or _JUSTIFICATIONS.get(group, "")
                    row.update(
                        applicable=aid not in _EXCLUDED,
                        justification=justification or "Needed for the group's AI systems.",
                        decided_on=decided,
                        decided_by="ai-governance-board",
                    )
                table.add(**row)
        finally:
            table.close()

    def _audit_findings(self) -> None:
        """Internal audit findings across the units, nonconformities with corrective
        actions, observations closed on a date (but for the planted gaps)."""
        rng = self.rng
        count = max(4, round(len(self.units) / 3))
        gaps = self._assign(
            self._sample(count, FINDING_GAP_SHARE, len(_FINDING_GAPS)), _FINDING_GAPS
        )
        clauses = ("7.5.3", "8.2", "8.4", "9.1", "9.3.2", "6.1.3", "A.6.2.6", "A.7.4")
        records: list[dict[str, Any]] = []
        for i in range(count):
            gap = gaps.get(i)
            if gap:
                self.gaps[gap] += 1
            unit = self.units[i % len(self.units)]
            fid = f"af-{i + 1:04d}"
            raised = self._past(30, 400)
            concern = clauses[rng.randrange(len(clauses))]
            record: dict[str, Any] = {
                "kind": "audit_finding",
                "id": fid,
                "name": f"Internal audit of {unit.name}: {concern} not fully evidenced",
                "audit": f"Internal audit of the AIMS, {raised.year}",
                "raised_on": raised,
                "concerns": concern,
            }
            if gap == "nonconformity-without-corrective-action":
                record.update(finding_type="minor_nonconformity", finding_status="open")
            elif gap == "finding-closed-without-date":
                record.update(finding_type="observation", finding_status="closed")
            elif i % 3 == 0:
                record.update(finding_type="minor_nonconformity", finding_status="open")
                record["corrected_by"] = f"ca-{fid}"
            else:
                kind = rng.choice(("observation", "opportunity_for_improvement"))
                record.update(finding_type=kind, finding_status="closed")
                record["closed_on"] = raised + timedelta(days=rng.randint(10, 25))
            records.append(record)
            if "corrected_by" in record:
                records.append(
                    {
                        "kind": "corrective_action",
                        "id": f"ca-{fid}",
                        "name": f"Evidence {concern} in {unit.name}",
                        "action_status": rng.choice(("open", "in_progress")),
                        "due_on": self._future(10, 200),
                        "owned_by": f"{unit.id}-head",
                    }
                )
        self._yaml(
            self.root / "audit.yaml",
            "Findings of the internal audits of the AI management system (9.2, 10.2).",
            records,
            flow=False,
        )

    def _readme(self) -> None:
        text = (
            "# Meridian Group plc: a generated inventory\n\n"
            "A fictional group written by `graphgov generate` "
            f"({self.total:,} AI systems in {len(self.units):,} business units, seed "
            f"{self.seed}, dates counted from {self.as_of.isoformat()}). The same size and "
            "seed give the same files.\n\n"
            "| file | what it holds |\n|---|---|\n"
            "| `organization.yaml`, `policies.yaml`, `stakeholders.yaml` | the group, its "
            "policies, roles and regulators |\n"
            "| `suppliers.yaml`, `models.csv` | suppliers and foundation models shared by "
            "every unit |\n"
            "| `controls.csv`, `evidence.csv`, `decisions.csv` | the group's own controls, "
            "their evidence and the Statement of Applicability |\n"
            "| `audit.yaml` | internal audit findings and their corrective actions |\n"
            "| `units/<unit>/` | one folder per business unit: its systems, models, "
            "datasets, risks, controls, evidence, assessments, stakeholders and incidents |\n"
            "\nA few percent of systems, incidents, findings and suppliers carry planted "
            "gaps; `graphgov check` finds them.\n"
        )
        (self.root / "README.md").write_text(text, encoding="utf-8")
        self.files += 1

    def _yaml(self, path: Path, comment: str, records: list[dict[str, Any]], flow: bool) -> None:
        """Write ``records`` as a YAML file, counting them and their references."""
        path.write_text(_yaml_text(comment, records, flow), encoding="utf-8")
        self.files += 1
        for record in records:
            kind = record["kind"]
            self.records[kind] += 1
            spec = self.schema.by_kind(kind)
            assert spec is not None, kind
            for name, value in record.items():
                f = spec.fields.get(name)
                if f is not None and f.relation is not None and value is not None:
                    self.relationships += len(value) if isinstance(value, list) else 1


_INCIDENT_WHAT = (
    "wrong outcomes after a data feed changed",
    "outage of the model service",
    "complaint about an unfair decision",
    "personal data shown to the wrong person",
    "drift alert ignored for a week",
    "supplier changed the model without notice",
)


def _person(sid: str, name: str, kind: str, internal: bool) -> dict[str, Any]:
    return {
        "kind": "stakeholder",
        "id": sid,
        "name": name,
        "stakeholder_type": kind,
        "internal": internal,
    }


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, each part at least 1 (largest
    remainders take what rounding leaves)."""
    count = len(weights)
    base = [1] * count
    rest = total - count
    whole = sum(weights)
    exact = [rest * w / whole for w in weights]
    parts = [b + int(e) for b, e in zip(base, exact, strict=True)]
    left = total - sum(parts)
    order = sorted(range(count), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


__all__ = ["AS_OF", "GAPS", "SIZES", "Gap", "GeneratedSummary", "generate", "systems_for"]
