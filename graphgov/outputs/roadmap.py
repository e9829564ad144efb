"""The gap analysis and the phased roadmap as Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from graphgov.audit import PRIORITY_RULE, Gap, Phase
from graphgov.outputs.cells import markdown_cell, markdown_text


def roadmap_markdown(gaps: Sequence[Gap], phases: Sequence[Phase], as_of: date) -> str:
    lines = [
        f"# Gap analysis and roadmap (ISO/IEC 42001), as of {as_of.isoformat()}",
        "",
        f"{len(gaps)} gaps. How priority is computed: {PRIORITY_RULE}.",
    ]
    for phase in phases:
        lines += [
            "",
            f"## {markdown_text(phase.name)}",
            "",
            markdown_text(phase.why),
            "",
            "| priority | gap | severity | systems affected (tier) | what to do |",
            "|---|---|---|---|---|",
        ]
        for g in phase.gaps:
            systems = ", ".join(f"{s.name} ({s.get('risk_tier')})" for s in g.systems)
            if g.organisation_wide:
                systems = f"{systems}; organisation-wide" if systems else "organisation-wide"
            cells = [
                str(g.priority),
                f"{g.title} ({len(g.findings)} findings)",
                g.severity,
                systems,
                g.remediation,
            ]
            lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
