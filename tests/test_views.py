"""What the graph views, the Statement of Applicability, the roadmap and traces show an
auditor, measured where it is read: graph pages in headless Chromium (every label's
size on screen computed from the vis network at fit, every node's bounding box checked
against the others), tables and text as rendered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import AS_OF
from playwright.sync_api import Browser, Page
from test_audit_outputs import PAYLOADS, _open, browser  # noqa: F401

from graphgov import audit, examples, pipeline
from graphgov.audit import Gap
from graphgov.findings import Finding, findings
from graphgov.graph import Source
from graphgov.outputs.check_run import inventory_path
from graphgov.outputs.html import finding_place, page
from graphgov.outputs.roadmap import roadmap_markdown
from graphgov.outputs.trace import trace_json, trace_text
from graphgov.outputs.views import view
from graphgov.packs import builtin_packs, checks
from graphgov.runner import run_all
from graphgov.store import MemoryStore

LEGIBLE = 11.0  # pixels: the smallest label an auditor reads without zooming
# every node: its label's size on screen at fit and its bounding box on the canvas
MEASURE = """() => {
    const net = window.graphgovNetwork;
    net.fit({animation: false});
    const scale = net.getScale();
    return net.body.data.nodes.getIds().map(id => ({
        id: id,
        label: net.body.data.nodes.get(id).label,
        px: net.body.nodes[id].labelModule.fontOptions.size * scale,
        box: net.getBoundingBox(id),
    }));
}"""


@dataclass(frozen=True)
class Governed:
    inventory: Path
    store: MemoryStore
    found: list[Finding]


def _governed(inventory: Path) -> Governed:
    store = MemoryStore()
    pipeline.load(inventory, store)
    return Governed(inventory, store, findings(run_all(checks(builtin_packs()), store, {}, AS_OF)))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Governed:
    root = tmp_path_factory.mktemp("views") / "acme"
    examples.write("acme", root)
    return _governed(root)


@pytest.fixture(scope="module")
def hostile_example(tmp_path_factory: pytest.TempPathFactory) -> Governed:
    """The example with a high-risk system named by script payloads: checks fire on it."""
    root = tmp_path_factory.mktemp("hostile-views") / "acme"
    examples.write("acme", root)
    system = {
        "kind": "ai_system",
        "id": "xss-system",
        "name": PAYLOADS[0] + PAYLOADS[1],
        "risk_tier": "high",
        "in_scope": True,
        "role": "provider",
        "affects": "customers",
    }
    (root / "hostile.yaml").write_text(yaml.safe_dump([system]), encoding="utf-8")
    return _governed(root)


def _write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


def _graph_page(tmp_path: Path, g: Governed, name: str, **options: Any) -> Path:
    graph = view(g.store, name, g.found, **options)
    return _write(tmp_path / f"{name}.html", page(graph.title, "", ["graph"], graph=graph))


def _measure(page_: Page) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = page_.evaluate(MEASURE)
    return nodes


def _overlaps(nodes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            p, q = a["box"], b["box"]
            if (
                p["left"] < q["right"]
                and q["left"] < p["right"]
                and p["top"] < q["bottom"]
                and q["top"] < p["bottom"]
            ):
                out.append((a["id"], b["id"]))
    return out


def _assert_readable(nodes: list[dict[str, Any]], what: str) -> None:
    assert nodes, what
    small = [(n["id"], round(n["px"], 1)) for n in nodes if n["px"] < LEGIBLE]
    assert small == [], (what, small[:5], f"of {len(nodes)}")
    assert _overlaps(nodes) == [], (what, _overlaps(nodes)[:5])


@pytest.fixture
def opened(browser: Browser) -> Iterator[Any]:  # noqa: F811
    pages: list[Page] = []

    def open_(path: Path) -> Page:
        p, _, _ = _open(browser, path)
        pages.append(p)
        return p

    yield open_
    for p in pages:
        p.close()


# -- 1. the coverage view -----------------------------------------------------------------


def test_the_coverage_view_is_readable_at_fit_in_every_scene(
    example: Governed, tmp_path: Path, opened: Any
) -> None:
    """At a glance the nine Annex A groups and what they cover; a click on a group opens
    its controls, their evidence and the systems they apply to. Every scene fits with
    every label legible and no node on another."""
    p = opened(_graph_page(tmp_path, example, "coverage", as_of=AS_OF))
    overview = _measure(p)
    _assert_readable(overview, "overview")
    groups = [n for n in overview if n["id"].startswith(" group ")]
    assert len(groups) == 9 and len(overview) < 40
    assert groups[0]["label"].startswith("▸ A.2 Policies related to AI\n3 implemented")
    colours = p.evaluate(
        "() => window.graphgovNetwork.body.data.edges.get().map(e => e.color.color)"
    )
    assert {"#2e7d32", "#d08c00", "#3f6fd8"} <= set(colours)  # edges coloured by status
    annex = set()
    for group in groups:
        # a click where the group is drawn opens it
        x, y = p.evaluate(
            """id => { const net = window.graphgovNetwork;
                const box = document.querySelector('#graph').getBoundingClientRect();
                const d = net.canvasToDOM(net.getPositions([id])[id]);
                return [box.left + d.x, box.top + window.scrollY + d.y]; }""",
            group["id"],
        )
        p.mouse.click(x, y - p.evaluate("window.scrollY"))
        p.wait_for_timeout(50)
        scene = _measure(p)
        _assert_readable(scene, group["id"])
        ids = {n["id"] for n in scene}
        assert group["id"] in ids and len(ids) > len(groups)
        annex |= {i for i in ids if i.startswith("A.")}
        p.evaluate("id => window.graphgovShow(id)", group["id"])  # closes it again
        assert len(_measure(p)) == len(overview)
    assert len(annex) == 38  # every Annex A control is in one group's scene


def test_a_group_shows_evidence_that_is_not_current(
    example: Governed, tmp_path: Path, opened: Any
) -> None:
    graph = view(example.store, "coverage", example.found, as_of=AS_OF)
    scenes = graph.data["scenes"]
    edges = [e for s in scenes.values() for e in s["edges"]]
    stale = [e for e in edges if "evidenced by" in e["title"] and "not current" in e["title"]]
    assert stale and all(e["dashes"] is True for e in stale)


# -- 2. labels in the scope, lineage and supplier views -----------------------------------


@pytest.mark.parametrize(
    ("name", "options"),
    [("scope", {}), ("lineage", {}), ("supplier", {"supplier": "openai"})],
)
def test_graph_labels_are_legible_at_fit_and_apart(
    example: Governed, tmp_path: Path, opened: Any, name: str, options: dict[str, Any]
) -> None:
    _assert_readable(_measure(opened(_graph_page(tmp_path, example, name, **options))), name)


def test_the_report_graph_is_legible_at_fit(example: Governed, tmp_path: Path, opened: Any) -> None:
    graph = view(example.store, "scope", example.found)
    html = page("report", "", ["summary", "graph"], summary=[], graph=graph)
    _assert_readable(_measure(opened(_write(tmp_path / "r.html", html))), "report")


def test_long_labels_end_in_an_ellipsis_with_the_full_name_in_the_tooltip(
    example: Governed,
) -> None:
    graph = view(example.store, "scope", example.found)
    nodes = {n["id"]: n for n in graph.data["nodes"]}
    long = example.store.node("credit-gbm-v3")
    assert long is not None and len(long.name) > 30
    label = nodes["credit-gbm-v3"]["label"]
    assert label.endswith("…") and long.name.startswith(label[:-1])
    assert f"name: {long.name}" in nodes["credit-gbm-v3"]["title"]
    assert all(len(n["label"]) <= 28 for n in nodes.values())  # ⚠ and 26 characters


# -- 3. open findings in the Statement of Applicability, named ----------------------------


def test_the_soa_names_each_open_finding_as_text(
    hostile_example: Governed, tmp_path: Path, opened: Any
) -> None:
    g = hostile_example
    rows = audit.statement_of_applicability(g.store, g.found, AS_OF)
    html = page("SoA", "", ["soa"], soa=rows)
    p = opened(_write(tmp_path / "soa.html", html))
    cells = p.locator("table.soa tbody tr td.open-findings")
    assert cells.count() == 38
    a44 = cells.nth([r.control.id for r in rows].index("A.4.4")).inner_text()
    assert "1 finding" in a44 and "Annex A control with no decision: A.4.4" in a44
    oversight = next(r for r in rows if any(f.id == "xss-system" for f in r.findings))
    cell = cells.nth(rows.index(oversight)).inner_text()
    assert "xss-system " + PAYLOADS[0] + PAYLOADS[1] in cell  # shown as text
    assert p.evaluate("window.__xss") is None
    for r, i in zip(rows, range(cells.count()), strict=True):
        assert str(len(r.findings)) in cells.nth(i).inner_text() or not r.findings


# -- 4. roadmap rows name the findings and records behind them ----------------------------


def _finding(i: int) -> Finding:
    return Finding(
        "pack/check", "A check", "high", "AISystem", f"s{i}", f"System {i}", f"m{i}",
        (), (), "Fix it.", Source(f"systems/s{i}.yaml", i + 1),
    )  # fmt: skip


def test_roadmap_rows_name_their_findings_up_to_five(example: Governed) -> None:
    gap = Gap("pack/check", "A check", "high", "Fix it.", tuple(map(_finding, range(7))), (), True)
    one = Gap("pack/other", "Other", "low", "Fix.", (_finding(9),), (), True)
    phase = audit.Phase("Phase 3: organisation-wide foundations", "Why.", (gap, one))
    text = roadmap_markdown([gap, one], [phase], AS_OF, inventory="acme")
    row = next(line for line in text.splitlines() if line.startswith("| 40 "))
    assert "check pack/check; 7 findings" in row
    for i in range(5):
        assert f"AISystem s{i} (acme/systems/s{i}.yaml:{i + 1})" in row
    assert "s5 " not in row and "and 2 more" in row
    assert "1 finding)" in text and "1 findings" not in text
    assert "2 gaps." in text


def test_the_example_roadmap_in_markdown_and_html_names_what_is_behind_each_row(
    example: Governed, tmp_path: Path, opened: Any
) -> None:
    g = example
    gaps = audit.gaps(g.store, g.found)
    phases = audit.roadmap(g.store, gaps)
    text = roadmap_markdown(gaps, phases, AS_OF, inventory=str(g.inventory))
    first = phases[0].gaps[0]
    row = next(line for line in text.splitlines() if f"check {first.check};" in line)
    f = first.findings[0]
    assert f"{f.label} {f.id} ({inventory_path(str(g.inventory), f.source)}:" in row
    html = page("r", "", ["roadmap"], phases=phases, where=finding_place(str(g.inventory)))
    p = opened(_write(tmp_path / "roadmap.html", html))
    rows = p.locator("#roadmap tbody tr")
    named = [
        min(len(gap.findings), 5) + (len(gap.findings) > 5) for ph in phases for gap in ph.gaps
    ]
    assert [rows.nth(i).locator("ul.behind li").count() for i in range(rows.count())] == named
    cell = rows.nth(0).locator("td").nth(1).inner_text()
    assert first.check in cell and f"{f.label} {f.id}" in cell
    assert " 1 findings" not in p.inner_text("body")


# -- 5. traces: paths as check prints them, typed JSON ------------------------------------


def test_trace_paths_are_the_ones_check_prints(example: Governed) -> None:
    g = example
    t = audit.trace(g.store, "credit-scoring")
    assert t is not None
    inventory = str(g.inventory)
    line = t.node.source.line
    bureau = g.store.node("bureau-data")
    assert bureau is not None
    text = trace_text(t, inventory=inventory)
    assert "(systems/" not in text and "(datasets.csv" not in text
    assert f"Credit scoring  ({inventory}/systems/credit-scoring.yaml:{line})" in text
    assert f"({inventory}/datasets.csv:{bureau.source.line})" in text
    assert trace_text(t).startswith("AISystem credit-scoring: Credit scoring  (systems/")
    data = json.loads(trace_json(t, inventory=inventory))
    assert data["node"]["source"] == {
        "file": f"{inventory}/systems/credit-scoring.yaml",
        "line": line,
    }
    assert data["upstream"][0]["source"]["file"] == f"{inventory}/datasets.csv"
    catalogue = [s for s in data["context"] if s["label"] == "AnnexAControl"]
    assert all(s["source"]["file"].startswith("graphgov:") for s in catalogue)


def test_trace_json_carries_typed_values(example: Governed) -> None:
    t = audit.trace(example.store, "credit-scoring")
    assert t is not None
    props = json.loads(trace_json(t))["node"]["properties"]
    assert props["in_scope"] is True and props["risk_tier"] == "high"
    control = next(s.node for s in t.context if s.node.label == "Control")
    c = audit.trace(example.store, control.id)
    assert c is not None
    evidence = next(s.node for s in c.context if s.node.label == "Evidence")
    e = audit.trace(example.store, evidence.id)
    assert e is not None
    held = json.loads(trace_json(e))["node"]["properties"]
    issued = evidence.get("issued_on")
    assert isinstance(issued, date) and held["issued_on"] == issued.isoformat()


def test_graph_tooltips_show_paths_as_check_prints_them(example: Governed) -> None:
    graph = view(example.store, "scope", example.found, inventory=str(example.inventory))
    node = next(n for n in graph.data["nodes"] if n["id"] == "credit-scoring")
    system = example.store.node("credit-scoring")
    assert system is not None
    where = f"{example.inventory}/systems/credit-scoring.yaml:{system.source.line}"
    assert f"source: {where}" in node["title"]
