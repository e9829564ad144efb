"""graphgov diff: two versions of an inventory compared, as folders and as revisions of
real git repositories made here; a property test that a diff, applied to the old
records as a change list, gives the new ones, and that its findings are the two checks'
difference; hostile text stays inert in every format (tests/test_hostile_outputs.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import AS_OF, run_cli
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from strategies import CATALOGUE_IDS, GeneratedRecord, _value, inventories, write

from graphgov import examples, pipeline
from graphgov.api import Governance
from graphgov.diff import Diff, Side, diff
from graphgov.errors import InvalidInputError
from graphgov.findings import findings, fingerprint
from graphgov.generate import generate
from graphgov.graph import GraphBatch
from graphgov.outputs.diff import diff_markdown, diff_text, summary
from graphgov.packs import builtin_packs, checks
from graphgov.runner import run_all
from graphgov.store import MemoryStore

DATE = ["--as-of", AS_OF.isoformat()]
NEW_SYSTEM = """\
- kind: ai_system
  id: loan-pricing
  name: Loan pricing
  purpose: Price personal loans.
  risk_tier: high
  role: provider
  lifecycle_stage: operation
  in_scope: true
  owned_by: head-of-credit
"""


def side(path: Path, shown: str | None = None) -> Side:
    """A version judged as the CLI judges it: the built-in checks, the SoA and gaps."""
    batch = pipeline.read(path)
    store = MemoryStore()
    pipeline.add(batch, store)
    g = Governance(store, as_of=AS_OF, inventory=path)
    found = tuple(g.check_run().findings)
    return Side(shown or str(path), AS_OF, batch, found, tuple(g.soa()), tuple(g.gaps()))


def _records(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, records: list[dict[str, Any]]) -> None:
    """Write records to ``path``; no records, no file (an empty file is an error)."""
    if records:
        path.write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")
    else:
        path.unlink()


def edit(acme: Path) -> None:
    """The edits of a typical pull request: a tier lowered, a system added without an
    assessment, one removed and one moved to a file of its own, an Annex A control
    excluded."""
    credit = acme / "systems" / "credit-scoring.yaml"
    text = credit.read_text(encoding="utf-8")
    credit.write_text(text.replace("risk_tier: high", "risk_tier: limited", 1), encoding="utf-8")
    (acme / "systems" / "pricing.yaml").write_text(NEW_SYSTEM, encoding="utf-8")
    decisions = acme / "decisions.csv"
    text = decisions.read_text(encoding="utf-8")
    row = "soa-A.2.4,A.2.4,Review of the AI policy,"
    decisions.write_text(text.replace(row + "true,", row + "false,"), encoding="utf-8")
    out = acme / "systems" / "out-of-scope.yaml"
    records = _records(out)
    assistant = next(r for r in records if r["id"] == "code-assistant")
    _dump(out, [r for r in records if r["id"] not in ("code-assistant", "marketing-propensity")])
    _dump(acme / "systems" / "assistants.yaml", [assistant])


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pair")
    old, new = root / "old", root / "new"
    examples.write("acme", old)
    examples.write("acme", new)
    edit(new)
    return old, new


@pytest.fixture(scope="module")
def changed(pair: tuple[Path, Path]) -> Diff:
    return diff(side(pair[0]), side(pair[1]))


def _ids(items: Any) -> list[str]:
    return [i.id for i in items]


def test_two_folders_every_group(changed: Diff) -> None:
    assert _ids(changed.systems) == ["credit-scoring"]
    (tier,) = changed.systems[0].changes
    assert (tier.field, tier.old, tier.new) == ("risk_tier", "high", "limited")
    assert [(n.label, n.id, n.source.file) for n in changed.added] == [
        ("AISystem", "loan-pricing", "systems/pricing.yaml")
    ]
    assert _ids(changed.removed) == ["marketing-propensity"]
    assert [(c.label, c.id) for c in changed.changed] == [
        ("AISystem", "credit-scoring"),
        ("ApplicabilityDecision", "soa-A.2.4"),
    ]
    assert [(c.field, c.old, c.new) for c in changed.changed[1].changes] == [
        ("applicable", True, False)
    ]
    assert [(c.control, c.old_decision, c.new_decision) for c in changed.soa] == [
        ("A.2.4", "applicable", "excluded")
    ]
    assert not changed.changed[0].moved
    # moved to a file of its own with the same fields: neither added nor removed
    assert [(m.id, m.old_source.file, m.new_source.file) for m in changed.moved] == [
        ("code-assistant", "systems/out-of-scope.yaml", "systems/assistants.yaml")
    ]
    assert ("OWNED_BY", "loan-pricing", "head-of-credit") in {
        (r.type, r.start, r.end) for r in changed.relationships_added
    }
    assert {(r.type, r.start, r.end) for r in changed.relationships_removed} == {
        ("OWNED_BY", "marketing-propensity", "data-platform-owner"),
        ("USES_DATASET", "marketing-propensity", "marketing-segments"),
    }
    # a high-risk system without an assessment is found wanting; nothing about the moved
    # system is new or resolved
    assert "loan-pricing" in _ids(changed.introduced)
    assert "code-assistant" not in _ids(changed.introduced) + _ids(changed.resolved)
    assert changed.unchanged and changed.gaps


def test_the_findings_are_the_difference_of_the_two_checks(
    pair: tuple[Path, Path], changed: Diff
) -> None:
    before = Counter(fingerprint(f) for f in side(pair[0]).findings)
    after = Counter(fingerprint(f) for f in side(pair[1]).findings)
    assert Counter(fingerprint(f) for f in changed.introduced) == after - before
    assert Counter(fingerprint(f) for f in changed.resolved) == before - after
    assert len(changed.introduced) + len(changed.unchanged) == sum(after.values())


def test_a_version_against_itself_is_no_change(pair: tuple[Path, Path]) -> None:
    same = diff(side(pair[0]), side(pair[0]))
    assert same.empty and same.unchanged
    assert summary(same).startswith("+0 records, \u22120, 0 changed · 0 findings introduced")
    assert "\nNothing changed.\n" in diff_text(same) and "\nNothing changed.\n" in diff_markdown(
        same
    )
    assert "Nothing changed." not in diff_text(diff(side(pair[0]), side(pair[1])))


def test_the_cli_text_markdown_and_json(pair: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = map(str, pair)
    rc, out, err = run_cli("diff", old, new, *DATE)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == f"graphgov diff: {old} → {new}, as of {AS_OF.isoformat()}"
    assert "AI systems whose risk tier, role or scope changed (1)" in out
    assert "    risk_tier: high → limited" in out
    assert "Records moved (1)" in out
    assert re.search(r"code-assistant  systems/out-of-scope.yaml:\d+ → systems/assistants", out)

    rc, md, err = run_cli("diff", old, new, *DATE, "--format", "md")
    assert rc == 0, err
    first = md.splitlines()[0]
    assert re.fullmatch(
        r"1 AI system: risk tier, role or scope changed · \+1 record, \u22121, 2 changed, "
        r"1 moved · \+1 relationship, \u22122 · \d+ findings introduced \(\d+ high.*\), "
        r"\d+ resolved, \d+ unchanged · 1 SoA row changed · \d+ gaps reprioritised",
        first,
    ), first
    assert "<details open><summary>AI systems: risk tier, role or scope changed (1)</summary>" in md
    assert md.count("<details") == md.count("</details>") >= 6

    target = tmp_path / "diff.json"
    rc, _, err = run_cli("diff", old, new, *DATE, "--format", "json", "-o", str(target))
    assert rc == 0 and "Wrote" in err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert list(data) == [
        "tool",
        "version",
        "old",
        "new",
        "as_of",
        "summary",
        "counts",
        "systems",
        "added",
        "removed",
        "changed",
        "moved",
        "relationships_added",
        "relationships_removed",
        "introduced",
        "resolved",
        "unchanged",
        "soa",
        "gaps",
    ]
    assert data["counts"]["moved"] == 1 and data["counts"]["added"] == 1
    assert data["systems"][0]["changes"] == [
        {"field": "risk_tier", "old": "high", "new": "limited"}
    ]
    assert all(re.fullmatch(r"v1:[0-9a-f]{32}", f["fingerprint"]) for f in data["introduced"])
    # the same inputs, the same bytes
    again = tmp_path / "again.json"
    run_cli("diff", old, new, *DATE, "--format", "json", "-o", str(again))
    assert again.read_bytes() == target.read_bytes()


def test_a_large_diff_fits_in_a_pull_request_comment(tmp_path: Path) -> None:
    """GitHub refuses a comment over 65,536 characters: the last sections' rows are cut
    and said to be, every table keeping its columns."""
    for seed in (1, 2):
        generate(tmp_path / f"g{seed}", "S", seed, as_of=AS_OF)
    rc, md, err = run_cli(
        "diff", str(tmp_path / "g1"), str(tmp_path / "g2"), *DATE, "--format", "md"
    )
    assert rc == 0, err
    assert len(md) <= 65_536
    cut = re.findall(r"^\| (\d+) more rows, cut to keep the comment short", md, re.M)
    assert cut
    data = _json_diff(str(tmp_path / "g1"), str(tmp_path / "g2"))
    rows = {  # table rows per section: one per field change for changed records
        "Records changed": sum(len(r["changes"]) for r in data["changed"]),
        "Relationships added": data["counts"]["relationships_added"],
    }
    for title, total in rows.items():
        section = md.split(f"<summary>{title} (", 1)[1].split("</details>", 1)[0]
        shown = section.count("\n| ") - 1  # less the header
        more = re.search(r"^\| (\d+) more rows", section, re.M)
        assert shown - (1 if more else 0) + (int(more.group(1)) if more else 0) == total
    for table in re.findall(r"(?:^\|.*\n)+", md, re.M):
        widths = {len(re.split(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(widths) == 1, table[:300]


def test_fail_on_gates_on_introduced_findings_only(pair: tuple[Path, Path]) -> None:
    old, new = map(str, pair)
    assert run_cli("diff", old, new, *DATE, "--fail-on", "low")[0] == 1
    # the old version has findings of every severity, none new against itself
    assert run_cli("diff", old, old, *DATE, "--fail-on", "low")[0] == 0
    assert run_cli("diff", new, old, *DATE, "--fail-on", "critical")[0] == 0


def test_an_invalid_version_says_which_with_every_problem(
    pair: tuple[Path, Path], write_inventory: Any
) -> None:
    bad = write_inventory(
        {"systems.yaml": "kind: ai_system\nid: x\nin_scope: true\nrisk_tier: huge\n"}
    )
    worse = write_inventory({"a.yaml": "kind: ai_system\nid: y\nin_scope: maybe\n"})
    rc, out, err = run_cli("diff", str(pair[0]), str(bad), *DATE)
    assert rc == 2 and out == ""
    assert f"NEW {bad}: 1 problem found:" in err
    assert f"{bad}/systems.yaml:4: risk_tier: 'huge' is not allowed" in err
    assert "Traceback" not in err
    rc, _, err = run_cli("diff", str(worse), str(bad), *DATE)
    assert rc == 2
    assert f"OLD {worse}:" in err and f"NEW {bad}:" in err
    assert "2 versions not valid; nothing was compared." in err


@pytest.mark.parametrize("spec", ["no-such-folder", "main:acme/", "; rm -rf x"])
def test_a_bad_spec_is_one_line_and_rc_2(
    spec: str, pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not a git repository
    rc, out, err = run_cli("diff", *DATE, str(pair[0]), spec)
    assert rc == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1, err


def test_the_same_checks_judge_both_versions(pair: tuple[Path, Path]) -> None:
    old, new = map(str, pair)
    every = _json_diff(old, new)
    act = _json_diff(old, new, "--framework", "eu-ai-act")
    iso = _json_diff(old, new, "--pack", "iso42001")
    assert {f["query"].split("/")[0] for f in iso["introduced"] + iso["unchanged"]} == {"iso42001"}
    # the findings bearing on the EU AI Act: the crosswalks reach many, perhaps all
    assert 0 < act["counts"]["introduced"] <= every["counts"]["introduced"]
    assert 0 < iso["counts"]["introduced"] < every["counts"]["introduced"]
    assert {f["fingerprint"] for f in iso["introduced"]} < {
        f["fingerprint"] for f in every["introduced"]
    }


def test_an_unknown_pack_or_parameter_is_a_usage_error(pair: tuple[Path, Path]) -> None:
    old, new = map(str, pair)
    assert run_cli("diff", old, new, *DATE, "--pack", "nope")[0] == 2
    assert run_cli("diff", old, new, *DATE, "--framework", "nope")[0] == 2
    rc, out, err = run_cli("diff", old, new, *DATE, "--param", "nope=1")
    assert rc == 2 and out == "" and "nope: no query here takes this parameter" in err


# -- real git repositories --------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: the example (c1); then a rename of a file, a record moved to another file
    and a deletion (c2); a branch lowering a tier, merged into main (a merge commit)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "config", "commit.gpgsign", "false")
    acme = root / "acme"
    examples.write("acme", acme)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "c1")
    git(root, "tag", "v1")
    git(root, "branch", "tier")
    git(root, "mv", "acme/systems/fraud.yaml", "acme/systems/fraud-detection.yaml")
    out = acme / "systems" / "out-of-scope.yaml"
    records = _records(out)
    assistant = next(r for r in records if r["id"] == "code-assistant")
    _dump(out, [r for r in records if r["id"] not in ("code-assistant", "marketing-propensity")])
    _dump(acme / "systems" / "assistants.yaml", [assistant])
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "c2")
    git(root, "tag", "v2")
    git(root, "checkout", "-q", "tier")
    credit = acme / "systems" / "credit-scoring.yaml"
    text = credit.read_text(encoding="utf-8")
    credit.write_text(text.replace("risk_tier: high", "risk_tier: limited", 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "lower the tier")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge tier", "tier")
    monkeypatch.chdir(root)
    return root


def _json_diff(*args: str) -> dict[str, Any]:
    rc, out, err = run_cli("diff", *args, *DATE, "--format", "json")
    assert rc == 0, err
    return json.loads(out)


def test_a_rename_and_a_move_are_moves_not_adds_and_removes(repo: Path) -> None:
    data = _json_diff("v1:acme/", "v2:acme/")
    assert (data["old"], data["new"]) == ("v1:acme/", "v2:acme/")
    assert [r["id"] for r in data["removed"]] == ["marketing-propensity"]
    assert data["added"] == [] and data["changed"] == [] and data["systems"] == []
    moved = {r["id"]: (r["old_source"]["file"], r["new_source"]["file"]) for r in data["moved"]}
    assert moved["code-assistant"] == ("systems/out-of-scope.yaml", "systems/assistants.yaml")
    assert moved["fraud-detection"] == ("systems/fraud.yaml", "systems/fraud-detection.yaml")
    assert set(moved) > {"fraud-detection", "fraud-gnn", "code-assistant"}
    assert data["introduced"] == []  # moving records makes no finding new


def test_a_merge_and_the_work_tree(repo: Path) -> None:
    data = _json_diff("HEAD^1:acme/", "HEAD:acme/")  # the merge brings in the tier branch
    assert [s["id"] for s in data["systems"]] == ["credit-scoring"]
    assert data["counts"]["moved"] == 0 and data["counts"]["removed"] == 0
    # a revision against the work tree: nothing changed since the merge
    data = _json_diff("main:acme/", "acme/")
    assert data["counts"] == {k: 0 for k in data["counts"]} | {"unchanged": len(data["unchanged"])}
    # reading revisions touched neither the work tree nor the index
    assert git(repo, "status", "--porcelain") == ""


def test_an_invalid_revision_is_named_as_the_user_wrote_it(repo: Path) -> None:
    bad = repo / "acme" / "bad.yaml"
    bad.write_text("kind: ai_system\nid: x\nin_scope: true\nrisk_tier: huge\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a bad record")
    rc, out, err = run_cli("diff", *DATE, "HEAD:acme/", "v1:acme/")
    assert rc == 2 and out == ""
    assert "OLD HEAD:acme/: 1 problem found:" in err
    # the problem is where the user finds it, not in graphgov's temporary folder
    assert "  HEAD:acme/bad.yaml:4: risk_tier: 'huge' is not allowed" in err
    assert "graphgov-version-" not in err


def test_a_problem_naming_another_place_in_a_revision_names_it_as_the_user_would(
    repo: Path,
) -> None:
    # a duplicate id's reason names where the id was first used: in the revision, not in
    # the temporary folder the revision is read into
    twin = repo / "acme" / "twin.yaml"
    twin.write_text(
        "kind: ai_system\nid: credit-scoring\nin_scope: true\nrisk_tier: high\n", "utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a record twice")
    rc, _, err = run_cli("diff", *DATE, "HEAD:acme/", "v1:acme/")
    assert rc == 2
    assert "duplicate id 'credit-scoring': already used by the ai_system at HEAD:acme/" in err
    assert "graphgov-version-" not in err


@pytest.mark.parametrize(
    "spec",
    [
        "v1:nothing/",
        "v9:acme/",
        "--upload-pack=touch pwned:acme/",
        "--output=pwned:acme/",
        "v1:../../etc",
        "v1; touch pwned:acme/",
        "$(touch pwned):acme/",
    ],
)
def test_a_bad_or_hostile_revision_is_one_line_and_rc_2(repo: Path, spec: str) -> None:
    rc, out, err = run_cli("diff", *DATE, "--", spec, "acme/")
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert not (repo / "pwned").exists() and not Path("pwned").exists()
    assert git(repo, "status", "--porcelain") == ""


# -- the property: a diff is a change list ------------------------------------------------


def _node_map(batch: GraphBatch) -> dict[tuple[str, str], dict[str, Any]]:
    return {(n.label, n.id): dict(n.properties) for n in batch.nodes}


def apply(d: Diff, batch: GraphBatch) -> tuple[dict[Any, Any], set[tuple[str, str, str]]]:
    """The old version's records and relationships with the diff's changes made."""
    nodes = _node_map(batch)
    for n in d.removed:
        del nodes[n.label, n.id]
    for n in d.added:
        assert (n.label, n.id) not in nodes
        nodes[n.label, n.id] = dict(n.properties)
    for r in d.changed:
        props = nodes[r.label, r.id]
        for c in r.changes:
            assert props.get(c.field) == c.old
            if c.new is None:
                del props[c.field]
            else:
                props[c.field] = c.new
    rels = {(r.type, r.start, r.end) for r in batch.relationships}
    rels -= {(r.type, r.start, r.end) for r in d.relationships_removed}
    rels |= {(r.type, r.start, r.end) for r in d.relationships_added}
    return nodes, rels


CSV_KINDS = ["ai_system", "dataset", "risk", "control", "evidence", "supplier", "model"]


@st.composite
def edited(draw: st.DrawFn) -> tuple[list[GeneratedRecord], list[GeneratedRecord]]:
    """An inventory and the same after a random sequence of edits: records removed
    (with what must go with them), properties set and unset, references added and
    removed, records of another inventory added."""
    old = draw(inventories(max_records=8))
    new = [GeneratedRecord(r.spec, r.id, dict(r.properties), {**r.references}) for r in old]
    for _ in range(draw(st.integers(0, 6))):
        step = draw(st.sampled_from(["remove", "set", "unref", "ref", "add"]))
        if step == "add":
            taken = {r.id for r in new}
            org = any(r.spec.name == "Organization" for r in new)
            more = [
                r
                for r in draw(inventories(max_records=3))
                if r.id not in taken and not (org and r.spec.name == "Organization")
            ]
            new += more
        elif new and step == "remove":
            gone = draw(st.sampled_from(new)).id
            new = [r for r in new if r.id != gone]
        elif new and step == "set":
            r = draw(st.sampled_from(new))
            optional = [p for p in r.spec.writable if p.name != "id" and not p.required]
            if optional:
                prop = draw(st.sampled_from(optional))
                if draw(st.booleans()):
                    r.properties[prop.name] = draw(_value(prop))
                else:
                    r.properties.pop(prop.name, None)
        elif new and step == "unref":
            r = draw(st.sampled_from(new))
            names = [
                n
                for n in r.references
                if not r.spec.fields[n].relation.required  # type: ignore[union-attr]
            ]
            if names:
                name = draw(st.sampled_from(names))
                r.references[name] = r.references[name][1:]
        elif new and step == "ref":
            r = draw(st.sampled_from(new))
            fields = [
                (n, f.relation)
                for n, f in r.spec.fields.items()
                if f.relation is not None and not f.inverse
            ]
            if fields:
                name, rel = draw(st.sampled_from(fields))
                have = r.references.get(name, [])
                used = {
                    t
                    for o in new
                    for n, ts in o.references.items()
                    if o.spec.fields[n].relation.type == rel.type  # type: ignore[union-attr]
                    for t in ts
                }
                targets = [
                    o.id
                    for o in new
                    if o.spec.name in rel.ends
                    and o.id not in have
                    and not (rel.one_start and o.id in used)
                ]
                if targets and not (rel.one_end and have):
                    r.references[name] = [*have, draw(st.sampled_from(targets))]
        # what refers to a record that is gone refers to it no more; a record left
        # without a relationship it must have goes too, until nothing changes
        while True:
            ids = {r.id for r in new}
            for r in new:
                for name in list(r.references):
                    r.references[name] = [
                        t for t in r.references[name] if t in ids or t in CATALOGUE_IDS
                    ]
                    if not r.references[name]:
                        del r.references[name]
            lacking = {
                r.id
                for r in new
                for n, f in r.spec.fields.items()
                if f.relation is not None
                and f.relation.required
                and not f.inverse
                and n not in r.references
            }
            if not lacking:
                break
            new = [r for r in new if r.id not in lacking]
    return old, new


def _judged(root: Path) -> tuple[GraphBatch, tuple[Any, ...]]:
    batch = pipeline.read(root, cache=False)
    store = MemoryStore()
    pipeline.add(batch, store)
    return batch, tuple(findings(run_all(checks(builtin_packs()), store, {}, AS_OF)))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    versions=edited(),
    before_csv=st.sets(st.sampled_from(CSV_KINDS)),
    after_csv=st.sets(st.sampled_from(CSV_KINDS)),
)
def test_a_diff_applied_to_the_old_records_gives_the_new(
    versions: tuple[list[GeneratedRecord], list[GeneratedRecord]],
    before_csv: set[str],
    after_csv: set[str],
) -> None:
    old, new = versions
    with tempfile.TemporaryDirectory() as tmp:
        write(old, Path(tmp) / "old", before_csv)
        write(new, Path(tmp) / "new", after_csv)  # kinds written elsewhere: records move
        a_batch, a_found = _judged(Path(tmp) / "old")
        try:
            b_batch, b_found = _judged(Path(tmp) / "new")
        except InvalidInputError:
            assume(False)  # an edit the ontology refuses (rare): not a version
            raise
    d = diff(Side("old", AS_OF, a_batch, a_found), Side("new", AS_OF, b_batch, b_found))
    for group, n in d.counts().items():
        event(f"{group}: {'some' if n else 'none'}")  # what the edits exercised
    nodes, rels = apply(d, a_batch)
    assert nodes == _node_map(b_batch)
    assert rels == {(r.type, r.start, r.end) for r in b_batch.relationships}
    # a record in both versions in another file is moved, or changed and shown as moved
    before = {(n.label, n.id): n.source.file for n in a_batch.nodes}
    after = {(n.label, n.id): n.source.file for n in b_batch.nodes}
    elsewhere = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    shown = {(r.label, r.id) for r in d.moved} | {(r.label, r.id) for r in d.changed if r.moved}
    assert shown == elsewhere
    # findings introduced minus resolved is the difference of the two checks
    a_prints = Counter(fingerprint(f) for f in a_found)
    b_prints = Counter(fingerprint(f) for f in b_found)
    assert Counter(fingerprint(f) for f in d.introduced) == b_prints - a_prints
    assert Counter(fingerprint(f) for f in d.resolved) == a_prints - b_prints
    assert len(d.introduced) + len(d.unchanged) == len(b_found)
    diff_markdown(d)  # renders whatever the records hold
