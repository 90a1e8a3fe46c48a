"""Someone left: Slack's `user_change` with `deleted`, and the managers' pickers in the DM it brings
(services/leavers.py)."""

from __future__ import annotations

import logging
import re

from bot.i18n import N_
from domain.errors import UserError
from handlers.common import tr, user_of
from handlers.workspace import workspace
from services import leavers, reassign, roles, users
from views.deals import reassigned_dm
from views.ids import Action, Block
from views.leavers import leaver_message

log = logging.getLogger(__name__)

ONE = re.compile(rf"^{Block.LEAVER_DEAL}:([UW][A-Z0-9]{{2,31}}):(\d{{1,9}})$")
ALL = re.compile(rf"^{Block.LEAVER_ALL}:([UW][A-Z0-9]{{2,31}})$")
OUT_OF_DATE = N_("That message is out of date.")


async def on_user_change(event, deps):
    """Fires for every profile change of everyone: only a deactivation (of a person) does anything."""
    user = event.get("user")
    if not isinstance(user, dict) or not user.get("deleted") or user.get("is_bot"):
        return
    user_id, now = user.get("id"), deps.clock()
    if not isinstance(user_id, str):
        return
    added = await deps.db.run(leavers.offer, deps.db, workspace(), user_id, now, message=leaver_message)
    await deps.db.run(users.store, deps.db, workspace(), user_id, user, now)  # the cache: gone
    log.info("user %s of %s left: %d managers told", user_id, workspace(), added)


def _pick(body: dict, action: dict, pattern: re.Pattern) -> tuple[re.Match, str]:
    found = pattern.match(action.get("block_id") or "")
    picked = action.get("selected_user")
    if found is None or not isinstance(picked, str):
        raise UserError(OUT_OF_DATE)
    return found, picked


async def on_pick_one(ack, body, action, client, respond, deps):
    await ack()
    found, picked = _pick(body, action, ONE)
    (leaver, number), team, manager, now = found.groups(), workspace(), user_of(body), deps.clock()
    await roles.require_manager(deps, client, team, manager)
    to = await reassign.assignee(deps.db, client, team, picked, now)
    await deps.db.run(
        reassign.reassign, deps.db, team, manager, int(number), to, now, reassigned_dm, from_user=leaver
    )
    await _show(deps, respond, team, leaver)


async def on_pick_all(ack, body, action, client, respond, deps):
    await ack()
    found, picked = _pick(body, action, ALL)
    leaver, team, manager, now = found.group(1), workspace(), user_of(body), deps.clock()
    await roles.require_manager(deps, client, team, manager)
    to = await reassign.assignee(deps.db, client, team, picked, now)
    await deps.db.run(leavers.give_all, deps.db, team, manager, leaver, to, now, reassigned_dm)
    await _show(deps, respond, team, leaver)


async def _show(deps, respond, team: str, leaver: str) -> None:
    """The DM again, as things stand: what changed hands, and what still waits for a new owner."""
    left = await deps.db.run(leavers.leaver, deps.db, team, leaver)
    await respond(replace_original=True, **leaver_message(tr(), left))


def register(app) -> None:
    app.event("user_change")(on_user_change)
    app.action(Action.LEAVER_DEAL)(on_pick_one)
    app.action(Action.LEAVER_ALL)(on_pick_all)
