"""Converting the digest's rows into the team currency (domain/conversion.py), worked out by hand:
an empty team, one deal, two currencies with rates from different days, a currency without a rate.
Rates: 1 USD = 0.80 EUR from `day(0)`, 0.90 from `day(10)`; 1 GBP = 1.15 EUR from `day(10)`;
no rate for NOK."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain.conversion import Close, Converter, convert_facts, won_total
from domain.digest import build_digest
from domain.metrics import ClosedGroup, Facts, OpenGroup, StageInfo, StageTotal
from domain.rates import Rate, Rates

START = date(2026, 9, 1)  # any day: every other day below is derived from it
TZ = "Europe/Amsterdam"
PROPOSAL = StageInfo(1, "proposal", "Proposal", 5, "open", 60, 14)
WON_STAGE = StageInfo(2, "won", "Won", 7, "won", 100, None)


def day(n: int) -> date:
    return START + timedelta(days=n)


def noon(n: int) -> datetime:
    return datetime.combine(day(n), datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)


RATES = Rates(
    own=[
        Rate("USD", "EUR", day(0), Decimal("0.80")),
        Rate("USD", "EUR", day(10), Decimal("0.90")),
        Rate("GBP", "EUR", day(10), Decimal("1.15")),
    ]
)


def facts(open_now=(), closed=(), before=()) -> Facts:
    return Facts(
        as_of=noon(20),
        week_start=noon(13),
        window_start=noon(-70),
        stages=[PROPOSAL, WON_STAGE],
        open_now=list(open_now),
        open_before=list(before),
        closed_week=list(closed),
        closed_window=list(closed),
        new_week=[],
        moves_week=[],
        reasons_week=[],
        entered_window=[],
        stalled_top=[],
    )


def open_group(currency: str, count: int, cents: int) -> OpenGroup:
    return OpenGroup(PROPOSAL.id, "UALICE", currency, count, cents, 0, 0, 0, 0, 0)


def test_an_empty_team_converts_to_zeros_and_names_nothing():
    cv = Converter(RATES, "EUR")
    d = build_digest(convert_facts(facts(), [], [], cv, day(20), TZ))
    assert (d.headline.count, d.headline.value, d.week.won_value, d.rates.avg_won) == (0, {}, {}, {})
    assert cv.label(day(20)).missing == ()
    assert cv.label(day(20)).day == day(10)  # the newest rate in force: USD's and GBP's of day 10


def test_one_open_deal_is_converted_at_todays_rate():
    cv = Converter(RATES, "EUR")
    d = build_digest(convert_facts(facts([open_group("USD", 1, 1_000_000)]), [], [], cv, day(20), TZ))
    # $10,000.00 × 0.90 = €9,000.00; weighted 60 %: €5,400.00
    assert d.headline.value == {"EUR": 900_000}
    assert d.headline.weighted == {"EUR": 540_000}
    # The same deal on day 5 is at 0.80: €8,000.00
    assert Converter(RATES, "EUR").one(1_000_000, "USD", day(5)) == 800_000


def test_won_deals_are_converted_at_the_rate_of_the_day_each_closed():
    closes = [
        Close("won", "UALICE", "USD", 1_000_000, noon(5)),  # × 0.80 = 800,000
        Close("won", "UALICE", "USD", 500_000, noon(12)),  # × 0.90 = 450,000
        Close("won", "UALICE", "GBP", 200_000, noon(12)),  # × 1.15 = 230,000
    ]
    groups = [
        ClosedGroup("won", "UALICE", "USD", 2, 2, 1_500_000, 2 * 86_400 * 4),
        ClosedGroup("won", "UALICE", "GBP", 1, 1, 200_000, 86_400 * 4),
    ]
    f = facts([open_group("EUR", 2, 300_000)], groups)
    cv = Converter(RATES, "EUR")
    d = build_digest(convert_facts(f, closes, closes, cv, day(20), TZ))
    # 800,000 + 450,000 + 230,000 = 1,480,000
    assert d.week.won_count == 3 and d.week.won_value == {"EUR": 1_480_000}
    # 1,480,000 ÷ 3 = 493,333.33… → 493,333
    assert d.rates.avg_won == {"EUR": 493_333}
    # velocity: 2 open × 1,480,000/3 × 100 % × 30 ÷ 4 days = 7,400,000
    assert d.rates.velocity == {"EUR": 7_400_000}
    assert won_total(closes, Converter(RATES, "EUR"), TZ) == {"EUR": 1_480_000}


def test_a_currency_without_a_rate_is_left_out_of_the_sums_and_named():
    closes = [
        Close("won", "UALICE", "NOK", 1_000_000, noon(12)),  # no rate: left out
        Close("won", "UALICE", "GBP", 100_000, noon(5)),  # GBP has no rate before day 10
    ]
    groups = [
        ClosedGroup("won", "UALICE", "NOK", 1, 1, 1_000_000, 86_400),
        ClosedGroup("won", "UALICE", "GBP", 1, 1, 100_000, 86_400),
    ]
    before = [StageTotal(PROPOSAL.id, "NOK", 1, 50_000)]
    f = facts([open_group("NOK", 1, 50_000), open_group("EUR", 1, 100_000)], groups, before)
    cv = Converter(RATES, "EUR")
    d = build_digest(convert_facts(f, closes, closes, cv, day(20), TZ))
    assert d.headline.count == 2 and d.headline.value == {"EUR": 100_000}  # counted, not summed
    assert d.headline.count_before == 1 and d.headline.value_before == {"EUR": 0}
    assert d.week.won_count == 2 and d.week.won_value == {"EUR": 0}
    assert d.rates.avg_won == {}  # no won deal could be priced in euros
    assert cv.label(day(20)).missing == ("GBP", "NOK")


def test_half_a_cent_rounds_to_even_once_per_row():
    rates = Rates(own=[Rate("USD", "EUR", day(0), Decimal("0.5"))])
    cv = Converter(rates, "EUR")
    # 1 × 0.5 = 0.5 → 0; 3 × 0.5 = 1.5 → 2; together 4 × 0.5 = 2.0 in one row
    assert cv.one(1, "USD", day(1)) == 0 and cv.one(3, "USD", day(1)) == 2
    assert cv.sum([(1, "USD", day(1)), (3, "USD", day(1))]) == (2, 2)
