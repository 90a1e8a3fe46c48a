"""The local Slack's files upload v2 flow behaves as Slack's does for slack_sdk's files_upload_v2."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from localslack.server import LocalSlack


@pytest.fixture
async def slack():
    running = await LocalSlack().start()
    running.add_channel("C0SALES", "sales")
    running.add_user("UALICE", "alice")
    yield running
    await running.stop()


async def test_upload_share_and_history(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    done = await client.files_upload_v2(
        channel="C0SALES", content=b"\x89PNG data", filename="c.png", title="C", initial_comment="hello"
    )
    assert done["file"]["title"] == "C"
    history = await client.conversations_history(channel="C0SALES")
    assert history["messages"][0]["files"][0]["name"] == "c.png"  # file shares are in the history
    assert slack.violations == []


async def test_a_user_id_is_not_a_channel_for_uploads(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    with pytest.raises(SlackApiError) as failed:
        await client.files_upload_v2(channel="UALICE", content=b"x", filename="c.png")
    assert failed.value.response["error"] == "invalid_arguments"
    assert "not a conversation id" in slack.violations[0]
