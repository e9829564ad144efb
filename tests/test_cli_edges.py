"""The command line at the edges: every output is written one way (parents created, whole
or not at all, one line and exit 2 when it cannot be), file names that are not UTF-8
are shown and written safely, and a record a user names must exist."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AS_OF, Writer, unprivileged

from graphgov import examples, files
from graphgov.cli import cli
from graphgov.errors import EnvironmentProblem

DATE = ["--as-of", AS_OF.isoformat()]

# (command before the inventory, options after it, the output's name); every command
# that takes -o, with each of its formats that writes a file of its own kind
WRITERS = [
    (["check"], ["--format", "sarif"], "findings.sarif"),
    (["check"], ["--format", "markdown"], "findings.md"),
    (["soa"], ["--format", "md"], "soa.md"),
    (["soa"], ["--format", "xlsx"], "soa.xlsx"),
    (["gaps"], [], "roadmap.md"),
    (["report"], [], "report.html"),
    (["viz"], [], "scope.html"),
    (["coverage"], [], "coverage.html"),
    (["trace"], ["credit-scoring"], "trace.txt"),
    (["query", "run", "iso42001/aims-scope"], [], "rows.txt"),
    (["export"], ["--format", "cypher"], "acme.cypher"),
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def _dated(command: list[str]) -> list[str]:
    return [] if command[0] == "export" else DATE


@pytest.mark.parametrize(("command", "options", "name"), WRITERS)
def test_every_output_creates_missing_folders(
    acme: Path, tmp_path: Path, command: list[str], options: list[str], name: str
) -> None:
    target = tmp_path / "new" / "deeper" / name
    code, _, err = run(*command, str(acme), *options, *_dated(command), "-o", str(target))
    assert code in (0, 1), err  # 1: check found findings
    assert target.is_file() and target.stat().st_size > 0
    assert [p.name for p in target.parent.iterdir()] == [name]  # no temporary file left


@pytest.mark.parametrize(("command", "options", "name"), WRITERS)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(
    acme: Path, tmp_path: Path, command: list[str], options: list[str], name: str
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("mine")
    code, out, err = run(*command, str(acme), *options, *_dated(command), "-o", str(blocker / name))
    assert code == 2
    assert err.strip().splitlines() == [
        f"graphgov: cannot create the folder {blocker}: a file is in the way"
    ]
    assert "Traceback" not in out + err
    assert blocker.read_text() == "mine"


def test_an_output_onto_a_folder_is_refused(acme: Path, tmp_path: Path) -> None:
    code, _, err = run("gaps", str(acme), *DATE, "-o", str(tmp_path))
    assert code == 2 and "is a directory" in err  # click's own check of -o
    with pytest.raises(EnvironmentProblem, match="it is a folder"):
        files.write_file(tmp_path, "text")


def test_init_into_a_path_through_a_file_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("mine")
    code, _, err = run("init", str(tmp_path / "afile" / "sub"))
    assert code == 2
    assert err.strip() == f"graphgov: cannot create the folder {tmp_path}/afile/sub: part of " + (
        "the path is a file"
    )
    assert (tmp_path / "afile").read_text() == "mine"


def test_a_failed_write_leaves_the_good_file_and_no_temporary(
    acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "roadmap.md"
    target.write_text("the good one")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    code, _, err = run("gaps", str(acme), *DATE, "-o", str(target))
    assert code == 2
    assert err.strip() == f"graphgov: cannot write {target}: No space left on device"
    assert target.read_text() == "the good one"
    assert [p.name for p in tmp_path.iterdir() if p.name != "acme"] == ["roadmap.md"]


def test_an_interrupted_write_leaves_the_good_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "soa.md"
    target.write_text("the good one")

    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_file(target, "half")
    assert target.read_text() == "the good one"
    assert [p.name for p in tmp_path.iterdir()] == ["soa.md"]


def test_an_output_onto_a_pipe_is_written_into_it_and_the_pipe_stays(
    acme: Path, tmp_path: Path
) -> None:
    # -o /dev/null or -o /dev/stdout: a temporary file renamed over a device would
    # replace it with a plain file (as root, /dev/null itself); a pipe shows it safely
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run("gaps", str(acme), *DATE, "-o", str(pipe))
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert got and got[0].startswith(b"#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme", "pipe"]


def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    target.chmod(0o640)
    files.write_file(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640


def test_a_file_name_that_is_not_utf8_is_shown_and_written_safely(
    acme: Path, tmp_path: Path
) -> None:
    odd = os.fsencode(acme / "systems") + b"/legacy-\xff.yaml"
    with open(odd, "wb") as out:
        out.write(b"kind: ai_system\nid: legacy\nname: Legacy\nrisk_tier: high\nin_scope: true\n")
    code, _, err = run("validate", str(acme))
    assert code == 0, err
    shown = "legacy-\\xff.yaml"  # the undecodable byte, written out
    for command, options, name, expected in [
        (["check"], ["--format", "sarif"], "f.sarif", "legacy-%5Cxff.yaml"),  # a URI
        (["check"], ["--format", "json"], "f.json", json.dumps(shown)[1:-1]),
        (["report"], [], "r.html", shown),
        (["export"], ["--format", "cypher"], "a.cypher", "legacy-\\\\xff.yaml"),  # a literal
    ]:
        target = tmp_path / name
        code, out, err = run(*command, str(acme), *options, *_dated(command), "-o", str(target))
        assert code in (0, 1), err
        assert expected in target.read_text(encoding="utf-8"), name
    code, out, _ = run("check", str(acme), *DATE)
    assert "systems/legacy-\\xff.yaml:1" in out


def test_a_parameter_that_names_no_record_is_exit_2_with_a_suggestion(acme: Path) -> None:
    code, out, err = run(
        "query", "run", "iso42001/supplier-blast-radius", str(acme), "--param", "supplier=opnai"
    )
    assert code == 2 and out == ""
    assert "no supplier with id 'opnai' in the graph (did you mean 'openai'?)" in err
    # a record of another kind is not a supplier either
    code, _, err = run(
        "query",
        "run",
        "iso42001/supplier-blast-radius",
        str(acme),
        "--param",
        "supplier=credit-scoring",
    )
    assert code == 2 and "'credit-scoring' is an AI system, not a supplier" in err
    code, _, err = run(
        "query", "run", "iso42001/annex-a-control-trace", str(acme), "--param", "control=A.99.9"
    )
    assert code == 2 and "no Annex A control with id 'A.99.9'" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["viz", "--focus", "credit-scorin"], "--focus: no record with id 'credit-scorin'"),
        (["viz", "--view", "supplier", "--supplier", "opnai"], "did you mean 'openai'?"),
        (["trace", "credit-scorin"], "did you mean 'credit-scoring'?"),
    ],
)
def test_every_place_a_user_names_a_record_checks_it(
    acme: Path, tmp_path: Path, args: list[str], expected: str
) -> None:
    out_file = tmp_path / "out.html"
    command, rest = args[0], args[1:]
    code, _, err = run(command, str(acme), *rest, *DATE, "-o", str(out_file))
    assert code == 2 and expected in err
    assert not out_file.exists()


def test_an_id_that_starts_with_a_dash(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "systems.yaml": (
                "kind: ai_system\nid: -legacy\nname: Legacy\nin_scope: true\nrisk_tier: minimal\n"
            )
        }
    )
    code, _, err = run("trace", str(root), "-legacy", *DATE)
    assert code == 2 and "put -- before it" in err
    code, out, err = run("trace", str(root), *DATE, "--", "-legacy")
    assert code == 0, err
    assert "-legacy" in out


def test_trace_without_the_inventory_says_what_comes_first(acme: Path) -> None:
    code, _, err = run("trace", "credit-scoring")
    assert code == 2 and "the inventory comes before the id" in err


def test_a_pack_parameter_must_name_a_label_of_the_ontology(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "by-supplier.yaml").write_text(
        "id: by-supplier\ntitle: T\nquestion: Q?\nkind: exploration\n"
        "parameters:\n- name: supplier\n  type: string\n  label: Suplier\n"
        "  description: d\ncolumns: [id]\n"
    )
    (pack / "by-supplier.cypher").write_text("MATCH (s:Supplier {id: $supplier}) RETURN s.id AS id")
    code, _, err = run("query", "list", "--pack-dir", str(pack))
    assert code == 2 and "label 'Suplier' is not in the ontology" in err
    assert "nothing was loaded" not in err


def test_terminal_output_never_carries_control_characters(write_inventory: Writer) -> None:
    root = write_inventory(
        {
            "systems.yaml": (
                'kind: ai_system\nid: s1\nname: "evil \\e]0;title\\a \\e[31mred \\u202e"\n'
                "in_scope: true\nrisk_tier: high\n"
            )
        }
    )
    for args in (["check", str(root), *DATE], ["trace", str(root), "s1", *DATE]):
        _, out, err = run(*args)
        text = out + err
        assert "evil" in text
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text), args
        assert "\u202e" not in text


@pytest.mark.parametrize(
    "command", [["check"], ["soa"], ["query", "run", "iso42001/aims-scope"], ["schema"]]
)
def test_markdown_is_spelt_the_same_everywhere(acme: Path, command: list[str]) -> None:
    inventory = [] if command == ["schema"] else [str(acme)]
    dated = [] if command == ["schema"] else DATE
    outs = set()
    for spelling in ("md", "markdown"):
        code, out, err = run(*command, *inventory, "--format", spelling, *dated)
        assert code in (0, 1), err
        outs.add(out)
    assert len(outs) == 1 and "|" in outs.pop()


def test_a_web_page_is_not_poured_into_a_terminal(acme: Path) -> None:
    import pty
    import subprocess

    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "graphgov", "coverage", str(acme), *DATE],
        stdout=follower,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    os.close(follower)
    printed = os.read(leader, 65536).decode() if done.returncode == 0 else ""
    os.close(leader)
    assert done.returncode == 2, printed[:200]
    assert "this is a web page: give -o FILE.html" in done.stderr
    piped = subprocess.run(
        [sys.executable, "-m", "graphgov", "coverage", str(acme), *DATE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stdout.startswith("<!DOCTYPE html>")


def test_an_unknown_query_gets_a_suggestion_not_a_list() -> None:
    code, out, err = run("query", "show", "high-risk-without-human-oversigt")
    assert code == 2 and out == ""
    assert "did you mean 'high-risk-without-human-oversight'?" in err
    assert "supplier-blast-radius" not in err  # no list of every query
    assert "nothing was loaded" not in err  # nothing was being loaded


def test_an_unwritable_folder_is_one_line_and_exit_2(open_folder: Path) -> None:
    inventory = open_folder / "acme"
    examples.write("acme", inventory)
    for path in [inventory, *inventory.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    locked = open_folder / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    run("gaps", str(inventory), *DATE)  # every lazy import warmed while still root
    with unprivileged():
        into = run("gaps", str(inventory), *DATE, "-o", str(locked / "roadmap.md"))
        below = run("gaps", str(inventory), *DATE, "-o", str(locked / "new" / "roadmap.md"))
    code, out, err = into
    assert code == 2 and out == ""
    assert err.strip() == f"graphgov: cannot write {locked}/roadmap.md: Permission denied"
    code, out, err = below
    assert code == 2
    assert err.strip() == (f"graphgov: cannot create the folder {locked}/new: Permission denied")
    assert list(locked.iterdir()) == []


def test_a_version_given_as_the_inventory_says_where_versions_are_read() -> None:
    code, out, err = run("check", "main:acme/", *DATE)
    assert code == 2 and out == ""
    assert "no inventory folder or file 'main:acme/'" in err
    assert "`graphgov diff` and `check --baseline`" in err
