"""/healthz, /readyz and /metrics: what they answer, how fast whatever the database does, and every
documented metric present with the values a run produced."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from bot.health import PROBE_TIMEOUT
from localslack.client import SlackClient
from scheduler import runner
from scheduler.nudges import sweep
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC, outbox_rows, seed, setup_team

OPERATIONS = Path(__file__).parent.parent / "docs" / "operations.md"


async def get(bench, path: str) -> tuple[int, str, float]:
    started = time.monotonic()
    async with aiohttp.ClientSession() as http, http.get(bench.server.url + path) as resp:
        return resp.status, await resp.text(), time.monotonic() - started


async def samples(bench) -> dict[tuple, float]:
    """(sample name, sorted labels) -> value, from a scrape of /metrics."""
    status, body, _ = await get(bench, "/metrics")
    assert status == 200
    found = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def documented_metrics() -> list[str]:
    return re.findall(r"^\| `(salesbot_[a-z_]+)` \|", OPERATIONS.read_text(), re.MULTILINE)


async def test_liveness_and_readiness_answer_ok_on_a_healthy_bot(bench):
    status, body, _ = await get(bench, "/healthz")
    assert (status, body) == (200, '{"ok": true}')
    status, body, _ = await get(bench, "/readyz")
    assert (status, body) == (200, '{"ok": true}')


async def test_readiness_fails_when_migrations_are_not_at_head(bench):
    with bench.db.write() as s:
        head = s.exec(text("SELECT version_num FROM alembic_version")).scalar_one()
        s.exec(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        status, body, _ = await get(bench, "/readyz")
    finally:
        with bench.db.write() as s:
            s.exec(text("UPDATE alembic_version SET version_num = :v").bindparams(v=head))
    assert status == 503 and f"migrations at 0001, not at head {head}" in body
    assert (await get(bench, "/healthz"))[0] == 200  # liveness never asks the database


async def test_readiness_fails_when_the_scheduler_stalls(bench):
    bench.health.scheduler_interval = 60.0
    bench.health.ticked()
    assert (await get(bench, "/readyz"))[0] == 200
    bench.health.last_tick = time.monotonic() - 181  # three intervals and a second ago
    status, body, _ = await get(bench, "/readyz")
    assert status == 503 and "scheduler has not ticked for 181s" in body


async def test_both_probes_answer_within_a_second_while_the_database_hangs(bench):
    if bench.db.is_sqlite:
        pytest.skip("SQLite readers never wait for a writer (WAL); a hang needs a server")
    url = bench.db.url.replace("postgresql+psycopg://", "postgresql://")
    # Another session holds an exclusive lock on the table readiness reads: its query waits.
    with psycopg.connect(url) as locker:
        locker.execute("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
        for _ in range(3):  # the second and third find the first probe still stuck, and say so at once
            status, body, took = await get(bench, "/readyz")
            assert status == 503 and "did not answer" in body and took < 1.0
            status, _, took = await get(bench, "/healthz")
            assert status == 200 and took < 1.0
        locker.rollback()
    await asyncio.sleep(PROBE_TIMEOUT)  # the stuck probe returns once the lock is gone
    assert (await get(bench, "/readyz"))[0] == 200


async def test_metrics_has_every_documented_metric_with_the_runs_values(bench):
    bench.fixed_now = TUESDAY_10_UTC
    names = documented_metrics()
    assert len(names) == 14  # the table in docs/operations.md
    before = await samples(bench)

    await bench.client.reply(await bench.client.command("UALICE", 'add "Acme" 10k'))
    await bench.client.reply(await bench.client.command("UALICE", "move #99 proposal"))  # a UserError
    forged = SlackClient(bench.slack, bench.client.bot_url, "not-the-secret")
    assert (await forged.command("UALICE", "list")).status == 401
    await forged.close()
    setup_team(bench, channel_id="C0SALES")
    seed(bench, "UALICE", "Stalled", "proposal", idle_days=20)
    await sweep(bench.deps, bench.bolt.client, bench.now())  # enqueued, not yet sent
    waiting = [r for r in outbox_rows(bench) if r.status == "pending"]
    bench.fixed_now = TUESDAY_10_UTC + timedelta(seconds=90)
    middle = await samples(bench)
    assert value(middle, "salesbot_outbox_pending") == len(waiting) == 2  # Alice's nudge, the reminder
    assert value(middle, "salesbot_outbox_oldest_pending_seconds") == 90.0

    bench.slack.inject("chat.postMessage", status=429, retry_after=1)
    await runner.tick(bench.deps, bench.bolt.client, worker="metrics")  # sweeps again, and sends
    assert any("Stalled" in text_of(m) for m in bench.slack.dms("UALICE"))
    after = await samples(bench)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("salesbot_requests_total", kind="command", outcome="ok") == 2
    assert grew("salesbot_requests_total", kind="unverified", outcome="refused") == 1
    assert grew("salesbot_ack_seconds_count", kind="command") == 2
    assert grew("salesbot_handler_seconds_count", handler="deal_command", outcome="ok") == 1
    assert grew("salesbot_handler_seconds_count", handler="deal_command", outcome="user_error") == 1
    assert grew("salesbot_slack_api_calls_total", method="chat.postMessage", error="ratelimited") == 1
    assert grew("salesbot_slack_api_calls_total", method="chat.postMessage", error="") == 2
    assert value(after, "salesbot_outbox_pending") == 0
    assert value(after, "salesbot_outbox_oldest_pending_seconds") == 0
    assert value(after, "salesbot_db_pool_connections_in_use") == 0  # none held between requests
    assert value(after, "salesbot_post_ack_running") == 0  # every turn given back
    assert value(after, "salesbot_post_ack_waiting") == 0
    assert grew("salesbot_scheduler_runs_total", job="outbox.dispatch", outcome="ok") == 1
    # Every documented metric is in the scrape (a histogram by its _count).
    scraped = {name.removesuffix("_count") for name, _ in after}
    assert [name for name in names if name not in scraped] == []


async def test_a_scheduler_tick_shows_in_the_metrics(bench):
    bench.fixed_now = TUESDAY_10_UTC
    before = await samples(bench)
    await runner.tick(bench.deps, bench.bolt.client, worker="metrics")
    after = await samples(bench)
    for job in ("nudges.nudge_job", "digest.digest_job", "outbox.dispatch"):
        assert (
            value(after, "salesbot_scheduler_runs_total", job=job, outcome="ok")
            - value(before, "salesbot_scheduler_runs_total", job=job, outcome="ok")
            == 1
        )
        assert value(after, "salesbot_scheduler_last_success_timestamp_seconds", job=job) >= time.time() - 60
