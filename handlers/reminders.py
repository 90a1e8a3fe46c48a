"""The buttons on a due reminder (Done, Snooze, Open deal) and the Snooze modal.

Done and Snooze act only on the step the reminder showed (same due date), then show the outcome in
place of the reminder's buttons: Done through the action's response_url, the Snooze modal through the
response_url it keeps in its metadata.
"""

from __future__ import annotations

from domain.errors import UserError
from domain.picked_day import read_day
from domain.refs import BUTTON_OUT_OF_DATE, FormMeta, Origin
from domain.reminders import DueStep, ReminderRef, overdue_since, snooze_to
from domain.zones import zone
from handlers.common import send_to_response_url, tr, user_of
from handlers.workspace import workspace
from services import deals, reminders
from views import reminders as v
from views.deals import card_message
from views.ids import Action, Block, View
from views.next_steps import next_step_form


def _ref(value: str | None) -> ReminderRef:
    ref = ReminderRef.parse(value or "")
    if ref is None:
        raise UserError(BUTTON_OUT_OF_DATE)
    return ref


async def on_done(ack, body, action, client, respond, deps):
    """The step done; then the Next step modal asks what comes next."""
    await ack()
    ref, _ = _ref(action.get("value")), tr()
    try:
        deal = await deps.db.run(reminders.done, deps.db, workspace(), ref, deps.clock())
    except UserError as err:
        await _resolve(body, respond, ref, _stale(err))
        return
    meta = FormMeta(deal.number, origin=Origin.COMMAND, response_url=body.get("response_url")).encode()
    await client.views_open(trigger_id=body["trigger_id"], view=next_step_form(_, deal, meta))
    await _resolve(body, respond, ref, v.done(_))


async def on_snooze(ack, body, action, client, respond, deps):
    await ack()
    ref, _ = _ref(action.get("value")), tr()
    try:
        deal, tz = await deps.db.run(reminders.for_snooze, deps.db, workspace(), user_of(body), ref)
    except UserError as err:
        await _resolve(body, respond, ref, _stale(err))
        return
    meta = FormMeta(ref.deal, response_url=body.get("response_url"), zone=tz.key, day=ref.due.isoformat())
    today = deps.clock().astimezone(tz).date()
    await client.views_open(trigger_id=body["trigger_id"], view=v.snooze_form(_, deal, today, meta.encode()))


async def on_snooze_submit(ack, body, view, deps):
    """The step's new due date; the reminder's line then says where it went."""
    _, meta, now = tr(), FormMeta.of(view), deps.clock()
    tz, ref = zone(meta.zone), _ref(f"{meta.deal}:{meta.day}")
    try:
        due = snooze_to(read_day(view["state"]["values"], Block.REMINDER_DUE), now.astimezone(tz).date())
        deal = await deps.db.run(reminders.snooze, deps.db, workspace(), ref, due, now)
    except UserError as err:
        await ack(response_action="errors", errors={Block.REMINDER_DUE: err.text(_)})
        return
    await ack()
    step = DueStep(deal.number, deal.name, deal.next_step or "", ref.due)
    shown = v.reminder(_, step, overdue_since(ref.due, now, tz))
    if meta.response_url:
        blocks = v.resolve(shown["blocks"], deal.number, v.snoozed(_, due))
        await send_to_response_url(
            meta.response_url, text=shown["text"], blocks=blocks, replace_original=True
        )


async def on_open(ack, body, action, respond, deps):
    """The deal's card, below the reminder (its buttons work as on any card)."""
    await ack()
    ref, now = _ref(action.get("value")), deps.clock()
    card = await deps.db.run(deals.card, deps.db, workspace(), ref.deal, now)
    await respond(replace_original=False, **card_message(card, tr(), now))


def register(app) -> None:
    app.action(Action.REMINDER_DONE)(on_done)
    app.action(Action.REMINDER_SNOOZE)(on_snooze)
    app.action(Action.REMINDER_OPEN)(on_open)
    app.view(View.REMINDER_SNOOZE)(on_snooze_submit)


def _stale(err: UserError) -> str:
    """A step changed since the reminder: its line says so. Any other error is the rep's to hear."""
    if not err.refresh:
        raise err
    return v.stale(err.text(tr()))


async def _resolve(body: dict, respond, ref: ReminderRef, status: str) -> None:
    message = body.get("message") or {}
    blocks = v.resolve(message.get("blocks") or [], ref.deal, status)
    await respond(text=message.get("text") or status, blocks=blocks, replace_original=True)
