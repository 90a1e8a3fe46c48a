"""An uninstalled workspace's data is kept SALESBOT_RETENTION_DAYS (30 here) for a reinstall, then deleted."""

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlmodel import select

from models.tables import Deal, LostReason, Stage, StageChange, Team
from scheduler.housekeeping import purge_uninstalled
from tests.helpers import text_of
from tests.installs import install, two_workspaces

LEFT = datetime(2026, 11, 2, 10, tzinfo=UTC)
KEPT = timedelta(days=30)


@pytest.fixture
async def two(db):
    async with two_workspaces(db, LEFT) as bench:
        client = bench.client
        assert client is not None
        for user, deal in (("UADA", "Ada deal"), ("UBEA", "Bea deal")):
            reply = await client.reply(await client.command(user, f'add "{deal}" 10k'))
            assert "Added deal #1" in text_of(reply)
        yield bench


def rows(db, table, team):
    with db.read() as s:
        return len(s.exec(select(table).where(table.team_id == team)).all())


def uninstalled_at(db, team):
    with db.read() as s:
        row = s.get(Team, team)
        return None if row is None else row.uninstalled_at


async def marked(db, team, timeout=15.0):
    """Events are acked first and handled after: wait for the mark."""
    for _ in range(int(timeout / 0.05)):
        if uninstalled_at(db, team) is not None:
            return uninstalled_at(db, team)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{team} was never marked uninstalled")


async def test_an_uninstalled_workspace_is_kept_for_the_period_then_deleted(two):
    await two.client.event({"type": "app_uninstalled"}, team="T0BBB")
    assert await marked(two.db, "T0BBB") == LEFT
    assert uninstalled_at(two.db, "T0AAA") is None
    # A retried event keeps the first date.
    two.fixed_now = LEFT + timedelta(days=3)
    await two.client.event({"type": "app_uninstalled"}, team="T0BBB")
    await asyncio.sleep(0.3)
    assert uninstalled_at(two.db, "T0BBB") == LEFT

    await purge_uninstalled(two.deps, None, LEFT + KEPT - timedelta(seconds=1))
    assert rows(two.db, Deal, "T0BBB") == 1  # a second short of 30 days: all still there

    await purge_uninstalled(two.deps, None, LEFT + KEPT)
    for table in (Deal, Stage, LostReason, StageChange):
        assert rows(two.db, table, "T0BBB") == 0, table
    assert uninstalled_at(two.db, "T0BBB") is None
    with two.db.read() as s:
        assert s.get(Team, "T0BBB") is None
    # The other workspace keeps everything: 1 deal, 8 default stages, 7 lost reasons, 1 stage change.
    assert [rows(two.db, t, "T0AAA") for t in (Deal, Stage, LostReason, StageChange)] == [1, 8, 7, 1]

    # Installed again after the deletion, it starts afresh: deal numbers from 1, default stages.
    two.fixed_now = LEFT + KEPT + timedelta(days=1)
    async with aiohttp.ClientSession() as http:
        await install(two, http, "T0BBB", "Bolt Sales", "UBEA")
    reply = await two.client.reply(await two.client.command("UBEA", 'add "Fresh start" 5k'))
    assert "Added deal #1" in text_of(reply)
    assert rows(two.db, Stage, "T0BBB") == 8


async def test_reinstalling_within_the_period_keeps_everything(two):
    await two.client.event({"type": "app_uninstalled"}, team="T0AAA")
    await marked(two.db, "T0AAA")
    two.fixed_now = LEFT + timedelta(days=10)
    async with aiohttp.ClientSession() as http:
        await install(two, http, "T0AAA", "Acme Sales", "UADA")
    await purge_uninstalled(two.deps, None, LEFT + KEPT + timedelta(days=1))
    assert uninstalled_at(two.db, "T0AAA") is None  # the mark is cleared, nothing deleted
    assert [rows(two.db, t, "T0AAA") for t in (Deal, Stage, LostReason, StageChange)] == [1, 8, 7, 1]
    reply = await two.client.reply(await two.client.command("UADA", "list"))
    assert "Ada deal" in text_of(reply)
    # Uninstalled for good later, the period counts from then.
    await purge_uninstalled(two.deps, None, LEFT + KEPT * 2)
    assert rows(two.db, Deal, "T0AAA") == 1


async def test_revoking_the_bot_token_marks_the_workspace_a_user_token_does_not(two):
    await two.client.event({"type": "tokens_revoked", "tokens": {"oauth": ["UADA"]}}, team="T0AAA")
    await asyncio.sleep(0.3)
    assert uninstalled_at(two.db, "T0AAA") is None
    await two.client.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}, team="T0AAA")
    assert await marked(two.db, "T0AAA") == LEFT
