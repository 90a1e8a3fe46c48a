"""Many workspaces: Slack's OAuth install flow, with installations kept by slack_sdk's SQLAlchemy
stores in our own database. The stores are synchronous; Bolt's async app gets them through thin
adapters that run each call off the event loop."""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SCOPES, Settings
from bot.db import Database
from models.installations import BOTS, INSTALLATIONS, STATES

log = logging.getLogger(__name__)


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
        SQLAlchemyInstallationStore(
            settings.slack_client_id,
            db.write_engine,
            bots_table_name=BOTS,
            installations_table_name=INSTALLATIONS,
            logger=log,
        )
    )


def oauth_flow(settings: Settings, db: Database, store: InstallationStore) -> AsyncOAuthFlow:
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=SCOPES,
        installation_store=store,
        state_store=StateStore(
            SQLAlchemyOAuthStateStore(600, db.write_engine, logger=log, table_name=STATES)
        ),
        authorization_url=settings.slack_authorize_url,
    )
    # oauth.v2.access goes to SLACK_API_URL like every other Web API call.
    return AsyncOAuthFlow(client=AsyncWebClient(base_url=settings.api_url), settings=oauth)
