"""Posture over time (``graphgov.history``) as a page with a chart, CSV and JSON. The
chart is an inline SVG drawn by the template from coordinates computed here: no script,
nothing fetched, the same bytes for the same series. Commit subjects are text from the
repository, as untrusted as the inventory: escaped per format like any other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
WIDTH, HEIGHT = 900, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 16, 56
TICKS = 6  # at most this many date labels under the x axis
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


def chart(h: History) -> Chart:
    """The chart's geometry: one x position per commit, oldest on the left, open
    findings on the y axis, a line per severity."""
    points = h.points
    bottom = HEIGHT - BOTTOM
    span = WIDTH - LEFT - RIGHT
    highest = max([1, *(p.counts[s] for p in points for s in SEVERITIES)])
    step = _step(highest)
    top_value = -(-highest // step) * step

    def x(i: int) -> float:
        return LEFT + (span / 2 if len(points) == 1 else span * i / (len(points) - 1))

    def y(v: int) -> float:
        return bottom - (bottom - TOP) * v / top_value

    y_ticks = tuple((_n(y(v)), v) for v in range(0, top_value + 1, step))
    every = max(1, -(-len(points) // TICKS))
    x_ticks = tuple(
        (_n(x(i)), p.commit.day.isoformat())
        for i, p in enumerate(points)
        if i % every == 0 or i == len(points) - 1
    )
    series = []
    for rank, severity in enumerate(SEVERITIES):
        lines: list[str] = []
        run: list[str] = []
        marks = []
        for i, p in enumerate(points):
            if p.status != "valid":
                if run:
                    lines.append(" ".join(run))
                run = []
                continue
            xy = (_n(x(i)), _n(y(p.counts[severity])))
            run.append(",".join(xy))
            marks.append((*xy, _tooltip(p)))
        if run:
            lines.append(" ".join(run))
        colour = PALETTE[min(rank, len(PALETTE) - 1)]
        series.append(Series(severity, colour, tuple(lines), tuple(marks)))
    gaps = tuple(
        (_n(x(i)), p.status, _tooltip(p)) for i, p in enumerate(points) if p.status != "valid"
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
