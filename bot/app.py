"""The Bolt app: a Slack client pointed at SLACK_API_URL, and every listener registered."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from handlers import register_all
from handlers.common import Deps, retry_handlers
from scheduler import digest as _weekly_digest  # noqa: F401 - adds the digest to scheduler.runner.JOBS


def build_app(settings: Settings, deps: Deps) -> AsyncApp:
    client = AsyncWebClient(token=settings.slack_bot_token or None, base_url=settings.api_url,
                            retry_handlers=retry_handlers())
    app = AsyncApp(
        client=client,  # carries the bot token and SLACK_API_URL
        signing_secret=settings.slack_signing_secret,
        logger=logging.getLogger("salesbot.bolt"),
        # Each listener acks first and works after, so Slack's three seconds are never at risk.
        process_before_response=False,
    )
    register_all(app, deps)
    return app
