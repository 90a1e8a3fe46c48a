"""`/deal notify [nudges|reminders on|off, summary daily|off]` and the buttons that flip each choice,
in that answer and on the Home tab."""

from __future__ import annotations

from domain.commands import parse_deal_command
from domain.errors import UserError
from domain.preferences import CHOICES, Change
from handlers.common import Deps, deal_verb, publish_home, tr, user_of
from handlers.workspace import workspace
from services import preferences
from views.ids import Action
from views.preferences import changed, notify_message


async def notify(ack, body, respond, deps: Deps) -> None:
    """`/deal notify` alone shows the choices; with words, sets one."""
    await ack()
    _, team, user, now = tr(), workspace(), user_of(body), deps.clock()
    change: Change | None = parse_deal_command(body.get("text", ""), now.date()).extra.get("change")
    if change is None:
        chosen = await deps.db.run(preferences.current, deps.db, team, user)
        await respond(**notify_message(_, chosen))
        return
    chosen = await deps.db.run(preferences.choose, deps.db, team, user, change, now)
    await respond(**notify_message(_, chosen, changed(_)))


async def on_flip(ack, body, action, client, respond, deps: Deps) -> None:
    await ack()
    change = Change.parse(action.get("value", ""))
    if change is None:
        raise UserError(CHOICES)
    team, user = workspace(), user_of(body)
    chosen = await deps.db.run(preferences.choose, deps.db, team, user, change, deps.clock())
    if (body.get("container") or {}).get("type") == "view":
        await publish_home(deps, client, team, user)
    else:
        _ = tr()
        await respond(replace_original=True, **notify_message(_, chosen, changed(_)))


def register(app) -> None:
    app.command("/deal", matchers=[deal_verb("notify")])(notify)
    for action_id in (Action.NOTIFY_NUDGES, Action.NOTIFY_REMINDERS, Action.NOTIFY_SUMMARY):
        app.action(action_id)(on_flip)
