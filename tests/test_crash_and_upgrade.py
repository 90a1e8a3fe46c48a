"""A bot killed with SIGKILL mid-work loses no committed deal and leaves nothing half-written;
a database made by the oldest migration upgrades to head with its data intact."""

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import col, select

from bot.db import Database
from bot.migrate import alembic_config, upgrade
from localslack.client import SlackClient
from localslack.server import LocalSlack
from models.tables import Deal, StageChange
from tests.helpers import text_of
from tests.serving import free_port, wait_healthy

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations

TOTAL = 400


def start_bot(slack, db_url, port):
    env = dict(
        os.environ,
        SLACK_BOT_TOKEN="xoxb-proc",
        SLACK_SIGNING_SECRET="proc-secret",
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=db_url,
        PORT=str(port),
        SALESBOT_SCHEDULER="0",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


async def test_sigkill_while_creating_deals_loses_nothing_committed(tmp_path):
    slack = await LocalSlack(token="xoxb-proc").start()
    slack.add_user("UALICE", "alice")
    db_url, port = f"sqlite:///{tmp_path / 'crash.db'}", free_port()
    proc = start_bot(slack, db_url, port)
    client = SlackClient(slack, f"http://127.0.0.1:{port}/slack/events", "proc-secret")
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        sends = [asyncio.create_task(client.command("UALICE", f"add Deal{i} {i + 1}k")) for i in range(TOTAL)]
        # Kill once some deals are confirmed and many are still on their way.
        await slack.wait_for(
            lambda: sum("Added deal" in m.text for ms in slack.responses.values() for m in ms) >= 10,
            timeout=30,
        )
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stderr.close()
        await asyncio.gather(*sends, return_exceptions=True)
        confirmed = {m.text for msgs in slack.responses.values() for m in msgs if "Added deal" in m.text}
        proc = start_bot(slack, db_url, port)  # the same database, after the crash
        await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        after = await client.command("UALICE", "add After 1k")
        reply = await client.reply(after)
    finally:
        await client.close()
        proc.kill()
        proc.wait(10)
        proc.stderr.close()
        await slack.stop()
    db = Database(db_url)
    with db.read() as s:
        deals = list(s.exec(select(Deal).order_by(col(Deal.number))))
        changes = {c.deal_id for c in s.exec(select(StageChange))}
    db.dispose()
    numbers = [d.number for d in deals]
    assert numbers == list(range(1, len(deals) + 1)), "numbers stay without gaps across the crash"
    assert all(d.id in changes for d in deals), "no deal without its first stage change"
    stored = {f"Added deal #{d.number}." for d in deals}
    assert confirmed <= stored, "every deal the rep was told about was committed"
    assert len(confirmed) < TOTAL, "the kill came mid-way (else this test proves nothing)"
    assert f"Added deal #{len(deals)}." in text_of(reply), "the restarted bot goes on numbering"


def test_upgrade_from_the_oldest_migration_keeps_the_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    db = Database(url)
    now = datetime(2026, 1, 5, 9, tzinfo=UTC).isoformat(sep=" ")
    with db.write() as s:
        s.execute(
            text(
                "INSERT INTO team (id, currency, language, next_deal_number, created_at) "
                f"VALUES ('T1', 'EUR', 'en', 2, '{now}')"
            )
        )
        s.execute(
            text(
                "INSERT INTO stage (id, team_id, key, name, position, kind, probability, stall_days, active) "
                "VALUES (1, 'T1', 'proposal', 'Proposal', 0, 'open', 60, 14, 1)"
            )
        )
        s.execute(
            text(
                "INSERT INTO deal (id, team_id, number, name, amount_cents, currency, stage_id, owner_id, "
                "created_by, created_at, updated_at, last_activity_at, version) VALUES "
                f"(1, 'T1', 1, 'Old deal', 4200000, 'EUR', 1, 'U1', 'U1', '{now}', '{now}', '{now}', 1)"
            )
        )
        s.execute(
            text(
                "INSERT INTO stage_change (team_id, deal_id, from_stage_id, to_stage_id, user_id, at) "
                f"VALUES ('T1', 1, NULL, 1, 'U1', '{now}')"
            )
        )
    db.dispose()
    upgrade(url)
    command.check(alembic_config(url))
    db = Database(url)
    with db.read() as s:
        deal = s.exec(select(Deal)).one()
        team = s.execute(text("SELECT timezone, work_start, next_deal_number FROM team")).one()
    db.dispose()
    assert (deal.name, deal.amount_cents, deal.number) == ("Old deal", 4_200_000, 1)
    assert tuple(team) == ("Europe/Amsterdam", "09:00", 2)
