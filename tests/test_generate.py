"""The generated organisation: valid at every size, shaped like a large group's inventory,
the same bytes for the same seed, and carrying exactly the gaps it says it planted, so
the shipped checks find those and nothing else."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import graphgov
from graphgov import generate as gen
from graphgov import pipeline
from graphgov.errors import EnvironmentProblem
from graphgov.findings import Finding
from graphgov.graph import GraphBatch
from graphgov.packs import builtin_packs
from graphgov.schema import LabelSpec, load_schema


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Generated:
    """One generated inventory, read and checked once for the tests that look at it."""

    def __init__(self, folder: Path, summary: gen.GeneratedSummary) -> None:
        self.folder, self.summary = folder, summary
        with pytest.MonkeyPatch.context() as env:
            env.setenv("GRAPHGOV_NO_CACHE", "1")  # module-wide: no test's cache is set up yet
            self.batch: GraphBatch = pipeline.read(folder)
            self.findings: list[Finding] = graphgov.open(folder, as_of=summary.as_of).check()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    folder = tmp_path_factory.mktemp("generated") / "meridian"
    yield Generated(folder, gen.generate(folder, "S", seed=0))


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Enough systems for every kind of gap to be planted."""
    folder = tmp_path_factory.mktemp("generated") / "wide"
    yield Generated(folder, gen.generate(folder, 500, seed=3))


# -- valid, and the size asked for -----------------------------------------------------------


def test_size_s_is_valid_and_about_a_thousand_records(small: Generated) -> None:
    summary, batch = small.summary, small.batch
    assert summary.systems == gen.SIZES["S"] and summary.size == "S"
    assert len(batch.nodes) == summary.total_records
    assert len(batch.relationships) == summary.relationships
    assert 800 <= summary.total_records <= 1_500
    # the shape that makes M about 100,000 records and 290,000 relationships (the group's
    # own records, the same at every size, weigh more at S)
    assert 2.4 <= summary.relationships / summary.total_records <= 3.2
    labels = Counter(n.label for n in batch.nodes)
    assert labels["AISystem"] == summary.systems
    assert {spec.kind: labels[spec.name] for spec in _specs() if labels[spec.name]} == dict(
        summary.records
    )


def test_a_number_of_systems_is_a_size_too(tmp_path: Path) -> None:
    summary = gen.generate(tmp_path / "twenty", 20, seed=5)
    batch = pipeline.read(tmp_path / "twenty")
    assert summary.systems == 20 == sum(1 for n in batch.nodes if n.label == "AISystem")
    assert len(batch.nodes) == summary.total_records
    assert len(batch.relationships) == summary.relationships
    assert summary.files == len(_files(tmp_path / "twenty"))
    assert gen.generate(tmp_path / "one", "1").systems == 1


@pytest.mark.parametrize(
    ("size", "systems"),
    [("S", gen.SIZES["S"]), ("m", gen.SIZES["M"]), (" L ", gen.SIZES["L"]), ("250", 250), (7, 7)],
)
def test_sizes_name_a_number_of_systems(size: str | int, systems: int) -> None:
    assert gen.systems_for(size) == systems


@pytest.mark.parametrize("size", ["XL", "", "-3", "2.5", 0, -1, True, gen.MAX_SYSTEMS + 1])
def test_a_bad_size_is_refused(size: str | int, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"size|number of AI systems"):
        gen.generate(tmp_path / "x", size)
    assert not (tmp_path / "x").exists()


# -- shaped as a large group keeps it --------------------------------------------------------


def test_a_folder_per_unit_with_csv_tables_and_yaml_registers(small: Generated) -> None:
    root = small.folder
    for name in ("organization.yaml", "policies.yaml", "stakeholders.yaml", "suppliers.yaml"):
        assert (root / name).is_file(), name
    for name in ("decisions.csv", "controls.csv", "evidence.csv", "models.csv", "audit.yaml"):
        assert (root / name).is_file(), name
    units = sorted(p for p in (root / "units").iterdir() if p.is_dir())
    assert len(units) == small.summary.units >= 3
    tables = {name for name, _ in gen._UNIT_TABLES.values()}
    for unit in units:
        assert tables | {"stakeholders.yaml"} <= {p.name for p in unit.iterdir()}, unit
    # every record points back to the file and line it came from
    system = next(n for n in small.batch.nodes if n.label == "AISystem")
    assert system.source.file.startswith("units/") and system.source.file.endswith(".csv")


def test_each_system_has_its_model_data_risks_controls_and_assessments(small: Generated) -> None:
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    into: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in small.batch.relationships:
        out[(r.start, r.type)].append(r.end)
        into[(r.end, r.type)].append(r.start)
    gapped = _systems_with_findings(small)
    for s in (n for n in small.batch.nodes if n.label == "AISystem"):
        (model,) = out[(s.id, "USES_MODEL")]
        sources = [d for d in out[(s.id, "USES_DATASET")] if d.endswith("-source")]
        assert sources == [f"{s.id}-source"], s.id
        # 2 or 3 datasets of its own, in a lineage chain from its source
        derived = into[(f"{s.id}-source", "DERIVED_FROM")]
        assert 1 <= len(derived) <= 2 and all(d.startswith(s.id) for d in derived)
        assert 1 <= len(out[(s.id, "HAS_RISK")]) <= 3
        controls = into[(s.id, "APPLIES_TO")]
        assert (2 if s.id in gapped else 3) <= len(controls) <= 5, s.id
        if s.id not in gapped:
            assessed = {x.rsplit("-", 1)[1] for x in out[(s.id, "ASSESSED_BY")]}
            assert {"ra", "ia"} <= assessed, s.id
            assert out[(s.id, "OWNED_BY")] and out[(s.id, "OVERSEEN_BY")], s.id
            assert (
                out[(model, "TRAINED_ON")]
                or out[(model, "SUPPLIED_BY")]
                or out[(model, "BASED_ON")]
            ), model


def test_suppliers_and_foundation_models_are_shared_across_units(small: Generated) -> None:
    units = sorted((p.name for p in (small.folder / "units").iterdir()), key=len, reverse=True)

    def unit(node_id: str) -> str:
        return next(u for u in units if node_id.startswith(u + "-"))

    reach: dict[str, set[str]] = defaultdict(set)
    for r in small.batch.relationships:
        if r.type in ("SUPPLIED_BY", "BASED_ON") and not r.start.startswith("fm-"):
            reach[r.end].add(unit(r.start))
    suppliers = [k for k in reach if k.startswith("sup-")]
    foundations = [k for k in reach if k.startswith("fm-")]
    assert any(len(reach[k]) >= 2 for k in suppliers)
    assert any(len(reach[k]) >= 2 for k in foundations)


def test_every_annex_a_control_has_its_decision(small: Generated) -> None:
    annex = {n.id for n in pipeline.home_catalogue().nodes if n.label == "AnnexAControl"}
    decided = {r.end for r in small.batch.relationships if r.type == "DECIDES"}
    assert decided == annex


# -- deterministic ---------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_bytes(small: Generated, tmp_path: Path) -> None:
    again = gen.generate(tmp_path / "meridian", "S", seed=0)
    assert _files(tmp_path / "meridian") == _files(small.folder)
    assert again == replace(small.summary, folder=again.folder)


def test_another_seed_gives_another_organisation(small: Generated, tmp_path: Path) -> None:
    gen.generate(tmp_path / "other", "S", seed=1)
    mine, other = _files(small.folder), _files(tmp_path / "other")
    tables = sorted(name for name in mine if name.endswith("ai_systems.csv"))
    assert tables == sorted(name for name in other if name.endswith("ai_systems.csv"))
    assert all(mine[name] != other[name] for name in tables)


def test_dates_are_counted_from_as_of(tmp_path: Path) -> None:
    """Time is an input: moved to another day, the same gaps and only those are found
    when judged on that day."""
    day = "2031-06-01"
    summary = gen.generate(tmp_path / "later", 30, seed=2, as_of=day)
    assert summary.as_of.isoformat() == day
    assert day[:4] in (tmp_path / "later" / "evidence.csv").read_text(encoding="utf-8")
    found = graphgov.open(tmp_path / "later", as_of=day).check()
    assert dict(sorted(Counter(f.query for f in found).items())) == summary.expected_findings()
    with pytest.raises(ValueError, match="as_of"):
        gen.generate(tmp_path / "bad", 30, as_of="1/6/2031")


# -- the planted gaps, and only they -----------------------------------------------------------


def test_the_checks_find_exactly_the_planted_gaps(small: Generated) -> None:
    found = Counter(f.query for f in small.findings)
    assert dict(sorted(found.items())) == small.summary.expected_findings()
    assert len(found) >= 8  # several distinct checks fire even at the smallest size


def test_a_few_percent_of_systems_have_findings(small: Generated) -> None:
    """Findings about a system or anything of its own (its controls, evidence, data,
    risks, assessments) fall on the systems given a gap, one kind each, and no other."""
    hit = _systems_with_findings(small)
    planted = sum(small.summary.gaps[kind] for kind in gen.GAPS if _on_a_system(kind))
    assert len(hit) == planted
    assert 0 < planted / small.summary.systems <= 0.1


def test_every_kind_of_gap_is_planted_and_found_at_scale(wide: Generated) -> None:
    summary = wide.summary
    assert all(summary.gaps[kind] >= 1 for kind in gen.GAPS), summary.gaps
    found = Counter(f.query for f in wide.findings)
    assert dict(sorted(found.items())) == summary.expected_findings()
    checks = {c for gap in gen.GAPS.values() for c in gap.checks}
    assert set(found) == checks
    hit = _systems_with_findings(wide)
    assert len(hit) == sum(summary.gaps[kind] for kind in gen.GAPS if _on_a_system(kind))
    assert 0.02 <= len(hit) / summary.systems <= 0.08


def test_the_gaps_name_real_checks() -> None:
    known = {q.ref for p in builtin_packs() for q in p.queries}
    for kind, gap in gen.GAPS.items():
        assert gap.checks and set(gap.checks) <= known, kind
        assert gap.subject in {s.kind for s in _specs()}, kind


# -- refusing, and leaving nothing behind ------------------------------------------------------


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(EnvironmentProblem) as caught:
        gen.generate(target, "S")
    message = str(caught.value)
    assert "\n" not in message and "not empty" in message and "mine" in message
    assert _files(target) == {"notes.txt": b"keep me"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(EnvironmentProblem, match="not empty"):
        gen.generate(tmp_path / "file", 5)


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    summary = gen.generate(tmp_path / "empty", 5)
    assert summary.files == len(_files(tmp_path / "empty"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]  # no temporary left


def test_a_failure_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gen._Organisation, "_group", broken)  # after every unit is written
    with pytest.raises(EnvironmentProblem, match=r"cannot write .*new: No space left"):
        gen.generate(tmp_path / "new", 40)
    assert list(tmp_path.iterdir()) == []

    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(gen._Organisation, "_group", interrupted)
    with pytest.raises(KeyboardInterrupt):
        gen.generate(tmp_path / "new", 40)
    assert list(tmp_path.iterdir()) == []


# -- helpers -------------------------------------------------------------------------------------


def _specs() -> list[LabelSpec]:
    return [s for s in load_schema().labels.values() if not s.catalogue]


def _on_a_system(kind: str) -> bool:
    return gen.GAPS[kind].subject == "ai_system"


def _owner(record: str, systems: list[str]) -> str | None:
    """The system a record belongs to: the system whose id the record's id is or starts
    with (the longest such, as ``x-credit-scoring-2`` starts with ``x-credit-scoring``)."""
    for s in systems:
        if record == s or record.startswith(s + "-"):
            return s
    return None


def _systems_with_findings(g: Generated) -> set[str]:
    systems = sorted((n.id for n in g.batch.nodes if n.label == "AISystem"), key=len)[::-1]
    return {o for f in g.findings if (o := _owner(f.id, systems))}
