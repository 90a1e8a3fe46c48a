"""Digests of awkward pipelines: empty, one deal, everything lost, deals logged already won, no
amounts. Each must give sensible numbers, a valid message and a chart, never a traceback."""

from __future__ import annotations

from fractions import Fraction

from bot.i18n import translator
from domain.metrics import round_cents
from localslack.checks import MAX_MESSAGE_BLOCKS, check_blocks
from services import digest
from tests.digest_pipeline import TEAM, D, E, load
from tests.helpers import text_of
from views.digest import digest_message
from views.digest_chart import render_png

_ = translator("en")


def rendered(db, as_of=E):
    c = digest.compute(db, TEAM, as_of)
    message = digest_message(c, _)
    assert check_blocks(message["blocks"], MAX_MESSAGE_BLOCKS) is None
    assert render_png(c, _).startswith(b"\x89PNG")
    return c.digest, text_of(message["blocks"])


def test_an_empty_pipeline(db):
    load(db, {})
    d, text = rendered(db)
    assert (d.headline.count, d.headline.value, d.headline.weighted, d.headline.count_before) == (
        0,
        {},
        {},
        0,
    )
    assert [line.count for line in d.stages] == [0] * 6
    assert all(line.avg_age_days is None for line in d.stages)
    assert (d.rates.won, d.rates.lost, d.rates.win_rate, d.rates.avg_cycle_days) == (0, 0, None, None)
    assert (d.rates.avg_won, d.rates.velocity, d.reps, d.stalled_top) == ({}, {}, [], [])
    assert all(cv.rate is None for cv in d.rates.conversions)
    for shown in (
        "0 deals · €0",
        "Win rate: n/a (0 won, 0 lost)",
        "Sales velocity: n/a",
        "No deal is stalled.",
    ):
        assert shown in text, shown


def test_one_deal(db):
    load(db, {1: ("Solo", "UALICE", "EUR", 1_000, None, None, [(D(3), "P")], None)})
    d, text = rendered(db)
    assert (d.headline.count, d.headline.value, d.headline.weighted) == (1, {"EUR": 100_000}, {"EUR": 10_000})
    assert d.headline.count_before == 0  # it did not exist a week ago
    assert d.week.new_count == 1
    assert [(cv.moved_on, cv.entered) for cv in d.rates.conversions][0] == (0, 1)
    assert d.rates.win_rate is None and d.rates.velocity == {}
    assert "1 deal · €1,000" in text


def test_a_week_where_every_deal_was_lost(db):
    load(
        db,
        {
            n: (f"Lost {n}", "UBOB", "EUR", 1_000 * n, None, "no_budget", [(D(20), "P"), (D(n), "L")], None)
            for n in (1, 2, 3)
        },
    )
    d, text = rendered(db)
    assert d.headline.count == 0 and d.headline.count_before == 3
    assert d.headline.delta_value == {"EUR": -600_000}  # 1,000 + 2,000 + 3,000 open a week ago, none now
    assert (d.week.lost_count, d.week.lost_value, d.week.won_count) == (3, {"EUR": 600_000}, 0)
    assert [(r.key, r.count) for r in d.week.reasons] == [("no_budget", 3)]
    assert (d.rates.win_rate, d.rates.avg_won, d.rates.avg_cycle_days, d.rates.velocity) == (0, {}, None, {})
    assert "Win rate: 0% (0 won, 3 lost)" in text
    assert "No budget (3)" in text


def test_deals_logged_as_won_have_a_zero_cycle_and_velocity_uses_one_day(db):
    load(
        db,
        {
            1: ("Open", "UALICE", "EUR", 2_000, None, None, [(D(5), "P")], None),
            2: ("Signed", "UALICE", "EUR", 1_000, None, None, [(D(10), "W")], None),
            3: ("Unpriced win", "UALICE", "EUR", None, None, None, [(D(12), "P"), (D(11), "W")], None),
        },
    )
    d, _text = rendered(db)
    assert d.rates.won == 2 and d.rates.win_rate == 1
    assert d.rates.avg_won == {"EUR": 100_000}  # only #2 has an amount: 1,000 / 1
    assert d.rates.avg_cycle_days == Fraction(1, 2)  # (0 + 1) / 2
    # 1 open deal × 1,000 × 1 × 30 / max(0.5, 1) = 30,000
    assert d.rates.velocity == {"EUR": 3_000_000}


def test_deals_without_amounts_count_but_add_nothing(db):
    load(db, {1: ("Vague", "UALICE", "EUR", None, None, None, [(D(30), "P"), (D(20), "Pr")], None)})
    d, text = rendered(db)
    assert (d.headline.count, d.headline.value, d.headline.weighted) == (1, {"EUR": 0}, {"EUR": 0})
    assert "1 deal · €0" in text


def test_money_rounds_half_up_once():
    assert [round_cents(Fraction(n, 2)) for n in (1, 3, -1, -3)] == [1, 2, -1, -2]
    assert round_cents(Fraction(2_560_000_00, 38)) == 6_736_842  # 67,368.42105...


def test_many_reps_and_stalled_deals_stay_within_slacks_limits(db):
    pipeline = {
        n: (f"Deal {n} " + "x" * 150, f"U{n:05d}", "EUR", n, None, None, [(D(40), "P")], None)
        for n in range(1, 61)
    }
    load(db, pipeline)
    d, text = rendered(db)
    assert len(d.reps) == 60 and len(d.stalled_top) == 5
    assert "…and 40 more reps." in text
