"""`salesbot digest` killed for real (SIGKILL) while posting, then the scheduler goes on: every
recipient gets the week's digest exactly once."""

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from localslack.bench import TOKEN
from models import outbox as outbox_store
from models.tables import Team
from scheduler import outbox
from tests.nudging import seed, setup_team

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)  # a Tuesday; the week asked for ended the day before
WEEK_END = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday 09:00 in Amsterdam


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_killed_while_posting_the_digest(bench):
    bench.fixed_now = NOW
    setup_team(bench, channel_id="C0SALES", manager_ids="UADMIN,UBOB")
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.created_at = bench.now() - timedelta(days=60)
        s.add(team)
    for owner in ("UALICE", "UBOB"):
        seed(bench, owner, f"{owner} deal", idle_days=10)
    bench.slack.inject("chat.postMessage", delay=1.5, times=20)
    env = {
        **os.environ,
        "DATABASE_URL": bench.db.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": bench.slack.api_url,
        "PYTHONPATH": str(ROOT),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "digest",
        "--as-of",
        WEEK_END.isoformat(),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    # Kill it as soon as it has claimed messages: their posts are on their way to Slack (slowly).
    for _ in range(600):
        if any(r.status == "sending" for r in outbox_store.rows(bench.db)):
            break
        await asyncio.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    assert bench.slack.calls_to("chat.postMessage") == [], "the kill came before any post was answered"
    await asyncio.sleep(1.6)  # the posts in flight when it died still land, as they would at Slack
    texts = [r for r in outbox_store.rows(bench.db) if r.kind == "digest"]
    assert len(texts) == 3  # the channel and two managers, all recorded before any post
    assert any(r.status == "sending" for r in texts), "posted, but the dead process never recorded it"
    bench.slack.faults.clear()
    # The scheduler, after the dead claim's lease: it sends what is missing and nothing twice.
    # The dead run claimed its rows at WEEK_END (its --as-of is its clock); NOW is past their lease.
    assert NOW > WEEK_END + outbox_store.LEASE
    for _ in range(3):
        await outbox.dispatch(bench.db, bench.bolt.client, "scheduler", bench.now)
    digests = lambda msgs: [m for m in msgs if m.blocks and m.blocks[0].get("type") == "header"]  # noqa: E731
    assert len(digests(bench.slack.channel_messages("C0SALES"))) == 1
    assert len(digests(bench.slack.dms("UADMIN"))) == 1 and len(digests(bench.slack.dms("UBOB"))) == 1
    assert {r.status for r in outbox_store.rows(bench.db)} == {"sent"}
