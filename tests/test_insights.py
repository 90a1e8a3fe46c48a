"""Bottlenecks against values worked out by hand (SQLite and PostgreSQL), and `/pipeline insights`
through the local Slack. NOW and at(k, day) as in tests/forecast_fixture.py (noon UTC of a day k
months from NOW's); this period is [NOW − 30 d, NOW), the trailing window the 90 days before it."""

from __future__ import annotations

from fractions import Fraction

from domain.bottlenecks import Age, flows, median_days
from domain.metrics import StageInfo
from services import insights
from tests.forecast_fixture import NOW, TEAM, at, load
from tests.helpers import text_of

DEALS = {
    # Left Proposal in the trailing window after 5, 5 and 6 days (won, won, lost): median 5, 2 of 3 on.
    1: ("EUR", 1_000, None, [(at(-3, 1), "P"), (at(-3, 10), "Pr"), (at(-3, 15), "W")]),
    2: ("EUR", 1_000, None, [(at(-3, 2), "P"), (at(-3, 12), "Pr"), (at(-3, 17), "W")]),
    3: ("EUR", 1_000, None, [(at(-2, 1), "P"), (at(-2, 10), "Pr"), (at(-2, 16), "L")]),
    # In Proposal now for 43, 38 and 16 whole days (NOW is 10:00, the moves were at noon): median 38.
    4: ("EUR", 4_000, None, [(at(-1, 1), "P"), (at(-1, 5), "Pr")]),
    5: ("EUR", 5_000, None, [(at(-1, 10), "Pr")]),
    6: ("EUR", 6_000, None, [(at(0, 1), "Pr")]),
    # Negotiation: two left it forward in the trailing window; this period one of three did.
    7: ("EUR", 1_000, None, [(at(-3, 1), "Ne"), (at(-3, 11), "W")]),
    8: ("EUR", 1_000, None, [(at(-3, 3), "Ne"), (at(-3, 13), "W")]),
    9: ("EUR", 1_000, None, [(at(-1, 1), "Ne"), (at(0, 2), "L")]),
    10: ("EUR", 1_000, None, [(at(-1, 2), "Ne"), (at(0, 3), "L")]),
    11: ("EUR", 1_000, None, [(at(-1, 3), "Ne"), (at(0, 4), "W")]),
}


def flows_by_key(found):
    return {f.stage.key: f for f in found.flows}


def test_an_empty_team_has_no_bottleneck(db):
    load(db, deals={})
    found = insights.compute(db, TEAM, NOW)
    assert found.standouts == [] and all(f.now_count == 0 and f.now_median is None for f in found.flows)


def test_one_deal_is_too_few_to_stand_out(db):
    load(db, deals={4: DEALS[4]})
    found = insights.compute(db, TEAM, NOW)
    proposal = flows_by_key(found)["proposal"]
    assert (proposal.now_count, proposal.now_median, proposal.trailing_median) == (1, 43, None)
    assert found.standouts == []


def test_the_stages_that_stand_out_with_the_deals_behind_them(db):
    load(db, deals=DEALS)
    found = insights.compute(db, TEAM, NOW)
    f = flows_by_key(found)
    pr, ne, p = f["proposal"], f["negotiation"], f["prospecting"]
    assert (pr.now_count, pr.now_median, pr.trailing_median) == (3, 38, 5)
    assert (pr.trailing_exits, pr.trailing_forward, pr.period_exits) == (3, 2, 0)
    assert pr.slower == Fraction(38, 5)
    assert (ne.period_exits, ne.period_forward, ne.trailing_exits, ne.trailing_forward) == (3, 1, 2, 2)
    assert ne.drop == Fraction(2, 3)  # 100 % usually, 1 in 3 this period
    # Prospecting: left after 9, 10, 9 and 4 days, all forward: median 9; nobody in it now.
    assert (p.trailing_median, p.trailing_forward, p.now_count) == (9, 4, 0)
    assert [s.stage.key for s in found.standouts] == ["proposal", "negotiation"]
    assert [d.number for d in found.behind[pr.stage.id]] == [4, 5, 6]  # longest in the stage first
    assert [d.idle_days for d in found.behind[pr.stage.id]] == [43, 38, 16]


def test_the_median_of_a_day_histogram():
    assert median_days({}) is None
    assert median_days({5: 2, 6: 1}) == 5
    assert median_days({4: 1, 9: 2, 10: 1}) == 9
    assert median_days({1: 1, 2: 1}) == 1  # the lower median


def test_groups_of_the_same_day_add_up():
    # ages_now groups by the SQL's days, then reads a missing entry time and a future one as 0 days:
    # two groups of day 0 for one stage, which a dict by day had let overwrite each other.
    proposal = StageInfo(1, "proposal", "Proposal", 4, "open", 60, 7)
    ages = [Age(1, 0, 2), Age(1, 0, 3), Age(1, 12, 1)]
    [flow] = flows([proposal], ages, [])
    assert (flow.now_count, flow.now_median) == (6, 0)


async def test_pipeline_insights_names_the_stage_and_its_deals(bench):
    load(bench.db, deals=DEALS, team_id="T0LOCAL")
    bench.fixed_now = NOW
    reply = await bench.client.reply(await bench.client.command("UBOB", "insights", command="/pipeline"))
    text = text_of(reply)
    assert ":rotating_light: *Proposal*: 3 deals now, median 38 days in the stage (usually 5 days)" in text
    assert "• #4 Deal 4 · €4,000 · 43 days in the stage · <@UALICE>" in text
    assert (
        "*Negotiation*: 0 deals now, median n/a in the stage (usually 10 days) · moved on: 33% of 3" in text
    )


async def test_the_digest_names_the_stages_that_stand_out_at_its_top(bench):
    load(bench.db, deals=DEALS, team_id="T0LOCAL")
    bench.fixed_now = NOW
    reply = await bench.client.reply(await bench.client.command("UBOB", "digest", command="/pipeline"))
    text = text_of(reply)
    assert "*Where deals are held up*" in text
    assert text.index("Where deals are held up") < text.index("Pipeline by stage")
    assert ":rotating_light: *Proposal*: 3 deals now, median 38 days" in text
    assert ":rotating_light: *Negotiation*" in text


def test_stage_hygiene_on_the_hand_computed_team(db):
    load(db, deals=DEALS)
    found = {h.stage.key: h for h in insights.compute(db, TEAM, NOW).hygiene}
    # Deals 1-4 went from Prospecting to Proposal, over Qualification: 4 of 4, too few to judge.
    q = found["qualification"]
    assert (q.passed, q.skipped, q.skip_share) == (4, 4, None)
    # Negotiation: five exits (deals 7-11), none the same day, none backwards.
    ne = found["negotiation"]
    assert (ne.exits, ne.quick, ne.backwards, ne.quick_share) == (5, 0, 0, 0)
    assert not any(h.suggested for h in found.values())
