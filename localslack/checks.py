"""What the local Slack refuses, as Slack does: calls to methods Slack does not publish or without
their required arguments, and messages and views outside Block Kit's rules and limits. A refusal
the bot should never cause is also written down as a violation, which fails the test."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 40_000

# Slack's published Web API methods and their required arguments.
METHOD_SPECS: dict[str, dict] = json.loads(
    resources.files("localslack").joinpath("specs/web_api_methods.json").read_text()
)


class SlackError(Exception):
    """An error code Slack answers a method with ("ok": false)."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


def missing_arguments(method: str, args: dict) -> list[str]:
    """The required arguments of a published method that the call left out or empty."""
    return [p for p in METHOD_SPECS[method]["required"] if args.get(p) in (None, "")]


def check_blocks(blocks: Any, limit: int) -> str | None:
    """What Slack would reject in a block list, or None."""
    if not isinstance(blocks, list):
        return "blocks is not a list"
    if len(blocks) > limit:
        return f"{len(blocks)} blocks, more than {limit}"
    for i, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                return f"block {i}: unknown type {raw.get('type') if isinstance(raw, dict) else raw!r}"
            block.to_dict()
        except (SlackObjectFormationError, TypeError, KeyError, AttributeError) as exc:
            return f"block {i}: {exc}"
        if raw.get("type") == "actions":
            ids = [e.get("action_id") for e in raw.get("elements", [])]
            if len(ids) != len(set(ids)):
                return f"block {i}: repeated action_id"
    block_ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        return "repeated block_id"
    if re.search(r"\x00", json.dumps(blocks)):
        return "NUL character"
    return None


def check_message(args: dict, violations: list[str]) -> None:
    """Refuse a message without content, too long, or with blocks Slack would reject."""
    blocks = args.get("blocks") or []
    if not args.get("text") and not blocks:
        raise SlackError("no_text")
    if len(str(args.get("text") or "")) > MAX_TEXT:
        raise SlackError("msg_too_long")
    problem = check_blocks(blocks, MAX_MESSAGE_BLOCKS)
    if problem:
        violations.append(f"invalid_blocks: {problem}")
        raise SlackError("invalid_blocks")


def check_view(view: Any, violations: list[str]) -> dict:
    """The view, if Slack would take it for a modal or a Home tab."""
    if not isinstance(view, dict):
        raise SlackError("invalid_arguments")
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError) as exc:
        violations.append(f"invalid view: {exc}")
        raise SlackError("invalid_arguments") from exc
    problem = check_blocks(view.get("blocks") or [], MAX_VIEW_BLOCKS)
    if problem:
        violations.append(f"invalid_blocks: {problem}")
        raise SlackError("invalid_blocks")
    return view
