"""What falls due next as an iCalendar file (RFC 5545) that auditors can subscribe to:
one all-day event per item, on its due date. Made with the ``icalendar`` library, which
escapes and folds every text value, so inventory text stays inside its property; control
and invisible characters are made visible first (``display.printable``), as RFC 5545
allows none in text. The same inputs give the same bytes: UIDs are digests of the item
(check, record, due date) and DTSTAMP is the as-of date, never the clock."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time

from graphgov.display import printable
from graphgov.findings import fingerprint
from graphgov.outputs.check_run import VERSION, location
from graphgov.upcoming import NOTE, Due, Upcoming

PRODID = "-//graphgov//upcoming//EN"
UID_DOMAIN = "graphgov"


def uid(d: Due) -> str:
    """The event's UID: the same item on the same due date keeps it from run to run, so
    a subscribed calendar updates an event rather than adding another."""
    key = "\x00".join((fingerprint(d.finding), d.due.isoformat()))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def upcoming_ics(u: Upcoming, inventory: str) -> bytes:
    from icalendar import Calendar, Event  # imported by the one format that needs it

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", printable(f"graphgov: falling due {inventory}".strip()))
    calendar.add("x-wr-caldesc", NOTE)
    stamp = datetime.combine(u.as_of, time(), tzinfo=UTC)
    for d in u.items:
        event = Event()
        event.add("uid", uid(d))
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due)
        event.add("dtend", d.lapses_on)  # all-day: the end is the next day, exclusive
        f = d.finding
        event.add("summary", printable(f"Due: {f.name} ({f.title})"))
        description = (
            f"{f.message}\n"
            f"Check {f.query} ({f.severity}) reports it from {d.lapses_on.isoformat()}.\n"
            f"Record: {f.label} {f.id}\n"
            f"Source: {location(inventory, f.source)}\n"
            f"graphgov {VERSION}, as of {u.as_of.isoformat()}"
        )
        event.add("description", printable(description))
        event.add("categories", [f.severity])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
