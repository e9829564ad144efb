"""The project's own exceptions. The library raises these; the CLI turns them into
messages and exit codes (1 for a bad inventory, 2 for usage or environment errors)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graphgov.display import printable, quoted

# A message listing more problems than this helps nobody, and keeping millions of them
# is how a hostile file exhausts memory; the rest are only counted.
MAX_PROBLEMS = 1000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where it is and, in plain words, why."""

    file: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        name = self.field
        if name and _needs_quotes(name):
            name = quoted(name)
        text = f"{where}: {name}: {self.reason}" if name else f"{where}: {self.reason}"
        # file names, field names and reasons all carry input text: one printable line
        # each, so no input can forge another problem's line or act on a terminal
        return printable(text, one_line=True)


def _needs_quotes(field: str) -> bool:
    # ordinary field names stay bare so messages read naturally; any other is quoted
    return printable(field, one_line=True) != field or ": " in field or field != field.strip()


@dataclass(frozen=True, order=True)
class MoreProblems(Problem):
    """Stands for ``count`` further problems a reader found in ``file`` but did not keep.
    InvalidInputError adds them to ``omitted`` instead of listing them."""

    count: int = field(default=0, compare=False)


class ProblemList(list[Problem]):
    """The problems of one source, keeping at most ``limit`` and counting the rest, so a
    file with millions of bad values costs a counter rather than millions of objects."""

    def __init__(self, file: str, limit: int = MAX_PROBLEMS) -> None:
        super().__init__()
        self.file = file
        self.limit = limit
        self.dropped = 0

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.dropped += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def kept(self) -> list[Problem]:
        """The problems kept, followed by a MoreProblems for those only counted."""
        more: list[Problem] = []
        if self.dropped:
            more.append(
                MoreProblems(self.file, None, None, f"{self.dropped:,} more problems", self.dropped)
            )
        return [*self, *more]


class GraphgovError(Exception):
    """Base of every error graphgov raises on purpose."""


class InvalidInputError(GraphgovError):
    """An input (an inventory, a query pack) is invalid; carries every problem found.

    ``problems`` holds at most MAX_PROBLEMS of them, in file and line order; ``omitted``
    is how many more were found and not kept (pass ``omitted`` when re-raising with the
    problems of an earlier InvalidInputError, so the count is not lost)."""

    def __init__(self, problems: Iterable[Problem], omitted: int = 0) -> None:
        listed: list[Problem] = []
        for problem in problems:
            if isinstance(problem, MoreProblems):
                omitted += problem.count
            else:
                listed.append(problem)
        listed.sort(key=lambda p: (p.file, p.line or 0, p.field or "", p.reason))
        self.problems: tuple[Problem, ...] = tuple(listed[:MAX_PROBLEMS])
        self.omitted: int = omitted + max(0, len(listed) - MAX_PROBLEMS)
        count = len(self.problems)
        if self.omitted:
            message = (
                f"{count:,} problem{'s' if count != 1 else ''} shown and {self.omitted:,} more"
            )
        else:
            message = f"{count:,} problem{'s' if count != 1 else ''} found"
        super().__init__(message)


class EnvironmentProblem(GraphgovError):
    """Something outside the input is wrong: a missing path, an unreadable file, a store
    that cannot be reached."""


class SchemaError(GraphgovError):
    """The ontology itself is inconsistent (a bug in graphgov or in a user's extension)."""


class StoreConflictError(GraphgovError):
    """Records clash with what the store already holds; nothing was written."""
