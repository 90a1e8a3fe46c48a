"""Modal submissions: new deal, edit, note and lost. Field errors go back into the modal."""

from __future__ import annotations

from bot.deps import Deps
from bot.i18n import N_
from domain.deal_form import DealField, FieldError, NewDeal, read_deal_form, read_lost, read_note
from domain.errors import UserError
from domain.next_step_form import STEP, read_next_step_form
from domain.next_steps import NextStep
from domain.nurture_form import read_lost_day
from domain.refs import FormMeta, Origin
from handlers.common import (
    offer_if_entered,
    publish_home,
    run_form,
    send_to_response_url,
    tr,
    user_of,
)
from handlers.workspace import workspace
from services import deals, next_steps, reassign
from views.deals import card_message, reassigned_dm
from views.ids import View
from views.next_steps import STEP_SET


async def on_new(ack, body, view, client, deps):
    new, errors = read_deal_form(view["state"]["values"], user_of(body))
    errors |= await owner_errors(deps, client, new, keep=user_of(body))
    await submit(
        deps,
        ack,
        body,
        view,
        client,
        errors,
        DealField.STAGE,
        lambda now: deals.create(deps.db, workspace(), user_of(body), _read(new), now),
        N_("Added deal #{number}."),
        replace=False,
    )


async def on_edit(ack, body, view, client, deps):
    new, errors = read_deal_form(view["state"]["values"], user_of(body))
    owner = await _owner_now(deps, view)
    if owner is not None:  # else the change itself says what is wrong (no such deal), on its field
        errors |= await owner_errors(deps, client, new, keep=owner)
    await submit(
        deps,
        ack,
        body,
        view,
        client,
        errors,
        DealField.NAME,
        lambda now: deals.update(
            deps.db, workspace(), user_of(body), FormMeta.of(view).number, _read(new), now, reassigned_dm
        ),
        N_("Deal #{number} saved."),
    )


async def on_note(ack, body, view, client, deps):
    text, errors = read_note(view["state"]["values"])
    await submit(
        deps,
        ack,
        body,
        view,
        client,
        errors,
        DealField.NOTE,
        lambda now: deals.note(deps.db, workspace(), user_of(body), FormMeta.of(view).number, text, now),
        N_("Note logged on deal #{number}."),
    )


async def on_lost(ack, body, view, client, deps):
    key, details, errors = read_lost(view["state"]["values"])
    nurture_on, day_errors = read_lost_day(view["state"]["values"], deps.clock().date())
    errors |= day_errors
    shown_stage = FormMeta.of(view).shown_stage
    await submit(
        deps,
        ack,
        body,
        view,
        client,
        errors,
        DealField.REASON,
        lambda now: deals.lost(
            deps.db,
            workspace(),
            user_of(body),
            FormMeta.of(view).number,
            key,
            details,
            tr(),
            now,
            expected_stage_id=shown_stage,
            nurture_on=nurture_on,
        ),
        N_("Deal #{number} is marked lost."),
    )


async def on_next_step(ack, body, view, client, deps):
    step, errors = read_next_step_form(view["state"]["values"], deps.clock().date())
    number = FormMeta.of(view).number
    await submit(
        deps,
        ack,
        body,
        view,
        client,
        errors,
        STEP,
        lambda now: next_steps.set_step(deps.db, workspace(), number, _step(step), now),
        STEP_SET,
    )


async def owner_errors(deps: Deps, client, new: NewDeal | None, keep: str | None) -> dict[str, FieldError]:
    """A deal given to someone other than `keep` (the submitter, or the deal's owner) goes to a person
    still in the workspace, never a bot: users.info says (services/reassign.assignee)."""
    if new is None or new.owner_id == keep:
        return {}
    try:
        await reassign.assignee(deps.db, client, workspace(), new.owner_id, deps.clock())
    except UserError as err:
        return {DealField.OWNER: FieldError(err.message, err.params)}
    return {}


async def _owner_now(deps: Deps, view: dict) -> str | None:
    """The edited deal's owner as it is now, or None when the form names no deal this rep may see."""
    try:
        _stages, _currency, deal = await deps.db.run(
            deals.form_data, deps.db, workspace(), deps.clock(), FormMeta.of(view).number
        )
    except UserError:
        return None
    return deal.owner_id if deal else None


def _step(step: NextStep | None) -> NextStep:
    """The form's step, in a change that run_form runs only when the form read without errors."""
    assert step is not None
    return step


def register(app) -> None:
    app.view(View.DEAL_NEXT_STEP)(on_next_step)
    app.view(View.DEAL_NEW)(on_new)
    app.view(View.DEAL_EDIT)(on_edit)
    app.view(View.DEAL_NOTE)(on_note)
    app.view(View.DEAL_LOST)(on_lost)


def _read(new: NewDeal | None) -> NewDeal:
    """The form's deal, in a change that run_form runs only when the form read without errors."""
    assert new is not None
    return new


async def submit(
    deps: Deps,
    ack,
    body: dict,
    view: dict,
    client,
    errors: dict[str, FieldError],
    field: str,
    change,
    headline: str,
    replace: bool = True,
) -> None:
    """Field errors go back into the modal; otherwise run the change, close the modal, show the card.
    A UserError from the change (a stage removed meanwhile, a deal closed) lands on `field`."""
    _ = tr()
    card = await run_form(deps, ack, _, errors, field, change)
    if card is None:
        return
    now = deps.clock()
    message = card_message(card, _, now, _(headline, number=card.deal.number))
    await show(deps, body, client, view, message, replace)
    await offer_if_entered(deps, client, workspace(), card)


async def show(deps: Deps, body: dict, client, view: dict, message: dict, replace: bool = True) -> None:
    """Put the result where the modal came from: the card it was opened on, the command, or Home."""
    meta = FormMeta.of(view)
    if meta.origin == Origin.HOME:
        await publish_home(deps, client, workspace(), user_of(body))
    elif meta.response_url:
        await send_to_response_url(
            meta.response_url,
            response_type="ephemeral",
            replace_original=replace and meta.origin == Origin.MESSAGE,
            **message,
        )
    else:
        await client.chat_postMessage(channel=user_of(body), **message)
