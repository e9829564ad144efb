"""What a check run produced, as every findings format sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from graphgov import __version__
from graphgov.findings import Finding
from graphgov.frameworks import Frameworks, Reference, load_frameworks
from graphgov.graph import Source
from graphgov.packs import Query
from graphgov.runner import Result

VERSION = __version__


@dataclass(frozen=True)
class CheckRun:
    """The checks that ran, their findings, and the inventory they ran on."""

    results: tuple[Result, ...]
    findings: tuple[Finding, ...]
    inventory: str
    as_of: date
    # the frameworks the findings' references name (default: those shipped)
    frameworks: Frameworks = field(default_factory=load_frameworks)
    # when given, the findings are shown by this framework's requirements
    framework: str | None = None

    def references(self, query: Query) -> tuple[Reference, ...]:
        """The framework requirements a check evidences, directly and through the
        crosswalks (the same for every finding of the check)."""
        return self.frameworks.references(query.direct_references)

    def path(self, source: Source) -> str | None:
        return inventory_path(self.inventory, source)

    def location(self, source: Source) -> str:
        path = self.path(source) or source.file
        return path if source.line is None else f"{path}:{source.line}"

    def count(self, result: Result) -> int:
        return sum(1 for f in self.findings if f.query == result.query.ref)


def inventory_path(inventory: str, source: Source) -> str | None:
    """The path of a source file as the user knows it, or None for a source outside the
    inventory (the catalogue shipped with graphgov)."""
    if source.file.startswith("graphgov:"):
        return None
    if not inventory:
        return source.file
    base = PurePosixPath(inventory)
    # a single-file inventory is its own source file
    return str(base) if base.suffix in (".yaml", ".yml", ".csv") else str(base / source.file)
