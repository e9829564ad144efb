"""Findings: what a check's rows mean for a governance lead, each traced to the
inventory line behind it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphgov.frameworks import Frameworks, Reference, load_frameworks
from graphgov.graph import Source
from graphgov.packs import severity_rank
from graphgov.runner import Result
from graphgov.schema import natural_key


@dataclass(frozen=True)
class Finding:
    """One gap: which check found it, how severe, about what, and where it came from."""

    query: str
    title: str
    severity: str
    label: str
    id: str
    name: str
    message: str
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    remediation: str
    source: Source
    # every framework requirement it evidences: the query's own, then what the
    # crosswalks reach from them (see Frameworks.references)
    references: tuple[Reference, ...] = ()
    # what tells this finding from the check's other findings about the same subject:
    # the values of the check's ``key`` columns (packs.QueryDefinition.key), by column
    key: tuple[tuple[str, str], ...] = ()

    def at_least(self, severity: str) -> bool:
        return severity_rank(self.severity) >= severity_rank(severity)


def findings(results: Sequence[Result], frameworks: Frameworks | None = None) -> list[Finding]:
    """The findings of every check among ``results``, most severe first, each with the
    requirements it evidences in every framework of ``frameworks`` (default: those
    shipped with graphgov)."""
    known = frameworks or load_frameworks()
    out = []
    for result in results:
        d = result.query.definition
        if d.kind != "check":
            continue
        references = known.references(result.query.direct_references)
        for row in result.records():
            shown = {k: show(v) for k, v in row.items()}
            if row["name"] is None:
                # a name is expected, not required: a record without one is called by its
                # id, as everywhere else (graph.Node.name), and incomplete-record asks for it
                shown["name"] = str(row["id"])
            out.append(
                Finding(
                    query=result.query.ref,
                    title=d.title,
                    severity=d.severity or "low",
                    label=str(row["label"]),
                    id=str(row["id"]),
                    name=shown["name"],
                    message=(d.message or "").format(**shown),
                    clauses=d.clauses,
                    controls=d.controls,
                    remediation=d.remediation or "",
                    source=Source(str(row["source_file"]), row["source_line"]),
                    references=references,
                    key=tuple((column, shown[column]) for column in d.key),
                )
            )
    return sorted(out, key=finding_order)


FINGERPRINT_VERSION = "v1"


Identity = tuple[str, str, str, tuple[tuple[str, str], ...]]


def identity(f: Finding) -> Identity:
    """What tells one finding from another: the check, the subject and the check's key
    values; ``fingerprint`` is its digest. Cheap, for matching findings in memory."""
    return (f.query, f.label, f.id, f.key)


def fingerprint(f: Finding) -> str:
    """A stable id of a finding across runs and commits: ``v1:`` and 32 hex digits of
    the sha256 of the check, the subject (label and id) and the check's key values (see
    ``packs.QueryDefinition.key``) as canonical JSON. The source file and line, the
    subject's name, the message and the severity are left out, so moving a record to
    another file or line, renaming it or editing a field the check does not key on
    keeps the fingerprint; another check, subject or key value changes it. The version
    prefix changes whenever what goes into the digest does."""
    query, label, ident, key = identity(f)
    canonical = json.dumps(
        [FINGERPRINT_VERSION, query, label, ident, [list(pair) for pair in key]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{FINGERPRINT_VERSION}:{digest[:32]}"


# how a finding stands against a baseline: SARIF's words (result.baselineState), in the
# order they are counted and shown
NEW = "new"
UNCHANGED = "unchanged"
ABSENT = "absent"
BASELINE_STATES: tuple[str, ...] = (NEW, UNCHANGED, ABSENT)


@dataclass(frozen=True)
class Comparison:
    """Findings judged against a baseline's: ``states[i]`` is NEW or UNCHANGED for the
    i-th current finding; ``absent`` are the baseline's findings no longer found."""

    states: tuple[str, ...]
    absent: tuple[Finding, ...]


def compare(current: Sequence[Finding], baseline: Sequence[Finding]) -> Comparison:
    """Each current finding is UNCHANGED when the baseline has a finding with the same
    fingerprint, else NEW; the baseline's findings left unmatched are absent (resolved).
    Fingerprints are matched as counts, so two findings that share one (a check of
    your own with several rows per subject and no ``key``) match two, not one."""
    # identities, not fingerprints: equal exactly when the fingerprints are, and cheap
    marks = [identity(f) for f in baseline]
    waiting: dict[Identity, int] = {}
    for mark in marks:
        waiting[mark] = waiting.get(mark, 0) + 1
    states = []
    for f in current:
        mark = identity(f)
        if waiting.get(mark, 0) > 0:
            waiting[mark] -= 1
            states.append(UNCHANGED)
        else:
            states.append(NEW)
    absent = []
    # the last ones of an identity are those left over
    for f, mark in zip(reversed(baseline), reversed(marks), strict=True):
        if waiting.get(mark, 0) > 0:
            waiting[mark] -= 1
            absent.append(f)
    return Comparison(tuple(states), tuple(sorted(absent, key=finding_order)))


def finding_order(f: Finding) -> tuple[int, str, tuple[str, str], str]:
    """Most severe first, then by check, then by subject id in natural order (A.2.2
    before A.10.2), then by message."""
    return (-severity_rank(f.severity), f.query, natural_key(f.id), f.message)


def show(value: Any) -> str:
    """A value as people read it in messages and tables."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
