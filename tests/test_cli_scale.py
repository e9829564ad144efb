"""The commands for working at scale: `generate` writes an organisation that validates
and whose planted gaps the checks find, and `cache` shows and clears what warm runs
reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, run_cli


def test_generate_writes_an_organisation_the_checks_judge(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    args = ["--size", "12", "--seed", "3", "--as-of", str(AS_OF), str(folder)]
    rc, out, _ = run_cli("generate", *args)
    assert rc == 0 and "12 AI systems" in out and f"--as-of {AS_OF}" in out
    rc, out, _ = run_cli("validate", str(folder))
    assert rc == 0 and "valid:" in out
    rc, out, _ = run_cli("check", str(folder), "--as-of", str(AS_OF), "--format", "json")
    assert rc == 1  # the planted gaps are high findings
    found = json.loads(out)["findings"]
    assert found and all(f["file"] and f["line"] for f in found)


@pytest.mark.parametrize("size", ["XL", "0", "-3", ""])
def test_a_bad_size_is_a_usage_error(tmp_path: Path, size: str) -> None:
    rc, _, err = run_cli("generate", "--size", size, str(tmp_path / "org"))
    assert rc == 2 and "--size" in err and "Traceback" not in err
    assert not (tmp_path / "org").exists()


def test_generate_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    rc, _, err = run_cli("generate", str(tmp_path))
    assert rc == 2 and "not empty" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_cache_path_and_clear(tmp_path: Path, acme: Path) -> None:
    env = {"GRAPHGOV_CACHE_DIR": str(tmp_path / "kept")}
    rc, out, _ = run_cli("cache", "path", env=env)
    assert (rc, out.strip()) == (0, str(tmp_path / "kept"))
    assert run_cli("validate", str(acme), env=env)[0] == 0
    rc, out, _ = run_cli("cache", "clear", env=env)
    assert rc == 0 and out.startswith("Removed ") and not out.startswith("Removed 0 ")
    assert run_cli("cache", "clear", env=env)[1].startswith("Removed 0 entries")
    off = {**env, "GRAPHGOV_NO_CACHE": "1"}
    assert run_cli("cache", "path", env=off)[1].strip().endswith("(turned off)")
