"""The person who installs Salesbot gets one welcome DM with the three setup steps, in the language
their browser asked for; installing again does not welcome them twice, and clears the uninstall mark
at once."""

import asyncio
from datetime import UTC, datetime

import aiohttp
import pytest

from models.tables import Team
from scheduler import outbox
from tests.installs import install, two_workspaces

NOW = datetime(2026, 11, 2, 10, tzinfo=UTC)


@pytest.fixture
async def multi(db):
    async with two_workspaces(db, NOW, installed=False) as bench, aiohttp.ClientSession() as http:
        yield bench, http


async def send_all(bench):
    return await outbox.dispatch(bench.db, bench.deps.client_for, "w1", bench.now)


async def test_the_installer_is_welcomed_once_with_the_three_steps(multi):
    bench, http = multi
    await install(bench, http, "T0AAA", "Acme Sales", "UADA")
    await send_all(bench)
    [dm] = bench.slack.dms("UADA")
    assert "Welcome to Salesbot" in dm.text
    for step in ("`/invite @Salesbot`", "`/pipeline settings`", "`/deal add"):
        assert step in dm.text
    await install(bench, http, "T0AAA", "Acme Sales", "UADA")  # reinstalled, or the callback retried
    await send_all(bench)
    assert len(bench.slack.dms("UADA")) == 1


async def test_the_welcome_speaks_the_browsers_language(multi):
    bench, http = multi
    await install(bench, http, "T0BBB", "Bolt Vertrieb", "UBEA", {"Accept-Language": "de-DE,de;q=0.9"})
    await send_all(bench)
    [dm] = bench.slack.dms("UBEA")
    assert "Willkommen bei Salesbot" in dm.text and "Laden Sie Salesbot" in dm.text


async def test_a_reinstall_clears_the_uninstall_mark_at_once(multi):
    bench, http = multi
    await install(bench, http, "T0AAA", "Acme Sales", "UADA")
    await bench.client.reply(await bench.client.command("UADA", "list"))  # the team's first contact
    await bench.client.event({"type": "app_uninstalled"}, team="T0AAA")
    for _ in range(100):  # events are acked first and handled after
        if uninstalled_at(bench.db, "T0AAA") is not None:
            break
        await asyncio.sleep(0.05)
    assert uninstalled_at(bench.db, "T0AAA") is not None
    await install(bench, http, "T0AAA", "Acme Sales", "UADA")
    assert uninstalled_at(bench.db, "T0AAA") is None


def uninstalled_at(db, team_id):
    with db.read() as s:
        row = s.get(Team, team_id)
        return None if row is None else row.uninstalled_at
