"""A workspace that uninstalls the app, or revokes its tokens, leaves no token behind."""

from __future__ import annotations

import logging

from handlers.workspace import workspace

log = logging.getLogger(__name__)


async def uninstalled(body, deps):
    if deps.installations is not None:
        await deps.installations.async_delete_all(
            enterprise_id=body.get("enterprise_id"), team_id=workspace()
        )
    log.info("workspace %s uninstalled the app", workspace())


async def revoked(body, event, deps):
    if deps.installations is None:
        return
    team, tokens = workspace(), event.get("tokens") or {}
    if tokens.get("bot"):
        await deps.installations.async_delete_bot(enterprise_id=body.get("enterprise_id"), team_id=team)
    for user in tokens.get("oauth") or []:
        await deps.installations.async_delete_installation(
            enterprise_id=body.get("enterprise_id"), team_id=team, user_id=user
        )
    log.info("workspace %s revoked tokens: %s", team, tokens)


def register(app) -> None:
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
