"""The forecast by month and its backtest against values worked out by hand (SQLite and PostgreSQL).

The pipeline is tests/forecast_fixture.py (NOW is the 18th of a November; M(k) is the month k
months away). Every expected figure is a literal with its arithmetic beside it. History rates are
(won + 10 × p) ÷ (due + 10), p the configured probability (docs/metrics.md).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from domain.forecast import HISTORY, PRIOR_DEALS, WEIGHTED, StageRate
from domain.metrics import StageInfo
from services import forecast
from tests.forecast_fixture import DEALS, NOW, TEAM, M, load


def rates_by_key(f):
    return {r.stage.key: (r.due, r.won, r.rate) for r in f.rates}


def test_an_empty_team_forecasts_nothing_and_keeps_the_configured_rates(db):
    load(db, deals={})
    f = forecast.compute(db, TEAM, NOW).forecast
    assert [b.month for b in f.buckets] == [None, M(0), M(1), M(2)]
    assert all(b.count == 0 and b.open == {} and b.weighted == {} for b in f.buckets)
    assert rates_by_key(f)["proposal"] == (0, 0, Fraction(60, 100))
    assert f.won_month == {} and f.won_quarter == {}
    assert f.last_month is not None and f.last_month.actual == {} and f.last_month.weighted == {}
    assert forecast.backtest(db, TEAM, NOW, 3).backtest.currencies == []


def test_one_open_deal_is_forecast_at_its_stage_probability(db):
    load(db, deals={4: DEALS[4]})  # D: 8,000 in Proposal, due this month
    f = forecast.compute(db, TEAM, NOW).forecast
    this_month = f.buckets[1]
    assert this_month.count == 1 and this_month.open == {"EUR": 800_000}
    assert this_month.weighted == {"EUR": 480_000}  # 8,000 × 60 %
    assert this_month.history == {"EUR": 480_000}  # no history: the configured 60 %


def test_the_forecast_by_month_from_a_thin_history(db):
    load(db)
    f = forecast.compute(db, TEAM, NOW).forecast
    overdue, nov, dec, jan = f.buckets
    rates = rates_by_key(f)
    # Due Negotiation deals at a month's start over the six months before this one:
    # B and E at M(-1) (neither won), J at M(-2) (won): 3 due, 1 won -> (1 + 8) / 13.
    assert rates["negotiation"] == (3, 1, Fraction(9, 13))
    # Proposal: A at M(-1), won -> (1 + 6) / 11. Prospecting: B at M(-2), lost later -> 1 / 11.
    assert rates["proposal"] == (1, 1, Fraction(7, 11))
    assert rates["prospecting"] == (1, 0, Fraction(1, 11))
    assert rates["qualification"] == (0, 0, Fraction(1, 5))  # D at M(-1) was not due

    # Overdue: E, 30,000 in Negotiation. History: 3,000,000 × 9/13 = 2,076,923.08 cents.
    assert (overdue.count, overdue.open, overdue.weighted) == (1, {"EUR": 3_000_000}, {"EUR": 2_400_000})
    assert overdue.history == {"EUR": 2_076_923}
    # This month: D, 8,000 in Proposal: 480,000 weighted; 800,000 × 7/11 = 509,090.9.
    assert (nov.count, nov.weighted, nov.history) == (1, {"EUR": 480_000}, {"EUR": 509_091})
    # Next month: F, 4,000 in Prospecting: 40,000 weighted; 400,000 / 11 = 36,363.6.
    assert (dec.count, dec.weighted, dec.history) == (1, {"EUR": 40_000}, {"EUR": 36_364})
    # The month after: H, £12,000 in Proposal: £7,200; 1,200,000 × 7/11 = 763,636.4. G has no date.
    assert (jan.count, jan.weighted, jan.history) == (1, {"GBP": 720_000}, {"GBP": 763_636})

    assert f.won_month == {"EUR": 700_000}  # I
    assert f.won_quarter == {"EUR": 1_700_000, "USD": 500_000}  # A + I; C


def test_last_months_forecast_against_its_actual(db):
    load(db)
    check = forecast.compute(db, TEAM, NOW).forecast.last_month
    assert check is not None and check.month == M(-1)
    # Due at M(-1): A (Proposal, 10,000), B (Negotiation, 20,000), E (Negotiation, 30,000).
    # Weighted: 6,000 + 16,000 + 24,000. History from the six months before M(-1): Negotiation
    # J (1 of 1) -> 9/11; Proposal none -> 60 %: 600,000 + 5,000,000 × 9/11 = 4,690,909.1.
    assert check.weighted == {"EUR": 4_600_000}
    assert check.history == {"EUR": 4_690_909}
    assert check.actual == {"EUR": 1_000_000, "USD": 500_000}  # A; C
    assert check.error(WEIGHTED, "EUR") == 3_600_000
    assert check.ape(WEIGHTED, "EUR") == Fraction(36, 10)
    assert check.ape(HISTORY, "USD") == 1  # C was in no forecast


def test_the_backtest_has_a_known_answer(db):
    load(db)
    months = forecast.backtest(db, TEAM, NOW, 2).backtest
    sep, octo = months.months
    assert (sep.month, octo.month) == (M(-2), M(-1))
    # M(-2): due at its start B (Prospecting, 20,000) and J (Negotiation, 6,000); no history before:
    # 2,000 + 4,800 by both methods; J won: 6,000. APE 800 / 6,000.
    assert sep.weighted == sep.history == {"EUR": 680_000}
    assert sep.actual == {"EUR": 600_000}
    assert sep.ape(WEIGHTED, "EUR") == Fraction(2, 15)
    assert octo.history == {"EUR": 4_690_909} and octo.weighted == {"EUR": 4_600_000}
    assert months.mape(WEIGHTED, "EUR") == (Fraction(2, 15) + Fraction(36, 10)) / 2
    assert months.mape(HISTORY, "EUR") == (Fraction(2, 15) + Fraction(3_690_909, 1_000_000)) / 2
    assert months.mape(WEIGHTED, "USD") == 1  # only M(-1) won dollars, and none were forecast
    assert months.mape(HISTORY, "GBP") is None  # nothing won in pounds


@pytest.mark.parametrize(
    ("due", "won", "probability", "rate"),
    [
        (0, 0, 60, Fraction(60, 100)),  # no history: the configured probability
        (10, 10, 60, Fraction(10 + 6, 20)),  # ten of ten: halfway to 100 %
        (1, 1, 50, Fraction(1 + 5, 11)),  # one win barely moves it
        (990, 99, 80, Fraction(99 + 8, 1000)),  # a full history: almost the observed 10 %
    ],
)
def test_the_history_rate_is_shrunk_toward_the_configured_probability(due, won, probability, rate):
    stage = StageInfo(1, "proposal", "Proposal", 4, "open", probability, 14)
    assert PRIOR_DEALS == 10
    assert StageRate(stage, due, won).rate == rate
