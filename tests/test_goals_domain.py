"""Goal attainment and threshold crossings, against values worked out by hand."""

from datetime import date
from fractions import Fraction

from domain.goals import attainment, crossed


def test_attainment_percent_and_days_left() -> None:
    # 3 deals won worth 1234.56 + 500.00 + 15.44 = 1750.00 of a 2500.00 goal: 70 %.
    got = attainment(123_456 + 50_000 + 1_544, 250_000, date(2026, 3, 10), date(2026, 3, 31))
    assert got.percent == Fraction(70)
    assert got.days_left == 21  # 11 March .. 31 March


def test_attainment_empty_team_and_zero_goal() -> None:
    assert attainment(0, 100_000, date(2026, 1, 1), date(2026, 3, 31)).percent == 0
    assert attainment(5_000, 0, date(2026, 1, 1), date(2026, 3, 31)).percent is None
    assert attainment(0, 1, date(2026, 4, 2), date(2026, 3, 31)).days_left == 0


def test_one_deal_crosses_every_threshold_at_once() -> None:
    assert crossed(0, 120_000, 100_000) == (50, 90, 100)


def test_threshold_reached_exactly_and_not_twice() -> None:
    assert crossed(49_999, 50_000, 100_000) == (50,)
    assert crossed(50_000, 89_999, 100_000) == ()
    assert crossed(89_999, 90_000, 100_000) == (90,)
    assert crossed(100_000, 200_000, 100_000) == ()
    assert crossed(0, 10_000, 0) == ()
