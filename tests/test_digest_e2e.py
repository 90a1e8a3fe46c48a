"""The weekly digest through the local Slack: once per team per week, catch-up after downtime,
the chart upload and its failure, the `/pipeline digest` preview and `salesbot digest`."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

from bot.cli import post_digest
from bot.config import Settings
from localslack.bench import TOKEN
from models import outbox as outbox_store
from scheduler import runner
from scheduler.digest import digest_job
from tests.digest_pipeline import TEAM, E, setup
from tests.helpers import text_of

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)


async def tick_at(bench, moment):
    bench.fixed_now = moment
    await runner.tick(bench.deps, bench.bolt.client, worker="test")


def digests(bench, channel="C0SALES"):
    return [m for m in bench.slack.channel_messages(channel) if "Weekly pipeline digest" in text_of(m)]


def charts(bench, channel="C0SALES"):
    return [m for m in bench.slack.messages if m.kind == "file" and m.channel == channel]


async def test_the_digest_job_runs_on_the_app_path(bench):
    assert digest_job in runner.JOBS


async def test_one_digest_per_team_per_week_with_catch_up(bench):
    setup(bench)
    # Monday 08:00 in Amsterdam: this week's is not due yet, last week's is (the bot was not running).
    await tick_at(bench, E - HOUR)
    assert len(digests(bench)) == 1
    assert "Nov 16, 2026 to Nov 23, 2026" in text_of(digests(bench)[0])

    await tick_at(bench, E + HOUR / 2)  # 09:30: this week's
    assert len(digests(bench)) == 2 and len(digests(bench, "DUADMIN")) == 2
    assert len(charts(bench)) == 2 and len(charts(bench, "DUADMIN")) == 2
    assert "7 deals · €79,000" in text_of(digests(bench)[-1])
    png = [f for f in bench.slack.files.values() if f["shared_to"] == "C0SALES"][-1]["content"]
    assert png.startswith(b"\x89PNG")

    await tick_at(bench, E + timedelta(days=1))  # Tuesday: nothing new
    await tick_at(bench, E + timedelta(days=6, hours=23))  # Sunday night: nothing new
    assert len(digests(bench)) == 2 and len(charts(bench)) == 2

    await tick_at(bench, E + WEEK + HOUR)  # next Monday: again
    assert len(digests(bench)) == 3 and len(charts(bench)) == 3

    # Down from before the next Monday until three Mondays later: one digest, the latest week's.
    await tick_at(bench, E + 4 * WEEK + timedelta(days=2))
    await tick_at(bench, E + 4 * WEEK + timedelta(days=2, minutes=1))
    assert len(digests(bench)) == 4 and len(charts(bench)) == 4
    assert len(digests(bench, "DUADMIN")) == 4 and len(charts(bench, "DUADMIN")) == 4
    latest = text_of(digests(bench)[-1])
    assert "Dec 21, 2026 to Dec 28, 2026" in latest and "Sent late" in latest
    keys = sorted(
        r.key for r in outbox_store.rows(bench.db, TEAM) if r.kind == "digest" and r.channel == "C0SALES"
    )
    assert keys == [
        "digest:2026-11-23:C0SALES",
        "digest:2026-11-30:C0SALES",
        "digest:2026-12-07:C0SALES",
        "digest:2026-12-28:C0SALES",
    ]
    assert all(r.status == "sent" for r in outbox_store.rows(bench.db, TEAM))
    assert outbox_store.rows(bench.db, "T0QUIET") == []


async def test_the_digest_channel_wins_over_the_team_channel(bench):
    bench.slack.add_channel("C0DIGEST", "digest")
    setup(bench, managers="", digest_channel="C0DIGEST")
    await tick_at(bench, E + HOUR)
    assert len(digests(bench, "C0DIGEST")) == 1 and digests(bench) == []


async def test_two_replicas_ticking_together_post_once(bench):
    setup(bench)
    bench.fixed_now = E + HOUR
    await asyncio.gather(*(runner.tick(bench.deps, bench.bolt.client, worker=f"r{i}") for i in range(3)))
    await tick_at(bench, E + 2 * HOUR)
    assert len(digests(bench)) == 1 and len(charts(bench)) == 1


async def test_a_failed_upload_still_posts_the_text_and_the_chart_follows_once(bench):
    setup(bench)
    bench.slack.inject("files.getUploadURLExternal", error="internal_error", times=2)
    await tick_at(bench, E + HOUR)
    assert len(digests(bench)) == 1 and len(digests(bench, "DUADMIN")) == 1
    assert charts(bench) == [] and charts(bench, "DUADMIN") == []
    pending = [r for r in outbox_store.rows(bench.db, TEAM) if r.kind == "digest_chart"]
    assert [(r.status, r.last_error) for r in pending] == [("pending", "internal_error")] * 2

    await tick_at(bench, E + 2 * HOUR)  # Slack is back: the charts go out, once each
    await tick_at(bench, E + 3 * HOUR)
    assert len(charts(bench)) == 1 and len(charts(bench, "DUADMIN")) == 1
    assert len(digests(bench)) == 1


async def test_a_server_error_on_upload_leaves_the_text_alone(bench):
    setup(bench, managers="")
    bench.slack.inject("files.getUploadURLExternal", status=500, times=10)  # more than the retries
    await tick_at(bench, E + HOUR)
    assert len(digests(bench)) == 1 and charts(bench) == []
    bench.slack.faults.clear()
    await tick_at(bench, E + 2 * HOUR)
    assert len(charts(bench)) == 1


async def test_a_chart_still_unsent_at_the_next_digest_is_dropped(bench):
    setup(bench, managers="")
    bench.slack.inject("files.getUploadURLExternal", error="internal_error", times=100)
    await tick_at(bench, E + HOUR)
    await tick_at(bench, E + 2 * HOUR)  # the chart keeps failing all week
    bench.slack.faults.clear()
    await tick_at(bench, E + WEEK + HOUR)  # next week's digest and chart go out; last week's chart does not
    assert len(digests(bench)) == 2 and len(charts(bench)) == 1
    old = next(r for r in outbox_store.rows(bench.db, TEAM) if r.key == "digest_chart:2026-11-30:C0SALES")
    assert (old.status, old.last_error) == ("dead", "expired")


async def test_a_digest_posted_late_for_an_older_week_carries_its_chart(bench):
    setup(bench, managers="")
    settings = Settings(slack_bot_token=TOKEN, slack_api_url=bench.slack.api_url, database_url=bench.db.url)
    out = io.StringIO()
    three_weeks_later = lambda: E + 3 * WEEK  # noqa: E731
    week = E.isoformat()
    assert await post_digest(settings, week, TEAM, dry_run=False, out=out, clock=three_weeks_later) == 0
    assert len(digests(bench)) == 1 and len(charts(bench)) == 1
    chart = next(r for r in outbox_store.rows(bench.db, TEAM) if r.kind == "digest_chart")
    assert chart.status == "sent"


async def test_pipeline_digest_shows_a_private_preview(bench):
    setup(bench)
    bench.fixed_now = E
    sent = await bench.client.command("UALICE", "digest", command="/pipeline")
    reply = await bench.client.reply(sent)
    assert reply.kind == "response"  # ephemeral: only the rep sees it
    text = text_of(reply)
    assert "Weekly pipeline digest" in text and "Preview, only you can see it" in text
    assert "7 deals · €79,000" in text
    assert digests(bench) == [] and outbox_store.rows(bench.db, TEAM) == []


async def test_pipeline_digest_for_a_new_workspace(bench):
    sent = await bench.client.command("UBOB", "digest", command="/pipeline")
    assert "0 deals" in text_of(await bench.client.reply(sent))


async def test_the_cli_posts_a_week_once(bench):
    setup(bench)
    settings = Settings(slack_bot_token=TOKEN, slack_api_url=bench.slack.api_url, database_url=bench.db.url)
    out = io.StringIO()
    clock = lambda: E + 2 * HOUR  # noqa: E731
    assert await post_digest(settings, "2026-11-30T09:00", TEAM, dry_run=False, out=out, clock=clock) == 0
    assert len(digests(bench)) == 1 and len(charts(bench)) == 1
    assert await post_digest(settings, "2026-11-30T09:00", TEAM, dry_run=False, out=out, clock=clock) == 0
    assert "already posted" in out.getvalue()
    await tick_at(bench, E + 3 * HOUR)  # the scheduler knows that week is done
    assert len(digests(bench)) == 1 and len(charts(bench)) == 1

    out = io.StringIO()
    assert await post_digest(settings, "2026-11-30T09:00", TEAM, dry_run=True, out=out, clock=clock) == 0
    assert "7 deals · €79,000" in out.getvalue() and len(digests(bench)) == 1
    assert (
        await post_digest(settings, "2026-12-30", TEAM, dry_run=True, out=out, clock=clock) == 2
    )  # the future
    assert await post_digest(settings, "soon", TEAM, dry_run=True, out=out, clock=clock) == 2
