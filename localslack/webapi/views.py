"""views.open (within the trigger's few seconds), views.update and views.publish (Home tabs)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from localslack.checks import SlackError, check_view

if TYPE_CHECKING:
    from localslack.server import LocalSlack

TRIGGER_TTL = 3.0  # seconds a trigger_id can open a modal


def open_view(slack: LocalSlack, args: dict, team_id: str) -> dict:
    started = slack.triggers.pop(args["trigger_id"], None)
    if slack.lenient and started is None:
        started = time.monotonic()  # triggers were made by a client in another process
    if started is None or time.monotonic() - started > TRIGGER_TTL:
        raise SlackError("expired_trigger_id")
    view = dict(
        check_view(args["view"], slack.violations),
        id=f"V{slack.next_id():08d}",
        team_id=team_id,
        state={"values": {}},
    )
    slack.views[view["id"]] = view
    return {"view": view}


def update(slack: LocalSlack, args: dict, team_id: str) -> dict:
    view_id = args.get("view_id")
    if view_id not in slack.views:
        raise SlackError("not_found")
    view = dict(check_view(args["view"], slack.violations), id=view_id, team_id=team_id, state={"values": {}})
    slack.views[view_id] = view
    return {"view": view}


def publish(slack: LocalSlack, args: dict, team_id: str) -> dict:
    if args["user_id"] not in slack.users:
        raise SlackError("user_not_found")
    view = dict(check_view(args["view"], slack.violations), id=f"VH{args['user_id']}", team_id=team_id)
    slack.home[args["user_id"]] = view
    return {"view": view}
