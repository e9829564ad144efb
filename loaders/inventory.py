"""The inventory folder: every .yaml, .yml and .csv file under it (hidden files and
folders aside), read in a stable order.

The folder is walked here rather than with Path.rglob, which skips what it cannot list:
a folder or file that cannot be read stops the load as an environment error naming it,
and a symbolic link that leads nowhere (or round in a loop) is a problem naming the
link, so no part of an inventory can silently go missing. File names reach the graph
and every message through ``path_text``, so a name that is not valid UTF-8 is shown
with ``\\xNN`` escapes instead of breaking the outputs that must encode it."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem, Problem
from graphgov.records import RawRecord
from graphgov.schema import Schema

from .csvfile import read_csv
from .yamlfile import read_yaml

FileReader = Callable[[Path, str, str, Schema | None], tuple[list[RawRecord], list[Problem]]]
READERS: dict[str, FileReader] = {".yaml": read_yaml, ".yml": read_yaml, ".csv": read_csv}


def inventory_files(root: Path) -> list[Path]:
    """The files of an inventory folder that graphgov reads, in a stable order. Raises
    EnvironmentProblem for a folder that cannot be listed."""
    files, _ = _walk(root)
    return files


def _walk(root: Path) -> tuple[list[Path], list[Problem]]:
    """The files to read under ``root`` and the problems with links found on the way."""
    try:
        info = root.stat()
    except FileNotFoundError:
        raise EnvironmentProblem(f"no such folder: {path_text(root)}") from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {path_text(root)}: {exc.strerror or exc}") from exc
    if not stat.S_ISDIR(info.st_mode):
        return [root], []
    files: list[Path] = []
    problems: list[Problem] = []
    _visit(root, {(info.st_dev, info.st_ino)}, files, problems)
    return sorted(files), problems


def _visit(
    folder: Path, ancestors: set[tuple[int, int]], files: list[Path], problems: list[Problem]
) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot read folder {path_text(folder)}: {exc.strerror or exc}"
        ) from exc
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        readable = Path(entry.name).suffix.lower() in READERS
        try:
            info = os.stat(path)  # follows links: what the entry leads to
        except FileNotFoundError:
            if entry.is_symlink() and readable:
                problems.append(_link_problem(path, "leads to nothing (a broken link)"))
            continue
        except OSError as exc:
            if entry.is_symlink() and exc.errno == errno.ELOOP:
                problems.append(_link_problem(path, "is a loop of symbolic links"))
                continue
            reason = exc.strerror or str(exc)
            raise EnvironmentProblem(f"cannot read {path_text(path)}: {reason}") from exc
        if stat.S_ISDIR(info.st_mode):
            identity = (info.st_dev, info.st_ino)
            if identity in ancestors:
                problems.append(
                    _link_problem(path, "leads back to a folder that contains it (a loop)")
                )
                continue
            _visit(path, ancestors | {identity}, files, problems)
        elif readable and stat.S_ISREG(info.st_mode):
            files.append(path)
        elif readable:
            problems.append(
                Problem(path_text(path), None, None, "is not a regular file; it cannot be read")
            )


def _link_problem(path: Path, what: str) -> Problem:
    try:
        target = path_text(os.readlink(path))
    except OSError:
        target = "?"
    return Problem(path_text(path), None, None, f"symbolic link to {target} {what}")


def read_inventory(
    root: Path, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Every record of an inventory folder (or of a single file) and every problem found
    reading them. Nothing is validated against ``schema`` here, but a CSV file's columns
    are read with it (the shipped schema by default). Raises EnvironmentProblem when a
    file or folder cannot be read."""
    files, problems = _walk(root)
    if not files and not problems:
        return [], [
            Problem(
                path_text(root),
                None,
                None,
                "no inventory files here (.yaml, .yml or .csv); "
                "`graphgov init DIR` writes a skeleton to start from",
            )
        ]
    records: list[RawRecord] = []
    single = files == [root]
    for path in files:
        relative = path.name if single else path.relative_to(root).as_posix()
        reader = READERS[path.suffix.lower()]
        found, issues = reader(path, path_text(path), path_text(relative), schema)
        records.extend(found)
        problems.extend(issues)
    return records, problems
