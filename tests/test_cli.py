"""The command line: exit codes 0 (success), 1 (invalid inventory), 2 (usage or
environment), help with an example on every command, and no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AS_OF, Writer

from graphgov.cli import cli
from graphgov.schema import load_schema


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def test_demo_summarises_the_example_organisation() -> None:
    code, out, _ = run("demo", "--as-of", AS_OF.isoformat())
    assert code == 0
    assert "Acme Lending plc" in out
    assert "credit-scoring" in out and "cv-screening" in out
    assert f"as of {AS_OF.isoformat()}" in out
    assert "3 past their valid_until date" in out
    assert "Checks: 53 findings (37 high, 15 medium, 1 low) from 34 of 34 checks" in out


def test_demo_judges_expiry_against_the_date_given() -> None:
    _, later, _ = run("demo", "--as-of", "2031-01-01")
    assert "39 items, 38 past their valid_until date" in later  # one has no end date


def test_init_validate_load_on_the_example(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    assert run("init", "--example", str(folder))[0] == 0
    code, out, _ = run("validate", str(folder))
    assert code == 0 and "valid" in out
    code, out, _ = run("load", str(folder))
    assert code == 0
    rows = {tuple(line.split()) for line in out.splitlines()}
    assert {("AISystem", "14"), ("AnnexAControl", "38"), ("USES_MODEL", "11")} <= rows


def test_init_without_example_writes_a_skeleton_that_validates(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert run("init", str(folder))[0] == 0
    assert (folder / "organization.yaml").read_text().startswith("# Your organisation")
    assert run("validate", str(folder))[0] == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("mine")
    code, _, err = run("init", str(tmp_path))
    assert code == 2 and "not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_an_invalid_inventory_exits_1_with_every_problem(write_inventory: Writer) -> None:
    root = write_inventory({"a.yaml": "kind: ai_sytem\nid: x\n", "b.yaml": "kind: nope\nid: y\n"})
    code, out, err = run("validate", str(root))
    assert code == 1 and out == ""
    assert f"{root / 'a.yaml'}:1: kind: unknown kind 'ai_sytem'" in err
    assert f"{root / 'b.yaml'}:1: kind: unknown kind 'nope'" in err
    assert "2 problems found; nothing was loaded." in err
    assert "Traceback" not in err
    assert run("load", str(root))[0] == 1


def test_a_missing_path_exits_2(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "nowhere"))[0] == 2
    assert run("load", str(tmp_path / "nowhere"))[0] == 2


def test_usage_errors_exit_2() -> None:
    assert run("demo", "--as-of", "yesterday")[0] == 2
    assert run("schema", "--format", "xml")[0] == 2
    assert run("no-such-command")[0] == 2


def test_schema_markdown_lists_every_label() -> None:
    code, out, _ = run("schema", "--format", "markdown")
    assert code == 0
    for label in load_schema().labels:
        assert f"| `{label}` |" in out


def test_schema_text_fits_a_terminal() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    for label in load_schema().labels:
        assert any(line.startswith(label + " (") for line in out.splitlines()), label
    for rel in load_schema().relations:
        assert any(line.startswith(rel + " ") for line in out.splitlines()), rel


@pytest.mark.parametrize("command", ["init", "validate", "load", "schema", "demo"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Example:" in out and f"graphgov {command}" in out
