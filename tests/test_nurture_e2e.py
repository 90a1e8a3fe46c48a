"""Nurture end to end: the Lost form's Nurture day, `/deal nurture`, the DM's Reopen, Not yet and Drop,
and the digest's counts; bad input gets a clear private answer and changes nothing."""

from datetime import date, timedelta

from sqlmodel import col, select

from bot.i18n import translator
from domain.nurture import BACK, DROPPED, WAITING
from models.tables import Stage, StageChange
from tests.helpers import text_of
from tests.nudging import queued, run_sweep, seed
from tests.nurturing import FRIDAY, FRIDAY_10_UTC, TUESDAY, TUESDAY_10_UTC, deal, nurture_dms, outcome
from tests.nurturing import lost_and_nurtured as nurtured

LATER = FRIDAY_10_UTC + timedelta(minutes=5)


async def say(bench, user: str, text: str) -> str:
    reply = await bench.client.reply(await bench.client.command(user, text))
    return f"{reply.text}\n{text_of(reply)}"


def day(on) -> str:
    """A date as the English replies write it."""
    return translator("en").date(on)


async def modal(bench, callback_id: str) -> dict:
    return await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == callback_id), None)
    )


def nurture_of(bench, number: int) -> tuple:
    found = deal(bench, number)
    return found.nurture_on, found.nurture_state


def stage_key(bench, number: int) -> str:
    with bench.db.read() as s:
        stage = s.get(Stage, deal(bench, number).stage_id)
        assert stage is not None
        return stage.key


async def reminded(bench, owner: str = "UALICE"):
    """A deal lost from Negotiation, nurtured for Friday, and its DM on Friday."""
    bench.fixed_now = TUESDAY_10_UTC
    number = nurtured(bench, owner, "Acme", FRIDAY)
    bench.fixed_now = FRIDAY_10_UTC
    await run_sweep(bench)
    [message] = nurture_dms(bench, owner)
    bench.fixed_now = LATER
    return number, message


async def test_the_lost_form_takes_a_nurture_day_and_refuses_a_past_one(bench):
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UALICE", "Acme", stage="negotiation", idle_days=1)
    card = await bench.client.reply(await bench.client.command("UALICE", f"#{number}"))
    await bench.client.click("UALICE", card, "deal_lost")
    view = await modal(bench, "deal_lost")
    assert "Nurture: remind me on" in text_of(view)
    refused = await bench.client.submit(
        "UALICE", view, {"details": "No budget", "nurture": TUESDAY.isoformat()}
    )
    assert refused.json["errors"] == {"nurture": "Pick a day after today."}
    assert stage_key(bench, number) == "negotiation" and nurture_of(bench, number) == (None, None)

    on = TUESDAY + timedelta(days=90)
    sent = await bench.client.submit("UALICE", view, {"details": "No budget", "nurture": on.isoformat()})
    assert sent.body == ""
    assert stage_key(bench, number) == "lost" and nurture_of(bench, number) == (on, WAITING)
    await bench.slack.wait_for(lambda: "Nurture:" in text_of(card))
    assert f"*Nurture:* I remind <@UALICE> on {day(on)}." in text_of(card)


async def test_the_lost_form_without_a_day_is_lost_as_before(bench):
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UALICE", "Acme", idle_days=1)
    await bench.client.command("UALICE", f"lost #{number}")
    view = await modal(bench, "deal_lost")
    assert (await bench.client.submit("UALICE", view, {"details": "No budget"})).body == ""
    assert stage_key(bench, number) == "lost" and nurture_of(bench, number) == (None, None)


async def test_the_nudges_lost_form_takes_a_nurture_day_too(bench):
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UALICE", "Acme", idle_days=30)  # stalled: nudged
    await run_sweep(bench)
    nudge = next(m for m in bench.slack.dms("UALICE") if "nudge_lost" in str(m.blocks))
    await bench.client.click("UALICE", nudge, "nudge_lost")
    view = await modal(bench, "nudge_lost")
    on = TUESDAY + timedelta(days=60)
    assert (
        await bench.client.submit("UALICE", view, {"details": "Timing", "nurture": on.isoformat()})
    ).body == ""
    assert stage_key(bench, number) == "lost" and nurture_of(bench, number) == (on, WAITING)


async def test_deal_nurture_sets_a_day_and_off_stops_it(bench):
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UALICE", "Acme", idle_days=1)
    await say(bench, "UALICE", f"lost #{number} Timing")
    reply = await say(bench, "UALICE", f"nurture #{number} 2027-03-01")
    assert f"I'll remind you of deal #1 on {day(date(2027, 3, 1))}." in reply
    assert (
        nurture_of(bench, number)[1] == WAITING and nurture_of(bench, number)[0].isoformat() == "2027-03-01"
    )
    assert "No more reminders of deal #1." in await say(bench, "UALICE", f"nurture #{number} off")
    assert nurture_of(bench, number)[1] == DROPPED


async def test_bad_nurtures_get_a_clear_answer_and_change_nothing(bench):
    bench.fixed_now = TUESDAY_10_UTC
    lost = seed(bench, "UALICE", "Lost one", idle_days=1)
    open_ = seed(bench, "UALICE", "Open one", idle_days=1)
    bobs = seed(bench, "UBOB", "Bob's", idle_days=1)
    await say(bench, "UALICE", f"lost #{lost} Timing")
    await say(bench, "UBOB", f"lost #{bobs} Timing")
    yesterday = (TUESDAY - timedelta(days=1)).isoformat()
    cases = [
        (f"nurture #{lost} {yesterday}", "Pick a day after today."),
        (f"nurture #{lost} someday maybe", "I can't read `someday maybe` as a date."),
        (f"nurture #{lost}", "Say when to remind you"),
        (f"nurture #{open_} 2027-03-01", f"Deal #{open_} is not lost: only a lost deal can be nurtured."),
        (f"nurture #{bobs} 2027-03-01", f"Deal #{bobs} is <@UBOB>'s."),
        ("nurture #99 2027-03-01", "There is no deal #99"),
        (f"nurture #{lost} off", f"Deal #{lost} is not in nurture."),
    ]
    for text, expected in cases:
        reply = await say(bench, "UALICE", text)
        assert expected in reply, (text, reply)
    assert [nurture_of(bench, n) for n in (lost, open_, bobs)] == [(None, None)] * 3


async def test_reopen_brings_it_back_into_the_stage_it_was_lost_from(bench):
    number, message = await reminded(bench)
    sent = await bench.client.click("UALICE", message, "nurture_reopen")
    await bench.slack.wait_for(lambda: outcome(message, number))
    assert outcome(message, number) == "↩️ Reopened in Negotiation."
    assert stage_key(bench, number) == "negotiation" and nurture_of(bench, number)[1] == BACK
    found = deal(bench, number)
    assert (found.lost_reason, found.closed_at, found.nurture_at) == (None, None, LATER)
    with bench.db.read() as s:
        last = s.exec(select(StageChange).order_by(col(StageChange.id).desc())).first()
        assert last is not None and (last.at, last.user_id) == (LATER, "UALICE")
    # The card follows the DM, with the stages to move it on to.
    replies = await bench.slack.wait_for(lambda: bench.slack.responses.get(sent.response_key))
    assert "Acme" in text_of(replies[-1]) and "deal_move" in str(replies[-1].blocks)


async def test_not_yet_picks_a_new_day_and_the_dm_comes_again_then(bench):
    number, message = await reminded(bench)
    await bench.client.click("UALICE", message, "nurture_not_yet")
    view = await modal(bench, "nurture_not_yet")
    refused = await bench.client.submit("UALICE", view, {"nurture": FRIDAY.isoformat()})
    assert refused.json["errors"] == {"nurture": "Pick a day after today."}
    assert nurture_of(bench, number) == (FRIDAY, WAITING)
    monday = FRIDAY + timedelta(days=3)
    assert (await bench.client.submit("UALICE", view, {"nurture": monday.isoformat()})).json == {}
    assert nurture_of(bench, number) == (monday, WAITING)
    await bench.slack.wait_for(lambda: outcome(message, number))
    assert outcome(message, number) == f"💤 I'll remind you again on {day(monday)}."
    bench.fixed_now = FRIDAY_10_UTC + timedelta(days=1)  # Saturday: not a working day
    assert queued(await run_sweep(bench)) == []
    bench.fixed_now = FRIDAY_10_UTC + timedelta(days=3)
    assert [m.kind for m in queued(await run_sweep(bench))] == ["nurture"]
    assert len(nurture_dms(bench, "UALICE")) == 2


async def test_drop_stops_the_reminders(bench):
    number, message = await reminded(bench)
    await bench.client.click("UALICE", message, "nurture_drop")
    await bench.slack.wait_for(lambda: outcome(message, number))
    assert outcome(message, number) == "✓ Dropped: no more reminders of this deal."
    assert nurture_of(bench, number) == (FRIDAY, DROPPED)
    assert stage_key(bench, number) == "lost"
    bench.fixed_now = FRIDAY_10_UTC + timedelta(days=7)
    assert queued(await run_sweep(bench)) == []


async def test_a_deal_reopened_by_command_came_back_and_its_dm_is_stale(bench):
    number, message = await reminded(bench)
    assert "reopened in Negotiation" in await say(bench, "UALICE", f"reopen #{number}")
    assert nurture_of(bench, number)[1] == BACK
    await bench.client.click("UALICE", message, "nurture_drop")
    await bench.slack.wait_for(lambda: outcome(message, number))
    assert (
        outcome(message, number)
        == f":warning: Deal #{number} changed since this reminder. I changed nothing."
    )
    assert nurture_of(bench, number)[1] == BACK


async def test_the_digest_counts_deals_in_nurture_and_those_that_came_back_this_week(bench):
    bench.fixed_now = TUESDAY_10_UTC
    # Four lost deals nurtured for Friday; one is reopened from its DM, one dropped, two still wait.
    numbers = [nurtured(bench, "UALICE", f"Deal {i}", FRIDAY) for i in range(4)]
    bench.fixed_now = FRIDAY_10_UTC
    await run_sweep(bench)
    dms = {int(m.text.split("#")[1].split()[0]): m for m in nurture_dms(bench, "UALICE")}
    await bench.client.click("UALICE", dms[numbers[0]], "nurture_reopen")
    await bench.client.click("UALICE", dms[numbers[1]], "nurture_drop")
    await bench.slack.wait_for(
        lambda: outcome(dms[numbers[1]], numbers[1]) and outcome(dms[numbers[0]], numbers[0])
    )
    # Saturday: the week Monday 23 to now holds one that came back; 4 - 1 back - 1 dropped = 2 wait.
    bench.fixed_now = FRIDAY_10_UTC + timedelta(days=1)
    sent = await bench.client.command("UADMIN", "digest", command="/pipeline")
    assert "In nurture: 2 · came back this week: 1" in text_of(await bench.client.reply(sent))
    # A week on, none came back that week; the two still wait.
    bench.fixed_now = FRIDAY_10_UTC + timedelta(days=8)
    sent = await bench.client.command("UADMIN", "digest", command="/pipeline")
    assert "In nurture: 2 · came back this week: 0" in text_of(await bench.client.reply(sent))
