"""Plain text for people at a terminal: findings grouped by severity, in 80 columns.
Inventory text is escaped here (``display.printable``), so a file written with -o is as
safe to print as the terminal."""

from __future__ import annotations

import textwrap

from graphgov.display import plural, printable
from graphgov.findings import NEW, UNCHANGED, Finding, show
from graphgov.outputs.check_run import CheckRun
from graphgov.packs import SEVERITIES
from graphgov.store.base import Rows
from graphgov.terminal import table

WIDTH = 80


def findings_table(run: CheckRun) -> str:
    if run.framework is not None:
        return _by_requirement(run, run.framework)
    lines: list[str] = []
    marked = run.marked()
    # with a baseline the new findings come first, then the unchanged, then the resolved
    states: tuple[str | None, ...] = (None,) if run.baseline is None else (NEW, UNCHANGED)
    for shown in states:
        prefix = f"{shown.upper()} " if shown else ""
        for severity in reversed(SEVERITIES):
            group = [(f, s) for f, s in marked if f.severity == severity and s == shown]
            if not group:
                continue
            lines.append(f"{prefix}{severity.upper()} ({len(group)})")
            for f, state in group:
                lines += _finding_lines(f, run.location(f.source), state)
            lines.append("")
    if run.baseline is not None and run.baseline.absent:
        since = printable(run.baseline.shown, one_line=True)
        lines.append(f"RESOLVED since {since} ({len(run.baseline.absent)})")
        for f in run.baseline.absent:
            lines += _finding_lines(f, run.absent_location(f), f.severity)
        lines.append("")
    checks = [r for r in run.results if r.query.definition.kind == "check"]
    passed = sum(1 for r in checks if run.count(r) == 0)
    counts = ", ".join(
        f"{sum(1 for f in run.findings if f.severity == s)} {s}"
        for s in reversed(SEVERITIES)
        if any(f.severity == s for f in run.findings)
    )
    summary = (
        f"{plural(len(run.findings), 'finding')} ({counts})" if run.findings else "No findings"
    )
    closing = (
        f"{summary} from {plural(len(checks), 'check')}, {passed} passed; "
        f"as of {run.as_of.isoformat()}."
    )
    lines += textwrap.wrap(closing, WIDTH, break_on_hyphens=False)
    return "\n".join([*lines, *_baseline_line(run)]) + "\n"


def _finding_lines(f: Finding, location: str, tag: str | None) -> list[str]:
    """A finding as a head line (its check and place, after ``tag`` when given: its
    state against a baseline, or a resolved finding's severity) and its message."""
    check = printable(f.query.split("/", 1)[-1], one_line=True)
    where = printable(location, one_line=True)
    mark = f"[{tag}] " if tag else ""
    head = f"  {mark}{check}  {where}"
    if len(head) > WIDTH:  # a long path goes on a line of its own
        head = f"  {mark}{check}\n    at {where}"
    return [
        head,
        *textwrap.wrap(
            printable(f.message),
            WIDTH,
            initial_indent="    ",
            break_on_hyphens=False,
            subsequent_indent="    ",
        ),
    ]


def _baseline_line(run: CheckRun) -> list[str]:
    summary = run.baseline_summary()
    if summary is None:
        return []
    return textwrap.wrap(printable(summary, one_line=True) + ".", WIDTH, break_on_hyphens=False)


def _by_requirement(run: CheckRun, framework: str) -> str:
    """Findings under each requirement of ``framework`` they bear on, in the
    framework's own order, saying when the link is a crosswalk's and how strong."""
    known = run.frameworks.frameworks[framework]
    lines: list[str] = [f"{printable(known.title, one_line=True)}", ""]
    shown = 0
    for requirement in known.requirements.values():
        group = [
            (i, f, r)
            for i, f in enumerate(run.findings)
            for r in f.references
            if r.ref == requirement.ref
        ]
        if not group:
            continue
        shown += 1
        head = f"{requirement.id}  {requirement.name} ({len(group)})"
        lines.append(printable(head, one_line=True))
        for i, f, r in group:
            check = printable(f.query.split("/", 1)[-1], one_line=True)
            where = printable(run.location(f.source), one_line=True)
            via = f"through {r.via} ({r.relationship})" if r.via else "directly"
            state = run.state(i)
            mark = f"  [{state}]" if state else ""
            lines.append(f"  {f.severity.upper()}{mark}  {check}  {where}")
            lines.extend(
                textwrap.wrap(
                    printable(f.message) + f" [{printable(via, one_line=True)}]",
                    WIDTH,
                    initial_indent="    ",
                    break_on_hyphens=False,
                    subsequent_indent="    ",
                )
            )
        lines.append("")
    summary = (
        f"{plural(len(run.findings), 'finding')} bear on {plural(shown, 'requirement')} of "
        f"{printable(known.name, one_line=True)}; as of {run.as_of.isoformat()}."
    )
    return "\n".join([*lines, summary, *_baseline_line(run)]) + "\n"


def rows_table(result: Rows) -> str:
    if not result.rows:
        return "No rows.\n"
    body = table(
        list(result.columns),
        [[show(v) for v in row] for row in result.rows],
        widths=[32] * len(result.columns),
    )
    return f"{body}\n\n{len(result.rows)} rows.\n"
