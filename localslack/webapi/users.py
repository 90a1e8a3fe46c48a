"""users.info, users.lookupByEmail and users.list (with Slack's cursor paging)."""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

from localslack.checks import SlackError

if TYPE_CHECKING:
    from localslack.server import LocalSlack


def info(slack: LocalSlack, args: dict, team_id: str) -> dict:
    user = slack.users.get(args.get("user", ""))
    if user is None:
        raise SlackError("user_not_found")
    found = user.as_slack()
    if str(args.get("include_locale", "")).lower() not in ("1", "true"):
        del found["locale"]  # as Slack: the locale only when asked for
    return {"user": found}


def lookup_by_email(slack: LocalSlack, args: dict, team_id: str) -> dict:
    wanted = str(args["email"]).strip().lower()
    for user in slack.users.values():
        if user.email and user.email.lower() == wanted and user.team_id == team_id:
            return {"user": user.as_slack()}
    raise SlackError("users_not_found")


def list_users(slack: LocalSlack, args: dict, team_id: str) -> dict:
    """Slack's paging: at most `limit` per page (1,000 at most), and
    `response_metadata.next_cursor`, empty on the last page."""
    limit = min(int(args["limit"]) if str(args.get("limit", "")).isdigit() else 0, 1000) or 1000
    try:
        start = (
            int(base64.b64decode(args["cursor"]).decode().removeprefix("user:")) if args.get("cursor") else 0
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise SlackError("invalid_cursor") from exc
    members = [u for u in slack.users.values() if u.team_id == team_id]
    page = members[start : start + limit]
    more = start + limit < len(members)
    cursor = base64.b64encode(f"user:{start + limit}".encode()).decode() if more else ""
    return {
        "members": [u.as_slack() for u in page],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": cursor},
    }
