"""Calendar months and quarters on the team's wall clock. Pure: the date or moment is passed in."""

from __future__ import annotations

from datetime import date, datetime

from domain.zones import zone


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `first`."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def local_midnight(day: date, timezone: str | None) -> datetime:
    """The moment a day begins in the team's timezone (an aware datetime)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone(timezone))


def month_starts(first: date, count: int) -> list[date]:
    """`count` consecutive month starts from the month of `first`."""
    return [add_months(month_start(first), k) for k in range(count)]
