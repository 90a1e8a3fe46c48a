"""Rep load and skill gaps against values worked out by hand: the domain from a table, then
`/pipeline team` through the local Slack for a manager and for a rep."""

from __future__ import annotations

from fractions import Fraction

from domain.metrics import DAY, ClosedGroup, OwnerEntered, StageInfo
from domain.rep_load import OwnerOpen, median, rep_load, steps_by_owner
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
PROPOSAL = StageInfo(5, "proposal", "Proposal", 5, "open", 60, 14)
NEGOTIATION = StageInfo(6, "negotiation", "Negotiation", 6, "open", 80, 10)


def test_a_reps_conversion_is_a_gap_20_points_below_the_teams_from_five_deals():
    entered = [
        OwnerEntered("UA", PROPOSAL.id, 5, 1),  # 20 %
        OwnerEntered("UB", PROPOSAL.id, 5, 4),  # 80 %
        OwnerEntered("UC", PROPOSAL.id, 4, 0),  # 0 %, but only 4 deals: thin, never a gap
        OwnerEntered("UC", NEGOTIATION.id, 1, 1),
    ]
    team, reps = steps_by_owner([NEGOTIATION, PROPOSAL], entered)
    # Team Proposal: (1 + 4 + 0) of (5 + 5 + 4) = 5/14; Negotiation 1 of 1; in pipeline order.
    assert [(t.stage.key, t.moved_on, t.entered) for t in team] == [
        ("proposal", 5, 14),
        ("negotiation", 1, 1),
    ]
    (ua,) = reps["UA"]
    # 1/5 = 20 % ≤ 5/14 − 20 points = 15.7 %? No: 20 % > 15.7 %, not a gap.
    assert ua.rate == Fraction(1, 5) and ua.team == Fraction(5, 14) and not ua.gap
    team, reps = steps_by_owner([PROPOSAL], [*entered[:2], OwnerEntered("UD", PROPOSAL.id, 10, 10)])
    # Team: 15 of 20 = 75 %; UA 20 % ≤ 55 %: a gap; UB 80 %: none.
    assert [s.gap for s in reps["UA"]] == [True] and [s.gap for s in reps["UB"]] == [False]
    # Exactly 20 points below is a gap: 11 of 20 = 55 % against 75 %.
    _, exact = steps_by_owner(
        [PROPOSAL], [OwnerEntered("UE", PROPOSAL.id, 20, 11), OwnerEntered("UF", PROPOSAL.id, 20, 19)]
    )
    assert exact["UE"][0].team == Fraction(30, 40) and exact["UE"][0].gap
    _, thin = steps_by_owner([PROPOSAL, NEGOTIATION], entered)
    assert [(s.stage.key, s.gap) for s in thin["UC"]] == [("proposal", False), ("negotiation", False)]


def test_no_entries_no_steps():
    team, reps = steps_by_owner([PROPOSAL], [])
    assert team == [] and reps == {}
    assert rep_load([OwnerOpen("UA", "EUR", 1, 100)], [], 90, [PROPOSAL], []).reps[0].steps == []


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
    # Entries in the 90 days (a creation is an entry), first per deal and stage, and whether they
    # moved on: Alice A Prospecting → Proposal (yes), A Proposal → won (yes), B Negotiation → lost
    # (no), C Negotiation → won (yes); Bob D Qualification → Proposal (yes), D Proposal (still),
    # F Prospecting, G Negotiation, H Proposal (still), I Needs assessment → won (yes).
    # Team: Prospecting 1 of 2, Qualification 1 of 1, Needs assessment 1 of 1, Proposal 1 of 3,
    # Negotiation 1 of 3. A handful each: thin history, so no gap is flagged.
    assert (
        "Moved on from: Prospecting 50% (1 of 2), Qualification 100% (1 of 1), "
        "Needs assessment 100% (1 of 1), Proposal 33% (1 of 3), Negotiation 33% (1 of 3)"
    ) in text
    assert (
        "Moved on from: Prospecting 100% (1 of 1; team 50%), Proposal 100% (1 of 1; team 33%), "
        "Negotiation 50% (1 of 2; team 33%)"
    ) in text
    assert (
        "Moved on from: Prospecting 0% (0 of 1; team 50%), Qualification 100% (1 of 1; team 100%), "
        "Needs assessment 100% (1 of 1; team 100%), Proposal 0% (0 of 2; team 33%), "
        "Negotiation 0% (0 of 1; team 33%)"
    ) in text
    assert text.count(":small_red_triangle_down:") == 1  # the legend's only


async def test_a_rep_sees_only_their_own_line(bench):
    setup(bench)
    reply = await bench.client.reply(await bench.client.command("UALICE", "team", command="/pipeline"))
    text = text_of(reply)
    assert "Your load" in text and "<@UALICE>" in text and "<@UBOB>" not in text
    assert "the median rep has 2.5 open deals" in text
    assert "Negotiation 50% (1 of 2; team 33%)" in text and "Proposal 0% (0 of 2" not in text


async def test_the_digests_by_rep_shows_each_reps_conversion_and_a_rep_only_their_own(bench):
    setup(bench)
    alice = "Negotiation 50% (1 of 2; team 33%)"  # worked out in the manager's test above
    bob = "Proposal 0% (0 of 2; team 33%)"
    manager = text_of(
        await bench.client.reply(await bench.client.command("UADMIN", "digest", command="/pipeline"))
    )
    assert alice in manager and bob in manager
    rep = text_of(
        await bench.client.reply(await bench.client.command("UALICE", "digest", command="/pipeline"))
    )
    assert alice in rep and bob not in rep and "<@UBOB>" not in rep
