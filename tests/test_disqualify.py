"""Disqualify candidates: open deals with a BANT verdict of disqualify, or more than 30 days past
their expected close, listed in `/pipeline insights` with a Mark lost that prefills the reason.
Dates derive from NOW in tests/forecast_fixture.py (NOW is the 18th; at(k, d) noon of day d, k
months away)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from domain.disqualify import BANT, NUDGED, OVERDUE, Candidate, LostRef, OpenDeal, candidates, nudges_after
from models.qualification_tables import Qualification, QualificationAnswer
from models.tables import Deal, Team, saved_id
from services import candidates as candidate_service
from tests.forecast_fixture import NOW, TEAM, at, load
from tests.helpers import text_of

TODAY = NOW.date()
DEALS = {
    # 31 days past its close date: a candidate. 30 days: not yet.
    1: ("EUR", 10_000, TODAY - timedelta(days=31), [(at(-2, 1), "Pr")]),
    2: ("EUR", 20_000, TODAY - timedelta(days=30), [(at(-2, 1), "Pr")]),
    # Budget "no", none expected: disqualify, whatever its close date.
    3: ("EUR", 5_000, TODAY + timedelta(days=10), [(at(-1, 1), "Q")]),
    # Won long after its close date: closed, so not a candidate.
    4: ("EUR", 7_000, TODAY - timedelta(days=90), [(at(-3, 1), "Pr"), (at(-1, 1), "W")]),
}
OWNERS = {3: "UBOB"}


def setup(db, team_id=TEAM):
    load(db, deals=DEALS, team_id=team_id, owners=OWNERS)
    with db.write() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == team_id, Deal.number == 3)).one()
        qual = Qualification(
            team_id=team_id,
            deal_id=deal.id,
            deal_number=3,
            owner_id="UBOB",
            status="done",
            started_by="UBOB",
            started_at=NOW - timedelta(days=2),
            updated_at=NOW - timedelta(days=2),
        )
        s.add(qual)
        s.flush()
        s.add(
            QualificationAnswer(
                team_id=team_id,
                qualification_id=saved_id(qual),
                question="budget",
                status="no",
                answered_by="UBOB",
                answered_at=NOW - timedelta(days=2),
            )
        )


def test_the_rules_in_a_table():
    today = date(2026, 11, 18)
    late = OpenDeal(1, "A", "UA", 100, "EUR", today - timedelta(days=40))
    later = OpenDeal(2, "B", "UA", 100, "EUR", today - timedelta(days=35))
    both = OpenDeal(3, "C", "UA", None, "EUR", today - timedelta(days=50))
    found = candidates([later, late, both], [both], today)
    assert [(c.deal.number, c.why, c.days_past_close) for c in found] == [
        (3, BANT, 50),  # listed once, for its verdict
        (1, OVERDUE, 40),  # longest past its close first
        (2, OVERDUE, 35),
    ]
    assert Candidate(late, OVERDUE, 40).reason_key == "no_decision"
    assert Candidate(both, BANT, 50).reason_key == "not_qualified"
    assert LostRef.parse(LostRef(12, "no_decision").encode()) == LostRef(12, "no_decision")
    assert LostRef.parse("x:y") is None and candidates([], [], today) == []


def test_the_candidates_of_a_team_and_of_one_owner(db):
    setup(db)
    found = candidate_service.compute(db, TEAM, NOW)
    assert [(c.deal.number, c.why) for c in found] == [(3, BANT), (1, OVERDUE)]
    assert found[1].days_past_close == 31
    assert [c.deal.number for c in candidate_service.compute(db, TEAM, NOW, owner="UALICE")] == [1]
    load(db, deals={}, team_id="T0EMPTY")
    assert candidate_service.compute(db, "T0EMPTY", NOW) == []


async def test_a_rep_marks_a_candidate_lost_with_the_reason_prefilled(bench):
    setup(bench.db, team_id="T0LOCAL")
    bench.fixed_now = NOW
    reply = await bench.client.reply(await bench.client.command("UALICE", "insights", command="/pipeline"))
    text = text_of(reply)
    assert "*Worth disqualifying?*" in text
    assert "*#1* Deal 1 · €10,000 · 31 days past its expected close · <@UALICE>" in text
    assert "#3" not in text  # Bob's
    await bench.client.click("UALICE", reply, "disqualify_lost", value=LostRef(1, "no_decision").encode())
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_lost"), None)
    )
    reason = next(b for b in view["blocks"] if b.get("block_id") == "reason")
    assert reason["element"]["initial_option"]["value"] == "no_decision"
    await bench.client.submit("UALICE", view, {"reason": "no_decision"})
    await bench.slack.wait_for(lambda: _lost(bench.db, 1))


async def test_a_manager_sees_the_whole_teams_count(bench):
    setup(bench.db, team_id="T0LOCAL")
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.manager_ids = "UADMIN"
        s.add(team)
    bench.fixed_now = NOW
    reply = await bench.client.reply(await bench.client.command("UADMIN", "insights", command="/pipeline"))
    text = text_of(reply)
    assert (
        "2 open deals: 1 with a BANT verdict of disqualify, 0 nudged 3 or more times without progress, "
        "1 more than 30 days past"
    ) in text
    assert "BANT verdict: disqualify · <@UBOB>" in text


def _lost(db, number):
    with db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == "T0LOCAL", Deal.number == number)).one()
        return deal.closed_at is not None and deal.lost_reason_key == "no_decision"


def test_nudges_without_progress_and_the_third_kind_in_a_table():
    noon = datetime(2026, 11, 18, 12, tzinfo=UTC)
    before, after = noon - timedelta(days=1), noon + timedelta(days=1)
    # (nudges so far, last nudge, last activity) -> nudges once one more is recorded
    for nudges, nudged_at, activity, expected in [
        (0, None, noon, 1),  # never nudged
        (2, noon, before, 3),  # nothing done since the last nudge: the streak goes on
        (2, noon, noon, 3),  # activity at the very moment of the nudge is not after it
        (2, noon, after, 1),  # a note, a move, a snooze after the last nudge: a new streak
    ]:
        assert nudges_after(nudges, nudged_at, activity) == expected
    today = date(2026, 11, 18)
    a = OpenDeal(1, "A", "UA", 100, "EUR", today - timedelta(days=40))
    b = OpenDeal(2, "B", "UA", 100, "EUR", None)
    c = OpenDeal(3, "C", "UB", 100, "EUR", None)
    found = candidates([a], [c], today, [(a, 3), (b, 4), (c, 5), (OpenDeal(4, "D", "UA", 1, "EUR", None), 2)])
    assert [(x.deal.number, x.why, x.nudges) for x in found] == [
        (3, BANT, 0),  # its verdict first, though nudged most
        (2, NUDGED, 4),  # most nudges first
        (1, NUDGED, 3),  # nudged three times and overdue: listed once, for the nudges
    ]
    assert found[2].reason_key == "no_decision" and found[2].days_past_close == 40
