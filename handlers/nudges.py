"""The buttons on a nudge (Log note, Move stage, Next step, Snooze, Mark lost, and a disqualify
candidate's Mark lost) and the modals they open.

Each acts only if the deal is still as the nudge showed it, then shows the outcome in place of the
deal's buttons in the nudge itself (through the action's response_url). A modal keeps where the
nudge is (response_url, channel, ts) in its metadata, and reads the nudge back when it is submitted,
so that lines already acted on keep their outcome.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from domain.deal_form import DealField, read_lost, read_note
from domain.disqualify import LostRef
from domain.errors import UserError
from domain.next_step_form import STEP, read_next_step_form
from domain.nudges import snooze_end
from domain.nurture_form import read_lost_day
from domain.picked_day import read_day
from domain.refs import CardRef, FormMeta
from domain.view_state import field
from domain.zones import zone
from handlers.common import (
    notify_user,
    run_form,
    send_to_response_url,
    tr,
    user_of,
)
from handlers.workspace import workspace
from services import next_steps, nudges
from views import nudges as v
from views.ids import Action, Block, View

log = logging.getLogger(__name__)


async def on_move(ack, body, action, respond, deps):
    await ack()
    _ = tr()
    ref = CardRef.option(action["selected_option"]["value"])
    number, shown, target = ref.deal, ref.shown_stage, ref.target
    try:
        stage = await deps.db.run(
            nudges.move, deps.db, workspace(), user_of(body), number, shown, target, deps.clock()
        )
        status = v.moved(_, stage)
    except UserError as err:
        if not err.params.get("stale"):
            raise
        status = v.stale(_(err.message, **err.params))
    await show_outcome(body, respond, number, status)


async def on_note(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown = ref.deal, ref.shown_stage
    deal = await fresh_or_say(deps, body, respond, number, shown)
    if deal:
        await client.views_open(
            trigger_id=body["trigger_id"], view=v.note_modal(tr(), deal, where(body, number, shown))
        )


async def on_next_step(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown = ref.deal, ref.shown_stage
    deal = await fresh_or_say(deps, body, respond, number, shown)
    if deal:
        await client.views_open(
            trigger_id=body["trigger_id"], view=v.next_step_modal(tr(), deal, where(body, number, shown))
        )


async def on_snooze(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown = ref.deal, ref.shown_stage
    deal = await fresh_or_say(deps, body, respond, number, shown)
    if deal:
        tz = await deps.db.run(nudges.timezone_of, deps.db, workspace(), user_of(body))
        await client.views_open(
            trigger_id=body["trigger_id"],
            view=v.snooze_form(tr(), deal, where(body, number, shown, tz)),
        )


async def on_lost(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown = ref.deal, ref.shown_stage
    form = await fresh_or_say(deps, body, respond, number, shown, nudges.for_lost_form)
    if form is None:
        return
    deal, reasons = form
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=v.lost_modal(tr(), deal, reasons, where(body, number, shown)),
    )


async def on_candidate_lost(ack, body, action, client, respond, deps):
    """A disqualify candidate's Mark lost in the nudge: the nudge's Lost form, its reason prefilled."""
    await ack()
    ref = LostRef.parse(action.get("value", ""))
    if ref is None:
        return
    # The candidate's line shows no stage: only the owner is checked.
    form = await fresh_or_say(deps, body, respond, ref.number, None, nudges.for_lost_form)
    if form is None:
        return
    deal, reasons = form
    reason = ref.reason if any(r.key == ref.reason for r in reasons) else None
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=v.lost_modal(tr(), deal, reasons, where(body, ref.number, None), reason),
    )


async def on_note_submit(ack, body, view, client, deps):
    _, meta = tr(), FormMeta.of(view)
    text, errors = read_note(view["state"]["values"])
    done = await run_form(
        deps,
        ack,
        _,
        errors,
        DealField.NOTE,
        lambda now: nudges.note(
            deps.db, workspace(), user_of(body), meta.number, meta.shown_stage, text, now
        ),
    )
    if done is not None:
        await update_nudge(client, body, meta, v.noted(_))


async def on_next_step_submit(ack, body, view, client, deps):
    _, meta = tr(), FormMeta.of(view)
    step, errors = read_next_step_form(view["state"]["values"], deps.clock().date())
    number = meta.number
    done = await run_form(
        deps,
        ack,
        _,
        errors,
        STEP,
        lambda now: next_steps.set_step(deps.db, workspace(), number, step, now) if step else None,
    )
    if done is not None:
        await update_nudge(client, body, meta, v.step_set(_))


async def on_lost_submit(ack, body, view, client, deps):
    _, meta = tr(), FormMeta.of(view)
    key, details, errors = read_lost(view["state"]["values"])
    nurture_on, day_errors = read_lost_day(view["state"]["values"], deps.clock().date())
    done = await run_form(
        deps,
        ack,
        _,
        errors | day_errors,
        DealField.REASON,
        lambda now: nudges.lost(
            deps.db,
            workspace(),
            user_of(body),
            meta.number,
            meta.shown_stage,
            key,
            details,
            now,
            nurture_on,
        ),
    )
    if done is not None:
        await update_nudge(client, body, meta, v.marked_lost(_))


async def on_snooze_submit(ack, body, view, client, deps):
    _ = tr()
    values, meta, now = view["state"]["values"], FormMeta.of(view), deps.clock()
    choice = (field(values, Block.NUDGE_SNOOZE_FOR).get("selected_option") or {}).get("value")
    reason = (field(values, Block.NUDGE_SNOOZE_REASON).get("value") or "").strip() or None
    try:
        picked = read_day(values, Block.NUDGE_SNOOZE_UNTIL)
    except UserError as err:
        await ack(response_action="errors", errors={Block.NUDGE_SNOOZE_UNTIL: err.text(_)})
        return
    hours, team_tz = await deps.db.run(nudges.hours_of, deps.db, workspace())
    tz = zone(meta.zone, team_tz)
    try:
        until = snooze_end(choice, picked, now, tz, hours)
    except UserError as err:
        await ack(response_action="errors", errors={Block.NUDGE_SNOOZE_UNTIL: _(err.message, **err.params)})
        return
    try:
        await deps.db.run(
            nudges.snooze,
            deps.db,
            workspace(),
            user_of(body),
            meta.deal or 0,
            meta.shown_stage,
            until,
            reason,
            now,
        )
    except UserError as err:
        await ack(response_action="errors", errors={Block.NUDGE_SNOOZE_FOR: _(err.message, **err.params)})
        return
    await ack()
    await update_nudge(client, body, meta, v.snoozed(_, until.astimezone(tz).date(), reason))


def register(app) -> None:
    app.action(Action.NUDGE_MOVE)(on_move)
    app.action(Action.NUDGE_NOTE)(on_note)
    app.action(Action.NUDGE_NEXT_STEP)(on_next_step)
    app.action(Action.NUDGE_SNOOZE)(on_snooze)
    app.action(Action.NUDGE_LOST)(on_lost)
    app.action(Action.NUDGE_CANDIDATE_LOST)(on_candidate_lost)
    app.view(View.NUDGE_NOTE)(on_note_submit)
    app.view(View.NUDGE_NEXT_STEP)(on_next_step_submit)
    app.view(View.NUDGE_LOST)(on_lost_submit)
    app.view(View.NUDGE_SNOOZE)(on_snooze_submit)


async def fresh_or_say(
    deps: Deps, body: dict, respond, number: int, shown: int | None, use_case=nudges.fresh
):
    """The deal if the nudge still shows it as it is (or what else `use_case` reads with the same check:
    nudges.for_lost_form); else the nudge's line says what changed, and None."""
    try:
        return await deps.db.run(use_case, deps.db, workspace(), user_of(body), number, shown)
    except UserError as err:
        if not err.params.get("stale"):
            raise
        await show_outcome(body, respond, number, v.stale(tr()(err.message, **err.params)))
        return None


def where(body: dict, number: int, shown: int | None, tz: str | None = None) -> str:
    """Modal metadata: the deal as the nudge showed it, and where the nudge is, to update it on submit.
    A snooze also takes the owner's timezone, so "today" in its date check is their today."""
    container = body.get("container") or {}
    return FormMeta(
        deal=number,
        shown_stage=shown,
        response_url=body.get("response_url"),
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
        zone=tz,
    ).encode()


async def show_outcome(body: dict, respond, number: int, status: str) -> None:
    message = body.get("message") or {}
    blocks = v.resolve_line(message.get("blocks") or [], number, status)
    if blocks is None:
        await respond(text=status, response_type="ephemeral", replace_original=False)
        return
    await respond(text=message.get("text") or status, blocks=blocks, replace_original=True)


async def update_nudge(client, body: dict, meta: FormMeta, status: str) -> None:
    """After a modal: read the nudge as it is now, and replace it with the deal's line resolved."""
    number, url = meta.deal or 0, meta.response_url
    message = await _read_message(client, meta.channel, meta.ts)
    blocks = v.resolve_line(message.get("blocks") or [], number, status) if message else None
    if url and message is not None and blocks is not None:
        await send_to_response_url(
            url, text=message.get("text") or status, blocks=blocks, replace_original=True
        )
        return
    await notify_user(client, {**body, "response_url": url}, status)


async def _read_message(client, channel: str | None, ts: str | None) -> dict | None:
    if not channel or not ts:
        return None
    try:
        # latest + inclusive + limit 1 is "the message at ts"; compare ts anyway, to be sure.
        history = await client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
    except SlackApiError as exc:
        log.warning("could not read the nudge %s/%s back: %s", channel, ts, exc.response.get("error"))
        return None
    return next((m for m in history.get("messages", []) if m.get("ts") == ts), None)
