"""The local Slack's conversations.info and conversations.join, in Slack's shapes and with its
errors: a private channel the bot is not in does not exist for it, and only public ones can be joined."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from localslack.server import LocalSlack


@pytest.fixture
async def slack():
    running = await LocalSlack().start()
    running.add_channel("C0SALES", "sales")
    running.add_channel("C0WINS", "wins", members=["UALICE"])
    running.add_channel("G0BOARD", "board", members=["UALICE"], private=True)
    running.add_channel("G0INNER", "inner", private=True)
    running.add_channel("C0OLD", "old", members=["UALICE"], archived=True)
    yield running
    await running.stop()


async def error_of(call) -> str:
    with pytest.raises(SlackApiError) as failed:
        await call
    return failed.value.response["error"]


async def test_info_says_whether_the_bot_is_in_and_whether_it_is_private(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    sales = (await client.conversations_info(channel="C0SALES"))["channel"]
    assert (sales["id"], sales["name"], sales["is_member"], sales["is_private"]) == (
        "C0SALES",
        "sales",
        True,
        False,
    )
    wins = (await client.conversations_info(channel="C0WINS"))["channel"]
    assert (wins["is_member"], wins["is_private"], wins["is_channel"]) == (False, False, True)
    inner = (await client.conversations_info(channel="G0INNER"))["channel"]
    assert (inner["is_member"], inner["is_private"]) == (True, True)
    assert await error_of(client.conversations_info(channel="G0BOARD")) == "channel_not_found"
    assert await error_of(client.conversations_info(channel="C0GONE")) == "channel_not_found"


async def test_join_adds_the_bot_to_a_public_channel_only(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    joined = await client.conversations_join(channel="C0WINS")
    assert joined["channel"]["is_member"] is True and "warning" not in joined.data
    assert (await client.conversations_info(channel="C0WINS"))["channel"]["is_member"] is True
    await client.chat_postMessage(channel="C0WINS", text="now it can post")
    assert (await client.conversations_join(channel="C0WINS"))["warning"] == "already_in_channel"
    assert (
        await error_of(client.conversations_join(channel="G0INNER"))
        == "method_not_supported_for_channel_type"
    )
    assert await error_of(client.conversations_join(channel="G0BOARD")) == "channel_not_found"
    assert await error_of(client.conversations_join(channel="C0OLD")) == "is_archived"
    assert await error_of(client.conversations_join(channel="C0GONE")) == "channel_not_found"
    assert "UBOT" not in slack.channels["C0OLD"]["members"] and not slack.violations
