"""Disqualify candidates in the owner's nudge: a deal nudged three times without progress, and one
long past its expected close, are listed in the nudge with a Mark lost that prefills the reason.
Dates derive from TUESDAY_10_UTC (tests/nudging.py); Qualification stalls after 5 days."""

from datetime import timedelta

from sqlmodel import select

from domain.amounts import Amount
from domain.deal_form import NewDeal
from domain.disqualify import NUDGED, OVERDUE, LostRef
from models.tables import Deal, DealNudge
from services import candidates, deals
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, deal_numbers, nudge_dms, run_sweep, seed, setup_team, stage_id

T1 = TUESDAY_10_UTC  # Tue 24 Nov, 11:00 in Amsterdam: first nudge
T2 = T1 + timedelta(days=6)  # Mon 30 Nov: 6 days after the first nudge (> 5): the second
T3 = T2 + timedelta(days=7)  # Mon 7 Dec: the third


def seed_closing(bench, owner: str, name: str, close_days_before_t3: int) -> int:
    """A Proposal deal (stalls after 14 days) made a day before T1, so it never stalls in these tests,
    whose expected close is that many days before T3."""
    new = NewDeal(
        name=name,
        owner_id=owner,
        amount=Amount(2_000_000, "EUR"),
        stage_id=stage_id(bench, "proposal"),
        close_date=T3.date() - timedelta(days=close_days_before_t3),
    )
    return deals.create(bench.db, TEAM, owner, new, T1 - timedelta(days=1)).deal.number


def nudges_of(bench, number: int) -> int | None:
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()
        row = s.get(DealNudge, deal.id)
        return row.nudges if row else None


def candidate_lines(message) -> dict[int, str]:
    return {
        int(b["block_id"].split(":")[1]): b["text"]["text"]
        for b in message.blocks
        if str(b.get("block_id", "")).startswith(("nudge_candidate:", "nudge_candidate_done:"))
    }


async def three_nudges(bench):
    """Ignored (nudged three times, nothing done), Called (a note after the second nudge), Late (31 days
    past its close: a candidate by T3) and Boundary (30 days: not yet); Alice's three nudges."""
    setup_team(bench, channel_id="C0SALES")
    bench.fixed_now = T1
    ignored = seed(bench, "UALICE", "Ignored", "qualification", idle_days=6, cents=1_000_000)
    called = seed(bench, "UALICE", "Called", "qualification", idle_days=6, cents=None)
    late = seed_closing(bench, "UALICE", "Late", 31)
    boundary = seed_closing(bench, "UALICE", "Boundary", 30)
    await run_sweep(bench)
    bench.fixed_now = T2
    await run_sweep(bench)
    bench.fixed_now = T2 + timedelta(hours=1)
    await bench.client.reply(
        await bench.client.command("UALICE", f"note #{called} Called them, they want a demo")
    )
    bench.fixed_now = T3
    await run_sweep(bench)
    return (ignored, called, late, boundary), nudge_dms(bench, "UALICE")


async def test_the_third_nudge_lists_the_deals_worth_disqualifying(bench):
    (ignored, called, late, boundary), dms = await three_nudges(bench)
    assert [deal_numbers(m) for m in dms] == [[ignored, called]] * 3
    # Nothing to disqualify in the first two: two nudges, and Late only 18 and 24 days past its close.
    assert candidate_lines(dms[0]) == {} and candidate_lines(dms[1]) == {}
    assert "Worth disqualifying?" not in text_of(dms[1])
    # Ignored: three nudges, nothing done between them; Called's note started its count again.
    assert (nudges_of(bench, ignored), nudges_of(bench, called)) == (3, 1)
    assert candidate_lines(dms[2]) == {
        ignored: f"*#{ignored}* Ignored · €10,000 · nudged 3 times without progress",
        late: f"*#{late}* Late · €20,000 · 31 days past its expected close",
    }
    assert list(candidate_lines(dms[2])) == [ignored, late]  # the nudges' reason before the calendar's
    assert boundary not in candidate_lines(dms[2])
    assert "*Worth disqualifying?*" in text_of(dms[2])


async def test_mark_lost_on_a_candidate_prefills_the_reason_and_updates_the_nudge(bench):
    (ignored, _called, _late, _boundary), dms = await three_nudges(bench)
    third = dms[2]
    await bench.client.click(
        "UALICE", third, "nudge_candidate_lost", value=LostRef(ignored, "no_decision").encode()
    )
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "nudge_lost"), None)
    )
    reason = next(b for b in view["blocks"] if b.get("block_id") == "reason")
    assert reason["element"]["initial_option"]["value"] == "no_decision"
    sent = await bench.client.submit("UALICE", view, {"reason": "no_decision"})
    assert sent.json == {}
    await bench.slack.wait_for(lambda: third.history)
    with bench.db.read() as s:
        lost = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == ignored)).one()
    assert lost.closed_at == T3 and lost.lost_reason_key == "no_decision"
    assert lost.lost_reason == "No decision / went silent"
    # Both of its lines in the nudge say so, and its buttons are gone.
    assert candidate_lines(third)[ignored].endswith("nudged 3 times without progress\n✓ Marked lost.")
    assert not any(b.get("block_id") == f"nudge_actions:{ignored}" for b in third.blocks)
    assert not any(b.get("block_id") == f"nudge_candidate:{ignored}" for b in third.blocks)


async def test_the_manager_counts_the_nudged_candidates_in_insights(bench):
    (ignored, _called, late, _boundary), _dms = await three_nudges(bench)
    found = candidates.compute(bench.db, TEAM, T3)
    assert [(c.deal.number, c.why, c.nudges) for c in found] == [(ignored, NUDGED, 3), (late, OVERDUE, 0)]
    setup_team(bench, manager_ids="UADMIN")
    reply = await bench.client.reply(await bench.client.command("UADMIN", "insights", command="/pipeline"))
    text = text_of(reply)
    assert (
        "2 open deals: 0 with a BANT verdict of disqualify, 1 nudged 3 or more times without progress, "
        "1 more than 30 days past their expected close"
    ) in text
    assert f"*#{ignored}* Ignored · €10,000 · nudged 3 times without progress · <@UALICE>" in text


async def test_a_long_nudge_with_candidates_stays_within_slacks_limits(bench):
    # 25 stalled deals, each 40 days past its close: twenty with buttons, three candidates, the rest as lines.
    bench.fixed_now = T1
    numbers = []
    for n in range(25):
        new = NewDeal(
            name=f"Deal {n}",
            owner_id="UALICE",
            amount=Amount(100_000 * (n + 1), "EUR"),
            stage_id=stage_id(bench, "qualification"),
            close_date=T1.date() - timedelta(days=40 + n),
        )
        numbers.append(deals.create(bench.db, TEAM, "UALICE", new, T1 - timedelta(days=6 + n)).deal.number)
    await run_sweep(bench)
    [nudge] = nudge_dms(bench, "UALICE")  # the local Slack refuses a message over its limits
    assert len(nudge.blocks) <= 50
    # The longest past their close first: the last three made (64, 63 and 62 days past).
    assert list(candidate_lines(nudge)) == [numbers[24], numbers[23], numbers[22]]
    assert candidate_lines(nudge)[numbers[24]].endswith("64 days past its expected close")
    assert "And 5 more:" in text_of(nudge)
