"""`graphgov history`: open findings by severity at each commit that touched an
inventory, in real git repositories made here (commits with pinned dates, a rename, a
merge, an invalid commit, a deletion), each point equal to what `check --as-of` says
of that commit on its day; cached per commit; the page opened in real Chromium."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path

import hostile
import pytest
from conftest import run_cli
from playwright.sync_api import Browser
from test_audit_outputs import _open, browser  # noqa: F401

import graphgov
from graphgov import examples
from graphgov.display import printable
from graphgov.history import commits, history, locate
from graphgov.outputs.history import Chart, chart, date_ticks, history_html
from graphgov.packs import SEVERITIES, builtin_packs, checks
from graphgov.versions import checkout

ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
EXPIRED = "- {kind: evidence, id: ev-extra, name: Extra evidence, valid_until: 2025-01-01}\n"
INVALID = "- {kind: ai_system, id: x, name: X, in_scope: true, risk_tier: huge}\n"


def _git(repo: Path, *args: str, day: str | None = None) -> str:
    # an empty configuration of the test's own: nothing of the user's or the machine's
    env = {**os.environ, **ENV, "GIT_CONFIG_GLOBAL": str(repo.parent / "gitconfig")}
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def _commit(repo: Path, message: str, day: str) -> str:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", message, day=day)
    return _git(repo, "rev-parse", "HEAD").strip()


def _repo(root: Path) -> Path:
    root.mkdir()
    (root.parent / "gitconfig").write_text("")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "commit.gpgsign", "false")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """acme/ through seven commits: added; an unrelated change; an expired evidence
    added; made invalid; fixed on a branch merged back; the file renamed; deleted and
    restored."""
    root = _repo(tmp_path / "repo")
    acme = root / "acme"
    examples.write("acme", acme)
    (root / "README").write_text("notes\n")
    _commit(root, "Add the inventory", "2026-01-15")
    (root / "README").write_text("other notes\n")
    _commit(root, "Not the inventory", "2026-02-10")
    (acme / "extra.yaml").write_text(EXPIRED)
    _commit(root, "Record old evidence", "2026-03-01")
    (acme / "bad.yaml").write_text(INVALID)
    _commit(root, "A typo", "2026-03-15")
    _git(root, "checkout", "-q", "-b", "fix")
    (acme / "bad.yaml").unlink()
    _commit(root, "Fix the typo", "2026-03-20")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "-m", "Merge the fix", "fix", day="2026-03-21")
    (acme / "more").mkdir()
    _git(root, "mv", "acme/extra.yaml", "acme/more/extra.yaml")
    _commit(root, "Move a file", "2026-04-01")
    shutil.rmtree(acme)
    _commit(root, "Remove the inventory", "2026-05-01")
    _git(root, "revert", "--no-edit", "HEAD", day="2026-05-02")
    return root


def _expected(repo: Path, sha: str, day: date) -> dict[str, int] | None:
    """What `graphgov.open(...).check()` finds on that commit as of its day (None when
    the inventory is not valid there)."""
    try:
        with checkout(f"{sha}:acme", cwd=repo) as version:
            found = graphgov.open(version.path, as_of=day).check()
    except graphgov.InvalidInputError:
        return None
    counts = Counter(f.severity for f in found)
    return {s: counts[s] for s in SEVERITIES}


def test_each_point_is_what_check_said_on_that_day(repo: Path) -> None:
    h = history(repo / "acme", None, checks(builtin_packs()))
    subjects = [p.commit.subject for p in h.points]
    assert "Not the inventory" not in subjects
    assert subjects[0] == "Add the inventory" and subjects[-1].startswith("Revert")
    # the main line: a merged branch counts once, at its merge
    assert "Merge the fix" in subjects and "Fix the typo" not in subjects
    assert "Move a file" in subjects
    statuses = {p.commit.subject: p.status for p in h.points}
    assert statuses["A typo"] == "invalid" and statuses["Remove the inventory"] == "absent"
    assert [p.commit.day for p in h.points] == sorted(p.commit.day for p in h.points)
    for p in h.points:
        assert p.as_of == p.commit.day
        want = _expected(repo, p.commit.sha, p.commit.day) if p.status != "absent" else None
        if p.status == "valid":
            assert dict(p.counts) == want, p.commit.subject
        else:
            assert want is None and p.total == 0
    typo = next(p for p in h.points if p.status == "invalid")
    assert typo.problems == 1
    # a commit judged nothing about has no counts in the series: empty, never 0
    rc, out, _ = run_cli("history", str(repo / "acme"), "--format", "csv")
    assert rc == 0
    rows = {r["subject"]: r for r in csv.DictReader(io.StringIO(out, newline=""))}
    for subject in ("A typo", "Remove the inventory"):
        assert [rows[subject][s] for s in (*SEVERITIES, "total")] == [""] * 5, subject
    assert rows["Add the inventory"]["total"] not in ("", "0")
    first, old = h.points[0], next(p for p in h.points if p.commit.subject.startswith("Record"))
    # the expired evidence is one more medium finding
    assert old.counts != first.counts


def test_since_and_max_bound_the_walk(repo: Path) -> None:
    top, path = locate(repo / "acme")
    assert top == repo.resolve() and path == "acme"
    every = commits(top, path)
    since = commits(top, path, date(2026, 3, 15))
    assert since == [c for c in every if c.day >= date(2026, 3, 15)]
    assert commits(top, path, None, 2) == every[-2:]
    rc, out, err = run_cli(
        "history", str(repo / "acme"), "--since", "2026-04-01", "--format", "csv"
    )
    assert rc == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["date"] for r in rows] == ["2026-04-01", "2026-05-01", "2026-05-02"]


def test_a_rerun_judges_only_the_new_commit(repo: Path) -> None:
    queries = checks(builtin_packs())
    first = history(repo / "acme", None, queries)
    assert len(first.computed) == len(first.points)
    again = history(repo / "acme", None, queries)
    assert again.computed == () and again.points == first.points
    (repo / "acme" / "late.yaml").write_text(EXPIRED.replace("ev-extra", "ev-late"))
    new = _commit(repo, "One more", "2026-06-01")
    third = history(repo / "acme", None, queries)
    assert third.computed == (new,)
    assert third.points[:-1] == first.points
    rc, _, err = run_cli("history", str(repo / "acme"), "--format", "json")
    assert rc == 0 and f"({len(third.points)} from the cache)" in err


def test_a_damaged_cache_entry_is_judged_again(repo: Path, cache_dir: Path) -> None:
    queries = checks(builtin_packs())
    first = history(repo / "acme", None, queries)
    entries = sorted((cache_dir / "history").rglob("*.json"))
    assert len(entries) == len(first.points)
    for entry, damage in zip(entries[:3], ("{", '{"key": 1}', "[]"), strict=True):
        entry.write_text(damage)
    again = history(repo / "acme", None, queries)
    assert len(again.computed) == 3 and again.points == first.points


def test_cache_is_keyed_by_the_checks_that_ran(repo: Path) -> None:
    everything = checks(builtin_packs())
    one = [q for q in everything if q.definition.id == "expired-evidence"]
    full = history(repo / "acme", None, everything)
    h = history(repo / "acme", None, one)
    assert len(h.computed) == len(h.points)
    severity = one[0].definition.severity
    assert all(p.total == p.counts[severity] for p in h.points)
    assert all(a.total < b.total for a, b in zip(h.points, full.points, strict=True) if b.total)


def test_outside_git_is_one_line_and_rc_2(tmp_path: Path) -> None:
    acme = tmp_path / "acme"
    examples.write("acme", acme)
    rc, out, err = run_cli("history", str(acme))
    assert rc == 2 and out == ""
    assert err.strip().count("\n") == 0 and "is not in a git repository" in err


def test_bad_options_are_usage_errors(repo: Path) -> None:
    for args in (["--since", "2026-13-01"], ["--max", "0"], ["--format", "pdf"]):
        rc, _, err = run_cli("history", str(repo / "acme"), *args)
        assert rc == 2 and "Traceback" not in err, args


def test_hostile_folder_names_never_act_as_git_options(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    for name in ("--upload-pack=touch pwned", "; touch pwned", "*", ":(glob)x"):
        examples.write("acme", root / name)
    examples.write("acme", root / "x")  # what the glob and the magic would have matched
    _commit(root, "Add", "2026-01-15")
    (root / "x" / "extra.yaml").write_text(EXPIRED)
    _commit(root, "Only x", "2026-02-01")
    for name in ("--upload-pack=touch pwned", "; touch pwned", "*", ":(glob)x"):
        rc, out, err = run_cli("history", "--format", "json", "--", str(root / name))
        assert rc == 0, (name, err)
        points = json.loads(out)["points"]
        assert [p["subject"] for p in points] == ["Add"], name
    assert not list(tmp_path.rglob("pwned"))


def _hostile_repo(tmp_path: Path) -> Path:
    root = _repo(tmp_path / "repo")
    inventory = hostile.write(root)
    for name in ("example",):
        shutil.rmtree(root / name)
    subjects = [p for p in hostile.PAYLOADS if "\x00" not in p]
    for i, subject in enumerate(subjects[:12]):
        (inventory / "extra.yaml").write_text(EXPIRED.replace("ev-extra", f"ev-extra-{i}"))
        _commit(root, subject, f"2026-01-{i + 1:02d}")
    return inventory


def test_the_page_draws_the_chart_offline_and_keeps_payloads_inert(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    inventory = _hostile_repo(tmp_path)
    page_file = tmp_path / "posture.html"
    rc, _, err = run_cli("history", str(inventory), "-o", str(page_file))
    assert rc == 0, err
    first = page_file.read_bytes()
    assert run_cli("history", str(inventory), "-o", str(page_file))[0] == 0
    assert page_file.read_bytes() == first  # the same bytes, from the cache or not
    h = history(inventory, None, checks(builtin_packs()))
    assert history_html(h).encode("utf-8") == first
    page, requests, dialogs = _open(browser, page_file)
    assert page.locator("svg#posture-chart").count() == 1
    lines = page.locator("svg#posture-chart polyline")
    assert lines.count() == len(SEVERITIES)
    points = lines.first.get_attribute("points") or ""
    assert len(points.split()) == len(h.points) == 12
    assert page.locator("svg#posture-chart circle").count() == len(SEVERITIES) * 12
    box = page.locator("svg#posture-chart").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 200
    # the chart takes the card's width, and a narrow window keeps each date on one line
    card = page.locator("section#history").bounding_box()
    assert card is not None and box["width"] > 0.9 * card["width"]
    page.set_viewport_size({"width": 520, "height": 900})
    lines_per_date = page.evaluate("""() => [...document.querySelectorAll(
        '#history tbody tr td:first-child')].map(td => {
            const r = document.createRange(); r.selectNodeContents(td);
            return r.getClientRects().length; })""")
    assert lines_per_date == [1] * len(h.points)
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("window.__xss") is None and dialogs == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
    injected = page.evaluate("""() => document.querySelectorAll(
        'img, iframe, link, a, marker-element, #injected, details,'
        + ' [onerror], [onload], [onmouseover], [srcdoc]').length""")
    assert injected == 0
    assert page.locator("svg").count() == 1
    body = page.inner_text("body")
    assert hostile.unsafe(body) == [] and hostile.unsafe(page.title()) == []
    shown = " ".join(body.split())
    for p in h.points:
        assert hostile.shown(p.commit.subject) in shown
    for circle in page.locator("svg#posture-chart circle").all():
        place = circle.bounding_box()
        assert place is not None
        page.mouse.move(place["x"] + place["width"] / 2, place["y"] + place["height"] / 2)
    assert page.evaluate("window.__xss") is None
    page.close()


def test_csv_and_json_hold_the_series_safely(tmp_path: Path) -> None:
    inventory = _hostile_repo(tmp_path)
    rc, out, _ = run_cli("history", str(inventory), "--format", "json")
    assert rc == 0 and hostile.unsafe(out) == []
    data = json.loads(out)
    h = history(inventory, None, checks(builtin_packs()))
    assert [p["subject"] for p in data["points"]] == [p.commit.subject for p in h.points]
    assert [p["total"] for p in data["points"]] == [p.total for p in h.points]
    assert data["severities"] == list(SEVERITIES)
    rc, out, _ = run_cli("history", str(inventory), "--format", "csv")
    assert rc == 0 and hostile.unsafe(out) == []
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len({len(r) for r in rows}) == 1 and len(rows) == 1 + len(h.points)
    assert [c for r in rows for c in r if c.startswith(("=", "+", "-", "@"))] == []
    assert printable(h.points[0].commit.subject) in {r[2].lstrip("'") for r in rows}


def test_cache_clear_forgets_the_points(repo: Path, cache_dir: Path) -> None:
    queries = checks(builtin_packs())
    first = history(repo / "acme", None, queries)
    rc, out, _ = run_cli("cache", "clear")
    assert rc == 0 and out.startswith("Removed ")
    assert not list((cache_dir / "history").rglob("*.json"))
    assert len(history(repo / "acme", None, queries).computed) == len(first.points)


def test_caching_can_be_turned_off(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHGOV_NO_CACHE", "1")
    queries = checks(builtin_packs())
    history(repo / "acme", None, queries)
    again = history(repo / "acme", None, queries)
    assert len(again.computed) == len(again.points)


def _xs(c: Chart) -> list[float]:
    """The x of each valid point, from the marks of the chart's first line."""
    return [float(x) for x, _, _ in c.series[0].marks]


def test_the_chart_places_commits_in_proportion_to_their_days(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    examples.write("acme", root / "acme")
    days = ["2026-01-01", "2026-01-02", "2026-02-01", *["2026-03-01"] * 3, "2026-03-31"]
    for i, day in enumerate(days):
        (root / "acme" / "extra.yaml").write_text(EXPIRED.replace("ev-extra", f"ev-{i}"))
        _commit(root, f"Commit {i}", day)
    h = history(root / "acme", None, checks(builtin_packs()))
    assert [p.commit.day.isoformat() for p in h.points] == days
    c = chart(h)
    xs = _xs(c)
    assert len(xs) == len(days) and xs == sorted(xs) and len(set(xs)) == len(xs)
    assert (xs[0], xs[-1]) == (c.left, c.right)  # the whole width
    one_day, thirty_days = xs[1] - xs[0], xs[2] - xs[1]
    assert thirty_days / one_day == pytest.approx(30, abs=0.02 * 30)
    # the three commits of one day side by side from their day's place, far enough
    # apart to hover each, the days after them moved on by as much (February has 28 days)
    crowd = xs[3:6]
    assert min(b - a for a, b in pairwise(crowd)) >= 7
    assert (crowd[0] - xs[2]) / one_day == pytest.approx(28, abs=0.02 * 28)
    assert (xs[6] - crowd[-1]) / one_day == pytest.approx(30, abs=0.02 * 30)
    # each tick sits after the commits of the days before it and before those after
    ticks = [(float(x), date.fromisoformat(label)) for x, label in c.x_ticks]
    assert len(ticks) >= 3 and [x for x, _ in ticks] == sorted(x for x, _ in ticks)
    for x, day in ticks:
        assert day.weekday() == 0  # a span of three months: ticks on Mondays
        for p_x, p in zip(xs, h.points, strict=True):
            assert (p_x < x) == (p.commit.day < day) or p.commit.day == day


@pytest.mark.parametrize(
    ("first", "last", "unit", "is_start"),
    [
        (date(2026, 4, 2), date(2026, 4, 2), None, lambda d: d == date(2026, 4, 2)),
        (date(2026, 4, 2), date(2026, 4, 9), None, lambda d: True),
        (date(2026, 1, 1), date(2026, 2, 20), None, lambda d: d.weekday() == 0),
        (date(2025, 9, 3), date(2026, 4, 2), "month", lambda d: d.day == 1),
        (date(2025, 3, 5), date(2026, 11, 20), "month", lambda d: d.day == 1),
        (date(2019, 6, 1), date(2026, 6, 20), "year", lambda d: (d.month, d.day) == (1, 1)),
    ],
)
def test_date_ticks_fall_on_calendar_boundaries(
    first: date, last: date, unit: str | None, is_start: Callable[[date], bool]
) -> None:
    days, labelled = date_ticks(first, last, 10)
    assert 1 <= len(days) <= 10 and days == sorted(set(days))
    assert all(first <= d <= last and is_start(d) for d in days), days
    if unit is not None:
        assert labelled == unit


def test_one_commit_or_one_day_is_drawn_in_the_middle(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    examples.write("acme", root / "acme")
    _commit(root, "Only", "2026-04-02")
    c = chart(history(root / "acme", None, checks(builtin_packs())))
    middle = (c.left + c.right) / 2
    assert _xs(c) == [pytest.approx(middle, abs=0.1)]
    assert [label for _, label in c.x_ticks] == ["2026-04-02"]
    for i in range(3):
        (root / "acme" / "extra.yaml").write_text(EXPIRED.replace("ev-extra", f"ev-{i}"))
        _commit(root, f"More {i}", "2026-04-02")
    c = chart(history(root / "acme", None, checks(builtin_packs())))
    xs = _xs(c)
    assert xs == sorted(xs) and min(b - a for a, b in pairwise(xs)) >= 7
    assert (xs[0] + xs[-1]) / 2 == pytest.approx(middle, abs=0.1)
    assert c.left < xs[0] and xs[-1] < c.right
