"""What falls due next (``graphgov.upcoming``) for people and tools: a terminal list,
JSON, CSV, Markdown and an iCalendar file (``outputs.calendar``). Inventory text is
escaped per format, as for findings."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from graphgov.display import plural, printable
from graphgov.outputs.calendar import upcoming_ics
from graphgov.outputs.cells import json_text, markdown_text
from graphgov.outputs.check_run import VERSION, inventory_path, location
from graphgov.outputs.data import csv_table
from graphgov.outputs.markdown import markdown_table
from graphgov.upcoming import NOTE, Due, Upcoming

WIDTH = 80
COLUMNS = (
    "due",
    "lapses_on",
    "severity",
    "check",
    "label",
    "id",
    "name",
    "message",
    "file",
    "line",
)


def _window(u: Upcoming) -> str:
    days = (u.until - u.as_of).days
    return f"from {u.as_of.isoformat()} to {u.until.isoformat()} ({plural(days, 'day')})"


def _record(inventory: str, d: Due) -> dict[str, Any]:
    return {
        "due": d.due.isoformat(),
        "lapses_on": d.lapses_on.isoformat(),
        "severity": d.finding.severity,
        "check": d.finding.query,
        "label": d.finding.label,
        "id": d.finding.id,
        "name": d.finding.name,
        "message": d.finding.message,
        "file": inventory_path(inventory, d.finding.source) or d.finding.source.file,
        "line": d.finding.source.line,
    }


def upcoming_table(u: Upcoming, inventory: str) -> str:
    lines: list[str] = []
    for d in u.items:
        check = d.finding.query.split("/", 1)[-1]
        record = f"{d.finding.label} {d.finding.id}"
        head = f"{d.due.isoformat()}  {check}  {record}"
        lines.append(printable(head, one_line=True))
        lines.append("    at " + printable(location(inventory, d.finding.source), one_line=True))
        lines.extend(
            textwrap.wrap(
                # the check's own words, which speak of the day it reports them
                printable(f"from {d.lapses_on.isoformat()}, check says: {d.finding.message}"),
                WIDTH,
                initial_indent="    ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
        )
    if lines:
        lines.append("")
    count = plural(len(u.items), "item")
    closing = (
        f"{count} falling due {_window(u)}, from {plural(len(u.checks), 'check')} that "
        f"depend on the day. {NOTE}"
    )
    lines += textwrap.wrap(closing, WIDTH, break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def upcoming_json(u: Upcoming, inventory: str) -> str:
    return json_text(
        {
            "tool": "graphgov",
            "version": VERSION,
            "inventory": inventory,
            "as_of": u.as_of.isoformat(),
            "until": u.until.isoformat(),
            "checks": list(u.checks),
            "note": NOTE,
            "items": [_record(inventory, d) for d in u.items],
        }
    )


def upcoming_csv(u: Upcoming, inventory: str) -> str:
    rows = [[_record(inventory, d)[c] for c in COLUMNS] for d in u.items]
    return csv_table(COLUMNS, rows)


def upcoming_markdown(u: Upcoming, inventory: str) -> str:
    head = f"## graphgov: {plural(len(u.items), 'item')} falling due {_window(u)}\n\n"
    note = markdown_text(NOTE) + "\n"
    if not u.items:
        return head + note
    rows = [
        (
            d.due.isoformat(),
            d.finding.severity,
            d.finding.query,
            f"{d.finding.label} {d.finding.id}",
            d.finding.message,
            location(inventory, d.finding.source),
        )
        for d in u.items
    ]
    table = markdown_table(("due", "severity", "check", "record", "what lapses", "where"), rows)
    return head + table + "\n" + note


UPCOMING_FORMATS: dict[str, Callable[[Upcoming, str], str | bytes]] = {
    "table": upcoming_table,
    "json": upcoming_json,
    "csv": upcoming_csv,
    "markdown": upcoming_markdown,
    "ics": upcoming_ics,
}
