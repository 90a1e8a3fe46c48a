"""SIGTERM and SIGINT under load: in-flight requests and the work after their ack finish, the
scheduler's claim is sent, the process exits 0 within ten seconds, and writes no traceback."""

from __future__ import annotations

import asyncio
import signal
import time

import aiohttp
import pytest
from sqlmodel import select

from localslack.client import SlackClient
from localslack.server import LocalSlack
from models.tables import Deal
from tests.processes import SECRET, TOKEN, env_for, free_port, salesbot, stop, wait_ready

TOTAL = 60


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_under_load_loses_no_acknowledged_request(db, sig):
    slack = await LocalSlack(token=TOKEN).start()
    slack.add_user("UALICE", "alice")
    # The replies are slow, so many listeners are still at work after their ack when the signal comes.
    slack.inject("*", delay=0.3, times=10_000)
    port = free_port()
    env = env_for(slack, db.url, port, SALESBOT_SCHEDULER_INTERVAL="0.2")
    proc = salesbot("serve", env=env)
    client = SlackClient(slack, f"http://127.0.0.1:{port}/slack/events", SECRET)
    try:
        await wait_ready(f"http://127.0.0.1:{port}/readyz", proc)

        async def send(i: int):
            try:
                return await client.command("UALICE", f"add Deal{i} {i + 1}k")
            except aiohttp.ClientError:
                return None  # refused once the server stopped accepting: Slack shows the user an error

        sends = []
        for i in range(TOTAL):
            sends.append(asyncio.create_task(send(i)))
            if i == TOTAL // 2:
                await slack.wait_for(lambda: len(slack.calls) >= 5, timeout=20)
                signalled = time.monotonic()
                proc.send_signal(sig)
            await asyncio.sleep(0.01)
        results = await asyncio.gather(*sends)
        out, err = await asyncio.to_thread(proc.communicate, timeout=15)
        took = time.monotonic() - signalled
    finally:
        await client.close()
        stop(proc)
        await slack.stop()

    assert proc.returncode == 0, err
    assert took < 10
    assert "Traceback" not in err and "cancelled at shutdown" not in err, err
    acked = [r for r in results if r is not None and r.status == 200]
    # The signal came while requests were arriving: those before it were acknowledged, later ones refused.
    assert len(acked) >= TOTAL // 3 and any(r is None for r in results)
    with db.read() as s:
        names = sorted(d.name for d in s.exec(select(Deal)))
    replies = {r.response_key for r in acked if slack.responses.get(r.response_key)}
    # Every acknowledged command made its deal and got its reply, although the process was stopping.
    assert len(names) == len(set(names)) >= len(acked)
    assert replies == {r.response_key for r in acked}
