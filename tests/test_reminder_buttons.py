"""The buttons on a due reminder: Done clears the step and asks for the next one, Snooze moves the due
date (its reminder then comes on the new day), Open deal shows the card; a changed step is not acted on."""

from datetime import timedelta

from tests.helpers import text_of
from tests.nudging import queued, run_sweep
from tests.reminding import WEDNESDAY, WEDNESDAY_10_UTC, deal, outcome, reminder_dms, set_step, with_step

LATER = WEDNESDAY_10_UTC + timedelta(minutes=5)


async def reminded(bench, step: str = "Call Jan"):
    bench.fixed_now = WEDNESDAY_10_UTC
    number = with_step(bench, "UALICE", "Acme", step, WEDNESDAY)
    await run_sweep(bench)
    [message] = reminder_dms(bench, "UALICE")
    bench.fixed_now = LATER
    return number, message


async def modal(bench, callback_id: str) -> dict:
    return await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == callback_id), None)
    )


async def test_done_clears_the_step_counts_as_activity_and_asks_for_the_next(bench):
    acme, message = await reminded(bench)
    await bench.client.click("UALICE", message, "reminder_done")
    await bench.slack.wait_for(lambda: outcome(message, acme))
    assert outcome(message, acme) == "✓ Done. What comes next?"
    assert "Call Jan" in text_of(message)  # the reminder's line stays; its buttons give way
    found = deal(bench, acme)
    assert (found.next_step, found.next_step_due, found.last_activity_at) == (None, None, LATER)

    view = await modal(bench, "deal_next_step")
    due = WEDNESDAY + timedelta(days=2)
    sent = await bench.client.submit("UALICE", view, {"step": "Send the contract", "due": due.isoformat()})
    assert sent.json == {}
    await bench.slack.wait_for(lambda: deal(bench, acme).next_step == "Send the contract")
    assert deal(bench, acme).next_step_due == due


async def test_snooze_moves_the_due_date_and_the_reminder_comes_on_the_new_day(bench):
    acme, message = await reminded(bench)
    await bench.client.click("UALICE", message, "reminder_snooze")
    view = await modal(bench, "reminder_snooze")
    refused = await bench.client.submit("UALICE", view, {"due": WEDNESDAY.isoformat()})
    assert refused.json == {"response_action": "errors", "errors": {"due": "Pick a day after today."}}
    assert deal(bench, acme).next_step_due == WEDNESDAY

    friday = WEDNESDAY + timedelta(days=2)
    assert (await bench.client.submit("UALICE", view, {"due": friday.isoformat()})).json == {}
    await bench.slack.wait_for(lambda: outcome(message, acme))
    assert outcome(message, acme) == "💤 Moved to Nov 27, 2026."
    found = deal(bench, acme)
    assert (found.next_step, found.next_step_due, found.last_activity_at) == ("Call Jan", friday, LATER)

    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=1)
    assert queued(await run_sweep(bench)) == []  # Thursday: nothing
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=2)
    await run_sweep(bench)
    assert len(reminder_dms(bench, "UALICE")) == 2


async def test_open_deal_shows_the_card(bench):
    acme, message = await reminded(bench)
    sent = await bench.client.click("UALICE", message, "reminder_open")
    replies = await bench.slack.wait_for(lambda: bench.slack.responses.get(sent.response_key))
    assert f"#{acme}" in replies[0].text and "Acme" in text_of(replies[0])
    assert any(e.get("action_id") == "deal_won" for b in replies[0].blocks for e in b.get("elements", []))
    assert outcome(message, acme) is None  # the reminder keeps its buttons


async def test_a_step_changed_since_the_reminder_is_not_acted_on(bench):
    acme, message = await reminded(bench)
    set_step(bench, acme, "Call Jan", WEDNESDAY + timedelta(days=7))
    await bench.client.click("UALICE", message, "reminder_done")
    await bench.slack.wait_for(lambda: outcome(message, acme))
    assert "changed meanwhile" in (outcome(message, acme) or "")
    assert deal(bench, acme).next_step == "Call Jan"  # nothing changed
    assert deal(bench, acme).last_activity_at < LATER
    assert not any(v["callback_id"] == "deal_next_step" for v in bench.slack.views.values())
