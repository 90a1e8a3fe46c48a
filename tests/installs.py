"""Installing the app into a workspace of the local Slack, as its admin would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import NamedTuple

import aiohttp

from bot.db import Database
from localslack.bench import DEFAULT_NOW, Bench

# The two workspaces of two_workspaces(): (team id, name, the admin who installs it).
ACME = ("T0AAA", "Acme Sales", "UADA")
BOLT = ("T0BBB", "Bolt Sales", "UBEA")


class Started(NamedTuple):
    page: str
    cookie: str  # the Cookie header a browser sends back
    state: str


async def begin(bench, http, headers=None) -> Started:
    """Open /slack/install: the page, the state cookie it sets, the state in its link to Slack."""
    async with http.get(bench.server.url + "/slack/install", headers=headers or {}) as resp:
        assert resp.status == 200
        page = await resp.text()
        # The state cookie is Secure; a browser on https would send it back, so this test does.
        cookie = resp.cookies["slack-app-oauth-state"]
    link = re.search(r'<a href="([^"]+)"', page)
    assert link, page
    authorize = link.group(1).replace("&amp;", "&")
    assert authorize.startswith(bench.slack.base_url + "/oauth/v2/authorize?")
    assert "client_id=local-client-id" in authorize and "scope=commands" in authorize
    state_param = re.search(r"state=([^&]+)", authorize)
    assert state_param, authorize
    return Started(page, f"{cookie.key}={cookie.value}", state_param.group(1))


async def come_back(bench, http, query: str, cookie: str, headers=None) -> tuple[int, str]:
    """Slack redirects the browser back to /slack/oauth_redirect: the status and page it gets."""
    async with http.get(
        bench.server.url + "/slack/oauth_redirect?" + query, headers={"Cookie": cookie, **(headers or {})}
    ) as resp:
        return resp.status, await resp.text()


async def install(bench, http, team, name, user, headers=None) -> str:
    """What a workspace admin does: open /slack/install, approve on Slack, come back."""
    started = await begin(bench, http, headers)
    code = bench.slack.approve_install(team, name, user)
    status, page = await come_back(bench, http, f"code={code}&state={started.state}", started.cookie, headers)
    assert status == 200, page
    return page


@asynccontextmanager
async def two_workspaces(
    db: Database, now: datetime = DEFAULT_NOW, installed: bool = True
) -> AsyncIterator[Bench]:
    """A bench serving many workspaces with two of them, Acme (T0AAA, its admin ada: UADA) and Bolt
    (T0BBB, bea: UBEA), each installed by its admin unless `installed` is False. Fails the test on
    any call that broke Slack's rules."""
    async with Bench(db, multi_workspace=True, now=now) as bench:
        bench.slack.add_user("UADA", "ada", team_id="T0AAA")
        bench.slack.add_user("UBEA", "bea", team_id="T0BBB")
        if installed:
            async with aiohttp.ClientSession() as http:
                for team, name, user in (ACME, BOLT):
                    await install(bench, http, team, name, user)
        yield bench
        assert not bench.slack.violations, bench.slack.violations
