"""Small helpers for reading what the bot sent."""

from __future__ import annotations

import json


def text_of(blocks_or_message) -> str:
    """All the visible text of a message or view, joined, for assertions."""
    blocks = getattr(blocks_or_message, "blocks", None)
    if blocks is None:
        blocks = (
            blocks_or_message.get("blocks", []) if isinstance(blocks_or_message, dict) else blocks_or_message
        )
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def dump(message) -> str:
    return json.dumps(getattr(message, "blocks", message), indent=1)


async def open_settings(bench, user="UADMIN"):
    before = set(bench.slack.views)
    sent = await bench.client.command(user, "settings", command="/pipeline")
    assert sent.status == 200
    return await bench.slack.wait_for(
        lambda: next((bench.slack.views[v] for v in bench.slack.views if v not in before), None)
    )


def move_option(card, stage_id: int) -> str:
    """The value of the option of the card's move select (`deal_move`) that moves the deal to `stage_id`."""
    return next(
        o["value"]
        for b in card.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "deal_move"
        for o in e["options"]
        if o["value"].endswith(f":{stage_id}")
    )
