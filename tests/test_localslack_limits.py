"""The local Slack's rate limits: about one message per second per channel, and random 429s."""

import time

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.http import retry_handlers
from localslack.server import LocalSlack


@pytest.fixture
async def slack():
    running = await LocalSlack().start()
    running.add_channel("C0SALES", "sales")
    running.add_user("UALICE", "alice")
    running.add_user("UBOB", "bob")
    running.per_channel_rate = 1.0
    yield running
    await running.stop()


async def test_a_channel_takes_about_one_message_a_second(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)  # no retries
    await client.chat_postMessage(channel="C0SALES", text="one")
    with pytest.raises(SlackApiError) as limited:
        await client.chat_postMessage(channel="C0SALES", text="two")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"
    # Other channels, and each user's DM (by user id or by its D... id), have limits of their own.
    await client.chat_postMessage(channel="UALICE", text="hi Alice")
    await client.chat_postMessage(channel="UBOB", text="hi Bob")
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel=slack.dm_channel("UALICE"), text="again")
    assert slack.channel_limited == 2
    assert [len(slack.channel_messages(c)) for c in ("C0SALES", "DUALICE", "DUBOB")] == [1, 1, 1]


async def test_slack_sdk_waits_out_the_limit_and_the_stats_tell(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url, retry_handlers=retry_handlers())
    started = time.monotonic()
    for n in range(3):
        await client.chat_postMessage(channel="C0SALES", text=f"message {n}")
    assert time.monotonic() - started >= 1.9  # two waits of a second
    async with aiohttp.ClientSession() as http, http.get(slack.base_url + "/_local/stats") as resp:
        stats = await resp.json()
    assert stats["messages_per_channel"] == {"C0SALES": 3}
    assert stats["channel_limited"] == 2 and stats["calls"]["chat.postMessage"] == {"429": 2, "200": 3}
