"""Every setting, from the environment and from `.env` (the README lists them with their defaults).

A bad value is reported as one line naming the variable (`explain`), so an operator who typed
PORT=abc reads "PORT: ..." rather than pydantic's traceback.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationError, field_validator
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
    "channels:read",  # whether the bot is in the team and digest channels (conversations.info)
    "groups:read",
    "channels:join",  # and joins a public one itself (conversations.join)
]
# Masked by `salesbot config` and by the log redaction filter.
SECRET_FIELDS = (
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "slack_client_secret",
    "salesbot_encryption_keys",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="", env_file=".env", extra="ignore", populate_by_name=True, validate_assignment=True
    )

    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""  # set: Socket Mode instead of HTTP
    slack_client_id: str = ""  # with the secret: many workspaces, installed through OAuth
    slack_client_secret: str = ""
    slack_authorize_url: str = "https://slack.com/oauth/v2/authorize"
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str = "sqlite:///salesbot.db"
    host: str = "0.0.0.0"
    port: int = Field(default=3000, ge=0, le=65535)
    # Socket Mode and `salesbot scheduler` have no HTTP server of their own: health and metrics here.
    health_port: int = Field(default=3001, ge=0, le=65535)
    salesbot_scheduler: bool = True
    salesbot_scheduler_interval: float = Field(default=60.0, gt=0, le=3600)
    # Socket Mode reconnects: the first wait, doubling per attempt up to 60 s, with full jitter.
    salesbot_reconnect_base: float = Field(default=1.0, gt=0, le=60)
    salesbot_db_threads: int = Field(default=4, ge=1, le=64)
    # How long an uninstalled workspace's data is kept for a reinstall (docs/privacy.md).
    salesbot_retention_days: int = Field(default=30, ge=0, le=3650)
    # Listeners working after their ack at once, and how many may wait before a rep is told to retry.
    salesbot_post_ack_workers: int = Field(default=4, ge=1, le=256)
    salesbot_post_ack_limit: int = Field(default=200, ge=1, le=100_000)
    # The ECB's reference rates (eurofxref-daily.xml, or a file of that format), read every 6 hours.
    salesbot_ecb_url: str = ""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Fernet keys for the tokens of installed workspaces, comma-separated (bot/token_cipher.py).
    salesbot_encryption_keys: str = ""

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case_insensitive(cls, value: object, info) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must start with xoxb- (the Bot User OAuth Token)")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str) -> str:
        if value and not value.startswith("xapp-"):
            raise ValueError("must start with xapp- (an app-level token)")
        return value

    @field_validator("slack_api_url", "slack_authorize_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgres://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must be sqlite:///path.db or postgresql://user@host/db")
        return value

    @property
    def multi_workspace(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def api_url(self) -> str:
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"

    def secrets(self) -> list[str]:
        """The secret values that are set, for the log redaction filter."""
        values = [getattr(self, name) for name in SECRET_FIELDS]
        return [part.strip() for value in values for part in value.split(",") if part.strip()]

    def effective(self) -> list[tuple[str, str]]:
        """(VARIABLE, value) for every setting, secrets masked: what `salesbot config` prints."""
        rows = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in SECRET_FIELDS:
                shown = mask(value)
            elif name == "database_url":
                shown = mask_url(value)
            else:
                shown = str(value).lower() if isinstance(value, bool) else str(value) or "(unset)"
            rows.append((name.upper(), shown))
        return rows


def mask(secret: str) -> str:
    if not secret:
        return "(unset)"
    prefix = secret[:5] if secret.startswith(("xoxb-", "xapp-")) else ""
    return f"{prefix}… (set, {len(secret)} characters)"


def mask_url(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported by its validator; show nothing of it
        return "(unreadable)"


def load() -> Settings:
    """The settings, or ConfigError with one line per bad value."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(explain(exc)) from None


class ConfigError(Exception):
    """A setting is wrong; the message names it, one line per problem."""


def explain(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        given = error.get("input")
        if name.lower() in SECRET_FIELDS or isinstance(given, dict):
            shown = ""  # never echo a secret, even a malformed one
        elif name == "DATABASE_URL":
            shown = f" (got {mask_url(str(given))!r})"
        else:
            shown = f" (got {given!r})"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{name}: {message}{shown}")
    return "\n".join(lines)
