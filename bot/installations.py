"""Many workspaces: Slack's OAuth install flow, with installations kept by slack_sdk's SQLAlchemy
stores in our own database, their tokens encrypted (bot/token_cipher.py). The stores are
synchronous; Bolt's async app gets them through thin adapters that run each call off the event loop."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from typing import NamedTuple

import aiohttp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Table, select, update

from bot.config import SCOPES, Settings
from bot.db import Database
from bot.token_cipher import TokenCipher
from models.installations import BOTS, INSTALLATIONS, STATES, TOKEN_COLUMNS
from models.installations import bots as bots_table
from models.installations import installations as installations_table

log = logging.getLogger(__name__)
# slack_sdk logs every request and response at DEBUG, and oauth.v2.access carries the install's code
# and the client secret one way and every token the other; Bolt logs the callback's code too. The
# install flow gets a logger of its own that stops at INFO (slack_sdk reads logger.level itself
# before it writes those lines).
exchange_log = logging.getLogger("salesbot.oauth.exchange")
exchange_log.setLevel(logging.INFO)


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, with each token sealed on its way into the database and opened on its way out."""

    def __init__(self, *args, cipher: TokenCipher, **kwargs):
        super().__init__(*args, **kwargs)
        self.cipher = cipher

    def save(self, installation):
        super().save(self._sealed(installation))  # which saves its bot too, through save_bot

    def save_bot(self, bot):
        super().save_bot(self._sealed(bot))

    def build_installation_entity(self, row):  # type: ignore[override]
        return super().build_installation_entity(self._opened(row))

    def build_bot_entity(self, row):  # type: ignore[override]
        return super().build_bot_entity(self._opened(row))

    def _sealed(self, entity):
        sealed = copy.copy(entity)
        for name in TOKEN_COLUMNS:
            if hasattr(sealed, name):
                setattr(sealed, name, self.cipher.seal(getattr(sealed, name)))
        return sealed

    def _opened(self, row) -> dict:
        opened = dict(row)
        for name in TOKEN_COLUMNS:
            if name in opened:
                opened[name] = self.cipher.open(opened[name])
        return opened


def reseal(db: Database, cipher: TokenCipher) -> int:
    """Encrypt, with the first key, every stored token that is not: rows written before tokens were
    encrypted, and rows sealed with a key that is being rotated out. Returns how many rows changed.
    One transaction: a crash leaves every row as it was or every row sealed."""
    changed = 0
    with db.write_engine.begin() as conn:
        table: Table
        for table in (bots_table, installations_table):
            columns = [table.c[name] for name in TOKEN_COLUMNS if name in table.c]
            for row in conn.execute(select(table.c.id, *columns)).mappings():
                values = {c.name: row[c.name] for c in columns if row[c.name] is not None}
                sealed = {name: cipher.seal(value) for name, value in values.items()}
                if sealed != values:
                    conn.execute(update(table).where(table.c.id == row["id"]).values(**sealed))
                    changed += 1
    return changed


class InstallationStore(AsyncInstallationStore):
    def __init__(self, store: SQLAlchemyInstallationStore):
        self.store = store

    @property
    def logger(self):
        return log

    async def async_save(self, installation):
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot):
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(self, *, enterprise_id, team_id, is_enterprise_install=False):
        return await asyncio.to_thread(
            self.store.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_find_installation(
        self, *, enterprise_id, team_id, user_id=None, is_enterprise_install=False
    ):
        return await asyncio.to_thread(
            self.store.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_delete_bot(self, *, enterprise_id, team_id):
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id, team_id, user_id=None):
        await asyncio.to_thread(
            self.store.delete_installation, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id, team_id):
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)


class StoredBotAuthorize(AsyncAuthorize):
    """Authorizes a request from the workspace's stored bot alone. Bolt's own authorizer calls
    auth.test for every request, before the listener can ack; the row already holds what auth.test
    would say (team, bot id, bot user), written at install from oauth.v2.access."""

    def __init__(self, store: InstallationStore):
        self.store = store

    async def __call__(self, *, context, enterprise_id, team_id, user_id, **_actor) -> AuthorizeResult | None:
        bot = await self.store.async_find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=context.is_enterprise_install
        )
        if bot is None:
            return None  # uninstalled: Bolt answers with its "installation no longer available"
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )


class StateStore(AsyncOAuthStateStore):
    def __init__(self, store: SQLAlchemyOAuthStateStore):
        self.store = store

    @property
    def logger(self):
        return log

    async def async_issue(self, *args, **kwargs) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


def installation_store(settings: Settings, db: Database) -> InstallationStore:
    return InstallationStore(
        EncryptedInstallationStore(
            settings.slack_client_id,
            db.write_engine,
            bots_table_name=BOTS,
            installations_table_name=INSTALLATIONS,
            logger=log,
            cipher=TokenCipher(settings.salesbot_encryption_keys),
        )
    )


class InstallPages(NamedTuple):
    """What the browser is shown (handlers/installs.py): the install page's HTML for a link to
    Slack, Bolt's success and failure callbacks, and the page for a Slack that cannot be reached."""

    install: Callable[[str, AsyncBoltRequest], str]
    callbacks: AsyncCallbackOptions
    unreachable: Callable[[AsyncBoltRequest], BoltResponse]


class SalesbotOAuthFlow(AsyncOAuthFlow):
    """Bolt's flow with our own pages, and a Slack that cannot be reached told apart from a bad code
    (Bolt lets the network error escape as a bare 500)."""

    def __init__(self, *, pages: InstallPages, **kwargs):
        super().__init__(**kwargs)
        self.pages = pages

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        return self.pages.install(url, request)

    async def handle_callback(self, request: AsyncBoltRequest) -> BoltResponse:
        try:
            return await super().handle_callback(request)
        except (aiohttp.ClientError, TimeoutError) as err:
            log.warning("install: Slack unreachable: %s", type(err).__name__)
            return self.pages.unreachable(request)


def oauth_flow(
    settings: Settings, db: Database, store: InstallationStore, pages: InstallPages
) -> AsyncOAuthFlow:
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=SCOPES,
        installation_store=store,
        state_store=StateStore(
            SQLAlchemyOAuthStateStore(600, db.write_engine, logger=log, table_name=STATES)
        ),
        authorization_url=settings.slack_authorize_url,
        logger=exchange_log,  # Bolt logs the callback's query string, the code in it, at DEBUG
        callback_options=pages.callbacks,
    )
    # oauth.v2.access goes to SLACK_API_URL like every other Web API call.
    exchange = AsyncWebClient(base_url=settings.api_url, logger=exchange_log)
    return SalesbotOAuthFlow(client=exchange, settings=oauth, logger=exchange_log, pages=pages)
