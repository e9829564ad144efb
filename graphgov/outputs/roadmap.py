"""The gap analysis and the phased roadmap as Markdown: each gap names its check and the
findings behind it (their subjects and the inventory lines they come from)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from graphgov.audit import PRIORITY_RULE, Gap, Phase
from graphgov.display import plural
from graphgov.findings import Finding
from graphgov.frameworks import load_frameworks
from graphgov.outputs.cells import markdown_cell, markdown_text
from graphgov.outputs.check_run import location

# How many findings a roadmap row names before it says how many more there are.
NAMED = 5


def named(g: Gap) -> tuple[list[Finding], int]:
    """The findings a row names, and how many more it does not."""
    return list(g.findings[:NAMED]), max(0, len(g.findings) - NAMED)


def finding_record(f: Finding, inventory: str = "") -> str:
    """A finding's subject and the inventory line behind it, on one line."""
    return f"{f.label} {f.id} ({location(inventory, f.source)})"


def roadmap_markdown(
    gaps: Sequence[Gap], phases: Sequence[Phase], as_of: date, *, inventory: str = ""
) -> str:
    """The roadmap as Markdown; source paths under ``inventory``, as ``check`` prints
    them."""
    lines = [
        f"# Gap analysis and roadmap ({load_frameworks().home.name}), as of {as_of.isoformat()}",
        "",
        f"{plural(len(gaps), 'gap')}. How priority is computed: {PRIORITY_RULE}.",
    ]
    for phase in phases:
        lines += [
            "",
            f"## {markdown_text(phase.name)}",
            "",
            markdown_text(phase.why),
            "",
            "| priority | gap | severity | systems affected (tier) | what to do "
            "| findings behind it (subject, source) |",
            "|---|---|---|---|---|---|",
        ]
        for g in phase.gaps:
            systems = ", ".join(f"{s.name} ({s.get('risk_tier')})" for s in g.systems)
            if g.organisation_wide:
                systems = f"{systems}; organisation-wide" if systems else "organisation-wide"
            shown, more = named(g)
            behind = "; ".join(finding_record(f, inventory) for f in shown)
            if more:
                behind += f"; and {more} more"
            cells = [
                str(g.priority),
                f"{g.title} (check {g.check}; {plural(len(g.findings), 'finding')})",
                g.severity,
                systems,
                g.remediation,
                behind,
            ]
            lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
