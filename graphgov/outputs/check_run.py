"""What a check run produced, as every findings format sees it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath

from graphgov import __version__
from graphgov.findings import ABSENT, BASELINE_STATES, NEW, UNCHANGED, Comparison, Finding, compare
from graphgov.frameworks import Frameworks, Reference, load_frameworks
from graphgov.graph import Source
from graphgov.packs import Query
from graphgov.runner import Result

VERSION = __version__


@dataclass(frozen=True)
class Baseline:
    """The version a check run was compared with (``check --baseline``) and how each
    finding stands against it."""

    shown: str  # the version as the user named it: "main:acme/", "old-acme/"
    revision: str | None  # the full commit id when it came from git
    inventory: str  # the inventory's path as the absent findings' files are shown
    comparison: Comparison
    # what the revision held and was not read (versions.Version.skipped)
    skipped: tuple[str, ...] = ()

    @property
    def absent(self) -> tuple[Finding, ...]:
        """The baseline's findings that are no longer found (resolved)."""
        return self.comparison.absent


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
    # set when the run was compared with a baseline: new, unchanged and absent findings
    baseline: Baseline | None = None

    def state(self, index: int) -> str | None:
        """How ``findings[index]`` stands against the baseline (NEW or UNCHANGED), or
        None without a baseline."""
        return None if self.baseline is None else self.baseline.comparison.states[index]

    def marked(self) -> list[tuple[Finding, str | None]]:
        """Every finding with its state against the baseline (None without one)."""
        return [(f, self.state(i)) for i, f in enumerate(self.findings)]

    @property
    def gated(self) -> tuple[Finding, ...]:
        """The findings ``--fail-on`` judges: the new ones with a baseline, else all."""
        if self.baseline is None:
            return self.findings
        return tuple(f for f, state in self.marked() if state == NEW)

    def state_counts(self) -> dict[str, int]:
        """How many findings are new, unchanged and absent (empty without a baseline)."""
        if self.baseline is None:
            return {}
        counts = dict.fromkeys(BASELINE_STATES, 0)
        for state in self.baseline.comparison.states:
            counts[state] += 1
        counts[ABSENT] = len(self.baseline.absent)
        return counts

    def baseline_summary(self) -> str | None:
        """One line, ``3 new, 12 unchanged, 2 resolved since main:acme/ (1a2b3c4d5e6f)``,
        or None without a baseline. The version's name is the user's text: escape it
        for the format it goes into."""
        if self.baseline is None:
            return None
        counts = self.state_counts()
        since = self.baseline.shown
        if self.baseline.revision:
            since += f" ({self.baseline.revision[:12]})"
        return (
            f"{counts[NEW]} new, {counts[UNCHANGED]} unchanged, {counts[ABSENT]} resolved "
            f"since {since}"
        )

    def absent_location(self, f: Finding) -> str:
        """Where an absent finding was, in the baseline (as ``location`` is for a current
        one)."""
        return location(self._absent_base, f.source)

    def absent_path(self, f: Finding) -> str | None:
        """The file of an absent finding in the baseline, as ``path`` is for a current one."""
        return inventory_path(self._absent_base, f.source)

    @property
    def _absent_base(self) -> str:
        return self.baseline.inventory if self.baseline is not None else self.inventory

    def references(self, query: Query) -> tuple[Reference, ...]:
        """The framework requirements a check evidences, directly and through the
        crosswalks (the same for every finding of the check)."""
        return self.frameworks.references(query.direct_references)

    def path(self, source: Source) -> str | None:
        return inventory_path(self.inventory, source)

    def location(self, source: Source) -> str:
        return location(self.inventory, source)

    def count(self, result: Result) -> int:
        return sum(1 for f in self.findings if f.query == result.query.ref)


def with_baseline(
    run: CheckRun,
    before: CheckRun,
    shown: str,
    revision: str | None = None,
    inventory: str | None = None,
    skipped: tuple[str, ...] = (),
) -> CheckRun:
    """``run`` compared with ``before``, the same checks run on a baseline version that
    the user named ``shown`` (``revision``: its commit id when read from git;
    ``inventory``: its path as the absent findings' files are shown, by default
    ``before``'s; ``skipped``: what the version held and was not read)."""
    where = before.inventory if inventory is None else inventory
    found = Baseline(shown, revision, where, compare(run.findings, before.findings), skipped)
    return replace(run, baseline=found)


def location(inventory: str, source: Source) -> str:
    """``folder/file:line`` as ``check`` prints it (the file alone for a source with no
    line)."""
    path = inventory_path(inventory, source) or source.file
    return path if source.line is None else f"{path}:{source.line}"


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
