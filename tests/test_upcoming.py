"""`graphgov upcoming`: what lapses between --as-of and a horizon, by the checks' own
rules. The property: for every item due on day d, `check --as-of d+1` has its finding
and `check --as-of d` has not, and no finding appears on any day of the window that is
not an item; over the example organisation and generated ones."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import hostile
import pytest
from click.testing import CliRunner
from conftest import AS_OF, Writer, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from graphgov import pipeline
from graphgov.api import Governance
from graphgov.cli import cli
from graphgov.display import printable
from graphgov.generate import generate
from graphgov.outputs.calendar import uid
from graphgov.packs import builtin_packs, checks
from graphgov.store import MemoryStore
from graphgov.upcoming import DAY, Upcoming, horizon, upcoming

DATE = ["--as-of", AS_OF.isoformat()]
Key = tuple[str, str, str]


def _store(inventory: Path) -> MemoryStore:
    store = MemoryStore()
    pipeline.load(inventory, store)
    return store


def _findings_on(store: MemoryStore, day: date) -> set[Key]:
    """Every check's findings on ``day``, as `graphgov check --as-of` computes them."""
    return {(f.query, f.label, f.id) for f in Governance(store, as_of=day).check()}


def _holds(store: MemoryStore, due: Upcoming) -> None:
    items = {(d.lapses_on, (d.finding.query, d.finding.label, d.finding.id)) for d in due.items}
    assert len(items) == len(due.items)  # no item twice
    before = _findings_on(store, due.as_of)
    day = due.as_of
    while day <= due.until:
        day += DAY
        now = _findings_on(store, day)
        # what appears on this day is exactly what falls due the day before
        assert {(day, k) for k in now - before} == {i for i in items if i[0] == day}, day
        before = now
    assert all(due.as_of <= d.due <= due.until for d in due.items)
    assert [d.due for d in due.items] == sorted(d.due for d in due.items)


def test_acme_items_are_what_check_starts_to_report(acme: Path) -> None:
    store = _store(acme)
    due = upcoming(store, checks(builtin_packs()), AS_OF, AS_OF + timedelta(days=120))
    kinds = {d.finding.query.split("/")[1] for d in due.items}
    assert {"expired-evidence", "impact-assessment-overdue", "supplier-not-assessed"} <= kinds
    _holds(store, due)
    # and nothing that has already lapsed: those are check's
    lapsed = _findings_on(store, AS_OF)
    assert not {(d.finding.query, d.finding.label, d.finding.id) for d in due.items} & lapsed


@settings(max_examples=4, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    start=st.integers(-400, 30),
    days=st.integers(0, 60),
)
def test_generated_inventories_hold_the_property(seed: int, start: int, days: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "org"
        generate(folder, size="S", seed=seed, as_of=AS_OF)
        store = _store(folder)
    as_of = AS_OF + timedelta(days=start)
    due = upcoming(store, checks(builtin_packs()), as_of, as_of + timedelta(days=days))
    _holds(store, due)


def test_a_generated_inventory_has_items_of_every_kind(tmp_path: Path) -> None:
    generate(tmp_path / "org", size="S", seed=1, as_of=AS_OF)
    store = _store(tmp_path / "org")
    due = upcoming(store, checks(builtin_packs()), AS_OF, AS_OF + timedelta(days=365))
    firsts = {d.finding.query: d for d in reversed(due.items)}
    assert len(firsts) >= 3
    for d in firsts.values():  # the whole window is the property test's; one of each here
        key = (d.finding.query, d.finding.label, d.finding.id)
        assert key not in _findings_on(store, d.due) and key in _findings_on(store, d.lapses_on)


def test_the_cli_agrees_with_check_on_each_due_day(acme: Path) -> None:
    rc, out, err = run_cli("upcoming", str(acme), "--within", "60d", "--format", "json", *DATE)
    assert rc == 0, err
    data = json.loads(out)
    assert data["as_of"] == AS_OF.isoformat() and data["until"] == "2027-01-22"
    assert data["items"]
    for item in data["items"][:3]:
        key = (item["check"], item["id"])
        seen = {}
        for day in (item["due"], item["lapses_on"]):
            rc, text, _ = run_cli("check", str(acme), "--format", "json", "--as-of", day)
            seen[day] = {(f["query"], f["id"]) for f in json.loads(text)["findings"]}
        assert key not in seen[item["due"]] and key in seen[item["lapses_on"]], item
        assert item["file"].endswith((".csv", ".yaml")) and item["line"] >= 1


POLICY = """
- {kind: organization, id: org, name: Org}
# reviewed yearly, planned later: the interval counts (ai-policy-overdue's rule)
- {kind: policy, id: p1, name: AI policy, policy_type: ai_policy, next_review: 2027-06-01,
   last_reviewed: 2026-01-10, review_interval_months: 12}
- {kind: policy, id: p2, name: Other AI policy, policy_type: ai_policy, next_review: 2026-12-24}
- {kind: policy, id: p3, name: Data policy, policy_type: data_policy, next_review: 2026-12-01}
- {kind: evidence, id: e1, name: Old evidence, valid_until: 2026-11-01}
- {kind: evidence, id: e2, name: Fresh evidence, valid_until: 2026-11-23}
"""


def test_the_ai_policy_falls_due_by_its_check_rule(write_inventory: Writer) -> None:
    inventory = write_inventory({"org.yaml": POLICY}) / "org.yaml"
    rc, out, err = run_cli("upcoming", str(inventory), "--within", "2m", "--format", "csv", *DATE)
    assert rc == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    got = [(r["due"], r["id"], r["check"]) for r in rows]
    assert got == [
        # valid on the as-of day itself: due today, reported from tomorrow
        ("2026-11-23", "e2", "iso42001/expired-evidence"),
        ("2026-12-24", "p2", "iso42001/ai-policy-overdue"),
        ("2027-01-10", "p1", "iso42001/ai-policy-overdue"),
    ]
    assert rows[0]["lapses_on"] == "2026-11-24" and rows[0]["line"] == "8"


def test_within_takes_days_weeks_and_calendar_months() -> None:
    assert horizon(AS_OF, "90d") == date(2027, 2, 21)
    assert horizon(AS_OF, "2w") == date(2026, 12, 7)
    assert horizon(date(2027, 1, 31), "1m") == date(2027, 2, 28)
    assert horizon(AS_OF, "0d") == AS_OF
    for bad in ("90", "-3d", "3y", "d", "1e3d", "99999d", "\x1b[2J1d"):
        with pytest.raises(ValueError, match="must be") as caught:
            horizon(AS_OF, bad)
        assert "\x1b" not in str(caught.value)
    with pytest.raises(ValueError, match="last day of the calendar"):
        horizon(date(9999, 12, 30), "1d")
    assert horizon(date(9999, 12, 29), "1d") == date(9999, 12, 30)


def test_a_bad_within_is_a_usage_error_before_reading(acme: Path) -> None:
    rc, out, err = run_cli("upcoming", str(acme), "--within", "--upload-pack=x", *DATE)
    assert rc == 2 and out == ""
    assert "Invalid value for --within" in err and "Traceback" not in err


def test_a_bad_inventory_is_every_problem_and_rc_1(write_inventory: Writer) -> None:
    bad = "- {kind: evidence, id: e1, valid_until: 2026-02-30}\n- {kind: nothing, id: x}\n"
    inventory = write_inventory({"bad.yaml": bad})
    rc, out, err = run_cli("upcoming", str(inventory), *DATE)
    assert rc == 1 and out == ""
    assert "February 2026 has 28 days" in err and "nothing" in err and "Traceback" not in err


def test_an_empty_window_says_so_and_what_it_leaves_to_check(acme: Path) -> None:
    rc, out, _ = run_cli("upcoming", str(acme), "--within", "1d", "--as-of", "2026-11-24")
    assert rc == 0
    assert out.startswith("0 items falling due from 2026-11-24 to 2026-11-25 (1 day)")
    assert "already lapsed is reported by graphgov check" in " ".join(out.split())


def _calendar(data: bytes) -> Calendar:
    calendar = Calendar.from_ical(data)
    assert isinstance(calendar, Calendar)
    return calendar


def test_the_calendar_parses_back_one_event_per_item(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.ics"
    args = ["upcoming", str(acme), "--within", "6m", *DATE]
    _, text, _ = run_cli(*args, "--format", "json")
    items = json.loads(text)["items"]
    assert run_cli(*args, "--format", "ics", "-o", str(out))[0] == 0
    first = out.read_bytes()
    assert run_cli(*args, "--format", "ics", "-o", str(out))[0] == 0
    assert out.read_bytes() == first  # byte-identical: DTSTAMP is the as-of date
    calendar = _calendar(first)
    assert "already lapsed is reported by graphgov check" in str(calendar["x-wr-caldesc"])
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(items)
    for event, item in zip(events, items, strict=True):
        assert event.decoded("dtstart") == date.fromisoformat(item["due"])
        assert event.decoded("dtend") == date.fromisoformat(item["lapses_on"])
        assert str(event["uid"]).endswith("@graphgov")
        assert item["name"] in str(event["summary"])
        assert f"{item['file']}:{item['line']}" in str(event["description"])
        assert event.decoded("dtstamp").isoformat() == "2026-11-23T00:00:00+00:00"
    assert len({str(e["uid"]) for e in events}) == len(events)
    # to standard output too, the same bytes
    result = CliRunner().invoke(cli, [*args, "--format", "ics"])
    assert result.exit_code == 0 and result.stdout_bytes == first


def test_uids_follow_the_item_not_the_run(acme: Path) -> None:
    store = _store(acme)
    queries = checks(builtin_packs())
    a = upcoming(store, queries, AS_OF, AS_OF + timedelta(days=90))
    b = upcoming(store, queries, AS_OF + timedelta(days=30), AS_OF + timedelta(days=90))
    shared = {uid(d) for d in a.items} & {uid(d) for d in b.items}
    assert shared == {uid(d) for d in a.items if d.due >= b.as_of}


EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "CATEGORIES",
    "TRANSP",
}


def test_hostile_text_cannot_add_properties_or_events(tmp_path: Path) -> None:
    inventory = hostile.write(tmp_path / "corpus")
    args = ["upcoming", str(inventory), "--within", "12m", *DATE]
    rc, text, err = run_cli(*args, "--format", "json")
    assert rc == 0, err
    items = json.loads(text)["items"]
    assert items
    out = tmp_path / "hostile.ics"
    assert run_cli(*args, "--format", "ics", "-o", str(out))[0] == 0
    data = out.read_bytes().decode("utf-8")
    assert "\r" not in data.replace("\r\n", "")
    assert hostile.unsafe(data.replace("\r\n", "\n")) == []
    calendar = _calendar(out.read_bytes())
    assert [c.name for c in calendar.subcomponents] == ["VEVENT"] * len(items)
    for event, item in zip(calendar.subcomponents, items, strict=True):
        assert set(event) == EVENT_PROPERTIES
        assert str(event["summary"]) == printable(f"Due: {item['name']} ({_title(item)})")
        assert str(event["description"]).startswith(printable(item["message"]))
    # the corpus reached the calendar: hostile names, each kept whole in its summary
    assert {i["name"] for i in items} & set(hostile.PAYLOADS)


def _title(item: dict[str, str]) -> str:
    query = next(q for q in checks(builtin_packs()) if q.ref == item["check"])
    return query.definition.title
