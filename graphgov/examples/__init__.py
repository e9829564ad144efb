"""Example inventories shipped with graphgov: ``acme`` (a realistic lender with planted
gaps) and ``skeleton`` (a minimal commented start)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem
from graphgov.files import make_folder, write_file

EXAMPLES = ("acme", "skeleton")


def write(name: str, dest: Path) -> list[Path]:
    """Copy the example ``name`` into ``dest`` (which must be empty or absent); returns
    the files written."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise EnvironmentProblem(
            f"{path_text(dest)} already exists and is not empty; choose a new folder"
        )
    written: list[Path] = []
    _copy(resources.files(__name__).joinpath(name), dest, written)
    return written


@contextmanager
def folder(name: str) -> Iterator[Path]:
    """The example ``name`` as a folder on disk, for as long as the context lasts."""
    source = resources.files(__name__).joinpath(name)
    if isinstance(source, Path):
        yield source
        return
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / name
        _copy(source, dest, [])
        yield dest


def _copy(source: Traversable, dest: Path, written: list[Path]) -> None:
    make_folder(dest)
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        if item.name.startswith(("_", ".")):
            continue
        if item.is_dir():
            _copy(item, dest / item.name, written)
        else:
            write_file(dest / item.name, item.read_bytes())
            written.append(dest / item.name)
