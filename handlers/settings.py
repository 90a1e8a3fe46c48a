"""`/pipeline settings`: admins and managers change the team's pipeline and habits."""

from __future__ import annotations

from bot.deps import Deps
from domain.errors import UserError
from domain.settings_form import SettingsField
from domain.view_state import field
from handlers.common import pipeline_word, tr, user_of
from handlers.workspace import workspace
from services import channels, settings
from services.channels import Presence
from services.roles import require_manager
from views.ids import View
from views.settings import not_in_private_channel, saved_message, settings_modal

CHANNEL_BLOCKS = ("channel", "digest_channel")
# Slack has three seconds for the ack; both channels are asked at once, and no longer than this.
CHANNEL_WAIT = 1.0


async def open_settings(ack, body, client, deps: Deps) -> None:
    """`/pipeline settings`: the settings modal, for admins and managers."""
    await ack()
    team, user = workspace(), user_of(body)
    await require_manager(deps, client, team, user)
    now = deps.clock()
    found = await deps.db.run(settings.current, deps.db, team, now)
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=settings_modal(tr(), found.team, found.stages, found.reasons),
    )


async def on_save(ack, body, view, client, deps: Deps) -> None:
    _ = tr()
    team, user = workspace(), user_of(body)
    if not await _may(deps, client, team, user):
        await ack(
            response_action="errors",
            errors={SettingsField.STAGES: _("Only workspace admins and the team's managers can do that.")},
        )
        return
    values = view["state"]["values"]
    chosen = {b: c for b in CHANNEL_BLOCKS if (c := field(values, b).get("selected_conversation"))}
    found = await channels.presences(client, sorted(set(chosen.values())), CHANNEL_WAIT)
    outside = {
        b: not_in_private_channel(_, c) for b, c in chosen.items() if found[c] is Presence.PRIVATE_OUTSIDE
    }
    if outside:
        await ack(response_action="errors", errors=outside)
        return
    try:
        errors = await deps.db.run(settings.save, deps.db, team, values, deps.clock(), user)
    except UserError as err:
        await ack(response_action="errors", errors={SettingsField.STAGES: err.text(_)})
        return
    if errors:
        await ack(response_action="errors", errors={k: _(e.message, **e.params) for k, e in errors.items()})
        return
    await ack()
    deps.languages.forget_team(team)
    joined = [c for c, p in found.items() if p is Presence.PUBLIC_OUTSIDE and await channels.join(client, c)]
    unchecked = [c for c, p in found.items() if p is not Presence.MEMBER and c not in joined]
    await client.chat_postMessage(channel=user, text=saved_message(_, joined, unchecked))


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_word("settings")])(open_settings)
    app.view(View.SETTINGS)(on_save)


async def _may(deps: Deps, client, team: str, user: str) -> bool:
    try:
        await require_manager(deps, client, team, user)
    except UserError:
        return False
    return True
