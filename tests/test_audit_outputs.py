"""The auditor and architect outputs on the example organisation, opened by real
consumers: every HTML page in headless Chromium (rows rendered, graph drawn, no request
leaving the page, no script from the inventory ever running), the workbook with
openpyxl, CSV with the csv module. The same inputs give byte-identical files."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import AS_OF
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, sync_playwright

from graphgov import examples, pipeline
from graphgov.audit import gaps, roadmap
from graphgov.cli import cli
from graphgov.findings import findings
from graphgov.outputs.views import view
from graphgov.packs import builtin_packs
from graphgov.runner import run_all
from graphgov.store import MemoryStore

DATE = ["--as-of", AS_OF.isoformat()]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg onload="window.__xss = 3">',
    "' onmouseover='window.__xss = 4' x='",
    "javascript:window.__xss = 5",
]
PAGES = {
    "report": ["report"],
    "soa": ["soa", "--format", "html"],
    "coverage": ["coverage"],
    "scope": ["viz", "--view", "scope"],
    "coverage-view": ["viz", "--view", "coverage"],
    "supplier": ["viz", "--view", "supplier", "--supplier", "openai"],
    "lineage": ["viz", "--view", "lineage"],
}
SHOWN = {"report": PAYLOADS[0], "soa": PAYLOADS[1], "coverage": PAYLOADS[0]}
GRAPH_PAGES = {"report", "scope", "coverage-view", "supplier", "lineage", "trace"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: scripts/test installs Debian's chromium"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with script payloads in names, descriptions and an evidence location,
    on records every output shows."""
    root = tmp_path_factory.mktemp("hostile") / "acme"
    examples.write("acme", root)
    records = [
        {
            "kind": "ai_system",
            "id": "xss-system",
            "name": PAYLOADS[0] + PAYLOADS[1],
            "description": PAYLOADS[2],
            "risk_tier": "high",
            "in_scope": True,
            "role": "provider",
            "affects": "customers",
            "supplied_by": "openai",
        },
        {
            "kind": "control",
            "id": "xss-control",
            "name": PAYLOADS[3],
            "control_type": "other",
            "status": "implemented",
            "implements": "A.4.4",
            "applies_to": "xss-system",
            "justification": PAYLOADS[1] + " | pipe\nbreak",
            "evidenced_by": "xss-evidence",
        },
        {
            "kind": "evidence",
            "id": "xss-evidence",
            "name": PAYLOADS[2] + " | pipe\nbreak",
            "issued_on": "2026-01-01",
            "valid_until": "2026-02-01",
            "location": PAYLOADS[4],
        },
    ]
    # A.4.4's decision, hostile too, in place of the example's blank one
    records.append(
        {
            "kind": "decision",
            "id": "xss-decision",
            "name": PAYLOADS[0],
            "decides": "A.4.4",
            "applicable": True,
            "justification": PAYLOADS[1] + " | pipe\nbreak",
            "notes": PAYLOADS[2],
        }
    )
    decisions = root / "decisions.csv"
    rows = decisions.read_text(encoding="utf-8").splitlines(keepends=True)
    decisions.write_text("".join(r for r in rows if ",A.4.4," not in r), encoding="utf-8")
    (root / "hostile.yaml").write_text(yaml.safe_dump(records, default_style='"'), encoding="utf-8")
    return root


def _render(inventory: Path, out: Path) -> dict[str, Path]:
    files = {}
    for name, command in PAGES.items():
        files[name] = out / f"{name}.html"
        code, _, err = run(*command, str(inventory), *DATE, "-o", str(files[name]))
        assert code == 0, err
    files["trace"] = out / "trace.html"
    assert (
        run(
            "trace",
            str(inventory),
            "credit-scoring",
            "--format",
            "html",
            *DATE,
            "-o",
            str(files["trace"]),
        )[0]
        == 0
    )
    return files


def _open(browser: Browser, path: Path) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, dialogs


def _drawn_pixels(page: Page) -> int:
    return int(
        page.evaluate("""() => {
        const canvas = document.querySelector('#graph canvas');
        if (!canvas) return 0;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
        return drawn;
    }""")
    )


def _hover_every_node(page: Page) -> None:
    points = page.evaluate("""() => {
        const net = window.graphgovNetwork;
        const box = document.querySelector('#graph').getBoundingClientRect();
        return Object.values(net.getPositions()).map(p => {
            const d = net.canvasToDOM(p); return [box.left + d.x, box.top + d.y];
        });
    }""")
    for x, y in points[:80]:
        page.mouse.move(x, y)
    page.wait_for_timeout(300)


def test_every_page_renders_offline_with_its_rows_and_graph(
    browser: Browser, tmp_path: Path
) -> None:
    acme = tmp_path / "acme"
    examples.write("acme", acme)
    for name, path in _render(acme, tmp_path).items():
        page, requests, _ = _open(browser, path)
        outside = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
        assert outside == [], (name, outside)
        if name in GRAPH_PAGES:
            assert _drawn_pixels(page) > 2000, name
        if name in ("report", "soa"):
            assert page.locator("table.soa tbody tr").count() == 38
        if name in ("report", "coverage"):
            assert page.locator("table.matrix tbody tr").count() == 11
            assert page.locator("table.matrix thead th.ctl").count() == 38
        if name == "report":
            text = page.inner_text("body")
            assert "Findings by severity (53)" in text and "Phase 1: pilot on" in text
        page.close()


def test_no_script_from_the_inventory_ever_runs(
    browser: Browser, hostile: Path, tmp_path: Path
) -> None:
    for name, path in _render(hostile, tmp_path).items():
        page, requests, dialogs = _open(browser, path)
        if name in GRAPH_PAGES:
            _hover_every_node(page)
        for cell in page.locator("td, th, span, div").filter(has_text="__xss").all()[:60]:
            if cell.is_visible():
                cell.hover(timeout=2000)
        assert page.evaluate("window.__xss") is None, name
        assert dialogs == [], name
        assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
        if name in SHOWN:  # the payload is on the page, as text
            assert SHOWN[name] in page.inner_text("body"), name
        page.close()


def test_graph_tooltips_show_inventory_text_as_text(
    browser: Browser, hostile: Path, tmp_path: Path
) -> None:
    path = tmp_path / "scope.html"
    assert run("viz", str(hostile), "--view", "scope", *DATE, "-o", str(path))[0] == 0
    page, _, _ = _open(browser, path)
    x, y = page.evaluate("""() => {
        const net = window.graphgovNetwork;
        const box = document.querySelector('#graph').getBoundingClientRect();
        const d = net.canvasToDOM(net.getPositions(['xss-system'])['xss-system']);
        return [box.left + d.x, box.top + d.y];
    }""")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=3000)
    assert "<script>window.__xss = 1</script>" in tooltip.inner_text()
    assert page.evaluate("window.__xss") is None


def test_the_workbook_is_one_an_auditor_can_work_in(hostile: Path, tmp_path: Path) -> None:
    path = tmp_path / "soa.xlsx"
    assert run("soa", str(hostile), *DATE, "--format", "xlsx", "-o", str(path))[0] == 0
    book = load_workbook(path)
    assert book.sheetnames == ["Statement of Applicability", "Controls", "Evidence"]
    sheet = book["Statement of Applicability"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.max_row == 39 and sheet["A2"].value == "A.2.2"
    assert sheet.column_dimensions["E"].width == 40 and sheet["E2"].alignment.wrap_text
    controls = book["Controls"]
    formula_like = [
        c
        for row in controls.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("'")
    ]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    raw = load_workbook(path, data_only=False)["Controls"]
    assert not any(c.data_type == "f" for row in raw.iter_rows() for c in row)


def test_csv_and_markdown_escape_what_would_be_misread(hostile: Path) -> None:
    code, out, _ = run("soa", str(hostile), *DATE, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 38
    a44 = next(r for r in rows if r["control"] == "A.4.4")
    assert a44["justification"].startswith("<img")
    code, out, _ = run("soa", str(hostile), *DATE, "--format", "md")
    line = next(line for line in out.splitlines() if line.startswith("| A.4.4 "))
    assert "\\| pipe break" in line and line.count(" | ") == 11  # 12 columns


@pytest.mark.parametrize(
    ("command", "binary"),
    [
        (["report"], False),
        (["soa", "--format", "xlsx"], True),
        (["soa", "--format", "csv"], False),
        (["soa", "--format", "md"], False),
        (["coverage"], False),
        (["gaps"], False),
        (["viz", "--view", "supplier", "--supplier", "openai"], False),
        (["trace", "credit-scoring", "--format", "json"], False),
    ],
)
def test_equal_inputs_give_equal_bytes(
    acme: Path, tmp_path: Path, command: list[str], binary: bool
) -> None:
    """Rendered by two separate processes with different hash seeds, so output that
    leaned on the order of a set or dict of strings would differ."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"out{seed}"
        args = [command[0], str(acme), *command[1:]]
        done = subprocess.run(
            [sys.executable, "-m", "graphgov", *args, *DATE, "-o", str(target)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_roadmap_starts_with_the_most_urgent_gap(acme: Path) -> None:
    store = MemoryStore()
    pipeline.load(acme, store)
    checks = [q for p in builtin_packs() for q in p.queries if q.definition.kind == "check"]
    found = findings(run_all(checks, store, {}, AS_OF))
    all_gaps = gaps(store, found)
    phases = roadmap(store, all_gaps)
    # the foundations first, then the pilot, which starts with the most urgent gap on a
    # system
    assert phases[0].name == "Phase 0: organisation-wide foundations"
    assert phases[1].name.startswith("Phase 1: pilot on")
    on_systems = [g for g in all_gaps if not g.organisation_wide]
    assert phases[1].gaps[0].priority == max(g.priority for g in on_systems)
    assert sorted(g.check for p in phases for g in p.gaps) == sorted(g.check for g in all_gaps)
    _, out, _ = run("gaps", str(acme), *DATE)
    assert "How priority is computed" in out


def test_trace_names_every_step_with_its_source_line(acme: Path) -> None:
    code, out, _ = run("trace", str(acme), "credit-scoring", *DATE)
    assert code == 0
    assert "credit-scoring -[USES_MODEL]-> Model credit-gbm-v3" in out
    assert f"({acme}/systems/credit-scoring.yaml:31)" in out  # as check shows paths
    assert "bureau-data -[SUPPLIED_BY]-> Supplier northbridge-bureau" in out
    code, out, _ = run("trace", str(acme), "openai", *DATE)
    assert "hosted-llm -[SUPPLIED_BY]->" not in out and "<-[SUPPLIED_BY]- Model hosted-llm" in out


def test_coverage_cells(acme: Path) -> None:
    from graphgov.audit import coverage

    store = MemoryStore()
    pipeline.load(acme, store)
    cells = coverage(store, AS_OF).cells
    assert cells[("credit-scoring", "A.6.2.8")] == "implemented"
    assert cells[("cv-screening", "A.6.2.8")] == "missing"
    assert cells[("cv-screening", "A.9.2")] == "implemented"  # organisation-wide use policy
    assert cells[("credit-scoring", "A.10.4")] == "not applicable"
    assert cells[("credit-scoring", "A.4.6")] == "partial"
    assert cells[("credit-scoring", "A.8.3")] == "missing"  # excluded without a justification


def test_large_graphs_are_grouped_and_focus_narrows_them(tmp_path: Path) -> None:
    root = tmp_path / "big"
    root.mkdir()
    rows = ["id,name,contains_personal_data,derived_from"]
    rows += [f"d{i},Dataset {i},false,{'d' + str(i - 1) if i else ''}" for i in range(400)]
    (root / "datasets.csv").write_text("\n".join(rows) + "\n")
    store = MemoryStore()
    pipeline.load(root, store)
    grouped = view(store, "lineage")
    assert grouped.node_count == 1 and "grouped by label" in grouped.note
    focused = view(store, "lineage", focus="d200", depth=2)
    assert {n["id"] for n in focused.data["nodes"]} == {"d198", "d199", "d200", "d201", "d202"}


def test_usage_errors_of_the_new_commands(acme: Path) -> None:
    assert run("soa", str(acme), "--format", "xlsx")[0] == 2  # binary needs -o
    assert run("viz", str(acme), "--view", "supplier")[0] == 2
    assert run("trace", str(acme), "no-such-node")[0] == 2
    assert run("report")[0] == 2  # memory store needs an inventory
