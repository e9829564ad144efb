"""Markdown for pull requests and reports; inventory text never becomes markup
(``cells.markdown_cell``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphgov.findings import Finding
from graphgov.outputs.cells import markdown_cell
from graphgov.outputs.check_run import CheckRun
from graphgov.store.base import Rows


def findings_markdown(run: CheckRun) -> str:
    head = f"## graphgov findings ({len(run.findings)}), as of {run.as_of.isoformat()}\n\n"
    if not run.findings:
        return head + "No findings.\n"
    rows = [
        (f.severity, f.query, f.message, run.location(f.source), _direct(run, f))
        for f in run.findings
    ]
    return head + markdown_table(("severity", "check", "finding", "where", "requirements"), rows)


def _direct(run: CheckRun, f: Finding) -> str:
    return ", ".join(run.frameworks.shown(r.ref) for r in f.references if r.relationship is None)


def rows_markdown(result: Rows) -> str:
    return markdown_table(result.columns, result.rows)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(markdown_cell(h) for h in headers) + " |",
        "|" + "---|" * len(headers),
    ]
    lines += ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
