"""HTML pages, rendered by jinja2 with autoescape: inventory text is untrusted and is
escaped everywhere, and every value shown has its control and bidirectional characters
made visible, so no name can reorder or hide the text around it. Pages are
self-contained: styles and scripts inline, nothing fetched (a Content-Security-Policy
forbids it too)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from graphgov.audit import CELLS, PRIORITY_RULE, Coverage
from graphgov.display import plural, printable
from graphgov.findings import Finding
from graphgov.frameworks import load_frameworks
from graphgov.outputs.check_run import location
from graphgov.outputs.roadmap import NAMED
from graphgov.outputs.soa import crosswalked

MARKS = {
    "implemented": "●",
    "implemented, evidence not current": "◍",  # hatched, not solid: the claim lacks proof
    "partial": "◐",
    "planned": "○",
    "missing": "✕",
    "not applicable": "–",  # noqa: RUF001 - a mark readable without colour
}
CSS = {
    "implemented": "implemented",
    "implemented, evidence not current": "stale",
    "partial": "partial",
    "planned": "planned",
    "missing": "missing",
    "not applicable": "na",
}
VIS = "templates/lib/vis-9.1.2/vis-network"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("graphgov", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
    )
    env.filters["by_check"] = by_check
    env.filters["plural"] = plural
    env.filters["crosswalked"] = crosswalked
    env.filters["matrix_rows"] = matrix_rows
    env.globals["frameworks"] = load_frameworks()
    return env


def by_check(found: Sequence[Finding]) -> list[tuple[str, str, list[Finding]]]:
    """Findings grouped by check, in the order they come (most severe first): each
    check's title, severity and findings."""
    groups: dict[str, list[Finding]] = {}
    for f in found:
        groups.setdefault(f.query, []).append(f)
    return [(items[0].title, items[0].severity, items) for items in groups.values()]


def matrix_rows(coverage: Coverage) -> list[Markup]:
    """The cells of each system's row of the coverage matrix, as HTML. A page of
    thousands of systems repeats the same few cells per control, so each (control,
    cell) is escaped once, its text made visible as everywhere else (``_shown``)."""
    cells = {
        (c.id, cell): Markup('<td class="cell-{}" title="{}">{}</td>').format(
            CSS[cell], printable(f"{c.id} {c.name}: {cell}"), MARKS[cell]
        )
        for c in coverage.controls
        for cell in CELLS
    }
    return [
        Markup("").join(cells[(c.id, coverage.cells[(s.id, c.id)])] for c in coverage.controls)
        for s in coverage.systems
    ]


def _shown(value: Any) -> Any:
    """What a template prints: markup the page builds itself (``| safe``, ``| tojson``)
    as it is, anything else as visible text, which autoescape then escapes."""
    return value if isinstance(value, Markup) else printable(str(value))


@cache
def _vis() -> tuple[str, str]:
    """vis-network as bundled inside the pyvis package (nothing is fetched)."""
    root = resources.files("pyvis")
    return (
        root.joinpath(VIS + ".min.js").read_text(encoding="utf-8"),
        root.joinpath(VIS + ".css").read_text(encoding="utf-8"),
    )


def page(title: str, subtitle: str, sections: Sequence[str], **context: Any) -> str:
    """A whole page with the named sections (templates/<name>.html.j2)."""
    graph = context.get("graph")
    vis_js, vis_css = _vis() if graph is not None else ("", "")
    return (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            subtitle=subtitle,
            sections=list(sections),
            vis_js=vis_js,
            vis_css=vis_css,
            graph=graph,
            marks=[(c, MARKS[c]) for c in CELLS],
            mark_of=MARKS,
            css=CSS,
            priority_rule=PRIORITY_RULE,
            named=NAMED,
            **{k: v for k, v in context.items() if k != "graph"},
        )
    )


def finding_place(base: str) -> Any:
    def where(f: Finding) -> str:
        return location(base, f.source)

    return where
