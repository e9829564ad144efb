"""Findings: what a check's rows mean for a governance lead, each traced to the
inventory line behind it."""

from __future__ import annotations

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
                )
            )
    return sorted(out, key=finding_order)


def finding_order(f: Finding) -> tuple[int, str, tuple[tuple[str | int, ...], str], str]:
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
