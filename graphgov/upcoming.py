"""What lapses next: the findings that the checks will start to report between the as-of
date and a horizon (evidence expiring, impact assessments and the AI policy falling due
for review, suppliers due for reassessment, a serious incident's reporting period
running out, ...), each with the day it falls due and the line behind it.

The rules are the checks' own, not restated here: every check whose parameters depend
on the day (``$as_of``, a date counted back from it, ``$months_before_as_of``) is run on
each day of the window, and an item is a finding that a day has and the day before did
not. Its due date is that day before: the last day the record is in good standing (an
evidence item's ``valid_until``, a ``next_review``); ``check --as-of`` reports it from
the next day. What has already lapsed on the as-of date is the checks' business, not
this module's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from graphgov.dates import months_before
from graphgov.display import quoted
from graphgov.findings import Finding, Identity, findings, identity
from graphgov.frameworks import Frameworks, load_frameworks
from graphgov.packs import Query
from graphgov.runner import run_all
from graphgov.schema import natural_key
from graphgov.store.base import GraphStore

DAY = timedelta(days=1)
# ten years of days: every day is judged, so the window is bounded
MAX_DAYS = 3660
_WITHIN = re.compile(r"([0-9]{1,5})([dwm])")
# said by every format: an empty window is not a clean bill of health
NOTE = (
    "Each item is in good standing for the last day on its due date; the check reports it "
    "from the next day. What has already lapsed is reported by graphgov check, not here."
)


@dataclass(frozen=True)
class Due:
    """One record falling due: on ``due`` it is in good standing for the last day, and
    from the next day ``finding`` is what ``check --as-of`` reports about it."""

    due: date
    finding: Finding

    @property
    def lapses_on(self) -> date:
        """The first day ``check --as-of`` reports it."""
        return self.due + DAY


@dataclass(frozen=True)
class Upcoming:
    """Everything falling due from ``as_of`` to ``until`` (both included), by date
    then record id in natural order; ``checks`` are the checks that depend on the day
    (the ones watched)."""

    as_of: date
    until: date
    items: tuple[Due, ...]
    checks: tuple[str, ...]


def horizon(as_of: date, within: str) -> date:
    """The last day of a window written as a whole number of days, weeks or calendar
    months (``90d``, ``12w``, ``3m``) after ``as_of``. Raises ValueError with a reason
    that reads after the option's name."""
    match = _WITHIN.fullmatch(within.strip().lower())
    if match is None:
        raise ValueError(
            "must be a number of days, weeks or months, such as 90d, 12w or 3m "
            f"(got {quoted(within)})"
        )
    count, unit = int(match.group(1)), match.group(2)
    try:
        if unit == "m":
            until = months_before(as_of, -count)
        else:
            until = as_of + timedelta(days=count * (7 if unit == "w" else 1))
    except (OverflowError, ValueError):
        until = date.max
    if until - as_of > timedelta(days=MAX_DAYS):
        raise ValueError(f"must be at most {MAX_DAYS} days (ten years); got {quoted(within)}")
    if until >= date.max:  # the day after the window must be a date too
        raise ValueError(f"{quoted(within)} reaches past the last day of the calendar")
    return until


def dated_checks(queries: Iterable[Query], as_of: date) -> list[Query]:
    """The checks among ``queries`` whose parameters change from one day to the next:
    those whose findings the passing of time can change."""
    return [
        q
        for q in queries
        if q.definition.kind == "check" and q.parameters({}, as_of) != q.parameters({}, as_of + DAY)
    ]


def upcoming(
    store: GraphStore,
    queries: Sequence[Query],
    as_of: date,
    until: date,
    frameworks: Frameworks | None = None,
) -> Upcoming:
    """What the checks among ``queries`` will start to report after ``as_of`` and up to
    the day after ``until``: each item falls due (is in good standing for the last day)
    between ``as_of`` and ``until``. A record that lapses, is put right and lapses
    again within the window is listed each time."""
    known = frameworks or load_frameworks()
    watched = dated_checks(queries, as_of)
    before = _subjects(findings(run_all(watched, store, {}, as_of), known))
    items: list[Due] = []
    day = as_of
    while day <= until:
        day += DAY
        now = _subjects(findings(run_all(watched, store, {}, day), known))
        for key, f in now.items():
            if key not in before:
                items.append(Due(day - DAY, f))
        before = now
    items.sort(key=lambda d: (d.due, natural_key(d.finding.id), d.finding.query, d.finding.label))
    return Upcoming(as_of, until, tuple(items), tuple(sorted(q.ref for q in watched)))


def _subjects(found: Iterable[Finding]) -> dict[Identity, Finding]:
    """The findings by identity (what their fingerprints digest): what tells one
    finding from another across days."""
    out: dict[Identity, Finding] = {}
    for f in found:
        out.setdefault(identity(f), f)
    return out
