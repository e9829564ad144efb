"""Shared fixtures: small inventory folders are written from readable inline texts."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from graphgov import examples

# Every test that depends on today's date uses this one instead.
AS_OF = date(2026, 11, 23)

Writer = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets a cache of its own (graphgov.cache), never the user's ~/.cache:
    no test sees what another one left there."""
    folder = tmp_path_factory.mktemp("graphgov-cache")
    monkeypatch.setenv("GRAPHGOV_CACHE_DIR", str(folder))
    monkeypatch.delenv("GRAPHGOV_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def write_inventory(tmp_path: Path) -> Writer:
    """Write {relative path: text} into a fresh folder and return the folder."""
    counter = iter(range(1000))

    def write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / f"inventory{next(counter)}"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return write


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """An editable copy of the example organisation."""
    dest = tmp_path / "acme"
    examples.write("acme", dest)
    return dest


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Run the body as the unprivileged user 'nobody' when the tests run as root (which
    ignores permission bits); otherwise as the current user."""
    if os.geteuid() != 0:
        yield
        return
    nobody = pwd.getpwnam("nobody")
    # only the effective ids change, so the body may read nothing root alone can, and
    # root is restored afterwards; the real user stays root so this is reversible
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def open_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder that the unprivileged user can reach (pytest's own is root-only)."""
    root = Path(tempfile.mkdtemp(prefix="graphgov-edges-"))
    folder = root / tmp_path.name
    folder.mkdir()
    for path in (root, folder):
        path.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(root)


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run graphgov's CLI in process: its exit code, stdout and stderr. A traceback (any
    exception but a clean exit) fails the test: a user's mistake must never give one."""
    from click.testing import CliRunner

    from graphgov.cli import cli

    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr
