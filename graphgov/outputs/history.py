"""Posture over time (``graphgov.history``) as a page with a chart, CSV and JSON. The
chart is an inline SVG drawn by the template from coordinates computed here: no script,
nothing fetched, the same bytes for the same series. Commit subjects are text from the
repository, as untrusted as the inventory: escaped per format like any other."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graphgov.display import plural
from graphgov.history import History, Point
from graphgov.outputs.cells import json_text
from graphgov.outputs.check_run import VERSION
from graphgov.outputs.data import csv_table
from graphgov.outputs.html import page
from graphgov.packs import SEVERITIES

# colours by rank of severity, least severe first (the vocabulary is the ontology's)
PALETTE = ("#375a7f", "#b7791f", "#c2410c", "#a11d1d")
WIDTH, HEIGHT = 1100, 340  # the viewBox; the page scales it to the card's width
LEFT, RIGHT, TOP, BOTTOM = 48, 40, 16, 56
TICK_WIDTH = 90  # room for one date label under the x axis
SPREAD = 8.0  # between the marks of commits made on the same day, so each can be hovered
SPREAD_SHARE = 0.25  # at most this share of the width goes to spreading them
ONE_DAY_SPREAD = 40.0  # between marks when every commit is of one day
COLUMNS = ("date", "commit", "subject", "status", *SEVERITIES, "total", "problems")


@dataclass(frozen=True)
class Series:
    """One severity's line: its colour, the polylines (broken where a point was not
    valid) and a marker per valid point."""

    severity: str
    colour: str
    lines: tuple[str, ...]
    marks: tuple[tuple[str, str, str], ...]  # (x, y, tooltip)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: int
    right: int
    top: int
    y_ticks: tuple[tuple[str, int], ...]  # (y, value)
    x_ticks: tuple[tuple[str, str], ...]  # (x, label)
    series: tuple[Series, ...]
    gaps: tuple[tuple[str, str, str], ...]  # (x, status, tooltip) of points not valid


def _n(value: float) -> str:
    return f"{value:.1f}"


def _tooltip(p: Point) -> str:
    head = f"{p.commit.day.isoformat()} {p.commit.short}: {p.commit.subject}"
    if p.status != "valid":
        problems = f" ({plural(p.problems, 'problem')})" if p.status == "invalid" else ""
        return f"{head}\ninventory {p.status}{problems}"
    counts = ", ".join(f"{p.counts[s]} {s}" for s in reversed(SEVERITIES))
    return f"{head}\n{counts}"


def _step(highest: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most five steps."""
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            if highest <= 5 * step:
                return step
        scale *= 10


class TimeAxis:
    """x in proportion to the day: ``per_day`` pixels a day, from ``left`` at the first
    day to ``left + span`` at the last. The commits of one day sit side by side, ``gap``
    apart from their day's place on (the days after moved on by as much: ``SPREAD``, less
    when so many would take more than ``SPREAD_SHARE`` of the width), so every mark can
    be hovered and days between such crowds keep their exact proportions; a tick on such
    a day is at the middle of its commits. When every commit is of one day they sit
    about the middle of the width."""

    def __init__(self, days: Sequence[date], left: float, span: float) -> None:
        crowd = Counter(days)
        self.days = sorted(crowd)
        self.first, last = self.days[0], self.days[-1]
        self.crowd = crowd
        extra = len(days) - len(self.days)  # commits after the first of their day
        self.before: list[int] = [0]  # extra commits on the days before days[i]
        for day in self.days:
            self.before.append(self.before[-1] + crowd[day] - 1)
        if self.first == last:
            self.gap = min(ONE_DAY_SPREAD, span / extra) if extra else 0.0
            self.per_day = 0.0
            self.origin = left + (span - self.gap * extra) / 2
        else:
            self.gap = min(SPREAD, span * SPREAD_SHARE / extra) if extra else 0.0
            self.per_day = (span - self.gap * extra) / (last - self.first).days
            self.origin = left

    def x(self, day: date, nth: float | None = None) -> float:
        """The place of the ``nth`` commit (from 0) of ``day``; of the middle of the day's
        commits (or of a day with none, e.g. a tick) when ``nth`` is None."""
        i = bisect_left(self.days, day)
        base = self.origin + self.per_day * (day - self.first).days + self.gap * self.before[i]
        if nth is None:
            nth = (self.crowd[day] - 1) / 2 if day in self.crowd else 0
        return base + self.gap * nth


def _calendar(first: date, last: date, unit: str, step: int) -> list[date]:
    """The days from ``first`` to ``last`` that start a ``unit``: every ``step``-th day
    from the first; the Mondays, months and years whose number is a multiple of
    ``step`` (so months by 3 are quarters)."""
    if unit == "day":
        return [first + timedelta(days=i) for i in range(0, (last - first).days + 1, step)]
    if unit == "week":
        monday = first + timedelta(days=-first.weekday() % 7)
        mondays = (monday + timedelta(days=i) for i in range(0, (last - monday).days + 1, 7))
        return [d for d in mondays if ((d.toordinal() - 1) // 7) % step == 0]
    index = first.year * 12 + first.month - 1 + (first.day > 1)  # the first 1st on or after
    found = []
    while (day := date(index // 12, index % 12 + 1, 1)) <= last:
        number = index if unit == "month" else day.year if day.month == 1 else None
        if number is not None and number % step == 0:
            found.append(day)
        index += 1
    return found


def date_ticks(first: date, last: date, most: int) -> tuple[list[date], str]:
    """Ticks at calendar intervals fitting ``most`` labels: days, weeks (Mondays),
    months or years, whichever is the finest that fits; and how to label them."""
    for unit, steps in (
        ("day", (1, 2)),
        ("week", (1, 2)),
        ("month", (1, 2, 3, 6)),
        ("year", (1, 2, 5, 10, 20, 50, 100)),
    ):
        for step in steps:
            found = _calendar(first, last, unit, step)
            if 0 < len(found) <= most:
                return found, unit
    return [first], "day"


def _label(day: date, unit: str) -> str:
    if unit == "year":
        return str(day.year)
    return day.isoformat()[:7] if unit == "month" else day.isoformat()


def chart(h: History) -> Chart:
    """The chart's geometry: x in proportion to each commit's day (see TimeAxis), open
    findings on the y axis, a line per severity through the commits in order of day."""
    # by day (a rebased branch may carry a commit dated before its parent), then in order
    points = sorted(h.points, key=lambda p: p.commit.day)
    bottom = HEIGHT - BOTTOM
    span = WIDTH - LEFT - RIGHT
    highest = max([1, *(p.counts[s] for p in points for s in SEVERITIES)])
    step = _step(highest)
    top_value = -(-highest // step) * step

    def y(v: int) -> float:
        return bottom - (bottom - TOP) * v / top_value

    y_ticks = tuple((_n(y(v)), v) for v in range(0, top_value + 1, step))
    xs: list[str] = []
    x_ticks: tuple[tuple[str, str], ...] = ()
    if points:
        axis = TimeAxis([p.commit.day for p in points], LEFT, span)
        nth: Counter[date] = Counter()
        for p in points:
            xs.append(_n(axis.x(p.commit.day, nth[p.commit.day])))
            nth[p.commit.day] += 1
        days, unit = date_ticks(points[0].commit.day, points[-1].commit.day, span // TICK_WIDTH)
        x_ticks = tuple((_n(axis.x(d)), _label(d, unit)) for d in days)
    series = []
    for rank, severity in enumerate(SEVERITIES):
        lines: list[str] = []
        run: list[str] = []
        marks = []
        for x, p in zip(xs, points, strict=True):
            if p.status != "valid":
                if run:
                    lines.append(" ".join(run))
                run = []
                continue
            xy = (x, _n(y(p.counts[severity])))
            run.append(",".join(xy))
            marks.append((*xy, _tooltip(p)))
        if run:
            lines.append(" ".join(run))
        colour = PALETTE[min(rank, len(PALETTE) - 1)]
        series.append(Series(severity, colour, tuple(lines), tuple(marks)))
    gaps = tuple(
        (x, p.status, _tooltip(p)) for x, p in zip(xs, points, strict=True) if p.status != "valid"
    )
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        bottom,
        WIDTH - RIGHT,
        TOP,
        y_ticks,
        x_ticks,
        tuple(reversed(series)),  # most severe first, drawn last: on top
        gaps,
    )


def _record(p: Point) -> dict[str, Any]:
    # a commit whose inventory was invalid or absent has no findings to count: its
    # counts are empty (null), never zero, so a chart of the series does not dip to 0
    judged = p.status == "valid"
    return {
        "date": p.commit.day.isoformat(),
        "commit": p.commit.sha,
        "subject": p.commit.subject,
        "status": p.status,
        **{s: p.counts[s] if judged else None for s in SEVERITIES},
        "total": p.total if judged else None,
        "problems": p.problems,
    }


def history_json(h: History) -> str:
    return json_text(
        {
            "tool": "graphgov",
            "version": VERSION,
            "inventory": h.inventory,
            "path": h.path,
            "since": h.since.isoformat() if h.since else None,
            "judged": "each commit as of its own date",
            "severities": list(SEVERITIES),
            "points": [_record(p) for p in h.points],
        }
    )


def history_csv(h: History) -> str:
    rows = [[_record(p)[c] for c in COLUMNS] for p in h.points]
    return csv_table(COLUMNS, rows)


def history_html(h: History, subtitle: str | None = None) -> str:
    since = f" since {h.since.isoformat()}" if h.since else ""
    shown = subtitle or (
        f"inventory {h.inventory} · {plural(len(h.points), 'commit')}{since}, "
        "each judged as of its own date"
    )
    return page(
        "graphgov: posture over time",
        shown,
        ["history"],
        history=h,
        chart=chart(h),
        severities=list(reversed(SEVERITIES)),
    )


HISTORY_FORMATS: dict[str, Callable[[History], str]] = {
    "html": history_html,
    "csv": history_csv,
    "json": history_json,
}

__all__: Sequence[str] = ("HISTORY_FORMATS", "chart", "history_csv", "history_html", "history_json")
