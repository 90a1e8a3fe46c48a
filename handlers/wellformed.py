"""Requests whose workspace, user or event ids are not Slack-shaped are refused before anything
reads them: no query, no row, no reply."""

from __future__ import annotations

import re

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse

from domain.slack_ids import is_slack_id

EVENT_ID = re.compile(r"^[A-Za-z0-9]{2,64}$")


def ids_of(body: dict) -> list:
    """Every workspace and user id the request names, wherever its kind keeps them."""
    team, user = body.get("team"), body.get("user")
    found = [
        body.get("team_id"),
        body.get("user_id"),
        team.get("id") if isinstance(team, dict) else team,
        user.get("id") if isinstance(user, dict) else user,
    ]
    event = body.get("event")
    if isinstance(event, dict) and "user" in event and event.get("type") == "app_home_opened":
        found.append(event.get("user"))
    return [i for i in found if i is not None]


OBJECTS = ("view", "team", "user", "container", "channel", "message", "event")


def misshapen(body: dict) -> bool:
    """Parts Slack always sends as objects (or a list of objects) that are something else: Bolt's own
    code, even its logging of an unhandled request, would trip on them."""
    if any(key in body and not isinstance(body[key], dict) for key in OBJECTS):
        return True
    actions = body.get("actions", [])
    return not isinstance(actions, list) or any(not isinstance(a, dict) for a in actions)


class WellFormedIds(AsyncMiddleware):
    async def async_process(self, *, req, resp, next):
        body = req.body if isinstance(req.body, dict) else {}
        if misshapen(body):
            return BoltResponse(status=400, body="malformed payload")
        ids = ids_of(body)
        event_id = body.get("event_id")
        if not all(is_slack_id(i) for i in ids) or (
            event_id is not None and not (isinstance(event_id, str) and EVENT_ID.match(event_id))
        ):
            return BoltResponse(status=400, body="malformed ids")
        return await next()
