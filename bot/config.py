"""Configuration from the environment (documented in the README)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"
# The bot scopes the app asks for when a workspace installs it; manifest.yml declares the same.
SCOPES = [
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "channels:history",
    "groups:history",
    "files:write",
    "users:read",
    "users:read.email",  # owners of an imported file, by e-mail (users.lookupByEmail)
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""  # set: Socket Mode instead of HTTP
    slack_client_id: str = ""  # with the secret: many workspaces, installed through OAuth
    slack_client_secret: str = ""
    slack_authorize_url: str = "https://slack.com/oauth/v2/authorize"
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str = "sqlite:///salesbot.db"
    port: int = 3000
    salesbot_scheduler: bool = Field(default=True)
    # Fernet keys for the tokens of installed workspaces, comma-separated (bot/token_cipher.py).
    salesbot_encryption_keys: str = ""

    @property
    def multi_workspace(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def api_url(self) -> str:
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"
