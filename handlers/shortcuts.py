"""Shortcuts: "Create deal from message" opens the New deal form prefilled from the message;
"New deal" opens it empty from anywhere. Submitting either is the usual `deal_new` form."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from domain.capture import capture
from domain.refs import FormMeta
from domain.stages import StageRef
from handlers.common import tr, user_of
from handlers.workspace import workspace
from services import deals
from views.ids import Shortcut
from views.modals import captured_deal_form, deal_form

log = logging.getLogger(__name__)


async def from_message(ack, body, client, deps):
    await ack()
    message, channel = body.get("message"), body.get("channel") or {}
    if not answerable(body) or not isinstance(message, dict) or not isinstance(message.get("text", ""), str):
        return  # not a message Slack would send: nothing to read, nothing to open
    now = deps.clock()
    stages, currency, _deal = await deps.db.run(deals.form_data, deps.db, workspace(), now)
    refs = [StageRef(s.id, s.key, s.name, s.kind) for s in stages if s.id is not None]
    captured = capture(message.get("text", ""), now.date(), refs, channel.get("name"))
    link = await permalink(client, channel.get("id"), message.get("ts"))
    # The card goes back to the conversation (privately, through the response_url), else to the DM.
    origin = FormMeta(response_url=url if isinstance(url := body.get("response_url"), str) else None).encode()
    view = captured_deal_form(tr(), stages, currency, user_of(body), origin, captured, notes=link)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def new_deal(ack, body, client, deps):
    await ack()
    if not answerable(body):
        return
    stages, currency, _deal = await deps.db.run(deals.form_data, deps.db, workspace(), deps.clock())
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=deal_form(tr(), stages, currency, user_of(body), FormMeta().encode()),
    )


def answerable(body: dict) -> bool:
    """A form can be opened for it (a trigger), and for a person of this workspace: a Slack Connect
    guest's shortcut names their own workspace in `user.team_id`, and the bot keeps no deals for it."""
    user = body.get("user") or {}
    home = user.get("team_id") if isinstance(user, dict) else None
    return isinstance(body.get("trigger_id"), str) and home in (None, workspace())


async def permalink(client, channel: object, ts: object) -> str | None:
    """The message's link for the deal's notes; without it the form still opens."""
    if not isinstance(channel, str) or not isinstance(ts, str):
        return None
    try:
        found = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as exc:
        log.info("no permalink for the captured message: %s", exc.response.get("error"))
        return None
    link = found.get("permalink")
    return link if isinstance(link, str) else None


def register(app) -> None:
    app.message_shortcut(Shortcut.DEAL_FROM_MESSAGE)(from_message)
    app.global_shortcut(Shortcut.DEAL_NEW_GLOBAL)(new_deal)
