"""The inventory folder: every .yaml, .yml, .csv, .xlsx, .ttl, .jsonld and .nt file under it
(hidden files and folders aside), read in a stable order; .xlsm and .xls workbooks are
refused with the way to save them as .xlsx.

The folder is walked here rather than with Path.rglob, which skips what it cannot list:
a folder or file that cannot be read stops the load as an environment error naming it,
and a symbolic link that leads nowhere (or round in a loop) is a problem naming the
link, so no part of an inventory can silently go missing. File names reach the graph
and every message through ``path_text``, so a name that is not valid UTF-8 is shown
with ``\\xNN`` escapes instead of breaking the outputs that must encode it.

``read_inventory`` also lists the files it would read (``read_inventory.files``), each
with its reader, so the pipeline can read them one at a time and keep what it made of
each unchanged file for the next run."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from graphgov.display import path_text
from graphgov.errors import EnvironmentProblem, Problem
from graphgov.records import FileReader, RawRecord, SourceFile
from graphgov.schema import Schema

from .bomfile import read_bom, wanted
from .csvfile import read_csv
from .rdffile import read_rdf
from .xlsxfile import read_macro_workbook, read_old_workbook, read_xlsx
from .yamlfile import read_yaml

READERS: dict[str, FileReader] = {
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".csv": read_csv,
    # Excel workbooks, a sheet per kind; macro-enabled and 97-2003 ones are refused
    ".xlsx": read_xlsx,
    ".xlsm": read_macro_workbook,
    ".xls": read_old_workbook,
    # RDF, as graphgov exports it (graphgov.rdf): Turtle, JSON-LD, N-Triples; a .jsonld
    # file that is an SPDX 3 AI-BOM is read as one (loaders/bomfile.py)
    ".ttl": read_rdf,
    ".jsonld": read_bom,
    ".nt": read_rdf,
    # AI-BOMs: CycloneDX JSON and SPDX 3; a .json file that is neither is not read
    ".json": read_bom,
}


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
            if wanted(path):  # a .json file only when it is an AI-BOM
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


class InventoryLoader:
    """The inventory loader: every .yaml, .yml and .csv file under a folder (or a single
    file), each read by the reader for its suffix (``READERS``)."""

    def __call__(
        self, root: Path, schema: Schema | None = None
    ) -> tuple[list[RawRecord], list[Problem]]:
        """Every record of an inventory folder (or of a single file) and every problem
        found reading them. Nothing is validated against ``schema`` here, but a CSV
        file's columns are read with it (the shipped schema by default). Raises
        EnvironmentProblem when a file or folder cannot be read."""
        files, problems = self.files(root)
        records: list[RawRecord] = []
        for file in files:
            found, issues = file.read(schema)
            records.extend(found)
            problems.extend(issues)
        return records, problems

    def files(
        self, root: Path, schema: Schema | None = None
    ) -> tuple[list[SourceFile], list[Problem]]:
        """The files of the inventory at ``root`` in the order they are read, each with
        its reader, and the problems found listing them (links that lead nowhere, or no
        inventory file at all). Reading every file in turn gives what calling the loader
        gives. Raises EnvironmentProblem for a folder that cannot be listed."""
        paths, problems = _walk(root)
        if not paths and not problems:
            return [], [
                Problem(
                    path_text(root),
                    None,
                    None,
                    "no inventory files here (.yaml, .yml, .csv, .xlsx, .ttl, .jsonld or .nt); "
                    "`graphgov init DIR` writes a skeleton to start from",
                )
            ]
        single = paths == [root]
        if single and root.suffix.lower() not in READERS:
            suffixes = ", ".join(READERS)
            return [], [Problem(path_text(root), None, None, f"not an inventory file ({suffixes})")]
        files = []
        for path in paths:
            relative = path.name if single else path.relative_to(root).as_posix()
            reader = READERS[path.suffix.lower()]
            files.append(SourceFile(path, path_text(path), path_text(relative), reader))
        return files, problems


read_inventory = InventoryLoader()
