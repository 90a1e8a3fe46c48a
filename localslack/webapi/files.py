"""Slack's two-step upload: files.getUploadURLExternal hands out a URL the bytes are posted to
(the server's /upload/), files.completeUploadExternal shares the uploaded files."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from localslack.checks import SlackError
from localslack.state import Message
from localslack.webapi.conversations import posting_channel

if TYPE_CHECKING:
    from localslack.server import LocalSlack


def get_upload_url(slack: LocalSlack, args: dict, team_id: str) -> dict:
    file_id = f"F{slack.next_id():08d}"
    slack.files[file_id] = {
        "id": file_id,
        "name": args["filename"],
        "length": int(args["length"]),
        "content": None,
        "shared_to": None,
    }
    return {"upload_url": f"{slack.base_url}/upload/{file_id}", "file_id": file_id}


def complete_upload(slack: LocalSlack, args: dict, team_id: str) -> dict:
    files = args["files"] if isinstance(args["files"], list) else json.loads(args["files"])
    wanted = [
        c.strip() for c in str(args.get("channel_id") or args.get("channels") or "").split(",") if c.strip()
    ]
    for channel in wanted:
        # Unlike chat.postMessage, Slack takes no user id here: a DM needs its D... id
        # (conversations.open).
        if not re.match(r"^[CGDZ][A-Z0-9]+$", channel):
            slack.violations.append(
                f"files.completeUploadExternal: channel {channel!r} is not a conversation id"
            )
            raise SlackError("invalid_arguments")
    channels = [posting_channel(slack, c) for c in wanted]
    out = []
    for f in files:
        stored = slack.files.get(f.get("id"))
        if stored is None or stored["content"] is None:
            raise SlackError("file_not_found")
        stored["title"], stored["shared_to"] = f.get("title"), (channels[0] if channels else None)
        out.append({"id": stored["id"], "title": stored["title"], "name": stored["name"]})
    for channel in channels:
        slack.messages.append(
            Message(
                channel,
                slack.ts(),
                args.get("initial_comment") or "",
                [],
                kind="file",
                files=[dict(f) for f in out],
            )
        )
    return {"files": out}
