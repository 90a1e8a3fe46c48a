"""The Bolt app: a Slack client pointed at SLACK_API_URL, and every listener registered.

One workspace: SLACK_BOT_TOKEN. Many: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, and each workspace
installs the app through /slack/install; its token then comes from the installation store.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.deps import Deps
from bot.http import retry_handlers, shared_session
from bot.installations import InstallPages, StoredBotAuthorize, installation_store, oauth_flow
from handlers import installs, register_all


def pages(deps: Deps) -> InstallPages:
    """The browser's pages during the install (handlers/installs.py); success also welcomes."""
    return InstallPages(
        installs.install,
        AsyncCallbackOptions(success=partial(installs.installed, deps=deps), failure=installs.failed),
        installs.unreachable,
    )


def build_app(settings: Settings, deps: Deps) -> AsyncApp:
    client = AsyncWebClient(
        token=None if settings.multi_workspace else settings.slack_bot_token or None,
        base_url=settings.api_url,
        retry_handlers=retry_handlers(),
        session=shared_session(),
    )
    store = installation_store(settings, deps.db) if settings.multi_workspace else None
    if store is not None:
        deps.installations = store
    app = AsyncApp(
        client=client,  # carries SLACK_API_URL, and the bot token in single-workspace mode
        signing_secret=settings.slack_signing_secret,
        # bot/verify.py checks the signature on the raw bytes before Bolt parses anything; Bolt's
        # own check would parse first and log every refused body.
        request_verification_enabled=False,
        logger=logging.getLogger("salesbot.bolt"),
        # Each listener acks first and goes on in a task of its own (handlers/common.answered), so
        # Bolt answers as soon as it has acked; with False, Bolt polls for the ack every 10 ms.
        process_before_response=True,
        installation_store=store,  # None, the default: one workspace, one token
        oauth_flow=oauth_flow(settings, deps.db, store, pages(deps)) if store is not None else None,
        # Many workspaces: each request authorized from the stored bot, with no auth.test before its ack.
        authorize=StoredBotAuthorize(store) if store is not None else None,  # type: ignore[arg-type]  # Bolt takes an AsyncAuthorize too
    )
    deps.client_for = clients(settings, deps.db, client, deps.installations)
    register_all(app, deps)
    return app


def clients(settings: Settings, db, default: AsyncWebClient | None = None, store=None):
    """team id -> a Web API client with that workspace's bot token, for work no request brought in
    (the scheduler, the CLI). None when the workspace has uninstalled the app."""
    if not settings.multi_workspace:
        default = default or AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.api_url,
            retry_handlers=retry_handlers(),
            session=shared_session(),
        )
    store = store or (installation_store(settings, db) if settings.multi_workspace else None)

    async def client_for(team_id: str) -> AsyncWebClient | None:
        if store is None:
            return default
        bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            return None
        return AsyncWebClient(
            token=bot.bot_token,
            base_url=settings.api_url,
            retry_handlers=retry_handlers(),
            session=shared_session(),
        )

    return client_for
