"""End to end: a deal's next step, set by command or modal, on the card, Home and the due lists."""

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from models.tables import Deal
from tests.helpers import text_of

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


async def say(bench, user, text):
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


def deal(db, number):
    with db.read() as s:
        return s.exec(select(Deal).where(Deal.number == number)).one()


def steps(db):
    with db.read() as s:
        return {
            d.number: (d.next_step, d.next_step_due, d.version)
            for d in s.exec(select(Deal).order_by(col(Deal.number)))
        }


async def test_next_step_by_command_shows_on_the_card_and_counts_as_activity(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Acme renewal" 50k')
    bench.fixed_now = later = TUESDAY_10 + timedelta(days=2)  # Thursday: the deal has sat for two days
    friday = later.date() + timedelta(days=(4 - later.weekday()) % 7)
    reply = await say(bench, "UALICE", "next #1 Send the proposal due:friday")
    assert "Next step set on deal #1" in reply
    assert "Next step:* Send the proposal · due" in reply
    row = deal(bench.db, 1)
    assert (row.next_step, row.next_step_due) == ("Send the proposal", friday)
    assert row.last_activity_at == later
    # Done clears the step, asks for the next one, and is activity too.
    bench.fixed_now = done_at = later + timedelta(hours=3)
    reply = await say(bench, "UALICE", "next #1 done")
    assert "is done. What comes next?" in reply
    row = deal(bench.db, 1)
    assert (row.next_step, row.next_step_due, row.last_activity_at) == (None, None, done_at)


async def test_bad_next_steps_get_a_clear_answer_and_change_nothing(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", "add Alpha 10k")
    await say(bench, "UBOB", "add Beta 20k")
    before = steps(bench.db)
    yesterday = (TUESDAY_10.date() - timedelta(days=1)).isoformat()
    cases = [
        (f"next #1 Call due:{yesterday}", f"The due date {yesterday} has passed"),
        ("next #99 Call", "There is no deal #99"),
        ("next #2 Call", "Deal #2 is <@UBOB>'s"),
        ("next #1 " + "x" * 600, "That next step is too long (600 characters). Keep it under 500."),
        ("next #1 " + "x" * 5000, "That command is too long"),
        ("next #1", "Write the next step after the deal number"),
        ("next #1 Call due:someday-ish", "I can't read the due date"),
        ("next #1 done", "Deal #1 has no next step to mark done"),
    ]
    for text, expected in cases:
        reply = await say(bench, "UALICE", text)
        assert expected in reply, (text[:40], reply)
    assert steps(bench.db) == before


async def test_the_next_step_button_opens_a_modal_that_sets_it(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", "add Acme 50k")
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    await bench.client.click("UALICE", card, "deal_next_step")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_next_step"), None)
    )
    yesterday = (TUESDAY_10.date() - timedelta(days=1)).isoformat()
    refused = await bench.client.submit("UALICE", view, {"step": "  ", "due": yesterday})
    assert set(refused.json["errors"]) == {"step", "due"}
    assert steps(bench.db)[1][:2] == (None, None)
    due = TUESDAY_10.date() + timedelta(days=7)
    ack = await bench.client.submit("UALICE", view, {"step": "Call the CFO", "due": due.isoformat()})
    assert ack.status == 200 and ack.body == ""
    await bench.slack.wait_for(lambda: card.history)
    assert "Next step set on deal #1" in text_of(card) and "Call the CFO" in text_of(card)
    assert steps(bench.db)[1][:2] == ("Call the CFO", due)


async def test_overdue_and_today_lists_and_home_show_the_reps_own_steps(bench):
    bench.fixed_now = TUESDAY_10
    today = TUESDAY_10.date()
    for name in ("Alpha", "Beta", "Gamma"):
        await say(bench, "UALICE", f"add {name} 10k")
    await say(bench, "UBOB", "add Bobdeal 10k")
    await say(bench, "UALICE", f"next #1 Send the contract due:{today.isoformat()}")
    await say(bench, "UALICE", f"next #2 Book the demo due:{(today + timedelta(days=1)).isoformat()}")
    await say(bench, "UBOB", f"next #4 Bob's call due:{today.isoformat()}")
    bench.fixed_now = TUESDAY_10 + timedelta(days=1)  # Alpha's step is now a day late, Beta's due today
    overdue = await say(bench, "UALICE", "list overdue")
    assert "Your overdue next steps (1)" in overdue
    assert "Alpha" in overdue and "Send the contract" in overdue and "(overdue)" in overdue
    assert "Beta" not in overdue and "Bobdeal" not in overdue
    due_today = await say(bench, "UALICE", "list today")
    assert "Your next steps due today (1)" in due_today and "Book the demo · due today" in due_today
    assert "Alpha" not in due_today
    home = text_of(await bench.client.open_home("UALICE"))
    assert "next: Send the contract" in home and "next: Book the demo · due today" in home
    assert "Gamma" in home
    bench.fixed_now = TUESDAY_10 + timedelta(days=3)
    assert "No next step is due today." in await say(bench, "UALICE", "list today")
