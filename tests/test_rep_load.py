"""Rep load and skill gaps against values worked out by hand: the domain from a table, then
`/pipeline team` through the local Slack for a manager and for a rep."""

from __future__ import annotations

from fractions import Fraction

from domain.metrics import DAY, ClosedGroup
from domain.rep_load import OwnerOpen, median, rep_load
from models.tables import Team
from tests.forecast_fixture import NOW, load
from tests.helpers import text_of


def test_an_empty_team_has_no_median_and_no_flags():
    load_ = rep_load([], [], 90)
    assert load_.reps == [] and load_.median_open is None and load_.win_rate is None


def test_one_rep_is_the_median():
    load_ = rep_load([OwnerOpen("UA", "EUR", 3, 30_000)], [], 90)
    (rep,) = load_.reps
    assert load_.median_open == 3 and rep.load == 1 and rep.flag is None


def test_reps_above_one_and_a_half_and_below_half_the_median_are_flagged():
    open_now = [
        OwnerOpen("UA", "EUR", 10, 1_000_000),
        OwnerOpen("UA", "USD", 2, 50_000),  # 12 open in all
        OwnerOpen("UB", "EUR", 6, 600_000),
        OwnerOpen("UC", "EUR", 2, 100_000),
        OwnerOpen("UD", "EUR", 8, 0),
    ]
    closed = [
        ClosedGroup("won", "UA", "EUR", 3, 3, 300_000, 3 * 20 * DAY),  # 3 won in 20 days each
        ClosedGroup("lost", "UA", "EUR", 1, 1, 0, 0),
        ClosedGroup("won", "UB", "EUR", 1, 1, 100_000, 50 * DAY),
        ClosedGroup("lost", "UE", "EUR", 2, 2, 0, 0),  # no open deal: on the team, with 0 open
    ]
    load_ = rep_load(open_now, closed, 90)
    # Open counts 12, 8, 6, 2, 0: the median is 6. 12/6 = 2 > 1.5; 2/6 and 0/6 < 0.5.
    assert load_.median_open == 6
    flags = {r.owner_id: (r.load, r.flag) for r in load_.reps}
    assert flags == {
        "UA": (2, "overload"),
        "UD": (Fraction(4, 3), None),
        "UB": (1, None),
        "UC": (Fraction(1, 3), "idle"),
        "UE": (0, "idle"),
    }
    ua = load_.reps[0]
    assert ua.open_value == {"EUR": 1_000_000, "USD": 50_000}
    assert ua.win_rate == Fraction(3, 4) and ua.cycle_days == 20
    # Team: 4 won, 3 lost; cycle (60 + 50) / 4 days.
    assert load_.win_rate == Fraction(4, 7) and load_.cycle_days == Fraction(110, 4)
    assert median([1, 2, 3, 4]) == Fraction(5, 2)


# -- through Slack ---------------------------------------------------------------------------------
OWNERS = {4: "UBOB", 6: "UBOB", 7: "UBOB", 8: "UBOB", 9: "UBOB"}  # open: Alice E; Bob D, F, G, H


def setup(bench):
    load(bench.db, team_id="T0LOCAL", owners=OWNERS)
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.manager_ids = "UADMIN"
        s.add(team)
    bench.fixed_now = NOW


async def test_a_manager_sees_every_rep_with_flags(bench):
    setup(bench)
    reply = await bench.client.reply(await bench.client.command("UADMIN", "team", command="/pipeline"))
    text = text_of(reply)
    # Open: Bob 4 (D, F, G, H), Alice 1 (E): the median of 4 and 1 is 2.5; 4/2.5 = 1.6, 1/2.5 = 0.4.
    # Closed in the 90 days: Alice won A, C, J and lost B (75 %); Bob won I; the team 4 of 5.
    assert "Team: the median rep has 2.5 open deals · win rate 80%" in text
    assert "0.4× the median rep · win rate 75%" in text
    assert "<@UBOB> — 4 open (€62,000 + £12,000), 1.6× the median rep" in text
    assert ":warning: overloaded" in text
    assert "<@UALICE> — 1 open (€30,000), 0.4× the median rep" in text and "room for more" in text


async def test_a_rep_sees_only_their_own_line(bench):
    setup(bench)
    reply = await bench.client.reply(await bench.client.command("UALICE", "team", command="/pipeline"))
    text = text_of(reply)
    assert "Your load" in text and "<@UALICE>" in text and "<@UBOB>" not in text
    assert "the median rep has 2.5 open deals" in text
