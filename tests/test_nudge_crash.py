"""`salesbot nudge` killed for real (SIGKILL) mid-sweep, then run again: nothing lost, nothing doubled."""

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from localslack.bench import TOKEN
from tests.nudging import TUESDAY_10_UTC, nudge_dms, outbox_rows, seed, setup_team

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations

ROOT = Path(__file__).resolve().parents[1]
OWNERS = ["UALICE", "UBOB", "UADMIN"]


async def salesbot_nudge(bench, as_of) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DATABASE_URL": bench.db.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": bench.slack.api_url,
        "PYTHONPATH": str(ROOT),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "nudge",
        "--as-of",
        as_of.isoformat(),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(proc) -> str:
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()[-3000:]
    return out.decode()


def statuses(bench) -> dict[str, str]:
    return {r.kind + ":" + r.channel: r.status for r in outbox_rows(bench)}


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@pytest.mark.parametrize("slow", ["users.info", "chat.postMessage"])
async def test_killed_mid_sweep_then_run_again(bench, slow):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    for owner in OWNERS:
        seed(bench, owner, f"{owner} deal", idle_days=20)
    # The sweep looks owners up, and the outbox sends, several at a time: the first slow call answers
    # after 1.5 s, the others (in flight together) a second later.
    bench.slack.inject(slow, delay=1.5, times=1)
    bench.slack.inject(slow, delay=2.5, times=20)

    proc = await salesbot_nudge(bench, TUESDAY_10_UTC)
    # Let one slow call through, and kill the process while it waits on the others.
    await bench.slack.wait_for(lambda: bench.slack.calls_to(slow), timeout=30)
    await asyncio.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    await asyncio.sleep(1.6)  # the calls in flight when it died still land, as they would at Slack

    if slow == "users.info":  # killed before deciding: nothing recorded, nothing sent
        assert outbox_rows(bench) == [] and bench.slack.calls_to("chat.postMessage") == []
    else:  # killed mid-dispatch: everything recorded; all reached Slack, the ones in flight still say sending
        assert len(outbox_rows(bench)) == 4
        posted, recorded = (
            len(bench.slack.calls_to("chat.postMessage")),
            list(statuses(bench).values()).count("sent"),
        )
        assert posted == 4 and recorded < 4

    bench.slack.faults.clear()
    # Again, after the dead worker's claims have expired (models.outbox.LEASE is five minutes).
    out = await finish(await salesbot_nudge(bench, TUESDAY_10_UTC + timedelta(minutes=6)))
    assert set(statuses(bench).values()) == {"sent"}, out
    for owner in OWNERS:
        assert len(nudge_dms(bench, owner)) == 1, owner
    assert len(bench.slack.channel_messages("C0SALES")) == 1
    assert len(bench.slack.calls_to("chat.postMessage")) == 4
    # And once more: nothing is due, nothing is sent.
    await finish(await salesbot_nudge(bench, TUESDAY_10_UTC + timedelta(minutes=7)))
    assert len(bench.slack.calls_to("chat.postMessage")) == 4
