"""What `salesbot serve` checks before it listens: a wrong token or a missing key is one clear line
at start, not a generic apology to every rep later."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.token_cipher import CipherError, TokenCipher

# auth.test's answers for a token Slack will not take (https://api.slack.com/methods/auth.test).
REFUSED = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "not_allowed_token_type",
}


async def token_problem(settings: Settings) -> str | None:
    """In one-workspace mode, whether Slack takes SLACK_BOT_TOKEN (auth.test); None when it does, or
    when Slack cannot be reached (then the bot starts, and says so when it answers)."""
    if settings.multi_workspace or not settings.slack_bot_token:
        return None
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.api_url, timeout=10)
    try:
        await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in REFUSED:
            return (
                f"Slack refuses SLACK_BOT_TOKEN ({error}): set it to the app's Bot User OAuth Token "
                "(xoxb-…, under OAuth & Permissions) and reinstall the app if it was revoked."
            )
        return None
    except (aiohttp.ClientError, TimeoutError):
        return None
    return None


def key_problem(settings: Settings) -> str | None:
    """In many-workspace mode, installations' tokens are encrypted: the keys must be there and valid."""
    if not settings.multi_workspace:
        return None
    try:
        TokenCipher(settings.salesbot_encryption_keys)
    except CipherError as exc:
        return f"{exc} (see README, Configuration): installed workspaces' tokens are encrypted with it."
    return None
