"""Dates and times in another tool's export, read one column at a time.

A numeric date like 3/1/2017 means 3 January in Amsterdam and 1 March in Boston, so the order of a
column is decided from all of its values: a first part over 12 (20/10/2016) settles day-first, a
second part over 12 (10/20/2016) settles month-first; ISO dates and times pass through. A column
whose values never settle it is ambiguous: the import then needs `--date-order`, or refuses. A
column with both kinds of evidence is refused whatever the option says: it was written two ways.

A date without a time is taken as midnight in the team's timezone; a time without an offset too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from dateutil import parser as du_parser

MDY, DMY = "mdy", "dmy"
EARLIEST, LATEST = date(1970, 1, 1), date(2100, 12, 31)

_NUMERIC = re.compile(
    r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?$"
)
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class DateEvidence:
    """What a column's values say about its order, gathered while the file streams past."""

    day_first: str | None = None  # a value that only reads day-first
    month_first: str | None = None
    ambiguous: str | None = None  # a numeric value that reads both ways
    numeric: bool = False  # any numeric date at all (else the order does not matter)

    def see(self, text: str) -> None:
        found = _NUMERIC.match(text.strip())
        if not found:
            return
        self.numeric = True
        first, second = int(found.group(1)), int(found.group(2))
        if first > 12 and second <= 12:
            self.day_first = self.day_first or text
        elif second > 12 and first <= 12:
            self.month_first = self.month_first or text
        elif first != second and first <= 12 and second <= 12:
            self.ambiguous = self.ambiguous or text

    def order(self, chosen: str | None) -> tuple[str | None, str | None]:
        """(order, problem): the column's order, or why there is none ("mixed", "ambiguous")."""
        if self.day_first and self.month_first:
            return None, "mixed"
        if self.day_first:
            return DMY, None
        if self.month_first:
            return MDY, None
        if self.ambiguous:
            return (chosen, None) if chosen else (None, "ambiguous")
        return chosen or DMY, None  # nothing numeric, or only values like 5/5/2020: either order reads


class Unreadable(ValueError):
    pass


def parse_moment(text: str, order: str, tz: tzinfo) -> datetime:
    """A moment in UTC from a date or date-time cell, numeric ones in the column's `order`."""
    return _parse(text.strip(), order, tz)


@functools.lru_cache(maxsize=65536)  # exports repeat their dates a lot; dateutil is the slow path
def _parse(text: str, order: str, tz: tzinfo) -> datetime:
    if not text:
        raise Unreadable(text)
    found = _NUMERIC.match(text)
    moment: datetime | None = None
    if found:
        first, second, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
        day, month = (first, second) if order == DMY else (second, first)
        year += 2000 if year < 100 else 0
        hour, minute, sec = (int(found.group(i) or 0) for i in (4, 5, 6))
        if (ampm := (found.group(7) or "").lower()) and 1 <= hour <= 12:
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        try:
            moment = datetime(year, month, day, hour, minute, sec)
        except ValueError as exc:
            raise Unreadable(text) from exc
    elif _ISO_START.match(text):
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" UTC", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:  # written forms: "15 Dec 2026", "Dec 15, 2026 3:04 PM", "15. März 2027" is not
        try:
            moment = du_parser.parse(text, dayfirst=order == DMY, default=datetime(2000, 1, 1))
        except (ValueError, OverflowError) as exc:
            raise Unreadable(text) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    if not EARLIEST <= moment.date() <= LATEST:
        raise Unreadable(text)
    return moment.astimezone(UTC)


def to_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar date a moment falls on in the team's timezone (for close dates)."""
    return moment.astimezone(tz).date()


def midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tz).astimezone(UTC)
