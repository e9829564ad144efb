"""Dates as inventories and the command line write them: exactly YYYY-MM-DD. Nothing
else is a date here: not a number of seconds, not a time of day, not a time zone."""

from __future__ import annotations

import calendar
import re
from datetime import date

from graphgov.display import quoted

_FORM = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SHOWN = 40  # characters of a rejected text to repeat back
# not calendar.month_name, which follows the locale: messages are the same everywhere
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def parse_date(text: str) -> date:
    """The date ``text`` names, written YYYY-MM-DD.

    Raises ValueError whose message is a sentence fragment that reads after a field or
    option name: "must be a date written YYYY-MM-DD (got '0')" or "'2026-02-30' is in
    YYYY-MM-DD form but is not a real date: February 2026 has 28 days"."""
    match = _FORM.fullmatch(text)
    if match is None:
        shown = text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
        raise ValueError(f"must be a date written YYYY-MM-DD (got {quoted(shown)})")
    year, month, day = (int(part) for part in match.groups())
    why = _not_real(year, month, day)
    if why:
        raise ValueError(f"{quoted(text)} is in YYYY-MM-DD form but is not a real date: {why}")
    return date(year, month, day)


def _not_real(year: int, month: int, day: int) -> str | None:
    if year == 0:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        return "there is no day 0"
    if day > days:
        return f"{_MONTHS[month - 1]} {year} has {days} days"
    return None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months before ``day`` (a negative number counts
    forward), on the month's last day when it is shorter: 31 March less one month is
    28 or 29 February."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
