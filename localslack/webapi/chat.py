"""chat.postMessage, postEphemeral, update and getPermalink."""

from __future__ import annotations

from typing import TYPE_CHECKING

from localslack.checks import SlackError, check_message
from localslack.state import Message
from localslack.webapi.conversations import posting_channel

if TYPE_CHECKING:
    from localslack.server import LocalSlack


def _post(slack: LocalSlack, channel: str, args: dict, **fields) -> Message:
    """The call's message put in `channel`, if Slack would take it."""
    check_message(args, slack.violations)
    msg = Message(channel, slack.ts(), args.get("text") or "", args.get("blocks") or [], **fields)
    slack.messages.append(msg)
    return msg


def post_message(slack: LocalSlack, args: dict, team_id: str) -> dict:
    channel = posting_channel(slack, args["channel"])
    msg = _post(slack, channel, args, thread_ts=args.get("thread_ts"), metadata=args.get("metadata"))
    return {"channel": channel, "ts": msg.ts, "message": msg.as_slack()}


def post_ephemeral(slack: LocalSlack, args: dict, team_id: str) -> dict:
    channel = posting_channel(slack, args["channel"])
    if args["user"] not in slack.users:
        raise SlackError("user_not_found")
    msg = _post(slack, channel, args, user=args["user"], kind="ephemeral")
    return {"message_ts": msg.ts}


def update(slack: LocalSlack, args: dict, team_id: str) -> dict:
    msg = next(
        (
            m
            for m in slack.messages
            if m.ts == args["ts"]
            and m.kind == "message"
            and m.channel in (args["channel"], slack.dm_channel(args["channel"]))
        ),
        None,
    )
    if msg is None:
        raise SlackError("message_not_found")
    check_message(args, slack.violations)
    msg.history.append((msg.text, msg.blocks))
    msg.text, msg.blocks = args.get("text") or msg.text, args.get("blocks") or []
    return {"channel": msg.channel, "ts": msg.ts, "text": msg.text}


def get_permalink(slack: LocalSlack, args: dict, team_id: str) -> dict:
    channel, ts = args["channel"], args["message_ts"]
    if not any(m.channel == channel and m.ts == ts and m.kind == "message" for m in slack.messages):
        raise SlackError("message_not_found")
    return {
        "channel": channel,
        "permalink": f"https://local.slack.com/archives/{channel}/p{ts.replace('.', '')}",
    }
