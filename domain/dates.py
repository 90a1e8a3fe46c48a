"""Reading dates the way reps write them: ISO, written forms, and plain relative phrases."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil import parser as du_parser

from bot.i18n import LANGUAGES

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "next Friday" in our languages: dateparser reads the English but not "volgende vrijdag" or
# "nächsten Freitag", so all three are read here, alike: the first such day after today.
_WEEKDAYS = {
    name: number
    for names in (
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    )
    for number, name in enumerate(names)
}
_NEXT_WEEKDAY = re.compile(
    r"^(?:next|volgende|komende|n(?:ä|ae)chste[nr]?|kommenden?)\s+(" + "|".join(_WEEKDAYS) + r")$",
    re.IGNORECASE,
)


class DateError(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # unreadable or out_of_range


def parse_date(text: str, today: date, languages: list[str] | None = None) -> date:
    """Parse a calendar date; day-first for numeric forms, as in the teams' countries."""
    s = text.strip()
    if not s or len(s) > 60:
        raise DateError("unreadable")
    result: date | None = None
    if _ISO.match(s):
        try:
            result = date.fromisoformat(s)
        except ValueError as exc:
            raise DateError("unreadable") from exc
    if result is None:
        result = _next_weekday(s, today)
    if result is None:
        result = _written(s, today, languages or list(LANGUAGES))
    if result is None:
        raise DateError("unreadable")
    if not EARLIEST <= result <= LATEST:
        raise DateError("out_of_range")
    return result


def _next_weekday(s: str, today: date) -> date | None:
    m = _NEXT_WEEKDAY.match(s)
    if not m:
        return None
    ahead = (_WEEKDAYS[m.group(1).lower()] - today.weekday() - 1) % 7 + 1  # 1 to 7 days: never today
    return today + timedelta(days=ahead)


def _written(s: str, today: date, languages: list[str]) -> date | None:
    found = _dateparser(s, _midnight(today), languages)
    if found is not None:
        # A date without a year is the nearest one not in the past, today included. dateparser's
        # "future" means after its base moment, so "31 Dec" typed on 31 December (or "29 Feb" on a
        # leap day) comes out a year (four) later. Read again from just before today: if that gives
        # today, it was today. (Any shift of the base moves relative phrases too, hence the check
        # on the day, not a base of yesterday for everything.)
        if found.year > today.year and (found.month, found.day) == (today.month, today.day):
            again = _dateparser(s, _midnight(today) - timedelta(seconds=1), languages)
            if again is not None and again.date() == today:
                return today
        return found.date()
    try:
        return du_parser.parse(s, dayfirst=True, default=_midnight(today)).date()
    except (ValueError, OverflowError):
        return None


def _dateparser(s: str, base: datetime, languages: list[str]) -> datetime | None:
    import dateparser  # here, not at the top: it takes a third of a second to import (see bot/cli.py)

    return dateparser.parse(
        s,
        languages=languages,
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "REQUIRE_PARTS": ["day"] if re.search(r"\d", s) and not re.search(r"[a-zA-Z]", s) else [],
        },
    )


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)
