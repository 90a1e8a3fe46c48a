"""A date typed without a year is the nearest such date that is not in the past, today included."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from domain.dates import parse_date
from models.tables import Deal
from tests.helpers import text_of

NEW_YEARS_EVE = date(2026, 12, 31)
LEAP_DAY = date(2028, 2, 29)
AFTER_LEAP_DAY = date(2028, 3, 1)
MARCH_2027 = date(2027, 3, 1)


@pytest.mark.parametrize(
    "typed, today, expected",
    [
        ("31 Dec", NEW_YEARS_EVE, NEW_YEARS_EVE),  # today
        ("31. Dezember", NEW_YEARS_EVE, NEW_YEARS_EVE),
        ("31 december", NEW_YEARS_EVE, NEW_YEARS_EVE),
        ("30 Dec", NEW_YEARS_EVE, date(NEW_YEARS_EVE.year + 1, 12, 30)),  # yesterday: next year's
        ("1 Jan", NEW_YEARS_EVE, date(NEW_YEARS_EVE.year + 1, 1, 1)),
        ("29 Feb", LEAP_DAY, LEAP_DAY),  # today, not four years on
        ("29 Feb", AFTER_LEAP_DAY, date(AFTER_LEAP_DAY.year + 4, 2, 29)),  # the next leap day
        ("29 Feb", MARCH_2027, date(MARCH_2027.year + 1, 2, 29)),
        ("tomorrow", NEW_YEARS_EVE, NEW_YEARS_EVE + timedelta(days=1)),
        ("today", NEW_YEARS_EVE, NEW_YEARS_EVE),
        ("31 Dec 2027", NEW_YEARS_EVE, date(NEW_YEARS_EVE.year + 1, 12, 31)),  # a year typed is kept
    ],
)
def test_a_date_without_a_year_is_the_nearest_not_in_the_past(typed, today, expected):
    assert parse_date(typed, today) == expected


async def test_close_31_dec_typed_on_31_december_is_today(bench):
    bench.fixed_now = datetime(2026, 12, 31, 10, tzinfo=UTC)
    sent = await bench.client.command("UALICE", 'add "Year end" 10k close:"31 Dec"')
    assert "Added deal #1" in text_of(await bench.client.reply(sent))
    with bench.db.read() as s:
        deal = s.exec(select(Deal)).one()
    assert deal.close_date == bench.fixed_now.date()
