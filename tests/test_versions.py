"""Versions of an inventory read from real git repositories made here (commits, a rename,
a deletion, a merge, links, a submodule): what each revision held, never the work tree or
the index, and hostile revision and path text that never reaches a shell or acts as an
option to git."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from graphgov.errors import EnvironmentProblem
from graphgov.versions import GitProblem, Version, checkout, extract, git


class Repo:
    """A git repository in a test's folder, driven by the real git."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self("init", "-q", "-b", "main")
        self("config", "user.name", "Test")
        self("config", "user.email", "test@example.org")
        self("config", "commit.gpgsign", "false")

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str] | None = None) -> str:
        self.write(files or {})
        self("add", "-A")
        self("commit", "-q", "-m", message)
        return self("rev-parse", "HEAD")


def tree_of(version: Version) -> dict[str, str]:
    """Every file of a version, by path relative to it, with its text."""
    if version.path.is_file():
        return {"": version.path.read_text(encoding="utf-8")}
    return {
        p.relative_to(version.path).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(version.path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def history(tmp_path: Path) -> Iterator[tuple[Repo, dict[str, str]]]:
    """A repository whose inventory went through a few commits: first, a rename, a
    deletion, and a merge of a branch; the commit ids by name."""
    repo = Repo(tmp_path / "repo")
    ids = {}
    ids["first"] = repo.commit(
        "first",
        {
            "acme/systems.yaml": "a: 1\n",
            "acme/risks/r.yaml": "r: 1\n",
            "acme/old-name.yaml": "moved: yes\n",
            "README.md": "top\n",
        },
    )
    repo("mv", "acme/old-name.yaml", "acme/new-name.yaml")
    ids["renamed"] = repo.commit("rename")
    repo("rm", "-q", "acme/risks/r.yaml")
    ids["deleted"] = repo.commit("delete")
    repo("checkout", "-q", "-b", "feature")
    ids["feature"] = repo.commit("feature", {"acme/feature.yaml": "f: 1\n"})
    repo("checkout", "-q", "main")
    ids["main-side"] = repo.commit("main side", {"acme/systems.yaml": "a: 2\n"})
    repo("merge", "-q", "--no-ff", "-m", "merge", "feature")
    ids["merge"] = repo("rev-parse", "HEAD")
    yield repo, ids


# -- what each revision held -------------------------------------------------------------


def test_each_revision_is_what_was_committed(
    history: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, ids = history
    monkeypatch.chdir(repo.root)
    expected = {
        "first": {
            "systems.yaml": "a: 1\n",
            "risks/r.yaml": "r: 1\n",
            "old-name.yaml": "moved: yes\n",
        },
        "renamed": {
            "systems.yaml": "a: 1\n",
            "risks/r.yaml": "r: 1\n",
            "new-name.yaml": "moved: yes\n",
        },
        "deleted": {"systems.yaml": "a: 1\n", "new-name.yaml": "moved: yes\n"},
        "merge": {
            "systems.yaml": "a: 2\n",
            "new-name.yaml": "moved: yes\n",
            "feature.yaml": "f: 1\n",
        },
    }
    for name, files in expected.items():
        with checkout(f"{ids[name]}:acme/") as version:
            assert version.revision == ids[name]
            assert version.shown == f"{ids[name]}:acme/"
            assert version.path.name == "acme"
            assert tree_of(version) == files, name
    # revisions named as git names them: a branch, a parent of a merge, an abbreviation
    with checkout("main~1:acme") as version:
        assert version.revision == ids["main-side"]
    with checkout("main^2:acme") as version:
        assert version.revision == ids["feature"]
    with checkout(f"{ids['first'][:10]}:acme/systems.yaml") as version:
        assert version.path.name == "systems.yaml" and tree_of(version) == {"": "a: 1\n"}


def test_a_path_is_read_from_the_current_folder_or_from_the_top(
    history: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, ids = history
    monkeypatch.chdir(repo.root)
    with checkout("main:acme/") as version:
        whole = tree_of(version)
    assert whole["systems.yaml"] == "a: 2\n"
    for spec in ("main:./acme", "main:acme", "main:acme//", "main:/acme", "main:x/../acme"):
        with checkout(spec) as version:
            assert tree_of(version) == whole, spec
            assert version.where == "acme", spec  # from the current folder, to show
    monkeypatch.chdir(repo.root / "acme")
    for spec in ("main:", "main:.", "main:./", "main:/acme", "main:../acme"):
        with checkout(spec) as version:
            assert tree_of(version) == whole, spec
            assert version.where == ".", spec
    # cwd is where PATH starts: acme/risks/ is gone on main, and there on the first commit
    missing = pytest.raises(GitProblem, match="'acme/risks' is not in revision")
    with missing, checkout("main:risks", cwd=repo.root / "acme"):
        pass
    with checkout(f"{ids['first']}:risks", cwd=repo.root / "acme") as version:
        assert tree_of(version) == {"r.yaml": "r: 1\n"}
    # the top of the repository itself
    with checkout("main:/") as version:
        assert version.path.name == "tree" and tree_of(version)["README.md"] == "top\n"


def test_a_folder_is_itself_and_nothing_is_copied(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    with checkout(str(folder)) as version:
        assert version == Version(folder, str(folder), None)
    with checkout("plain", cwd=tmp_path) as version:
        assert version.path == tmp_path / "plain" and version.revision is None
    # a folder whose name looks like REV:PATH is the folder: what exists comes first
    odd = tmp_path / "main:acme"
    odd.mkdir()
    with checkout("main:acme", cwd=tmp_path) as version:
        assert version.path == odd and version.revision is None


def test_the_temporary_folder_is_removed_even_when_the_block_fails(
    history: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    with checkout("main:acme") as version:
        kept = version.path
        assert kept.is_dir() and not kept.is_relative_to(repo.root)
    assert not kept.exists() and not kept.parent.exists()
    with pytest.raises(RuntimeError), checkout("main:acme") as version:
        kept = version.path
        raise RuntimeError("stop")
    assert not kept.parent.exists()


# -- the work tree and the index are never touched ---------------------------------------


def _state(repo: Repo) -> tuple[str, str, str, bytes, str]:
    index = (repo.root / ".git" / "index").read_bytes()
    files = "".join(
        f"{p}:{hashlib.sha256(p.read_bytes()).hexdigest()}\n"
        for p in sorted((repo.root / "acme").rglob("*"))
        if p.is_file()
    )
    refs = repo("for-each-ref")
    return (
        repo("status", "--porcelain", "--untracked-files=all"),
        files,
        refs,
        index,
        repo("stash", "list"),
    )


def test_reading_a_revision_leaves_the_work_tree_and_the_index_alone(
    history: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, ids = history
    monkeypatch.chdir(repo.root)
    repo.write({"acme/systems.yaml": "a: edited, not staged\n", "acme/untracked.yaml": "u\n"})
    repo.write({"acme/new-name.yaml": "staged\n"})
    repo("add", "acme/new-name.yaml")
    before = _state(repo)
    for spec in (f"{ids['first']}:acme", "main:acme", "HEAD:acme/systems.yaml"):
        with checkout(spec) as version:
            assert "edited" not in "".join(tree_of(version).values())
            assert "staged" not in "".join(tree_of(version).values())
    extract(repo.root, ids["renamed"], "acme", repo.root.parent / "out")
    assert _state(repo) == before
    assert (repo.root / "acme" / "systems.yaml").read_text() == "a: edited, not staged\n"


# -- links and submodules ----------------------------------------------------------------


def test_links_are_copies_inside_the_path_and_never_lead_out(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    secret = tmp_path / "secret.yaml"
    secret.write_text("secret: outside\n", encoding="utf-8")
    repo.write({"acme/real.yaml": "real: 1\n", "other/elsewhere.yaml": "e: 1\n"})
    links = {
        "acme/alias.yaml": "real.yaml",
        "acme/chain.yaml": "alias.yaml",
        "acme/absolute.yaml": str(secret),
        "acme/escape.yaml": "../../secret.yaml",
        "acme/sideways.yaml": "../other/elsewhere.yaml",
        "acme/loop.yaml": "loop.yaml",
        "acme/folder": ".",
    }
    for name, target in links.items():
        os.symlink(target, repo.root / name)
    commit = repo.commit("links")
    with checkout(f"{commit}:acme", cwd=repo.root) as version:
        files = tree_of(version)
        assert files == {
            "real.yaml": "real: 1\n",
            "alias.yaml": "real: 1\n",
            "chain.yaml": "real: 1\n",
        }
        written = [p for p in version.path.rglob("*")]
        assert not any(p.is_symlink() for p in written)
        skipped = "\n".join(version.skipped)
    for name in ("absolute.yaml", "escape.yaml", "sideways.yaml", "loop.yaml", "folder"):
        assert f"{name}: a symbolic link" in skipped
    assert "secret: outside" not in str(files)


def test_a_large_file_is_streamed_to_disk_not_held_in_memory(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    big = b"x" * (48 * 1024 * 1024)  # an image or archive kept beside the inventory
    (repo.root / "acme").mkdir()
    (repo.root / "acme" / "scan.bin").write_bytes(big)
    commit = repo.commit("a large file", {"acme/real.yaml": "real: 1\n", "acme/copy.bin": ""})
    tracemalloc.start()
    try:
        with checkout(f"{commit}:acme", cwd=repo.root) as version:
            _, peak = tracemalloc.get_traced_memory()
            assert (version.path / "scan.bin").stat().st_size == len(big)
            assert (version.path / "real.yaml").read_text() == "real: 1\n"
            assert (version.path / "copy.bin").read_bytes() == b""
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # a chunk at a time, never the whole 48 MiB


def test_a_submodule_is_left_out_with_a_note(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    commit_id = repo.commit("one", {"acme/a.yaml": "a: 1\n"})
    # a gitlink: what `git submodule add` records, pointing at a commit of elsewhere
    repo("update-index", "--add", "--cacheinfo", f"160000,{commit_id},acme/vendored")
    repo("commit", "-q", "-m", "with a submodule")
    with checkout("main:acme", cwd=repo.root) as version:
        assert tree_of(version) == {"a.yaml": "a: 1\n"}
        assert version.skipped == ("vendored: a submodule; left out",)


# -- git and extract for other commands --------------------------------------------------


def test_git_and_extract_read_one_commit(history: tuple[Repo, dict[str, str]]) -> None:
    repo, ids = history
    assert git(repo.root, "rev-parse", "main").decode().strip() == ids["merge"]
    out = repo.root.parent / "extracted"
    out.mkdir()
    written = extract(repo.root, ids["deleted"], "acme", out)
    assert written == out / "acme"
    assert sorted(p.name for p in written.iterdir()) == ["new-name.yaml", "systems.yaml"]
    single = extract(repo.root, "main", "acme/feature.yaml", out)
    assert single == out / "feature.yaml" and single.read_text() == "f: 1\n"
    with pytest.raises(GitProblem, match="outside the git repository"):
        extract(repo.root, "main", "../x", out)
    with pytest.raises(GitProblem, match="no revision"):
        git_missing = "no-such-branch"
        extract(repo.root, git_missing, "acme", out)


# -- what is not there: one line, rc 2 ---------------------------------------------------


def test_what_is_missing_is_one_plain_line(
    history: tuple[Repo, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    cases = {
        "no-such-branch:acme": "no revision 'no-such-branch'",
        "main:not-there": "'not-there' is not in revision",
        "main:../../etc": "leads outside the git repository",
        ":acme": "name a revision before the ':'",
        "missing-folder": "no such folder or file: 'missing-folder'",
    }
    for spec, said in cases.items():
        with pytest.raises(GitProblem) as caught, checkout(spec):
            pass
        assert said in str(caught.value), spec
        assert "\n" not in str(caught.value)
        assert isinstance(caught.value, EnvironmentProblem)
    # not in a git repository at all (the ceiling keeps git from looking above tmp_path)
    lone = tmp_path / "lone"
    lone.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    outside = pytest.raises(GitProblem, match="not in a git repository")
    with outside, checkout("main:acme", cwd=lone):
        pass


def test_without_git_installed_the_reason_is_said(
    history: tuple[Repo, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitProblem, match="git is not installed"), checkout("main:acme"):
        pass


def test_the_cli_says_one_line_and_exits_2(
    history: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch, acme: Path
) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    for spec in ("no-such-branch:acme", "main:not-there", "main:../../x", "nothing-here"):
        rc, out, err = run_cli("check", str(acme), "--as-of", "2026-11-23", "--baseline", spec)
        assert rc == 2, (spec, err)
        assert out == ""
        assert len(err.strip().splitlines()) == 1 and err.startswith("graphgov: "), err
        assert "Traceback" not in err


# -- hostile revisions, paths and repositories -------------------------------------------


HOSTILE = (
    "--upload-pack=touch {payload}:acme",
    "--output={payload}:acme",
    "-h:acme",
    "--exec=touch {payload}:acme",
    "main; touch {payload}:acme",
    "$(touch {payload}):acme",
    "`touch {payload}`:acme",
    "main:acme; touch {payload}",
    "main:$(touch {payload})",
    "main:../../../../{payload}",
    "main:--output={payload}",
    "HEAD --output={payload}:acme",
    "main:acme\n--output={payload}",
)


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_text_never_reaches_a_shell_or_acts_as_an_option(
    history: tuple[Repo, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    acme: Path,
    template: str,
) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    payload = tmp_path / "payload"
    spec = template.format(payload=payload)
    with pytest.raises(GitProblem) as caught, checkout(spec):
        pass
    assert "\n" not in str(caught.value)
    rc, _, err = run_cli("check", str(acme), "--as-of", "2026-11-23", "--baseline", spec)
    assert rc == 2 and len(err.strip().splitlines()) == 1, err
    assert not payload.exists()
    assert not (repo.root / payload.name).exists()
    assert repo("status", "--porcelain") == ""


def test_a_repository_s_own_configuration_runs_nothing(tmp_path: Path) -> None:
    """A repository someone else prepared may set commands in its configuration; reading
    a revision runs none of them."""
    repo = Repo(tmp_path / "repo")
    repo.commit("one", {"acme/a.yaml": "a: 1\n"})
    payload = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {payload}\n", encoding="utf-8")
    hook.chmod(0o755)
    for key in ("core.fsmonitor", "core.pager", "pager.cat-file", "pager.ls-tree"):
        repo("config", key, str(hook))
    repo("config", "core.hooksPath", str(tmp_path))
    with checkout("main:acme", cwd=repo.root) as version:
        assert tree_of(version) == {"a.yaml": "a: 1\n"}
    assert not payload.exists()


def test_git_s_environment_cannot_point_it_elsewhere(
    history: tuple[Repo, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, ids = history
    other = Repo(tmp_path / "other")
    other.commit("other", {"acme/systems.yaml": "from: the other repository\n"})
    monkeypatch.setenv("GIT_DIR", str(other.root / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other.root))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "nowhere"))
    with checkout("main:acme", cwd=repo.root) as version:
        assert version.revision == ids["merge"]
        assert tree_of(version)["systems.yaml"] == "a: 2\n"


def test_hostile_file_names_in_a_tree_are_written_as_plain_files(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    names = ["-rf.yaml", "$(touch x).yaml", "a b; c.yaml", "--output=x.yaml", "é ü.yaml"]
    repo.commit("odd names", {f"acme/{n}": f"name: {i}\n" for i, n in enumerate(names)})
    with checkout("main:acme", cwd=repo.root) as version:
        assert sorted(tree_of(version)) == sorted(names)
    assert sorted(p.name for p in (repo.root / "acme").iterdir()) == sorted(names)
    assert not (repo.root / "x").exists() and not (tmp_path / "x").exists()
