"""Markdown for pull requests and reports; inventory text never becomes markup
(``cells.markdown_cell``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphgov.findings import NEW, Finding
from graphgov.outputs.cells import markdown_cell, markdown_text
from graphgov.outputs.check_run import CheckRun
from graphgov.store.base import Rows

COLUMNS = ("severity", "check", "finding", "where", "requirements")


def findings_markdown(run: CheckRun) -> str:
    """A heading, then a table of the findings. With a baseline: a line counting new,
    unchanged and resolved findings, a ``state`` column (the new findings first), and a
    table of the resolved (absent) ones at their place in the baseline."""
    head = f"## graphgov findings ({len(run.findings)}), as of {run.as_of.isoformat()}\n\n"
    summary = run.baseline_summary()
    if summary is not None:
        head += markdown_text(summary) + "\n\n"
    if not run.findings:
        body = "No findings.\n"
    elif run.baseline is None:
        rows = [
            (f.severity, f.query, f.message, run.location(f.source), _direct(run, f))
            for f in run.findings
        ]
        body = markdown_table(COLUMNS, rows)
    else:
        marked = [
            (state, f.severity, f.query, f.message, run.location(f.source), _direct(run, f))
            # the new findings first, then the unchanged, each in the usual order
            for f, state in sorted(run.marked(), key=lambda m: m[1] != NEW)
        ]
        body = markdown_table(("state", *COLUMNS), marked)
    if run.baseline is not None and run.baseline.absent:
        title = f"Resolved since {run.baseline.shown} ({len(run.baseline.absent)})"
        gone = [
            (f.severity, f.query, f.message, run.absent_location(f), _direct(run, f))
            for f in run.baseline.absent
        ]
        body += f"\n### {markdown_text(title)}\n\n" + markdown_table(COLUMNS, gone)
    return head + body


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
