"""Nurture DMs end to end: one DM per lost deal and day, on its day in the owner's working hours,
through double sweeps, a crash after posting, a lost answer and 429s; on SQLite and PostgreSQL."""

import asyncio
from datetime import timedelta

import pytest

from models import outbox as outbox_store
from scheduler import outbox
from scheduler.nudges import describe, sweep
from services import nurture
from tests.nudging import TEAM, outbox_rows, queued, run_sweep
from tests.nurturing import FRIDAY, FRIDAY_10_UTC, TUESDAY_10_UTC, deal, lost_and_nurtured, nurture_dms


async def test_the_nurture_dm_arrives_once_on_its_day_in_working_hours(bench):
    bench.fixed_now = TUESDAY_10_UTC
    acme = lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    assert queued(await run_sweep(bench)) == []  # three days early: nothing

    bench.fixed_now = FRIDAY_10_UTC - timedelta(hours=3)  # 08:00 in Amsterdam: before work
    assert queued(await run_sweep(bench)) == []
    assert nurture_dms(bench, "UALICE") == []

    bench.fixed_now = FRIDAY_10_UTC
    results = await run_sweep(bench)
    assert [m.kind for m in queued(results)] == ["nurture"]
    [dm] = nurture_dms(bench, "UALICE")
    assert dm.text == f"Time to look at #{acme} Acme again"
    assert "Went with a competitor" in str(dm.blocks)
    buttons = [e["action_id"] for b in dm.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["nurture_reopen", "nurture_not_yet", "nurture_drop"]
    line = f"{TEAM}: queued nurture to UALICE from {FRIDAY_10_UTC:%Y-%m-%d %H:%M} UTC: {dm.text}"
    assert describe(results, False) == [line]

    bench.fixed_now = FRIDAY_10_UTC + timedelta(hours=1)
    assert queued(await run_sweep(bench)) == []  # the sweep runs again: nothing new
    assert nurture.lookups(bench.db, bench.now()) == []  # reminded: not even looked at again
    assert len(nurture_dms(bench, "UALICE")) == 1
    assert [r.key for r in outbox_rows(bench, "nurture")] == [
        f"nurture:{TEAM}:{deal(bench, acme).id}:{FRIDAY}"
    ]


async def test_in_the_owners_own_timezone_and_a_missed_day_comes_at_the_next_working_moment(bench):
    bench.slack.users["UBOB"].tz = "America/New_York"
    bench.fixed_now = FRIDAY_10_UTC  # 05:00 in New York
    lost_and_nurtured(bench, "UBOB", "Beta", FRIDAY - timedelta(days=2))  # its Wednesday went by
    assert queued(await run_sweep(bench)) == []
    bench.fixed_now = FRIDAY_10_UTC + timedelta(hours=5)  # 10:00 in New York
    assert [m.channel for m in queued(await run_sweep(bench))] == ["UBOB"]


async def test_open_won_dropped_and_archived_deals_get_none(bench):
    bench.fixed_now = TUESDAY_10_UTC
    numbers = [lost_and_nurtured(bench, "UALICE", name, FRIDAY) for name in ("Won", "Dropped", "Archived")]
    await bench.client.command("UALICE", f"won #{numbers[0]}")
    await bench.client.command("UALICE", f"nurture #{numbers[1]} off")
    await bench.client.command("UADMIN", f"archive #{numbers[2]}")
    await bench.slack.wait_for(lambda: deal(bench, numbers[2]).archived_at is not None)
    bench.fixed_now = FRIDAY_10_UTC
    assert queued(await run_sweep(bench)) == []
    assert nurture_dms(bench, "UALICE") == []


async def test_a_crash_after_posting_then_a_rerun_sends_once(bench):
    bench.fixed_now = FRIDAY_10_UTC
    lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    await sweep(bench.deps, bench.bolt.client, bench.now())
    # Worker A claims the DM, posts it, and dies before recording that it did.
    [claimed] = outbox_store.claim(bench.db, "worker-a", bench.now())
    await bench.bolt.client.chat_postMessage(
        channel=claimed.channel,
        text=claimed.payload["text"],
        blocks=claimed.payload["blocks"],
        metadata={"event_type": outbox.METADATA_TYPE, "event_payload": {"outbox_id": claimed.id}},
    )
    bench.fixed_now = FRIDAY_10_UTC + outbox_store.LEASE + timedelta(seconds=1)
    assert queued(await run_sweep(bench)) == []  # the rerun: decided already, and found posted
    assert [r.status for r in outbox_rows(bench, "nurture")] == ["sent"]
    assert len(nurture_dms(bench, "UALICE")) == 1
    assert len(bench.slack.calls_to("chat.postMessage")) == 1


async def test_a_lost_answer_then_a_retry_sends_once(bench):
    bench.fixed_now = FRIDAY_10_UTC
    lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    bench.slack.inject("chat.postMessage", status=500, act_first=True)  # posted; the "ok" is lost
    await run_sweep(bench)
    bench.fixed_now = FRIDAY_10_UTC + timedelta(minutes=1)
    await run_sweep(bench)
    assert [r.status for r in outbox_rows(bench, "nurture")] == ["sent"]
    assert len(nurture_dms(bench, "UALICE")) == 1


async def test_429_then_retry_sends_once(bench):
    bench.fixed_now = FRIDAY_10_UTC
    lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    lost_and_nurtured(bench, "UADMIN", "Gamma", FRIDAY)
    bench.slack.inject("chat.postMessage", status=429, retry_after=1, times=3)
    for minute in range(5):
        bench.fixed_now = FRIDAY_10_UTC + timedelta(minutes=minute)
        await run_sweep(bench)
        if all(r.status == "sent" for r in outbox_rows(bench, "nurture")):
            break
    limited = [c for c in bench.slack.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(limited) == 3
    assert len(outbox_rows(bench, "nurture")) == 2
    assert len(nurture_dms(bench, "UALICE")) == 1 and len(nurture_dms(bench, "UADMIN")) == 1


async def test_salesbot_nudge_and_its_dry_run_list_nurture_dms(bench, capsys):
    from bot.cli import nudge_once

    bench.fixed_now = FRIDAY_10_UTC
    lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    assert await nudge_once(bench.settings, FRIDAY_10_UTC, dry_run=True, team=TEAM) == 0
    assert "would send nurture to UALICE" in capsys.readouterr().out
    assert outbox_rows(bench) == []
    assert await nudge_once(bench.settings, FRIDAY_10_UTC, dry_run=False, team=TEAM) == 0
    assert "queued nurture to UALICE" in capsys.readouterr().out
    assert len(nurture_dms(bench, "UALICE")) == 1


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_sweeps_running_at_the_same_moment_send_once(bench):
    bench.fixed_now = FRIDAY_10_UTC
    for i, owner in enumerate(["UALICE", "UBOB", "UADMIN"] * 2):
        lost_and_nurtured(bench, owner, f"Deal {i}", FRIDAY)
    results = await asyncio.gather(*(sweep(bench.deps, bench.bolt.client, bench.now()) for _ in range(4)))
    await asyncio.gather(
        *(outbox.dispatch(bench.db, bench.bolt.client, f"w{i}", bench.now) for i in range(4))
    )
    assert len([m for r in results for m in queued(r) if m.kind == "nurture"]) == 6  # each by one sweep
    for owner in ["UALICE", "UBOB", "UADMIN"]:
        assert len(nurture_dms(bench, owner)) == 2
    assert len(outbox_rows(bench, "nurture")) == 6


async def test_the_nurture_dm_is_in_the_owners_language(bench):
    bench.slack.users["UALICE"].locale = "de-DE"
    bench.fixed_now = FRIDAY_10_UTC
    acme = lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    await run_sweep(bench)
    [dm] = nurture_dms(bench, "UALICE")
    assert dm.text == f"Zeit, sich #{acme} Acme wieder anzusehen"


async def test_the_owners_choice_of_dms_applies_to_the_nurture_dm(bench):
    """A nurture DM is a reminder to `/deal notify`: off, it is recorded and never sent; on the daily
    summary, it is one line of it."""
    bench.fixed_now = TUESDAY_10_UTC
    lost_and_nurtured(bench, "UALICE", "Acme", FRIDAY)
    beta = lost_and_nurtured(bench, "UBOB", "Beta", FRIDAY)
    for user, choice in (("UALICE", "notify reminders off"), ("UBOB", "notify summary daily")):
        await bench.client.reply(await bench.client.command(user, choice))
    bench.fixed_now = FRIDAY_10_UTC
    await run_sweep(bench)  # the nurture DMs are decided after the summaries: Bob's waits for the next
    assert {r.channel: r.status for r in outbox_rows(bench, "nurture")} == {"UALICE": "muted", "UBOB": "held"}
    bench.fixed_now = FRIDAY_10_UTC + timedelta(minutes=1)  # the scheduler's next tick
    await run_sweep(bench)
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert nurture_dms(bench, "UALICE") == [] and nurture_dms(bench, "UBOB") == []
    assert {r.channel: r.status for r in outbox_rows(bench, "nurture")} == {
        "UALICE": "muted",
        "UBOB": "folded",
    }
    [summary] = bench.slack.dms("UBOB")[-1:]
    assert f"Time to look at #{beta} Beta again" in str(summary.blocks)
