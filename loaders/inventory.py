"""The inventory folder: every .yaml, .yml and .csv file under it (hidden files and
folders aside), read in a stable order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graphgov.errors import EnvironmentProblem, Problem
from graphgov.records import RawRecord

from .csvfile import read_csv
from .yamlfile import read_yaml

FileReader = Callable[[Path, str, str], tuple[list[RawRecord], list[Problem]]]
READERS: dict[str, FileReader] = {".yaml": read_yaml, ".yml": read_yaml, ".csv": read_csv}


def inventory_files(root: Path) -> list[Path]:
    """The files of an inventory folder that graphgov reads, in a stable order."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise EnvironmentProblem(f"no such folder: {root}")
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in READERS
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def read_inventory(root: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Every record of an inventory folder (or of a single file) and every problem found
    reading them. Nothing is validated against the schema here."""
    files = inventory_files(root)
    if not files:
        return [], [
            Problem(
                str(root),
                None,
                None,
                "no inventory files here (.yaml, .yml or .csv); "
                "`graphgov init DIR` writes a skeleton to start from",
            )
        ]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for path in files:
        relative = path.name if root.is_file() else path.relative_to(root).as_posix()
        found, issues = READERS[path.suffix.lower()](path, str(path), relative)
        records.extend(found)
        problems.extend(issues)
    return records, problems
