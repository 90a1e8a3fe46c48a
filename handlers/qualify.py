"""BANT qualification in the rep's DM: `/deal qualify #N`, the Qualify buttons, answers typed
(message.im events) or clicked, switching deals, and the summary card's buttons.

Thin: the conversation's rules are in domain/bant/flow.py, its use cases in services/qualify.py.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.i18n import N_, translator
from domain.commands import parse_deal_command
from domain.refs import CardRef, QuestionRef
from handlers.common import ACKED_WAIT, deal_verb, offer_if_entered, tr, user_of
from handlers.workspace import workspace
from services import deals
from services import qualify as svc
from views.common import context, shown_stage
from views.ids import QUALIFY_ANSWERS, QUALIFY_CONTROLS, QUALIFY_PREFIX, Action, Block, one_of
from views.qualify import (
    HINT,
    closed_question,
    started_text,
    summary_message,
    turn_message,
)

log = logging.getLogger(__name__)

# A rep writing: plain messages, files and thread replies (the last two get a re-prompt).
# Edits, deletions, joins and bot posts are someone or something else.
READ_SUBTYPES = (None, "file_share", "thread_broadcast")


# Bolt's own middleware already drops this bot's own messages (bot_id or user is ours); what it
# lets through (other bots, edits, deletions, other channels) is filtered here, and every
# message event is matched, so none is answered 404.
async def on_message(body, event, client, deps):
    user = event.get("user")
    if (
        event.get("channel_type") != "im"
        or event.get("bot_id")
        or event.get("subtype") not in READ_SUBTYPES
        or not isinstance(user, str)
        or not user
    ):
        return
    team, now = workspace(), deps.clock()
    problem = (
        "file"
        if event.get("subtype") == "file_share" or event.get("files")
        else "thread"
        if event.get("thread_ts")
        else None
    )
    text = event.get("text") if isinstance(event.get("text"), str) else ""
    turn = await deps.db.run(svc.answer_text, deps.db, team, user, event.get("channel"), text, problem, now)
    if turn.kind == "none":
        if deps.hints.due((team, user), now):
            _ = tr()
            await client.chat_postMessage(channel=user, text=_(HINT), blocks=[context(_(HINT))])
        return
    await deliver(deps, client, team, turn)


async def on_start(ack, body, action, client, respond, deps):
    await ack()
    number = CardRef.parse(action.get("value", "")).deal
    from_offer = str(action.get("block_id", "")).startswith(Block.QUALIFY_OFFER)
    await start(
        deps,
        body,
        client,
        respond,
        number,
        replace=N_("Qualifying deal #{number}: the questions follow.") if from_offer else None,
    )


async def on_quick(ack, body, action, client, deps):
    await ack()
    ref = QuestionRef.parse(action.get("value", ""))
    value = action["action_id"].removeprefix(QUALIFY_PREFIX)
    turn = await deps.db.run(
        svc.quick, deps.db, workspace(), user_of(body), ref.id, ref.question, value, deps.clock()
    )
    await deliver(deps, client, workspace(), turn)


async def on_control(ack, body, action, client, deps):
    await ack()
    qid = QuestionRef.parse(action.get("value", "")).id
    command = action["action_id"].removeprefix(QUALIFY_PREFIX)
    turn = await deps.db.run(svc.control, deps.db, workspace(), user_of(body), qid, command, deps.clock())
    await deliver(deps, client, workspace(), turn)


async def on_switch(ack, body, action, client, respond, deps):
    await ack()
    ref = QuestionRef.parse(action.get("value", ""), question_required=False)
    await start(
        deps,
        body,
        client,
        respond,
        ref.id,
        edit=ref.question,
        switch=True,
        replace=N_("Switched to deal #{number}."),
    )


async def on_keep(ack, body, action, client, respond, deps):
    await ack()
    qid = QuestionRef.parse(action.get("value", ""), question_required=False).id
    number = await deps.db.run(svc.number_of, deps.db, workspace(), qid)
    await start(deps, body, client, respond, number, replace=N_("Carrying on with deal #{number}."))


async def on_edit(ack, body, action, client, respond, deps):
    await ack()
    ref = QuestionRef.parse((action.get("selected_option") or {}).get("value", ""))
    await start(deps, body, client, respond, ref.id, edit=ref.question)


async def on_advance(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.parse(action.get("value", ""))
    number, shown, target = ref.deal, ref.shown_stage, ref.target
    _ = tr()
    changed = await deps.db.run(
        deals.move,
        deps.db,
        workspace(),
        user_of(body),
        number,
        None,
        _,
        deps.clock(),
        stage_id=target,
        expected_stage_id=shown,
    )
    headline = _("Deal #{number} moved to {stage}.", number=number, stage=shown_stage(changed.card.stage, _))
    await show_summary(deps, body, respond, number, headline)
    await offer_if_entered(deps, client, workspace(), changed.card)


async def on_lost(ack, body, action, respond, deps):
    await ack()
    ref = CardRef.parse(action.get("value", ""))
    number, shown = ref.deal, ref.shown_stage
    _ = tr()
    await deps.db.run(
        deals.lost,
        deps.db,
        workspace(),
        user_of(body),
        number,
        "not_qualified",
        None,
        _,
        deps.clock(),
        expected_stage_id=shown,
    )
    await show_summary(
        deps, body, respond, number, _("Deal #{number} is marked lost: not qualified.", number=number)
    )


def register(app) -> None:
    app.command("/deal", matchers=[deal_verb("qualify")])(command)
    app.event("message")(on_message)
    app.action(Action.QUALIFY_START)(on_start)
    app.action(one_of(QUALIFY_ANSWERS))(on_quick)
    app.action(one_of(QUALIFY_CONTROLS))(on_control)
    app.action(Action.QUALIFY_SWITCH)(on_switch)
    app.action(Action.QUALIFY_KEEP)(on_keep)
    app.action(Action.QUALIFY_EDIT)(on_edit)
    app.action(Action.QUALIFY_ADVANCE)(on_advance)
    app.action(Action.QUALIFY_LOST)(on_lost)


async def start(
    deps: Deps,
    body: dict,
    client,
    respond,
    number: int,
    edit: str | None = None,
    switch: bool = False,
    replace: str | None = None,
) -> None:
    """Start, resume or edit a deal's qualification in its owner's DM, and tell whoever asked.
    `replace`: the button was on a DM message (an offer, a switch question) that this answers; the
    message's new text."""
    _ = tr()
    turn = await deps.db.run(
        svc.start, deps.db, workspace(), user_of(body), number, deps.clock(), edit, switch
    )
    await deliver(deps, client, workspace(), turn)
    text = started_text(turn, user_of(body), _)
    if replace:
        text = text if turn.kind == "switch" else _(replace, number=number)
        await respond(replace_original=True, text=text, blocks=[context(text)])
    elif body.get("response_url"):
        await respond(response_type="ephemeral", replace_original=False, text=text, blocks=[context(text)])


async def command(ack, body, respond, client, deps: Deps) -> None:
    """`/deal qualify #N`."""
    await ack()
    cmd = parse_deal_command(body.get("text", ""), deps.clock().date())
    assert cmd.number is not None  # parse_ref asks for the deal's number when there is none
    await start(deps, body, client, respond, cmd.number)


async def deliver(deps: Deps, client, team: str, turn: svc.Turn) -> None:
    """Say the turn in the owner's DM: close the question it leaves behind, post what comes next,
    and remember the new question's message so the next turn can close it."""
    if turn.kind in ("none", "ignore"):
        return
    # The DM is the owner's, in the owner's language, whoever asked (a manager, an admin).
    _ = translator(await deps.languages.of_user(team, turn.owner_id, client, ACKED_WAIT))
    if turn.close_ts and turn.closed[0] and turn.kind != "reprompt":
        await close(client, turn.channel or turn.owner_id, turn.close_ts, turn, _)
    sent = await client.chat_postMessage(channel=turn.owner_id, **turn_message(turn, _))
    if turn.kind == "ask":
        kept = await deps.db.run(
            svc.remember, deps.db, team, turn.qid, sent["channel"], sent["ts"], turn.turn
        )
        if not kept:  # the rep answered faster than Slack answered us: this question is behind already
            await close(
                client, sent["channel"], sent["ts"], replace(turn, closed=(turn.asking, turn.follow_up)), _
            )


async def close(client, channel: str, ts: str, turn: svc.Turn, _) -> None:
    """Take the buttons off a question's message, showing the answer it got."""
    try:
        await client.chat_update(channel=channel, ts=ts, **closed_question(turn, _))
    except (
        SlackApiError
    ) as exc:  # a message that would not update keeps its buttons; clicks on them are checked
        log.info("could not close question %s: %s", ts, exc.response.get("error"))


async def show_summary(deps: Deps, body: dict, respond, number: int, headline: str) -> None:
    turn = await deps.db.run(svc.summary, deps.db, workspace(), number)
    await respond(replace_original=True, **summary_message(turn, tr(), headline))
