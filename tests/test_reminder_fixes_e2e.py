"""Two reminder fixes end to end (issue 18): a step done and set again for the same day is reminded
again (its key carries the step's number), and an owner's several overdue steps come in one DM, not
one each, once; on SQLite and PostgreSQL."""

from datetime import timedelta

from bot.i18n import translator
from tests.helpers import text_of
from tests.nudging import outbox_rows, queued, run_sweep
from tests.reminding import TUESDAY, WEDNESDAY, WEDNESDAY_10_UTC, deal, outcome, reminder_dms, with_step


async def say(bench, user: str, text: str) -> str:
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


def overdue_lists(bench, user: str) -> list:
    return [m for m in bench.slack.dms(user) if "overdue next step" in m.text]


async def test_a_step_done_and_set_again_for_the_same_day_is_reminded_again(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    acme = with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    await run_sweep(bench)
    [first] = reminder_dms(bench, "UALICE")
    await say(bench, "UALICE", f"next #{acme} done")
    await say(bench, "UALICE", f"next #{acme} Send the contract due:{WEDNESDAY.isoformat()}")
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(minutes=5)
    await run_sweep(bench)
    await run_sweep(bench)  # and only once
    dms = reminder_dms(bench, "UALICE")
    assert [m.text for m in dms[1:]] == [f"Next step for #{acme} Acme: Send the contract — due today"]
    assert len(outbox_rows(bench, "step_reminder")) == 2

    # The first reminder's Done is about the first step: it does not close the new one.
    await bench.client.click("UALICE", first, "reminder_done")
    await bench.slack.wait_for(lambda: outcome(first, acme))
    assert "changed meanwhile" in (outcome(first, acme) or "")
    assert deal(bench, acme).next_step == "Send the contract"


async def test_editing_a_steps_date_alone_is_the_same_step(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    acme = with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    await run_sweep(bench)
    before = deal(bench, acme).next_step_seq
    await say(bench, "UALICE", f"next #{acme} Call Jan due:{WEDNESDAY.isoformat()}")  # the same words again
    assert deal(bench, acme).next_step_seq == before
    await run_sweep(bench)
    assert len(reminder_dms(bench, "UALICE")) == 1


async def test_several_overdue_steps_on_the_first_day_come_in_one_dm_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=7)  # a week after: the bot is deployed today
    today = bench.fixed_now.date()
    a = with_step(bench, "UALICE", "Acme", "Call Jan", TUESDAY)
    b = with_step(bench, "UALICE", "Beta", "Send the quote", WEDNESDAY)
    c = with_step(bench, "UALICE", "Gamma", "Book the demo", today - timedelta(days=1))
    d = with_step(bench, "UALICE", "Delta", "Sign", today)  # due today: its own reminder, with buttons
    e = with_step(bench, "UBOB", "Epsilon", "Call back", TUESDAY)  # one overdue step: the usual reminder
    results = await run_sweep(bench)
    assert sorted(m.key.split(":")[0] for m in queued(results)) == ["overdue", "reminder", "reminder"]
    [listed] = overdue_lists(bench, "UALICE")
    assert listed.text == "You have 3 overdue next steps."
    en = translator("en")
    body = text_of(listed)
    assert f"#{a} Acme: Call Jan — overdue since {en.date(TUESDAY)}" in body
    assert f"#{b} Beta: Send the quote — overdue since {en.date(WEDNESDAY)}" in body
    assert f"#{c} Gamma: Book the demo" in body
    assert [m.text for m in reminder_dms(bench, "UALICE")] == [f"Next step for #{d} Delta: Sign — due today"]
    [bob] = reminder_dms(bench, "UBOB")
    assert bob.text == f"Next step for #{e} Epsilon: Call back — overdue since {en.date(TUESDAY)}"

    bench.fixed_now += timedelta(hours=1)
    assert queued(await run_sweep(bench)) == []  # every step counts as reminded
    assert len(bench.slack.dms("UALICE")) == 2
    statuses = sorted(r.status for r in outbox_rows(bench, "step_reminder") if r.channel == "UALICE")
    assert statuses == ["folded", "folded", "folded", "sent", "sent"]


async def test_a_long_overdue_list_ends_with_and_n_more(bench):
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=7)
    for i in range(12):
        with_step(bench, "UALICE", f"Deal {i}", "Call", TUESDAY)
    await run_sweep(bench)
    [listed] = overdue_lists(bench, "UALICE")
    assert listed.text == "You have 12 overdue next steps."
    assert text_of(listed).count("overdue since") == 10
    assert "…and 2 more." in text_of(listed)
