"""Installing and uninstalling: the pages a browser sees during the OAuth install (ours, in its
language, with honest status codes), and a workspace that uninstalls the app, or revokes its
tokens, leaves no token behind; its data is kept for the retention period (services/retention.py)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_bolt.oauth.async_callback_options import AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.i18n import Translator, browser_language, translator
from handlers.workspace import workspace
from services import retention, welcome
from views.install_pages import Page, failure_page, install_page, success_page
from views.welcome import welcome_message

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


def _browser(request: AsyncBoltRequest) -> Translator:
    """The browser's language, formally: no team has chosen its address yet."""
    header = request.headers.get("accept-language") or [""]
    return translator(browser_language(header[0]), formal=True)


def _html(page: Page) -> BoltResponse:
    headers: dict[str, str | Sequence[str]] = {"Content-Type": "text/html; charset=utf-8"}
    return BoltResponse(status=page.status, body=page.html, headers=headers)


def install(url: str, request: AsyncBoltRequest) -> str:
    return install_page(_browser(request), url).html


async def installed(args: AsyncSuccessArgs, deps) -> BoltResponse:
    """The success page, and the installer's welcome DM in the language their browser asked for."""
    found, _ = args.installation, _browser(args.request)
    if found.team_id and found.user_id:
        await deps.db.run(
            welcome.installed, deps.db, found.team_id, found.user_id, welcome_message(_), deps.clock()
        )
    return _html(success_page(_, found.app_id, found.team_id, found.team_name))


async def failed(args: AsyncFailureArgs) -> BoltResponse:
    log.info("install failed: %s", args.reason)
    return _html(failure_page(_browser(args.request), args.reason))


def unreachable(request: AsyncBoltRequest) -> BoltResponse:
    return _html(failure_page(_browser(request), "slack_unreachable"))


def register(app) -> None:
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
