"""Files read by worker processes (graphgov.workers) give exactly what reading them here
gives: the batch, every problem in its order, and cache entries a later run uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphgov import cache, pipeline, workers
from graphgov.cli import cli
from graphgov.errors import EnvironmentProblem, InvalidInputError
from graphgov.generate import generate


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading in two workers, however small the inventory."""
    monkeypatch.setenv(workers.VARIABLE, "2")
    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)


def _read(folder: Path, **options: bool) -> str:
    try:
        return repr(pipeline.read(folder, **options))
    except InvalidInputError as exc:
        return repr(exc.problems)


def test_the_work_is_done_in_other_processes_in_order(forked: None) -> None:
    results = workers.spread(lambda n: (n * n, os.getpid()), list(range(40)))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 2


def test_little_work_or_one_worker_stays_here(monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    monkeypatch.setenv(workers.VARIABLE, "2")
    assert {pid for pid in workers.spread(lambda _: os.getpid(), [1, 2, 3], worth=False)} == {here}
    monkeypatch.setenv(workers.VARIABLE, "1")
    assert {pid for pid in workers.spread(lambda _: os.getpid(), [1, 2, 3])} == {here}


def test_a_generated_organisation_reads_the_same_in_workers(
    forked: None, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "org"
    generate(folder, "S", 3)
    monkeypatch.setenv(workers.VARIABLE, "1")
    alone = _read(folder, cache=False)
    monkeypatch.setenv(workers.VARIABLE, "2")
    before = cache.stats()
    assert _read(folder) == alone  # cold: the workers read and keep every file
    files = len(list(cache_dir.rglob("*.entry")))
    assert files > 50 and cache.stats().stored - before.stored == files
    before = cache.stats()
    assert _read(folder) == alone  # warm: every file from the entries the workers wrote
    assert cache.stats().hits - before.hits == files and cache.stats().misses == before.misses


def test_problems_found_in_workers_are_every_one_in_order(
    forked: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "org"
    generate(folder, "S", 1)
    broken = sorted(folder.rglob("*.csv"))
    for path in broken[:6]:  # a bad value in some files, an unknown column in others
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[0] += ",colour" if len(lines) % 2 else ""
        lines[1] = lines[1].replace(",", ",\x00", 1)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    in_workers = _read(folder, cache=False)
    monkeypatch.setenv(workers.VARIABLE, "1")
    assert "Problem(" in in_workers and in_workers == _read(folder, cache=False)


def test_a_worker_that_dies_is_an_error_not_a_hang(forked: None) -> None:
    with pytest.raises(EnvironmentProblem, match="worker process stopped"):
        workers.spread(lambda n: os._exit(3) if n == 5 else n, list(range(10)))


def test_a_bad_number_of_workers_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(workers.VARIABLE, "two")
    generate(tmp_path / "org", "S", 0)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "org")])
    assert result.exit_code == 2, result.output
    assert "GRAPHGOV_WORKERS must be a whole number" in result.output
    assert "Traceback" not in result.output
