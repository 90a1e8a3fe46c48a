"""The local Slack answers a Web API method through its one table, localslack.webapi.METHODS: only
methods Slack publishes, each with its required arguments; anything else is refused and recorded
as a violation, so a test of a bot that calls it fails."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from localslack.checks import METHOD_SPECS
from localslack.server import LocalSlack
from localslack.webapi import METHODS


@pytest.fixture
async def slack():
    running = await LocalSlack().start()
    running.add_user("UALICE", "alice")
    yield running
    await running.stop()


def test_every_emulated_method_is_one_slack_publishes():
    assert sorted(set(METHODS) - set(METHOD_SPECS)) == []


async def test_a_call_is_answered_by_its_method_in_the_table(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    opened = await client.conversations_open(users="UALICE")
    assert opened["channel"]["id"] == "DUALICE"
    posted = await client.chat_postMessage(channel="UALICE", text="hi")
    assert [m.text for m in slack.dms("UALICE")] == ["hi"] and posted["ts"] == slack.dms("UALICE")[0].ts
    assert [c.method for c in slack.calls] == ["conversations.open", "chat.postMessage"]
    assert slack.violations == []


async def test_methods_it_does_not_emulate_or_slack_does_not_have_are_refused_and_recorded(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    published = next(m for m in sorted(METHOD_SPECS) if m not in METHODS and m != "apps.connections.open")
    for method in (published, "chat.postMessages"):
        with pytest.raises(SlackApiError) as refused:
            await client.api_call(method, params={})
        assert refused.value.response["error"] == "unknown_method"
    assert slack.violations == [
        f"{published}: the local Slack does not emulate it",
        "chat.postMessages: not a Slack Web API method",
    ]


async def test_a_missing_required_argument_is_refused_before_the_method_runs(slack):
    client = AsyncWebClient(token="xoxb-local-token", base_url=slack.api_url)
    with pytest.raises(SlackApiError) as refused:
        await client.api_call("chat.postMessage", params={"text": "no channel"})
    assert refused.value.response["error"] == "invalid_arguments"
    assert slack.messages == [] and slack.violations == ["chat.postMessage: missing required channel"]
