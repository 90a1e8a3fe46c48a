"""Installing the app into a workspace of the local Slack, as its admin would."""

from __future__ import annotations

import re


async def install(bench, http, team, name, user):
    """What a workspace admin does: open /slack/install, approve on Slack, come back."""
    base = bench.server.url
    async with http.get(base + "/slack/install") as resp:
        assert resp.status == 200
        page = await resp.text()
        # The state cookie is Secure; a browser on https would send it back, so this test does.
        cookie = resp.cookies["slack-app-oauth-state"]
    authorize = re.search(r'<a href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert authorize.startswith(bench.slack.base_url + "/oauth/v2/authorize?")
    assert "client_id=local-client-id" in authorize and "scope=commands" in authorize
    state = re.search(r"state=([^&]+)", authorize).group(1)
    code = bench.slack.approve_install(team, name, user)
    async with http.get(
        base + f"/slack/oauth_redirect?code={code}&state={state}",
        headers={"Cookie": f"{cookie.key}={cookie.value}"},
    ) as resp:
        assert resp.status == 200, await resp.text()
