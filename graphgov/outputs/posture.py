"""Posture against a framework as Markdown, CSV, JSON, XLSX and HTML. Titles come from
the framework's own header (its name and title), never from here; inventory text is
escaped for each consumer (``cells``), and equal inputs give equal bytes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphgov.findings import Finding
from graphgov.outputs.cells import json_text, markdown_text
from graphgov.outputs.check_run import VERSION
from graphgov.outputs.data import csv_table
from graphgov.outputs.html import page
from graphgov.outputs.markdown import markdown_table

# the workbook helpers of the Statement of Applicability, shared rather than copied
from graphgov.outputs.soa import sheet_of, workbook_bytes
from graphgov.posture import NO, OUTCOMES, Basis, Posture, PostureRow, SystemPosture

NOT_RECORDED = "not recorded"
COLUMNS = (
    "system",
    "system name",
    "risk tier",
    "role",
    "requirement",
    "requirement name",
    "requirement type",
    "applies",
    "why it applies",
    "status",
    "why this status",
    "basis",
    "findings",
    "defined at",
)
SUMMARY_COLUMNS = ("system", "system name", "risk tier", "role", *OUTCOMES, "to record")
BASIS_COLUMNS = (
    "system",
    "requirement",
    "maps to",
    "name",
    "relationship",
    "state",
    "why",
    "rationale",
    "crosswalk row",
    "findings",
)


def title(p: Posture) -> str:
    """The heading every format gives the posture."""
    return f"{p.framework.name} posture"


def subtitle(p: Posture) -> str:
    return f"{p.framework.title}, as of {p.as_of.isoformat()}"


def _recorded(value: Any) -> str:
    return NOT_RECORDED if value is None or value == "" else str(value)


def _where(source: Any) -> str:
    return source.file if source.line is None else f"{source.file}:{source.line}"


def finding_text(f: Finding) -> str:
    """A finding as a posture names it: its check and its subject."""
    return f"{f.query} on {f.id}"


def basis_text(b: Basis) -> str:
    state = b.state or "no relationship"
    return f"{b.requirement.id} {b.requirement.name} ({b.relationship}): {state}, {b.why}"


def _row(r: PostureRow) -> list[str]:
    s = r.system
    return [
        s.id,
        s.name,
        _recorded(s.get("risk_tier")),
        _recorded(s.get("role")),
        r.requirement.id,
        r.requirement.name,
        r.requirement.type,
        *_judgement(r),
        _where(r.requirement.source),
    ]


def _judgement(r: PostureRow) -> list[str]:
    """Whether it applies, its status, and why each: the part of a row every format
    shows."""
    return [
        r.applies,
        r.applies_why,
        r.status or "",
        r.status_why,
        "; ".join(basis_text(b) for b in r.basis),
        "; ".join(finding_text(f) for f in r.findings),
    ]


def _summary_row(sp: SystemPosture) -> list[str]:
    s = sp.system
    counts = sp.counts()
    return [
        s.id,
        s.name,
        _recorded(s.get("risk_tier")),
        _recorded(s.get("role")),
        *(str(counts[o]) for o in OUTCOMES),
        ", ".join(sp.missing),
    ]


# -- Markdown -----------------------------------------------------------------------------


def posture_markdown(p: Posture) -> str:
    """A summary per outcome and per system, the systems for which some obligation
    cannot be told and what to record, then a table per system of the obligations that
    apply or cannot be told (those that do not apply are listed by id)."""
    counts = p.counts()
    lines = [
        f"# {markdown_text(title(p))}, as of {p.as_of.isoformat()}",
        "",
        markdown_text(
            f"{p.framework.title}: {len(p.requirements)} obligations judged for "
            f"{len(p.systems)} in-scope AI systems."
        ),
        "",
        *(f"- {markdown_text(rule)}" for rule in p.rules),
        "",
        "## Summary",
        "",
        markdown_table(("outcome", "rows"), [(o, counts[o]) for o in OUTCOMES]),
        markdown_table(SUMMARY_COLUMNS, [_summary_row(sp) for sp in p.systems]),
    ]
    if p.undetermined:
        lines += [
            "## Cannot tell",
            "",
            markdown_table(
                ("system", "system name", "to record", "obligations that cannot be told"),
                [
                    (
                        sp.system.id,
                        sp.system.name,
                        ", ".join(sp.missing),
                        ", ".join(r.requirement.id for r in sp.undetermined),
                    )
                    for sp in p.undetermined
                ],
            ),
        ]
    for sp in p.systems:
        s = sp.system
        lines += [
            f"## {markdown_text(f'{s.name} ({s.id})')}",
            "",
            markdown_text(
                f"Risk tier {_recorded(s.get('risk_tier'))}, role {_recorded(s.get('role'))}."
            ),
            "",
        ]
        shown = [r for r in sp.rows if r.applies != NO]
        if shown:
            lines.append(
                markdown_table(
                    (
                        "requirement",
                        "name",
                        "applies",
                        "why it applies",
                        "status",
                        "why this status",
                        f"{p.home.name} basis",
                        "findings",
                    ),
                    [(r.requirement.id, r.requirement.name, *_judgement(r)) for r in shown],
                )
            )
        absent = [r.requirement.id for r in sp.rows if r.applies == NO]
        if absent:
            lines += [markdown_text(f"Does not apply ({len(absent)}): {', '.join(absent)}"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- CSV and JSON ---------------------------------------------------------------------------


def posture_csv(p: Posture) -> str:
    """One row per system and obligation, every column a text a spreadsheet shows as
    text."""
    return csv_table(COLUMNS, [_row(r) for r in p.rows])


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "check": f.query,
        "subject": f.id,
        "label": f.label,
        "name": f.name,
        "message": f.message,
        "file": f.source.file,
        "line": f.source.line,
    }


def _basis(b: Basis) -> dict[str, Any]:
    return {
        "ref": b.requirement.ref,
        "id": b.requirement.id,
        "name": b.requirement.name,
        "type": b.requirement.type,
        "relationship": b.relationship,
        "state": b.state,
        "why": b.why,
        "rationale": b.rationale,
        "crosswalk_row": _where(b.row),
        "findings": [_finding(f) for f in b.findings],
    }


def _requirement(r: PostureRow) -> dict[str, Any]:
    return {
        "id": r.requirement.id,
        "ref": r.requirement.ref,
        "name": r.requirement.name,
        "type": r.requirement.type,
        "applies": r.applies,
        "why_it_applies": r.applies_why,
        "to_record": list(r.missing),
        "status": r.status,
        "why_this_status": r.status_why,
        "basis": [_basis(b) for b in r.basis],
    }


def posture_json(p: Posture) -> str:
    f = p.framework
    data = {
        "tool": "graphgov",
        "version": VERSION,
        "title": title(p),
        "as_of": p.as_of.isoformat(),
        "framework": {
            "id": f.id,
            "name": f.name,
            "title": f.title,
            "version": f.version,
            "source": f.url,
        },
        "followed_into": {"id": p.home.id, "name": p.home.name},
        "rules": list(p.rules),
        "summary": p.counts(),
        "systems": [
            {
                "id": sp.system.id,
                "name": sp.system.name,
                "risk_tier": sp.system.get("risk_tier"),
                "role": sp.system.get("role"),
                "summary": sp.counts(),
                "to_record": list(sp.missing),
                "requirements": [_requirement(r) for r in sp.rows],
            }
            for sp in p.systems
        ],
    }
    return json_text(data)


# -- XLSX -----------------------------------------------------------------------------------


def posture_xlsx(p: Posture) -> bytes:
    """A workbook: the summary per system, every row, and every basis row with the
    findings behind it; header frozen, filters on, formula-safe, byte-identical for the
    same inputs."""
    from openpyxl import Workbook  # only this output needs openpyxl

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    sheet_of(
        summary,
        SUMMARY_COLUMNS,
        [_summary_row(sp) for sp in p.systems],
        [26, 34, 11, 11, *(10 for _ in OUTCOMES), 50],
    )
    rows = book.create_sheet("Posture")
    sheet_of(
        rows,
        COLUMNS,
        [_row(r) for r in p.rows],
        [26, 30, 11, 11, 16, 40, 13, 11, 40, 10, 50, 70, 50, 30],
    )
    basis = book.create_sheet("Basis")
    sheet_of(
        basis,
        BASIS_COLUMNS,
        [
            [
                r.system.id,
                r.requirement.id,
                b.requirement.id,
                b.requirement.name,
                b.relationship,
                b.state or "",
                b.why,
                b.rationale,
                _where(b.row),
                "; ".join(finding_text(f) for f in b.findings),
            ]
            for r in p.rows
            for b in r.basis
        ],
        [26, 16, 12, 36, 16, 10, 50, 60, 34, 50],
    )
    return workbook_bytes(book, p.as_of)


# -- HTML -----------------------------------------------------------------------------------


def posture_html(p: Posture, subtitle_text: str | None = None) -> str:
    """A whole page with the posture section; ``subtitle_text`` defaults to the
    framework's title and the day judged."""
    return page(title(p), subtitle_text or subtitle(p), ["posture"], posture=p)


POSTURE_FORMATS: dict[str, Callable[[Posture], str | bytes]] = {
    "markdown": posture_markdown,
    "csv": posture_csv,
    "json": posture_json,
    "xlsx": posture_xlsx,
    "html": posture_html,
}

__all__: Sequence[str] = (
    "POSTURE_FORMATS",
    "posture_csv",
    "posture_html",
    "posture_json",
    "posture_markdown",
    "posture_xlsx",
)
