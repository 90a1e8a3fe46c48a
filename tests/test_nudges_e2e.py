"""Stalled-deal sweeps end to end: the real bot, the local Slack, SQLite and PostgreSQL."""

import asyncio
from datetime import timedelta

import pytest

from scheduler import outbox
from scheduler.nudges import nudge_job, sweep
from scheduler.runner import JOBS, tick
from services import nudges
from tests.helpers import text_of
from tests.nudging import (
    TEAM,
    TUESDAY_10_UTC,
    deal_numbers,
    nudge_dms,
    outbox_rows,
    queued,
    run_sweep,
    seed,
    setup_team,
)


async def test_a_sweep_nudges_each_owner_once_and_an_identical_sweep_sends_nothing(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    a1 = seed(bench, "UALICE", "Acme renewal", "proposal", idle_days=15)  # threshold 14
    a2 = seed(bench, "UALICE", "Beta pilot", "qualification", idle_days=6, cents=None)  # threshold 5
    seed(bench, "UALICE", "Fresh deal", "proposal", idle_days=2)  # not stalled in this test
    b1 = seed(bench, "UBOB", "Gamma", "negotiation", idle_days=11)  # threshold 10
    seed(bench, "UBOB", "Won already", "won", idle_days=90)  # won deals never stall

    first = await run_sweep(bench)
    assert sorted(m.kind for m in queued(first)) == ["nudge", "nudge", "reminder"]
    alice, bob = nudge_dms(bench, "UALICE"), nudge_dms(bench, "UBOB")
    assert [deal_numbers(m) for m in alice] == [sorted([a1, a2])]
    assert [deal_numbers(m) for m in bob] == [[b1]]
    text = text_of(alice[0])
    assert "Acme renewal" in text and "15 days idle" in text and "€50,000" in text and "Proposal" in text
    assert "Fresh deal" not in text
    reminder = bench.slack.channel_messages("C0SALES")
    assert len(reminder) == 1 and "3 deals have stalled" in reminder[0].text
    assert "<@UBOB>" in text_of(reminder[0])

    posts = len(bench.slack.calls_to("chat.postMessage"))
    again = await run_sweep(bench)
    assert queued(again) == []
    assert len(bench.slack.calls_to("chat.postMessage")) == posts

    # Not again a day later, nor just before another threshold period has passed ...
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=4, hours=23)
    assert queued(await run_sweep(bench)) == []
    # ... but after it, Beta (5 days) is nudged once more, and alone; idle 11 > 2 x 5 days, it is escalated.
    # That is a Sunday: the nudge is queued now and arrives on Monday at 09:00 in Amsterdam.
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=5, minutes=1)
    later = await run_sweep(bench)
    assert sorted(m.kind for m in queued(later)) == ["escalation", "nudge", "reminder"]
    assert len(nudge_dms(bench, "UALICE")) == 1
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=5, hours=22)
    assert queued(await run_sweep(bench)) == []
    assert [deal_numbers(m) for m in nudge_dms(bench, "UALICE")] == [sorted([a1, a2]), [a2]]
    assert len(nudge_dms(bench, "UBOB")) == 1
    assert all(r.status == "sent" for r in outbox_rows(bench))


async def test_no_team_channel_means_no_reminder(bench):
    bench.fixed_now = TUESDAY_10_UTC
    seed(bench, "UALICE", "Acme", idle_days=20)
    results = await run_sweep(bench)
    assert [m.kind for m in queued(results)] == ["nudge"]
    assert bench.slack.channel_messages("C0SALES") == []


async def test_the_scheduler_tick_runs_the_sweep(bench):
    assert nudge_job in JOBS
    bench.fixed_now = TUESDAY_10_UTC
    seed(bench, "UALICE", "Acme", idle_days=20)
    await tick(bench.deps, bench.bolt.client, worker="w1")
    assert len(nudge_dms(bench, "UALICE")) == 1
    await tick(bench.deps, bench.bolt.client, worker="w1")
    assert len(nudge_dms(bench, "UALICE")) == 1


async def test_rate_limits_delay_but_each_nudge_arrives_once(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    seed(bench, "UALICE", "Acme", idle_days=20)
    seed(bench, "UBOB", "Gamma", idle_days=20)
    bench.slack.rate_limit_ratio = 0.3
    for _ in range(10):  # what ran out of retries is picked up by the next sweep or dispatch
        await run_sweep(bench)
        rows = outbox_rows(bench)
        if len(rows) == 3 and all(r.status == "sent" for r in rows):
            break
    bench.slack.rate_limit_ratio = 0.0
    assert bench.slack.rate_limited > 0
    assert len(nudge_dms(bench, "UALICE")) == 1
    assert len(nudge_dms(bench, "UBOB")) == 1
    assert len(bench.slack.channel_messages("C0SALES")) == 1


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_sweeps_running_at_the_same_moment_nudge_once(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", escalation="channel")
    owners = ["UALICE", "UBOB", "UADMIN"]
    for i in range(12):
        seed(bench, owners[i % 3], f"Deal {i}", idle_days=20 + i)  # past 2 x 14 from i = 9: escalated
    results = await asyncio.gather(*(sweep(bench.deps, bench.bolt.client, bench.now()) for _ in range(4)))
    await asyncio.gather(
        *(outbox.dispatch(bench.db, bench.bolt.client, f"w{i}", bench.now) for i in range(4))
    )
    kinds = sorted(m.kind for r in results for m in queued(r))
    assert kinds == ["escalation", "nudge", "nudge", "nudge", "reminder"]
    for owner in owners:
        [dm] = nudge_dms(bench, owner)
        assert len(deal_numbers(dm)) == 4
    channel = bench.slack.channel_messages("C0SALES")
    assert sorted(m.text.split(" ")[1] for m in channel) == ["deals", "deals"]  # one reminder, one escalation
    assert len(outbox_rows(bench)) == 5


async def test_working_hours_in_each_owners_own_timezone(bench):
    bench.slack.users["UBOB"].tz = "America/New_York"
    # Monday 07:00 UTC: 08:00 in Amsterdam, 02:00 in New York; neither is at work.
    monday = TUESDAY_10_UTC - timedelta(days=1, hours=3)
    bench.fixed_now = monday
    seed(bench, "UALICE", "Acme", idle_days=20)
    seed(bench, "UBOB", "Gamma", idle_days=20)
    results = await run_sweep(bench)
    by_owner = {m.channel: m.not_before for m in queued(results)}
    assert by_owner == {"UALICE": monday + timedelta(hours=1), "UBOB": monday + timedelta(hours=7)}
    assert nudge_dms(bench, "UALICE") == [] and nudge_dms(bench, "UBOB") == []

    bench.fixed_now = monday + timedelta(hours=1, seconds=1)  # 09:00:01 in Amsterdam
    assert queued(await run_sweep(bench)) == []  # enqueued once, at night; now only sent
    assert len(nudge_dms(bench, "UALICE")) == 1 and nudge_dms(bench, "UBOB") == []

    bench.fixed_now = monday + timedelta(hours=7, seconds=1)  # 09:00:01 in New York
    assert queued(await run_sweep(bench)) == []
    assert len(nudge_dms(bench, "UALICE")) == 1 and len(nudge_dms(bench, "UBOB")) == 1


async def test_found_on_friday_evening_means_monday_morning(bench):
    friday_evening = TUESDAY_10_UTC + timedelta(days=3, hours=8)  # 19:00 in Amsterdam
    bench.fixed_now = friday_evening
    setup_team(bench, channel_id="C0SALES")
    seed(bench, "UALICE", "Acme", idle_days=20)
    results = await run_sweep(bench)
    monday_9 = TUESDAY_10_UTC + timedelta(days=6, hours=-2)  # 09:00 CET is 08:00 UTC
    assert {m.kind: m.not_before for m in queued(results)} == {"nudge": monday_9, "reminder": monday_9}
    bench.fixed_now = monday_9 - timedelta(minutes=1)
    await run_sweep(bench)
    assert nudge_dms(bench, "UALICE") == [] and bench.slack.channel_messages("C0SALES") == []
    bench.fixed_now = monday_9
    await run_sweep(bench)
    assert len(nudge_dms(bench, "UALICE")) == 1 and len(bench.slack.channel_messages("C0SALES")) == 1


async def test_team_working_days_and_hours_apply(bench):
    bench.fixed_now = TUESDAY_10_UTC  # 11:00 in Amsterdam on a Tuesday
    setup_team(bench, work_days="1345", work_start="12:00", work_end="16:00")
    seed(bench, "UALICE", "Acme", idle_days=20)
    [nudge] = queued(await run_sweep(bench))
    assert nudge.not_before == TUESDAY_10_UTC + timedelta(days=1, hours=1)  # Wednesday 12:00 in Amsterdam


# -- owners who left --------------------------------------------------------------------------


async def test_an_owner_who_left_is_reported_to_the_channel(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    bench.slack.users["UBOB"].deleted = True
    gone = seed(bench, "UBOB", "Gamma", idle_days=20)
    unknown = seed(bench, "UGHOST", "Delta", idle_days=20)  # users.info: user_not_found
    results = await run_sweep(bench)
    assert sorted(m.kind for m in queued(results)) == ["orphan", "orphan", "reminder"]
    assert nudge_dms(bench, "UBOB") == []
    channel = [text_of(m) for m in bench.slack.channel_messages("C0SALES")]
    assert any("<@UBOB> is no longer in the workspace" in t and f"#{gone}" in t for t in channel)
    assert any("<@UGHOST> is no longer in the workspace" in t and f"#{unknown}" in t for t in channel)
    assert queued(await run_sweep(bench)) == []  # reported once


async def test_an_owner_who_leaves_between_lookup_and_send_goes_to_the_fallback(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    number = seed(bench, "UBOB", "Gamma", idle_days=20)
    await sweep(bench.deps, bench.bolt.client, bench.now())  # Bob's profile is read: still here
    bench.slack.users["UBOB"].deleted = True
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert nudge_dms(bench, "UBOB") == []
    reports = [text_of(m) for m in bench.slack.channel_messages("C0SALES") if "no longer" in text_of(m)]
    assert len(reports) == 1 and f"#{number}" in reports[0]


async def test_without_a_channel_a_gone_owner_is_retried_not_lost(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.users["UBOB"].deleted = True
    number = seed(bench, "UBOB", "Gamma", idle_days=20)
    assert queued(await run_sweep(bench)) == []
    setup_team(bench, channel_id="C0SALES")  # once there is a channel, the report goes out
    report, reminder = queued(await run_sweep(bench))
    assert (report.kind, reminder.kind) == ("orphan", "reminder") and f"#{number}" in text_of(report.message)


# -- escalations ------------------------------------------------------------------------------


async def test_escalation_to_the_channel_once_per_episode(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", escalation="channel")
    old = seed(bench, "UALICE", "Old", "proposal", idle_days=29)  # past 2 x 14
    seed(bench, "UALICE", "Young", "proposal", idle_days=15)  # stalled, not escalated
    results = await run_sweep(bench)
    assert [m.kind for m in queued(results) if m.kind == "escalation"] == ["escalation"]
    escalations = [m for m in bench.slack.channel_messages("C0SALES") if "twice" in m.text]
    assert (
        len(escalations) == 1
        and f"#{old}" in text_of(escalations[0])
        and "Young" not in text_of(escalations[0])
    )

    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=30)  # still idle: nudged again, never escalated again
    later = await run_sweep(bench)
    assert sorted(m.kind for m in queued(later)) == ["escalation", "nudge", "reminder"]  # Young's turn only
    escalated = [text_of(m.message) for m in queued(later) if m.kind == "escalation"]
    assert "Young" in escalated[0] and "Old" not in escalated[0]

    # Activity starts a new episode, which can be escalated again.
    card = await bench.client.command("UALICE", f"note #{old} Called them")
    await bench.client.reply(card)
    bench.fixed_now = bench.fixed_now + timedelta(days=29)
    again = await run_sweep(bench)
    assert any(m.kind == "escalation" and f"#{old}" in text_of(m.message) for m in queued(again))


async def test_escalation_to_managers_by_dm_in_their_hours(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.add_user("UMGR", "dana", tz="America/New_York")
    setup_team(bench, escalation="managers", manager_ids="UMGR, UADMIN")
    number = seed(bench, "UALICE", "Old", idle_days=29)
    own = seed(bench, "UADMIN", "Carol's own", idle_days=29)
    results = await run_sweep(bench)
    escalations = {m.channel: m for m in queued(results) if m.kind == "escalation"}
    assert set(escalations) == {"UMGR", "UADMIN"}
    assert escalations["UMGR"].not_before == TUESDAY_10_UTC + timedelta(hours=4)  # 09:00 in New York
    assert f"#{own}" not in text_of(escalations["UADMIN"].message)  # Carol was nudged about her own deal
    assert f"#{number}" in text_of(escalations["UADMIN"].message)
    assert len(bench.slack.dms("UADMIN")) == 2  # her own nudge and the escalation
    bench.fixed_now = TUESDAY_10_UTC + timedelta(hours=4)
    await run_sweep(bench)
    assert [f"#{number}" in text_of(m) and f"#{own}" in text_of(m) for m in bench.slack.dms("UMGR")] == [True]


async def test_escalation_off(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", escalation="off")
    seed(bench, "UALICE", "Old", idle_days=60)
    assert sorted(m.kind for m in queued(await run_sweep(bench))) == ["nudge", "reminder"]


# -- the manual sweep -------------------------------------------------------------------------


async def test_salesbot_nudge_dry_run_prints_and_records_nothing(bench, capsys):
    from bot.cli import nudge_once

    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    seed(bench, "UALICE", "Acme", idle_days=20)
    bench.slack.users["UALICE"].tz = "America/New_York"
    code = await nudge_once(bench.settings, TUESDAY_10_UTC, dry_run=True, team=TEAM)
    out = capsys.readouterr().out
    assert code == 0
    assert "would send nudge to UALICE from 2026-11-24 14:00 UTC" in out and "would send reminder" in out
    assert outbox_rows(bench) == [] and bench.slack.calls_to("chat.postMessage") == []
    deal, row, _notes = nudges.state(bench.db, TEAM, 1)
    assert row is None
    from services.users import cached

    assert cached(bench.db, TEAM, "UALICE") is None  # not even the users.info cache

    code = await nudge_once(bench.settings, TUESDAY_10_UTC + timedelta(hours=4), dry_run=False, team=TEAM)
    out = capsys.readouterr().out
    assert "queued nudge to UALICE" in out and "sent 2, left pending 0, dropped 0" in out
    assert len(nudge_dms(bench, "UALICE")) == 1
