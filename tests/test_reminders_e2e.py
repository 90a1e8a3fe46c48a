"""Due reminders end to end: one DM per step and due date, on its day in the owner's working hours,
through double sweeps, a crash after posting and 429s; on SQLite and PostgreSQL."""

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.i18n import translator
from models import outbox as outbox_store
from models.tables import WON, Deal, Stage, saved_id
from scheduler import outbox
from scheduler.nudges import describe, sweep
from services import deals, reminders
from tests.helpers import text_of
from tests.nudging import TEAM, outbox_rows, queued, run_sweep
from tests.reminding import (
    TUESDAY,
    TUESDAY_10_UTC,
    WEDNESDAY,
    WEDNESDAY_10_UTC,
    reminder_dms,
    set_step,
    with_step,
)


async def test_the_reminder_arrives_once_on_the_due_day_in_working_hours(bench):
    bench.fixed_now = TUESDAY_10_UTC
    acme = with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    assert queued(await run_sweep(bench)) == []  # the day before: nothing

    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=3)  # 08:00 in Amsterdam: before work
    assert queued(await run_sweep(bench)) == []
    assert reminder_dms(bench, "UALICE") == []

    bench.fixed_now = WEDNESDAY_10_UTC
    results = await run_sweep(bench)
    assert [m.kind for m in queued(results)] == ["step_reminder"]
    [dm] = reminder_dms(bench, "UALICE")
    assert dm.text == f"Next step for #{acme} Acme: Call Jan — due today"
    buttons = [e["action_id"] for b in dm.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["reminder_done", "reminder_snooze", "reminder_open"]
    line = f"{TEAM}: queued step_reminder to UALICE from {WEDNESDAY_10_UTC:%Y-%m-%d %H:%M} UTC: {dm.text}"
    assert describe(results, False) == [line]

    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(hours=1)
    assert queued(await run_sweep(bench)) == []  # the sweep runs again: nothing new
    assert describe(await run_sweep(bench), False) == ["nothing is due"]
    assert reminders.lookups(bench.db, bench.now()) == []  # reminded: not even looked at again
    assert len(reminder_dms(bench, "UALICE")) == 1
    assert [r.key for r in outbox_rows(bench, "step_reminder")] == [
        f"reminder:{TEAM}:{deal_id(bench, acme)}:{WEDNESDAY}"
    ]


def deal_id(bench, number: int) -> int:
    return saved_id(deals.card(bench.db, TEAM, number, bench.now()).deal)


async def test_in_the_owners_own_timezone(bench):
    bench.slack.users["UBOB"].tz = "America/New_York"
    bench.fixed_now = WEDNESDAY_10_UTC  # 05:00 in New York
    with_step(bench, "UBOB", "Gamma", "Send the quote", WEDNESDAY)
    assert queued(await run_sweep(bench)) == []
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(hours=4)  # 09:00 in New York
    assert [m.channel for m in queued(await run_sweep(bench))] == ["UBOB"]
    assert len(reminder_dms(bench, "UBOB")) == 1


async def test_a_step_due_on_saturday_is_reminded_on_monday_as_overdue(bench):
    saturday = TUESDAY + timedelta(days=4)
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=4)
    acme = with_step(bench, "UALICE", "Acme", "Call Jan", saturday)
    assert queued(await run_sweep(bench)) == []
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=6)  # Monday 11:00 in Amsterdam
    await run_sweep(bench)
    [dm] = reminder_dms(bench, "UALICE")
    since = translator("en").date(saturday)
    assert dm.text == f"Next step for #{acme} Acme: Call Jan — overdue since {since}"


async def test_a_step_missed_while_the_bot_was_down_is_reminded_once_as_overdue(bench):
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=7)
    with_step(bench, "UALICE", "Acme", "Call Jan", TUESDAY)
    await run_sweep(bench)
    await run_sweep(bench)
    [dm] = reminder_dms(bench, "UALICE")
    assert "overdue since" in dm.text


async def test_closed_deals_and_deals_without_a_step_get_none(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    won = with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    with bench.db.write() as s:
        row = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == won)).one()
        row.stage_id = s.exec(select(Stage.id).where(Stage.team_id == TEAM, Stage.kind == WON)).first()
        s.add(row)
    no_date = with_step(bench, "UALICE", "Beta", "Think", WEDNESDAY)
    set_step(bench, no_date, "Think", None)
    assert queued(await run_sweep(bench)) == []
    assert reminder_dms(bench, "UALICE") == []


async def test_a_changed_due_date_gets_a_new_reminder_on_its_new_day(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    acme = with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    await run_sweep(bench)
    set_step(bench, acme, "Call Jan", WEDNESDAY + timedelta(days=1))
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(hours=2)
    assert queued(await run_sweep(bench)) == []  # Thursday's step: not yet
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=1)
    await run_sweep(bench)
    assert [m.text.endswith("due today") for m in reminder_dms(bench, "UALICE")] == [True, True]


async def test_a_crash_after_posting_then_a_rerun_sends_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    await sweep(bench.deps, bench.bolt.client, bench.now())
    # Worker A claims the reminder, posts it, and dies before recording that it did.
    [claimed] = outbox_store.claim(bench.db, "worker-a", bench.now())
    await bench.bolt.client.chat_postMessage(
        channel=claimed.channel,
        text=claimed.payload["text"],
        blocks=claimed.payload["blocks"],
        metadata={"event_type": outbox.METADATA_TYPE, "event_payload": {"outbox_id": claimed.id}},
    )
    bench.fixed_now = WEDNESDAY_10_UTC + outbox_store.LEASE + timedelta(seconds=1)
    assert queued(await run_sweep(bench)) == []  # the rerun: decided already, and found posted
    assert [r.status for r in outbox_rows(bench, "step_reminder")] == ["sent"]
    assert len(reminder_dms(bench, "UALICE")) == 1
    assert len(bench.slack.calls_to("chat.postMessage")) == 1


async def test_a_lost_answer_then_a_retry_sends_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    bench.slack.inject("chat.postMessage", status=500, act_first=True)  # posted; the "ok" is lost
    await run_sweep(bench)
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(minutes=1)
    await run_sweep(bench)
    assert [r.status for r in outbox_rows(bench, "step_reminder")] == ["sent"]
    assert len(reminder_dms(bench, "UALICE")) == 1


async def test_429_then_retry_sends_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    with_step(bench, "UBOB", "Gamma", "Send the quote", WEDNESDAY)
    bench.slack.inject("chat.postMessage", status=429, retry_after=1, times=3)
    for minute in range(5):
        bench.fixed_now = WEDNESDAY_10_UTC + timedelta(minutes=minute)
        await run_sweep(bench)
        if all(r.status == "sent" for r in outbox_rows(bench, "step_reminder")):
            break
    limited = [c for c in bench.slack.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(limited) == 3
    assert len(outbox_rows(bench, "step_reminder")) == 2
    assert len(reminder_dms(bench, "UALICE")) == 1 and len(reminder_dms(bench, "UBOB")) == 1


async def test_the_sweep_and_the_dry_run_list_reminders(bench, capsys):
    from bot.cli import nudge_once

    bench.fixed_now = WEDNESDAY_10_UTC
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    assert await nudge_once(bench.settings, WEDNESDAY_10_UTC, dry_run=True, team=TEAM) == 0
    assert "would send step_reminder to UALICE" in capsys.readouterr().out
    assert outbox_rows(bench) == []
    assert await nudge_once(bench.settings, WEDNESDAY_10_UTC, dry_run=False, team=TEAM) == 0
    assert "queued step_reminder to UALICE" in capsys.readouterr().out
    assert len(reminder_dms(bench, "UALICE")) == 1


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_sweeps_running_at_the_same_moment_remind_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    for i, owner in enumerate(["UALICE", "UBOB", "UADMIN"] * 3):
        with_step(bench, owner, f"Deal {i}", "Call", WEDNESDAY)
    results = await asyncio.gather(*(sweep(bench.deps, bench.bolt.client, bench.now()) for _ in range(4)))
    await asyncio.gather(
        *(outbox.dispatch(bench.db, bench.bolt.client, f"w{i}", bench.now) for i in range(4))
    )
    assert len([m for r in results for m in queued(r)]) == 9  # each enqueued by one sweep only
    for owner in ["UALICE", "UBOB", "UADMIN"]:
        assert len(reminder_dms(bench, owner)) == 3
    assert len(outbox_rows(bench, "step_reminder")) == 9


async def test_the_reminder_is_in_the_owners_language(bench):
    bench.slack.users["UALICE"].locale = "nl-NL"
    bench.fixed_now = WEDNESDAY_10_UTC
    acme = with_step(bench, "UALICE", "Acme", "Jan bellen", WEDNESDAY)
    await run_sweep(bench)
    [dm] = reminder_dms(bench, "UALICE")
    assert dm.text == f"Volgende stap voor #{acme} Acme: Jan bellen — vandaag"
    assert "Klaar" in text_of(dm) and "Deal openen" in text_of(dm)
