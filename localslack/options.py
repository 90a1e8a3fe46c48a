"""The local Slack's select menus with an external data source (`external_select`).

As the person types into such a menu, Slack posts a `block_suggestion` to the app's options load
URL (the manifest's `settings.interactivity.message_menu_options_url`) and shows the `options` (or
`option_groups`) the response body holds; the person's pick then arrives as a `block_actions`
with the chosen option. The payloads follow slackapi/bolt-python's
tests/scenario_tests_async/test_block_suggestion.py and test_block_actions.py. Requests are signed
and sent by the bench's SlackClient (`interaction`), over HTTP or Socket Mode alike.
"""

from __future__ import annotations

import json
import time

from localslack.client import Sent, SlackClient
from localslack.forms import surface
from localslack.server import Message

MAX_OPTIONS = 100  # per response: options, or option groups
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
EXTERNAL = ("external_select", "multi_external_select")


def external_element(source: Message | dict, action_id: str) -> tuple[dict, dict]:
    """The block and the external select with this action id, wherever a surface puts one: an
    actions block, a section's accessory, a modal's input."""
    blocks = source.blocks if isinstance(source, Message) else source["blocks"]
    for block in blocks:
        elements = [*block.get("elements", []), block.get("accessory") or {}, block.get("element") or {}]
        for element in elements:
            if element.get("action_id") == action_id and element.get("type") in EXTERNAL:
                return block, element
    raise LookupError(f"no external select {action_id!r} in these blocks")


def _common(client: SlackClient, user: str, source: Message | dict, team: str | None) -> dict:
    team_id = team or client._team(user)
    payload: dict = {
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": client.app_id,
        "token": "legacy",
        "team": {"id": team_id, "domain": "local"},
    }
    payload.update(surface(source))
    return payload


async def suggest(
    client: SlackClient,
    user: str,
    source: Message | dict,
    action_id: str,
    value: str,
    *,
    team: str | None = None,
) -> Sent:
    """`user` types `value` into the external select `action_id` on a message or view the bot made:
    Slack's signed block_suggestion. The answer's options are checked as Slack checks them (a
    response Slack would refuse lands in `slack.violations`); read them from `sent.json`."""
    block, element = external_element(source, action_id)
    payload = {
        "type": "block_suggestion",
        **_common(client, user, source, team),
        "action_id": action_id,
        "block_id": block.get("block_id", "b"),
        "value": value,
    }
    sent = await client.interaction(payload)
    problem = options_problem(sent)
    if problem:
        client.slack.violations.append(f"block_suggestion {action_id}: {problem}")
    return sent


def options_problem(sent: Sent) -> str | None:
    """What Slack would refuse in an options response, or None."""
    if sent.status != 200:
        return f"status {sent.status}"
    try:
        body = json.loads(sent.body)
    except ValueError:
        return "the body is not JSON"
    if not isinstance(body, dict) or ("options" in body) == ("option_groups" in body):
        return "the body holds neither options nor option_groups (or both)"
    groups = body.get("option_groups")
    lists = [g.get("options", []) for g in groups] if groups else [body["options"]]
    if len(groups or body["options"]) > MAX_OPTIONS:
        return f"more than {MAX_OPTIONS} options"
    for option in (o for found in lists for o in found):
        text = option.get("text") or {}
        if text.get("type") != "plain_text" or not 0 < len(text.get("text", "")) <= MAX_OPTION_TEXT:
            return f"an option's text must be plain_text of 1-{MAX_OPTION_TEXT} characters: {option}"
        if not isinstance(option.get("value"), str) or not 0 < len(option["value"]) <= MAX_OPTION_VALUE:
            return f"an option's value must be 1-{MAX_OPTION_VALUE} characters: {option}"
    return None


async def choose(
    client: SlackClient,
    user: str,
    source: Message | dict,
    action_id: str,
    option: dict,
    *,
    team: str | None = None,
) -> Sent:
    """`user` picks `option` (one the bot offered in its options response) in the external select:
    the block_actions Slack sends for it."""
    block, element = external_element(source, action_id)
    payload = {
        "type": "block_actions",
        **_common(client, user, source, team),
        "trigger_id": client.slack.new_trigger(),
        "actions": [
            {
                "type": element["type"],
                "action_id": action_id,
                "block_id": block.get("block_id", "b"),
                "selected_option": option,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if isinstance(source, Message):
        payload["response_url"] = client.slack.new_response_url(origin=source)
    return await client.interaction(payload)
