"""A workspace that uninstalls the app, or revokes its tokens, leaves no token behind; its data is
kept for the retention period (services/retention.py)."""

from __future__ import annotations

import logging

from handlers.workspace import workspace
from services import retention

log = logging.getLogger(__name__)


async def uninstalled(body, deps):
    if deps.installations is not None:
        await deps.installations.async_delete_all(
            enterprise_id=body.get("enterprise_id"), team_id=workspace()
        )
        await deps.db.run(retention.uninstalled, deps.db, workspace(), deps.clock())
    log.info("workspace %s uninstalled the app", workspace())


async def revoked(body, event, deps):
    if deps.installations is None:
        return
    team, tokens = workspace(), event.get("tokens") or {}
    if tokens.get("bot"):
        await deps.installations.async_delete_bot(enterprise_id=body.get("enterprise_id"), team_id=team)
        await deps.db.run(retention.uninstalled, deps.db, team, deps.clock())  # without a bot, it is gone
    for user in tokens.get("oauth") or []:
        await deps.installations.async_delete_installation(
            enterprise_id=body.get("enterprise_id"), team_id=team, user_id=user
        )
    log.info("workspace %s revoked tokens: %s", team, tokens)


def register(app) -> None:
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
