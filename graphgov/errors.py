"""The project's own exceptions. The library raises these; the CLI turns them into
messages and exit codes (1 for a bad inventory, 2 for usage or environment errors)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where it is and, in plain words, why."""

    file: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class GraphgovError(Exception):
    """Base of every error graphgov raises on purpose."""


class InvalidInputError(GraphgovError):
    """An input (an inventory, a query pack) is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.reason))
        )
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")


class EnvironmentProblem(GraphgovError):
    """Something outside the input is wrong: a missing path, an unreadable file, a store
    that cannot be reached."""


class SchemaError(GraphgovError):
    """The ontology itself is inconsistent (a bug in graphgov or in a user's extension)."""


class StoreConflictError(GraphgovError):
    """Records clash with what the store already holds; nothing was written."""
