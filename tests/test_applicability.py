"""What an auditor reads must agree, and be true: applicability decisions are records of
their own, the Statement of Applicability and the coverage matrix read one rule for what
a control covers, coverage judges evidence on the day given, the gaps name what is
behind them and the roadmap lays the foundations first and pilots on a running system,
and a fresh skeleton's findings all point into the folder the user edits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import AS_OF, Writer
from queryfixtures import fixtures

from graphgov import examples, pipeline
from graphgov.audit import (
    COVERED_CELLS,
    EVIDENCE_NOT_CURRENT,
    RUNNING_STAGES,
    coverage,
    gaps,
    organisation_wide,
    roadmap,
    statement_of_applicability,
)
from graphgov.cli import cli
from graphgov.errors import InvalidInputError
from graphgov.findings import Finding, findings
from graphgov.outputs.html import page
from graphgov.packs import builtin_packs
from graphgov.runner import run_all
from graphgov.schema import CATALOGUE_SOURCE, load_schema, natural_key
from graphgov.store import MemoryStore

CHECKS = [q for p in builtin_packs() for q in p.queries if q.definition.kind == "check"]
DECISION_CHECKS = {"annex-a-control-without-decision", "exclusion-without-justification"}


def _load(root: Path) -> tuple[MemoryStore, list[Finding]]:
    store = MemoryStore()
    pipeline.load(root, store)
    return store, findings(run_all(CHECKS, store, {}, AS_OF))


def _decision_findings(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.query.split("/")[1] in DECISION_CHECKS]


# -- decisions are records ----------------------------------------------------------------


def test_two_decisions_on_one_control_are_refused_naming_both_lines(
    write_inventory: Writer,
) -> None:
    root = write_inventory(
        {
            "decisions.csv": """
            id,decides,name,applicable,justification
            d1,A.2.2,AI policy,true,
            d2,A.2.2,AI policy again,false,Not ours
            d3,A.2.3;A.2.4,Two at once,true,
            d4,,Nothing decided,true,
            d5,A.3.2,Left blank,,
            """
        }
    )
    with pytest.raises(InvalidInputError) as raised:
        pipeline.read(root)
    problems = {(p.line, p.field): p.reason for p in raised.value.problems}
    assert set(problems) == {(3, "decides"), (4, "decides"), (5, "decides")}
    assert "'d1'" in problems[(3, "decides")] and "decisions.csv:2" in problems[(3, "decides")]
    assert "at most one" in problems[(4, "decides")]
    assert "is required" in problems[(5, "decides")]


def test_a_blank_decision_and_an_unjustified_exclusion_load_and_are_findings(
    write_inventory: Writer,
) -> None:
    root = write_inventory(
        {
            "decisions.csv": """
            id,decides,name,applicable,justification
            d1,A.2.2,AI policy,,
            d2,A.2.3,Alignment,false,
            d3,A.2.4,Review,false,We have no AI policy to review
            """
        }
    )
    store, found = _load(root)
    mine = {(f.query.split("/")[1], f.id): f.source for f in _decision_findings(found)}
    assert mine[("annex-a-control-without-decision", "A.2.2")] == _at(root, "A.2.2")
    assert mine[("exclusion-without-justification", "A.2.3")] == _at(root, "A.2.3")
    # each Annex A control once; the others have no row, so they point at the file
    assert [i for _, i in mine].count("A.2.3") == 1
    assert ("annex-a-control-without-decision", "A.2.4") not in mine
    assert mine[("annex-a-control-without-decision", "A.5.2")].file == "decisions.csv"
    assert mine[("annex-a-control-without-decision", "A.5.2")].line is None
    rows = {r.control.id: r for r in statement_of_applicability(store, found, AS_OF)}
    assert rows["A.2.4"].decision == "excluded"
    assert rows["A.2.4"].justification == "We have no AI policy to review"
    assert rows["A.2.2"].decision == rows["A.2.3"].decision == "no decision"


def _at(root: Path, annex: str) -> object:
    from graphgov.graph import Source

    lines = (root / "decisions.csv").read_text(encoding="utf-8").splitlines()
    return Source(
        "decisions.csv", next(i for i, text in enumerate(lines, 1) if f",{annex}," in text)
    )


def test_legacy_controls_still_decide_but_a_decision_record_outweighs_them(
    write_inventory: Writer,
) -> None:
    root = write_inventory(
        {
            "controls.yaml": """
            - {kind: control, id: c1, name: Policy, control_type: policy, status: planned,
               implements: A.2.2}
            - {kind: control, id: c2, name: Silent, control_type: other, status: not_applicable,
               implements: A.2.3}
            - {kind: control, id: c3, name: Reasoned, control_type: other, status: not_applicable,
               implements: A.2.4, justification: No policy yet}
            - {kind: control, id: c4, name: Roles, control_type: policy, status: implemented,
               implements: A.3.2}
            - {kind: decision, id: d1, name: Roles, decides: A.3.2, applicable: false,
               justification: One person runs everything}
            """
        }
    )
    store, found = _load(root)
    rows = {r.control.id: r for r in statement_of_applicability(store, found, AS_OF)}
    assert (rows["A.2.2"].decision, rows["A.2.2"].status) == ("applicable", "planned")
    assert rows["A.2.3"].decision == "no decision"
    assert rows["A.2.4"].decision == "excluded" and rows["A.2.4"].record is None
    assert rows["A.3.2"].decision == "excluded" and rows["A.3.2"].systems == ()
    mine = {(f.query.split("/")[1], f.id): f for f in _decision_findings(found)}
    # the legacy exclusion is named by its Annex A control, at the stand-in's line
    legacy = mine[("exclusion-without-justification", "A.2.3")]
    assert legacy.label == "AnnexAControl" and legacy.source.file == "controls.yaml"
    assert ("annex-a-control-without-decision", "A.2.3") not in mine
    # the rest point at the file that holds the decisions, where a row is to be added
    rest = mine[("annex-a-control-without-decision", "A.5.2")].source
    assert (rest.file, rest.line) == ("controls.yaml", None)
    # and with no decision record anywhere, at the catalogue entry
    (root / "controls.yaml").write_text(
        (root / "controls.yaml").read_text(encoding="utf-8").split("- {kind: decision")[0],
        encoding="utf-8",
    )
    _, found = _load(root)
    (first,) = [f for f in _decision_findings(found) if f.id == "A.5.2"]
    assert first.source.file == CATALOGUE_SOURCE and first.source.line


def test_the_example_names_each_annex_a_control_once_at_its_decision(acme: Path) -> None:
    _, found = _load(acme)
    mine = _decision_findings(found)
    assert sorted((f.query.split("/")[1], f.id) for f in mine) == [
        ("annex-a-control-without-decision", "A.4.4"),
        ("annex-a-control-without-decision", "A.4.5"),
        ("exclusion-without-justification", "A.8.3"),
    ]
    lines = (acme / "decisions.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 39  # a header and one row per Annex A control
    for f in mine:
        assert f.label == "AnnexAControl" and f.source.file == "decisions.csv"
        assert f",{f.id}," in lines[(f.source.line or 0) - 1]
    assert not any(n.get("status") == "not_applicable" for n in pipeline.read(acme).nodes), (
        "the example records exclusions as decisions, not as stand-in controls"
    )


# -- the skeleton ------------------------------------------------------------------------


def test_a_fresh_skeleton_validates_and_every_finding_points_into_it(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(mine)]).exit_code == 0
    assert runner.invoke(cli, ["validate", str(mine)]).exit_code == 0
    store, found = _load(mine)
    assert found
    for f in found:
        assert not f.source.file.startswith("graphgov:"), (f.query, f.id, f.source)
        assert (mine / f.source.file).is_file(), f.source
    undecided = [f for f in found if f.query.endswith("/annex-a-control-without-decision")]
    assert len(undecided) == 38 and all(f.source.file == "decisions.csv" for f in undecided)
    # every row names its Annex A control and its title, the decision left to fill in
    annex = {n.id: n.name for n in store.nodes("AnnexAControl")}
    rows = [r for r in pipeline.read(mine).nodes if r.label == "ApplicabilityDecision"]
    assert sorted(r.name for r in rows) == sorted(annex.values())
    assert all(r.get("applicable") is None for r in rows)


def _uncommented(text: str) -> str:
    """The commented examples of a skeleton file, uncommented: the blocks of lines that
    start with '# - kind:' and the '#   field:' lines that follow."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("# - kind:"):
            inside = True
        elif not line.startswith("#   "):
            inside = False
        if inside:
            out.append(line[2:])
    return "\n".join(out)


def test_the_skeleton_shows_every_kind_and_its_examples_are_valid(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    examples.write("skeleton", mine)
    live = {n.label for n in pipeline.read(mine).nodes}
    commented: list[dict[str, object]] = []
    for path in sorted(mine.glob("*.yaml")):
        commented += yaml.safe_load(_uncommented(path.read_text(encoding="utf-8"))) or []
    schema = load_schema()
    shown = live | {schema.by_kind(str(r["kind"])).name for r in commented}  # type: ignore[union-attr]
    assert shown == {s.name for s in schema.labels.values() if not s.catalogue}
    # uncommented, the examples load with the rest of the skeleton
    (mine / "uncommented.yaml").write_text(yaml.safe_dump(commented), encoding="utf-8")
    batch = pipeline.read(mine)
    assert {str(r["id"]) for r in commented} <= {n.id for n in batch.nodes}


# -- one rule for what a control covers ---------------------------------------------------


def _inventories() -> list[Path]:
    return [f.path for f in fixtures()]


@pytest.mark.parametrize("inventory", _inventories(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_soa_and_coverage_agree_cell_by_cell_on_every_fixture(inventory: Path) -> None:
    _agree(inventory)


@pytest.mark.parametrize("name", examples.EXAMPLES)
def test_soa_and_coverage_agree_cell_by_cell_on_the_examples(name: str) -> None:
    with examples.folder(name) as folder:
        _agree(folder)


def _agree(inventory: Path) -> None:
    store, found = _load(inventory)
    matrix = coverage(store, AS_OF)
    for row in statement_of_applicability(store, found, AS_OF):
        cells = {s.id: matrix.cells[(s.id, row.control.id)] for s in matrix.systems}
        assert set(row.systems) == {s for s, c in cells.items() if c in COVERED_CELLS}, (
            row.control.id
        )
        if row.decision == "excluded":
            assert set(cells.values()) <= {"not applicable"}, row.control.id
        else:
            assert "not applicable" not in cells.values(), row.control.id


def test_an_organisation_wide_control_covers_every_in_scope_system(
    write_inventory: Writer,
) -> None:
    root = write_inventory(
        {
            "inventory.yaml": """
            - {kind: organization, id: org, name: Org}
            - {kind: ai_system, id: s1, name: S1, risk_tier: high, in_scope: true}
            - {kind: ai_system, id: s2, name: S2, risk_tier: minimal, in_scope: true,
               uses_model: m1}
            - {kind: ai_system, id: s3, name: S3, risk_tier: minimal, in_scope: false}
            - {kind: model, id: m1, name: M1, supplied_by: vendor}
            - {kind: supplier, id: vendor, name: Vendor}
            - {kind: control, id: named-nothing, name: Policy, control_type: policy,
               status: implemented, implements: A.2.2}
            - {kind: control, id: on-org, name: Roles, control_type: policy, status: planned,
               implements: A.3.2, applies_to: org}
            - {kind: control, id: on-vendor, name: Vendor checks,
               control_type: supplier_management, status: planned, implements: A.10.3,
               applies_to: vendor}
            """
        }
    )
    store, found = _load(root)
    rows = {r.control.id: r for r in statement_of_applicability(store, found, AS_OF)}
    assert rows["A.2.2"].systems == rows["A.3.2"].systems == ("s1", "s2")
    assert rows["A.2.2"].organisation_wide and not rows["A.10.3"].organisation_wide
    assert rows["A.10.3"].systems == ("s2",)  # built on the vendor's model
    matrix = coverage(store, AS_OF)
    assert matrix.cells[("s1", "A.2.2")] == EVIDENCE_NOT_CURRENT  # and no evidence at all
    assert matrix.cells[("s1", "A.3.2")] == "planned"
    assert matrix.cells[("s1", "A.10.3")] == "missing"
    assert matrix.cells[("s2", "A.10.3")] == "planned"
    assert organisation_wide(store, store.node("named-nothing"))  # type: ignore[arg-type]


# -- coverage judges evidence on the day given --------------------------------------------


def test_an_implemented_control_without_current_evidence_has_its_own_cell(
    write_inventory: Writer, tmp_path: Path
) -> None:
    root = write_inventory(
        {
            "inventory.yaml": """
            - {kind: ai_system, id: s1, name: S1, risk_tier: high, in_scope: true}
            - {kind: control, id: c1, name: Logs, control_type: event_logging,
               status: implemented, implements: A.6.2.8, applies_to: s1, evidenced_by: e1}
            - {kind: evidence, id: e1, name: Log check, issued_on: 2026-01-01,
               valid_until: 2026-06-30}
            """
        }
    )
    store = MemoryStore()
    pipeline.load(root, store)
    assert coverage(store, date(2026, 3, 1)).cells[("s1", "A.6.2.8")] == "implemented"
    stale = coverage(store, date(2026, 7, 1))
    assert stale.cells[("s1", "A.6.2.8")] == EVIDENCE_NOT_CURRENT
    html = page("Annex A coverage", "", ["coverage"], coverage=stale)
    legend = html[html.index('class="legend"') : html.index("</p>", html.index('class="legend"'))]
    assert "◍ implemented, evidence not current" in legend and "cell-stale" in legend
    cell = re.search(r'<td class="cell-stale" title="A\.6\.2\.8[^"]*">([^<]*)</td>', html)
    assert cell is not None and cell.group(1) == "◍"
    assert ".cell-stale {" in html  # a colour of its own


# -- gaps and the roadmap -----------------------------------------------------------------


def test_every_gap_names_what_is_behind_it_and_org_wide_gaps_are_foundations(
    acme: Path,
) -> None:
    store, found = _load(acme)
    all_gaps = gaps(store, found)
    for g in all_gaps:
        assert g.findings and g.subjects, g.check
        assert not (g.organisation_wide and g.systems), g.check
    partial = [g for g in all_gaps if g.check.endswith("partially-implemented-control")]
    named = {i for g in partial for i, _ in g.subjects}
    assert named == {
        c.id for c in store.nodes("Control") if c.get("status") == "partially_implemented"
    }
    phases = roadmap(store, all_gaps)
    assert phases[0].name == "Phase 0: organisation-wide foundations"
    assert set(phases[0].gaps) == {g for g in all_gaps if g.organisation_wide}
    assert any(g in phases[0].gaps for g in partial)


def test_a_partly_implemented_control_that_names_nothing_is_a_foundation(
    write_inventory: Writer,
) -> None:
    root = write_inventory(
        {
            "inventory.yaml": """
            - {kind: ai_system, id: s1, name: S1, risk_tier: minimal, in_scope: true,
               lifecycle_stage: operation}
            - {kind: control, id: c1, name: Training, control_type: training,
               status: partially_implemented, implements: A.4.6}
            """
        }
    )
    store, found = _load(root)
    phases = roadmap(store, gaps(store, found))
    (partial,) = [
        g for p in phases for g in p.gaps if g.check.endswith("partially-implemented-control")
    ]
    assert partial.subjects == (("c1", "Training"),) and partial.organisation_wide
    assert partial in phases[0].gaps


def test_the_pilot_is_a_running_system_the_most_urgent_gap_affects(
    write_inventory: Writer, acme: Path
) -> None:
    store, found = _load(acme)
    all_gaps = gaps(store, found)
    (pilot,) = [p for p in roadmap(store, all_gaps) if p.name.startswith("Phase 1: pilot on")]
    name = pilot.name.removeprefix("Phase 1: pilot on ")
    (system,) = [s for s in store.nodes("AISystem") if s.name == name]
    assert system.get("lifecycle_stage") in RUNNING_STAGES
    first = next(
        g for g in all_gaps if any(s.get("lifecycle_stage") in RUNNING_STAGES for s in g.systems)
    )
    assert system in first.systems
    # a high-risk system still in design is never the pilot, however urgent its gaps
    root = write_inventory(
        {
            "inventory.yaml": """
            - {kind: ai_system, id: new, name: New, risk_tier: high, in_scope: true,
               lifecycle_stage: design}
            - {kind: ai_system, id: live, name: Live, risk_tier: limited, in_scope: true,
               lifecycle_stage: operation}
            """
        }
    )
    store, found = _load(root)
    phases = roadmap(store, gaps(store, found))
    assert [p.name for p in phases if p.name.startswith("Phase 1")] == ["Phase 1: pilot on Live"]


# -- the README's description of the example is true --------------------------------------


def test_the_pilot_system_of_the_example_is_as_the_readme_says(acme: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    claim = "the only cells of its column in the coverage matrix that are not\nimplemented"
    assert claim + " are the organisation's gaps" in readme
    store, found = _load(acme)
    matrix = coverage(store, AS_OF)
    rows = {r.control.id: r for r in statement_of_applicability(store, found, AS_OF)}
    open_cells = sorted(
        (
            c.id
            for c in matrix.controls
            if matrix.cells[("credit-scoring", c.id)] not in ("implemented", "not applicable")
        ),
        key=natural_key,
    )
    assert open_cells, "the README says some cells are the organisation's gaps"
    for annex in open_cells:
        row = rows[annex]
        covering = [i for i in row.implementations if "credit-scoring" in i.systems]
        assert row.decision == "no decision" or (
            covering and all(i.organisation_wide for i in covering)
        ), annex
    undecided = [a for a in open_cells if rows[a].decision == "no decision"]
    assert undecided == ["A.4.4", "A.4.5", "A.8.3"]


def test_the_running_stages_are_life_cycle_stages() -> None:
    allowed = load_schema().property("AISystem", "lifecycle_stage").allowed
    assert set(RUNNING_STAGES) <= set(allowed)
    assert {"design", "retired"}.isdisjoint(RUNNING_STAGES)
