"""Posture against a framework: for every in-scope AI system and every obligation of a
framework, whether the obligation applies (read from its ``applies_when`` and the
system's role, risk tier and flags) and, where it does, whether it is met, followed
through the crosswalk into the ISO/IEC 42001 catalogue and from there into the graph's
Annex A coverage and the findings of the checks. Every answer carries its reasons, so an
auditor can follow it back to the requirements, the controls and the findings.

The rules, all read from data (a framework's requirement types, conditions and
crosswalk rows; no framework is named here):

- Judged: a requirement that carries ``applies_when``, or whose type is not a grouping
  type (GROUPING_TYPES) and that no other requirement is part of. Chapters, sections,
  functions, categories, control groups and headings only group the obligations below
  them, which are judged themselves; a classification (CLASSIFYING_TYPES, such as the
  use cases that make a system high-risk) is never judged.
- Applies: ``applies_when`` lists alternatives, each a set of keys that must all hold.
  Every key is judged true, false or not known (three-valued, as SQL and Cypher do):
  an alternative holds when all its keys do, fails when one fails, and is otherwise
  not known; the requirement applies when some alternative holds, does not when all
  fail, and otherwise "cannot tell", naming the properties to record. A missing
  property is never read as "no". No ``applies_when``: it applies to every system.
- Status, where it applies: each crosswalk row to the home framework's requirement
  gives that requirement's state for the system (a control: its coverage cell, lowered
  to partly when a finding citing it bears on the system; a clause: not met when a
  finding of a check citing it or a sub-clause bears on the system, met when some check
  cites it and none does, unknown when no check cites it; a control group: its
  controls' states combined). Then: every mapped state met, with at least one row by
  which meeting the home requirement meets this one (equal, subset-of) -> met; every
  one met but only overlapping (intersects-with, superset-of) -> partly; some met or
  partly -> partly; none, with some not met -> not met; all unknown, no rows, or only
  no-relationship rows -> unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from graphgov.audit import EVIDENCE_NOT_CURRENT, Coverage, affected_systems, coverage
from graphgov.display import did_you_mean
from graphgov.errors import InvalidInputError, Problem
from graphgov.findings import Finding
from graphgov.frameworks import HOME, CrosswalkMapping, Framework, Frameworks, Requirement
from graphgov.graph import Node, Source
from graphgov.packs import Query, builtin_packs
from graphgov.packs import checks as pack_checks
from graphgov.schema import natural_key
from graphgov.store.base import GraphStore
from graphgov.twin_kit import in_scope_systems

# Whether an obligation applies to a system
YES = "yes"
NO = "no"
CANNOT_TELL = "cannot tell"
APPLIES = (YES, NO, CANNOT_TELL)
# How far an obligation that applies is met
MET = "met"
PARTLY = "partly"
NOT_MET = "not met"
UNKNOWN = "unknown"
STATUSES = (MET, PARTLY, NOT_MET, UNKNOWN)
# One word per row for summaries: its status where it applies, else why not
DOES_NOT_APPLY = "does not apply"
OUTCOMES = (*STATUSES, CANNOT_TELL, DOES_NOT_APPLY)

# Requirement types that group obligations rather than impose one (a requirement of
# such a type is judged all the same when it carries applies_when)
GROUPING_TYPES = frozenset(
    {"chapter", "section", "annex", "heading", "function", "category", "control-group"}
)
# Requirement types that classify a system (the Annex III use cases that make one
# high-risk) and impose nothing by themselves: never judged, conditions or not
CLASSIFYING_TYPES = frozenset({"classification"})
# Crosswalk relationships, read from the judged requirement to the home one: by these,
# meeting the home requirement meets the judged one (it is equal to it, or the judged
# one is a subset of it) ...
WHOLE = frozenset({"equal", "subset-of"})
# ... by these it meets only a part (they overlap, or the judged one is wider)
OVERLAP = frozenset({"intersects-with", "superset-of"})
NO_RELATIONSHIP = "no-relationship"
# The system property a condition key reads, where it is not the key itself
PROPERTY = {"tier": "risk_tier"}
# The roles one value of the system's role property stands for
ROLES = {"both": ("provider", "deployer")}
# Keys the organisation may record once for all its systems (a system's own value wins)
ORGANISATION_KEYS = frozenset({"public_body_or_public_service"})
# The properties people record first, listed first
_FIRST = ("role", "risk_tier")

# An Annex A coverage cell as a state, and why in words
CELL_STATES: Mapping[str, tuple[str, str]] = {
    "implemented": (MET, "implemented, evidence current"),
    EVIDENCE_NOT_CURRENT: (PARTLY, "implemented, but no evidence of it is current"),
    "partial": (PARTLY, "partially implemented"),
    "planned": (PARTLY, "planned, not yet implemented"),
    "missing": (NOT_MET, "no applicable control covers this system"),
    "not applicable": (NOT_MET, "excluded in the SoA"),
}


@dataclass(frozen=True)
class Basis:
    """One home-framework requirement a status rests on: the crosswalk row reaching it
    (``relationship`` read from the judged requirement to this one), its state for the
    system (None for a no-relationship row, which supports nothing) and why, and the
    findings behind that state."""

    requirement: Requirement
    relationship: str
    rationale: str
    row: Source  # the crosswalk row
    state: str | None
    why: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class PostureRow:
    """One obligation for one system: whether it applies and why, and, where it does,
    its status and why, with the basis behind the status."""

    system: Node
    requirement: Requirement
    applies: str  # one of APPLIES
    applies_why: str
    status: str | None  # one of STATUSES where it applies, else None
    status_why: str
    basis: tuple[Basis, ...] = ()
    missing: tuple[str, ...] = ()  # the system properties to record to tell

    @property
    def outcome(self) -> str:
        """Its status where it applies, else CANNOT_TELL or DOES_NOT_APPLY."""
        if self.applies == YES and self.status is not None:
            return self.status
        return CANNOT_TELL if self.applies == CANNOT_TELL else DOES_NOT_APPLY

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding behind the basis, each once, in order."""
        seen: dict[Finding, None] = {}
        for b in self.basis:
            for f in b.findings:
                seen.setdefault(f, None)
        return tuple(seen)


@dataclass(frozen=True)
class SystemPosture:
    """One in-scope system's rows, in the framework's order."""

    system: Node
    rows: tuple[PostureRow, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """The properties to record before every obligation can be told (role and risk
        tier first)."""
        return _ordered({m for r in self.rows for m in r.missing})

    @property
    def undetermined(self) -> tuple[PostureRow, ...]:
        return tuple(r for r in self.rows if r.applies == CANNOT_TELL)

    def counts(self) -> dict[str, int]:
        return _counts(self.rows)


@dataclass(frozen=True)
class Posture:
    """A framework's obligations judged for every in-scope AI system on ``as_of``."""

    framework: Framework
    home: Framework  # the framework statuses are followed into
    as_of: date
    requirements: tuple[Requirement, ...]  # the judged ones, in file order
    systems: tuple[SystemPosture, ...]  # in natural id order
    rules: tuple[str, ...]  # the rules above, in words, for every output to state

    @property
    def rows(self) -> tuple[PostureRow, ...]:
        return tuple(r for s in self.systems for r in s.rows)

    @property
    def undetermined(self) -> tuple[SystemPosture, ...]:
        """The systems for which some obligation cannot be told, with what to record."""
        return tuple(s for s in self.systems if s.missing)

    def counts(self) -> dict[str, int]:
        """How many rows have each outcome (every OUTCOMES key, in order)."""
        return _counts(self.rows)


def _counts(rows: Iterable[PostureRow]) -> dict[str, int]:
    out = dict.fromkeys(OUTCOMES, 0)
    for r in rows:
        out[r.outcome] += 1
    return out


def rules(home: Framework) -> tuple[str, ...]:
    """The rules posture follows, in words, naming the home framework as its file does."""
    return (
        "Judged: requirements with applicability conditions, and requirements that "
        "neither group others nor are of a grouping type ("
        + ", ".join(sorted(GROUPING_TYPES))
        + "); classifications ("
        + ", ".join(sorted(CLASSIFYING_TYPES))
        + ") never.",
        "Applies: from the conditions and the system's role, risk tier and flags; a "
        "property not recorded gives 'cannot tell', never 'no'.",
        f"Status: through the crosswalk to {home.name}: a control by its coverage cell "
        "(and the findings citing it), a clause by the findings of the checks citing it; "
        "met only when every mapped requirement is met and one covers it whole (equal, "
        "subset-of); overlapping rows (intersects-with, superset-of) give at most partly; "
        f"no row: unknown, judge it yourself.",
    )


def judged(framework: Framework) -> tuple[Requirement, ...]:
    """The requirements of ``framework`` that are obligations, in file order."""
    parents = {r.parent for r in framework.requirements.values() if r.parent}
    return tuple(
        r
        for r in framework.requirements.values()
        if r.type not in CLASSIFYING_TYPES
        and (r.applies_when or (r.type not in GROUPING_TYPES and r.id not in parents))
    )


def posture(
    store: GraphStore,
    frameworks: Frameworks,
    framework: str,
    found: Sequence[Finding],
    as_of: date,
    checks: Sequence[Query] | None = None,
) -> Posture:
    """Every obligation of ``framework`` for every in-scope AI system of ``store``:
    applies or not (and why), and where it does, met, partly, not met or unknown (and
    why), from the crosswalks to the home framework, the Annex A coverage on ``as_of``
    and ``found`` (the findings of ``checks``: default the built-in packs' checks).
    Raises InvalidInputError when no framework has that id."""
    if framework not in frameworks.frameworks:
        known = ", ".join(sorted(frameworks.frameworks))
        reason = (
            f"no framework {framework!r}{did_you_mean(framework, frameworks.frameworks)} "
            f"(known: {known})"
        )
        raise InvalidInputError([Problem("--framework", None, None, reason)])
    target = frameworks.frameworks[framework]
    home = frameworks.frameworks[HOME]
    states = _States(
        store,
        frameworks,
        home,
        found,
        pack_checks(builtin_packs()) if checks is None else checks,
        coverage(store, as_of),
    )
    organisation = next(store.nodes("Organization"), None)
    requirements = judged(target)
    systems = sorted(in_scope_systems(store), key=lambda s: natural_key(s.id))
    out = []
    for system in systems:
        rows = []
        for requirement in requirements:
            applies, why, missing = applicability(requirement, system, organisation)
            if applies == YES:
                basis = states.basis(requirement, system)
                status, status_why = combine(basis, home)
                rows.append(
                    PostureRow(system, requirement, applies, why, status, status_why, basis)
                )
            else:
                rows.append(PostureRow(system, requirement, applies, why, None, "", (), missing))
        out.append(SystemPosture(system, tuple(rows)))
    return Posture(target, home, as_of, requirements, tuple(out), rules(home))


# -- applicability ------------------------------------------------------------------------


def applicability(
    requirement: Requirement, system: Node, organisation: Node | None = None
) -> tuple[str, str, tuple[str, ...]]:
    """Whether ``requirement`` applies to ``system``: YES, NO or CANNOT_TELL, why in
    words, and (for CANNOT_TELL) the system properties to record."""
    if not requirement.applies_when:
        return YES, "applies: to every in-scope system (no condition)", ()
    held: list[str] = []
    failed: list[str] = []
    missing: set[str] = set()
    for condition in requirement.applies_when:
        verdicts = [
            (key, *_key(key, allowed, system, organisation)) for key, allowed in condition.items()
        ]
        misses = [why for _, verdict, why in verdicts if verdict is False]
        if misses:
            failed.append(misses[0])
        elif all(verdict for _, verdict, _ in verdicts):
            held.append(_described(condition, system, organisation))
        else:
            missing |= {_property(key) for key, verdict, _ in verdicts if verdict is None}
    if held:
        return YES, "applies: " + "; or ".join(dict.fromkeys(held)), ()
    if missing:
        ordered = _ordered(missing)
        return CANNOT_TELL, f"cannot tell: {', '.join(ordered)} not recorded", ordered
    return NO, "does not apply: " + "; ".join(dict.fromkeys(failed)), ()


def _property(key: str) -> str:
    return PROPERTY.get(key, key)


def _ordered(names: Iterable[str]) -> tuple[str, ...]:
    names = set(names)
    first = [n for n in _FIRST if n in names]
    return (*first, *sorted(names - set(first)))


def _value(key: str, system: Node, organisation: Node | None) -> object:
    value = system.get(_property(key))
    if value is None and key in ORGANISATION_KEYS and organisation is not None:
        value = organisation.get(key)
    return value


def _values(key: str, value: object) -> set[str]:
    """What a recorded value stands for: a role value its roles, a list its items, a
    boolean 'true' or 'false'; compared without case."""
    items = value if isinstance(value, list | tuple) else [value]
    out: set[str] = set()
    for item in items:
        text = str(item).lower()  # True reads as 'true'
        out.update(ROLES.get(text, (text,)) if key == "role" else (text,))
    return out


def _key(
    key: str, allowed: Sequence[str], system: Node, organisation: Node | None
) -> tuple[bool | None, str]:
    """One condition key for the system: True, False or None (not recorded), and, when
    False, why in words."""
    value = _value(key, system, organisation)
    if value is None or value == "":
        return None, ""
    have = _values(key, value)
    wanted = {str(a).lower() for a in allowed}
    if have & wanted:
        return True, ""
    name = _property(key).replace("_", " ")
    if wanted == {"true"}:
        return False, f"{name}: not so"
    shown = ", ".join(sorted(have))
    return False, f"{name} {shown}, not {' or '.join(allowed)}"


def _described(
    condition: Mapping[str, Sequence[str]], system: Node, organisation: Node | None
) -> str:
    """A condition that holds, in words: "provider of a high-risk system, annex iii
    point 5b"."""
    role = tier = ""
    rest = []
    for key, allowed in condition.items():
        value = _value(key, system, organisation)
        have = _values(key, value)
        matched = [a for a in allowed if a.lower() in have]
        if key == "role":
            role = " and ".join(matched)
            if str(value) not in matched:
                role += f" (role {value})"
        elif key == "tier":
            tier = " or ".join(matched)
        elif [a.lower() for a in allowed] == ["true"]:
            rest.append(key.replace("_", " "))
        else:
            rest.append(f"{key.replace('_', ' ')} {', '.join(matched)}")
    if tier:
        kind = "a prohibited system" if tier == "prohibited" else f"a {tier}-risk system"
        head = f"{role} of {kind}" if role else kind
    else:
        head = role
    return ", ".join(p for p in (head, *rest) if p)


# -- status ---------------------------------------------------------------------------------


class _States:
    """The state of each home requirement for each system, computed once."""

    def __init__(
        self,
        store: GraphStore,
        frameworks: Frameworks,
        home: Framework,
        found: Sequence[Finding],
        checks: Sequence[Query],
        cells: Coverage,
    ) -> None:
        self.frameworks = frameworks
        self.home = home
        self.cells = cells
        self.children: dict[str, list[str]] = {}
        for r in home.requirements.values():
            if r.parent:
                self.children.setdefault(r.parent, []).append(r.id)
        # findings bear on the systems their subject bears on, and on every system when
        # it bears on none in particular (organisation-wide), as the gap analysis reads them
        self.bearing = {f: frozenset(s.id for s in affected_systems(store, f)) for f in found}
        self.found = tuple(found)
        self.checking: dict[str, list[str]] = {}
        for q in checks:
            for c in q.definition.clauses:
                self.checking.setdefault(self._local(c), []).append(q.ref)
        self.memo: dict[tuple[str, str], tuple[str, str, tuple[Finding, ...]]] = {}

    def _local(self, ref: str) -> str:
        """A home requirement's id as the catalogue spells it."""
        return self.frameworks.qualify(ref).partition(":")[2]

    def bears(self, f: Finding, system: str) -> bool:
        hit = self.bearing.get(f, frozenset())
        return not hit or system in hit

    def basis(self, requirement: Requirement, system: Node) -> tuple[Basis, ...]:
        if requirement.framework == self.home.id:
            rows = [
                CrosswalkMapping(
                    "",
                    requirement.ref,
                    requirement.ref,
                    "equal",
                    "the requirement itself",
                    None,
                    requirement.source,
                )
            ]
        else:
            rows = self.frameworks.mapped(requirement.ref, self.home.id)
        out: list[Basis] = []
        seen: set[str] = set()
        for m in rows:
            target = self.frameworks.requirement(m.target)
            if target is None or m.target in seen:
                continue
            seen.add(m.target)
            if m.relationship == NO_RELATIONSHIP:
                out.append(
                    Basis(target, m.relationship, m.rationale, m.origin, None, "not addressed")
                )
                continue
            state, why, findings = self.state(target, system.id)
            out.append(Basis(target, m.relationship, m.rationale, m.origin, state, why, findings))
        return tuple(out)

    def state(self, target: Requirement, system: str) -> tuple[str, str, tuple[Finding, ...]]:
        key = (target.id, system)
        if key not in self.memo:
            if target.type == "control":
                self.memo[key] = self._control(target, system)
            elif target.type == "clause":
                self.memo[key] = self._clause(target, system)
            elif target.type == "control-group":
                self.memo[key] = self._group(target, system)
            else:
                self.memo[key] = (UNKNOWN, f"the graph records no state for a {target.type}", ())
        return self.memo[key]

    def _control(self, target: Requirement, system: str) -> tuple[str, str, tuple[Finding, ...]]:
        cell = self.cells.cells.get((system, target.id))
        hits = tuple(
            f
            for f in self.found
            if any(self._local(c) == target.id for c in f.controls) and self.bears(f, system)
        )
        if cell is None:
            return UNKNOWN, "not in the Annex A coverage", hits
        state, why = CELL_STATES.get(cell, (UNKNOWN, cell))
        if hits:
            verb = "bears" if len(hits) == 1 else "bear"
            why += f"; {_plural(len(hits), 'finding')} citing it {verb} on this system"
            if state == MET:
                state = PARTLY
        return state, why, hits

    def _below(self, target: str) -> set[str]:
        out = {target}
        for child in self.children.get(target, ()):
            out |= self._below(child)
        return out

    def _clause(self, target: Requirement, system: str) -> tuple[str, str, tuple[Finding, ...]]:
        ids = self._below(target.id)
        hits = tuple(
            f
            for f in self.found
            if any(self._local(c) in ids for c in f.clauses) and self.bears(f, system)
        )
        if hits:
            wide = sum(1 for f in hits if not self.bearing.get(f))
            note = f" ({wide} organisation-wide)" if wide else ""
            return NOT_MET, f"{_plural(len(hits), 'finding')}{note} of checks citing it", hits
        checks = sorted({q for i in ids for q in self.checking.get(i, ())})
        if checks:
            return MET, f"no finding of the checks citing it ({', '.join(checks)})", ()
        return UNKNOWN, "no check evidences it", ()

    def _group(self, target: Requirement, system: str) -> tuple[str, str, tuple[Finding, ...]]:
        parts = [
            self.state(self.home.requirements[c], system)
            for c in sorted(self._below(target.id) - {target.id}, key=natural_key)
            if self.home.requirements[c].type == "control"
        ]
        states = [s for s, _, _ in parts]
        findings = tuple(dict.fromkeys(f for _, _, fs in parts for f in fs))
        if not states or all(s == UNKNOWN for s in states):
            return UNKNOWN, "no state for any of its controls", findings
        met = states.count(MET)
        why = f"{met} of {_plural(len(states), 'control')} met"
        if met == len(states):
            return MET, why, findings
        if met or PARTLY in states:
            return PARTLY, why, findings
        return NOT_MET, why, findings


def combine(basis: Sequence[Basis], home: Framework) -> tuple[str, str]:
    """The status of an obligation that applies, from the states of the home
    requirements it maps to, and why in words."""
    support = [b for b in basis if b.relationship != NO_RELATIONSHIP and b.state is not None]
    if not support:
        if basis:
            ids = ", ".join(b.requirement.id for b in basis)
            return (
                UNKNOWN,
                f"not addressed by {home.name} (no relationship to {ids}): judge it yourself",
            )
        return UNKNOWN, f"not addressed by {home.name}: judge it yourself"
    states = [b.state for b in support]
    n = len(states)
    met, partly, not_met = states.count(MET), states.count(PARTLY), states.count(NOT_MET)
    counted = ((met, MET), (partly, PARTLY), (not_met, NOT_MET), (states.count(UNKNOWN), UNKNOWN))
    tally = ", ".join(f"{k} {label}" for k, label in counted if k)
    if n == 1:
        of = f"it maps to one {home.name} requirement: {states[0]}"
    else:
        of = f"it maps to {n} {home.name} requirements: {tally}"
    if met == n:
        whole = [b.requirement.id for b in support if b.relationship in WHOLE]
        if whole:
            return MET, f"{of}; meeting {', '.join(whole)} meets it whole"
        return PARTLY, f"{of}; but the mappings only overlap it: at most partly met"
    if met or partly:
        return PARTLY, of
    if not_met:
        return NOT_MET, of
    return UNKNOWN, f"no evidence either way: {of}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
