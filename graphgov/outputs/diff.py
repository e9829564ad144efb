"""A diff of two inventory versions (``graphgov.diff.Diff``) for people and tools: plain
text for a terminal, Markdown for a pull-request comment (a summary line, then one
collapsible section per group), and JSON. Inventory text is escaped for each: through
``display.printable`` in text, ``cells.markdown_cell`` / ``markdown_text`` in Markdown
(so no name can close a ``<details>`` or start a heading), ``cells.json_text`` in JSON."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from graphgov.diff import Diff, FieldChange, GapChange, RecordChange, SoaChange
from graphgov.display import plural, printable
from graphgov.findings import Finding, fingerprint, show
from graphgov.graph import Node, Relationship, Source, Value
from graphgov.outputs.cells import json_text, json_value, markdown_text
from graphgov.outputs.check_run import VERSION
from graphgov.outputs.markdown import markdown_table
from graphgov.packs import SEVERITIES

WIDTH = 80
# GitHub refuses a comment longer than 65,536 characters: a Markdown diff keeps to this
# many, cutting the rows of the last sections first (the first are what a reviewer needs)
COMMENT_BUDGET = 60_000
MORE_ROW_SIZE = 200  # room kept for the row saying how many rows were cut
CLIP = 200  # characters of a value or a name shown in text and Markdown
NOT_SET = "not set"
NOTHING = "Nothing changed."
# the minus sign of "+2 records, \u22121": a "-" would start a Markdown list item
MINUS = "\u2212"


# -- the summary line -----------------------------------------------------------------


def summary(d: Diff) -> str:
    """One line saying what changed, e.g. ``+2 records, \u22121, 3 changed · 1 finding
    introduced (1 high), 2 resolved, 40 unchanged``."""
    parts = []
    if d.systems:
        parts.append(f"{plural(len(d.systems), 'AI system')}: risk tier, role or scope changed")
    records = [
        f"+{plural(len(d.added), 'record')}",
        f"{MINUS}{len(d.removed)}",
        f"{len(d.changed)} changed",
    ]
    if d.moved:
        records.append(f"{len(d.moved)} moved")
    parts.append(", ".join(records))
    if d.relationships_added or d.relationships_removed:
        parts.append(
            f"+{plural(len(d.relationships_added), 'relationship')}, "
            f"{MINUS}{len(d.relationships_removed)}"
        )
    found = f"{plural(len(d.introduced), 'finding')} introduced"
    if d.introduced:
        found += f" ({_by_severity(d.introduced)})"
    found += f", {len(d.resolved)} resolved, {len(d.unchanged)} unchanged"
    parts.append(found)
    if d.soa:
        parts.append(f"{plural(len(d.soa), 'SoA row')} changed")
    if d.gaps:
        parts.append(f"{plural(len(d.gaps), 'gap')} reprioritised")
    return " · ".join(parts)


def _by_severity(found: Sequence[Finding]) -> str:
    return ", ".join(
        f"{n} {s}" for s in reversed(SEVERITIES) if (n := sum(1 for f in found if f.severity == s))
    )


def _value(value: Value | None) -> str:
    return NOT_SET if value is None else _clip(show(value))


def _clip(text: str) -> str:
    """A value as text and Markdown show it: cut at CLIP characters (JSON has it all)."""
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def _where(source: Source) -> str:
    return str(source)


def _moved(change: RecordChange) -> str:
    return f"{_where(change.old_source)} → {_where(change.new_source)}"


def _gap_subject(g: GapChange) -> str:
    return f"{g.check} (organisation-wide)" if g.organisation_wide else g.check


def _priority(value: int | None) -> str:
    return "no gap" if value is None else str(value)


# -- plain text -------------------------------------------------------------------------


def diff_text(d: Diff) -> str:
    """The diff for a terminal, every group under a heading with its count: what a
    reviewer needs first (systems, then findings) first."""
    head = f"graphgov diff: {d.old} → {d.new}, as of {d.as_of.isoformat()}"
    lines = [printable(head, one_line=True), _wrap(summary(d), ""), ""]

    def group(title: str, items: Sequence[Any], render: Callable[[Any], list[str]]) -> None:
        if not items:
            return
        lines.append(f"{title} ({len(items)})")
        for item in items:
            lines.extend(render(item))
        lines.append("")

    def record(change: RecordChange) -> list[str]:
        where = _where(change.new_source)
        if change.moved:
            where = f"{_moved(change)} (moved)"
        out = [_line(f"  {change.label}  {change.id}  {_clip(change.name)}  {where}")]
        out += [_field(c) for c in change.changes]
        return out

    group("AI systems whose risk tier, role or scope changed", d.systems, record)
    group("Findings introduced", d.introduced, _finding)
    group("Findings resolved", d.resolved, _finding)
    group("Records added", d.added, lambda n: [_node(n)])
    group("Records removed", d.removed, lambda n: [_node(n)])
    group("Records changed", d.changed, record)
    group("Records moved", d.moved, lambda c: [_line(f"  {c.label}  {c.id}  {_moved(c)}")])
    group("Relationships added", d.relationships_added, lambda r: [_relationship(r)])
    group("Relationships removed", d.relationships_removed, lambda r: [_relationship(r)])
    group("Statement of Applicability rows changed", d.soa, lambda c: [_soa_line(c)])
    group("Gaps whose priority changed", d.gaps, lambda g: [_gap_line(g)])
    if d.empty:
        lines += [NOTHING, ""]
    if d.unchanged:
        lines += [f"Findings unchanged: {len(d.unchanged)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _line(text: str) -> str:
    return printable(text, one_line=True)


def _wrap(text: str, indent: str) -> str:
    return "\n".join(
        textwrap.wrap(
            printable(text),
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )
    )


def _field(c: FieldChange) -> str:
    return _line(f"    {c.field}: {_value(c.old)} → {_value(c.new)}")


def _node(n: Node) -> str:
    return _line(f"  {n.label}  {n.id}  {_clip(n.name)}  {_where(n.source)}")


def _relationship(r: Relationship) -> str:
    return _line(f"  {r.start} -{r.type}-> {r.end}  {_where(r.source)}")


def _finding(f: Finding) -> list[str]:
    check = f.query.split("/", 1)[-1]
    return [_line(f"  {f.severity.upper()}  {check}  {_where(f.source)}"), _wrap(f.message, "    ")]


def _soa_line(c: SoaChange) -> str:
    parts = []
    if c.old_decision != c.new_decision:
        parts.append(f"decision {c.old_decision} → {c.new_decision}")
    if c.old_status != c.new_status:
        parts.append(f"status {c.old_status or NOT_SET} → {c.new_status or NOT_SET}")
    return _line(f"  {c.control}  {c.name}: {'; '.join(parts)}")


def _gap_line(g: GapChange) -> str:
    return _line(f"  {_gap_subject(g)}: {_priority(g.old_priority)} → {_priority(g.new_priority)}")


# -- Markdown ---------------------------------------------------------------------------


def diff_markdown(d: Diff) -> str:
    """A pull-request comment: the summary line, what was compared, then a collapsible
    section per group that has anything (AI systems and introduced findings open)."""
    out = [
        markdown_text(summary(d)),
        "",
        markdown_text(f"graphgov diff {d.old} → {d.new}, as of {d.as_of.isoformat()}"),
        "",
    ]
    if d.empty:
        out += [NOTHING, ""]

    budget = [COMMENT_BUDGET - sum(len(line) + 1 for line in out)]

    def section(title: str, items: Sequence[Any], table: str, opened: bool = False) -> None:
        if not items:
            return
        # the summary is graphgov's own words and a count, never inventory text
        head = f"<details{' open' if opened else ''}><summary>{title} ({len(items)})</summary>"
        kept = _within(table, budget[0] - len(head) - len("</details>") - 4)
        out.extend([head, "", kept, "</details>", ""])
        budget[0] -= sum(len(line) + 1 for line in out[-5:])

    where = ("old", "new")
    section(
        "AI systems: risk tier, role or scope changed",
        d.systems,
        markdown_table(
            ("system", "name", "field", "old", "new", "where"),
            [
                (s.id, _clip(s.name), c.field, _value(c.old), _value(c.new), _where(s.new_source))
                for s in d.systems
                for c in s.changes
            ],
        ),
        opened=True,
    )
    section(
        "Findings introduced",
        d.introduced,
        _findings_table(d.introduced),
        opened=True,
    )
    section("Findings resolved", d.resolved, _findings_table(d.resolved))
    node_headers = ("label", "id", "name", "where")
    section(
        "Records added",
        d.added,
        markdown_table(
            node_headers, [(n.label, n.id, _clip(n.name), _where(n.source)) for n in d.added]
        ),
    )
    section(
        "Records removed",
        d.removed,
        markdown_table(
            node_headers, [(n.label, n.id, _clip(n.name), _where(n.source)) for n in d.removed]
        ),
    )
    section(
        "Records changed",
        d.changed,
        markdown_table(
            ("label", "id", "field", *where, "old source", "new source"),
            [
                (
                    r.label,
                    r.id,
                    c.field,
                    _value(c.old),
                    _value(c.new),
                    _where(r.old_source),
                    _where(r.new_source) + (" (moved)" if r.moved else ""),
                )
                for r in d.changed
                for c in r.changes
            ],
        ),
    )
    section(
        "Records moved",
        d.moved,
        markdown_table(
            ("label", "id", "old source", "new source"),
            [(r.label, r.id, _where(r.old_source), _where(r.new_source)) for r in d.moved],
        ),
    )
    rel_headers = ("type", "from", "to", "where")
    section(
        "Relationships added",
        d.relationships_added,
        markdown_table(
            rel_headers, [(r.type, r.start, r.end, _where(r.source)) for r in d.relationships_added]
        ),
    )
    section(
        "Relationships removed",
        d.relationships_removed,
        markdown_table(
            rel_headers,
            [(r.type, r.start, r.end, _where(r.source)) for r in d.relationships_removed],
        ),
    )
    section(
        "Statement of Applicability rows changed",
        d.soa,
        markdown_table(
            ("control", "name", "old decision", "new decision", "old status", "new status"),
            [
                (c.control, c.name, c.old_decision, c.new_decision, c.old_status, c.new_status)
                for c in d.soa
            ],
        ),
    )
    section(
        "Gaps whose priority changed",
        d.gaps,
        markdown_table(
            ("check", "title", "old priority", "new priority"),
            [
                (_gap_subject(g), g.title, _priority(g.old_priority), _priority(g.new_priority))
                for g in d.gaps
            ],
        ),
    )
    section("Findings unchanged", d.unchanged, _findings_table(d.unchanged))
    return "\n".join(out).rstrip("\n") + "\n"


def _within(table: str, budget: int) -> str:
    """A Markdown table cut to the rows that fit in ``budget`` characters, a last row
    saying how many more there are (JSON has them all)."""
    if len(table) <= budget:
        return table
    header, delimiter, *rows = table.rstrip("\n").split("\n")
    columns = delimiter.count("|") - 1
    kept = [header, delimiter]
    used = len(header) + len(delimiter) + 2 + MORE_ROW_SIZE
    for row in rows:
        if used + len(row) + 1 > budget:
            break
        kept.append(row)
        used += len(row) + 1
    more = len(rows) - (len(kept) - 2)
    cells = [f"{more} more rows, cut to keep the comment short: --format json has them all"]
    kept.append("| " + " | ".join([*cells, *[""] * (columns - 1)]) + " |")
    return "\n".join(kept) + "\n"


def _findings_table(found: Sequence[Finding]) -> str:
    return markdown_table(
        ("severity", "check", "finding", "where"),
        [(f.severity, f.query, f.message, _where(f.source)) for f in found],
    )


# -- JSON -------------------------------------------------------------------------------


def diff_json(d: Diff) -> str:
    """The diff as JSON: every group under its name, with ``counts`` of each (the keys
    README.md documents)."""
    data = {
        "tool": "graphgov",
        "version": VERSION,
        "old": d.old,
        "new": d.new,
        "as_of": d.as_of.isoformat(),
        "summary": summary(d),
        "counts": d.counts(),
        "systems": [_record_json(r) for r in d.systems],
        "added": [_node_json(n) for n in d.added],
        "removed": [_node_json(n) for n in d.removed],
        "changed": [_record_json(r) for r in d.changed],
        "moved": [_record_json(r) for r in d.moved],
        "relationships_added": [_relationship_json(r) for r in d.relationships_added],
        "relationships_removed": [_relationship_json(r) for r in d.relationships_removed],
        "introduced": [_finding_json(f) for f in d.introduced],
        "resolved": [_finding_json(f) for f in d.resolved],
        "unchanged": [_finding_json(f) for f in d.unchanged],
        "soa": [
            {
                "control": c.control,
                "name": c.name,
                "old": {"decision": c.old_decision, "status": c.old_status},
                "new": {"decision": c.new_decision, "status": c.new_status},
            }
            for c in d.soa
        ],
        "gaps": [
            {
                "check": g.check,
                "title": g.title,
                "organisation_wide": g.organisation_wide,
                "old_priority": g.old_priority,
                "new_priority": g.new_priority,
            }
            for g in d.gaps
        ],
    }
    return json_text(data)


def _source_json(source: Source) -> dict[str, Any]:
    return {"file": source.file, "line": source.line}


def _node_json(n: Node) -> dict[str, Any]:
    return {
        "label": n.label,
        "id": n.id,
        "name": n.name,
        "properties": {k: json_value(v) for k, v in n.properties.items()},
        "source": _source_json(n.source),
    }


def _record_json(r: RecordChange) -> dict[str, Any]:
    return {
        "label": r.label,
        "id": r.id,
        "name": r.name,
        "moved": r.moved,
        "changes": [
            {"field": c.field, "old": json_value(c.old), "new": json_value(c.new)}
            for c in r.changes
        ],
        "old_source": _source_json(r.old_source),
        "new_source": _source_json(r.new_source),
    }


def _relationship_json(r: Relationship) -> dict[str, Any]:
    return {"type": r.type, "from": r.start, "to": r.end, "source": _source_json(r.source)}


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "fingerprint": fingerprint(f),
        "severity": f.severity,
        "query": f.query,
        "label": f.label,
        "id": f.id,
        "name": f.name,
        "message": f.message,
        "source": _source_json(f.source),
    }


DIFF_FORMATS: dict[str, Callable[[Diff], str]] = {
    "text": diff_text,
    "markdown": diff_markdown,
    "json": diff_json,
}
