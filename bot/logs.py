"""Logging: LOG_LEVEL, LOG_FORMAT (text or one JSON object per line), the request's context on every
line, and a redaction filter that keeps tokens, secrets and response_url paths out of every log.

The filter sits on the root logger's handler, so it sees every record that is written anywhere,
slack_sdk's DEBUG lines too (they print request bodies and headers: Authorization, and for
oauth.v2.access the client secret, the code and the tokens in the answer).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

# Slack's token kinds: bot, user, app-level, refresh, config, workflow.
TOKEN = re.compile(r"\bx(?:oxb|oxp|oxa|oxe|oxr|oxs|app)-[A-Za-z0-9-]+")
# response_url and webhook paths are bearer capabilities: keep the host, drop the path. Slack's are
# hooks.slack.com/commands|actions|services|workflows/...; the local Slack's are /respond/<key>.
HOOK = re.compile(r"(https?://[^/\s'\"]+)/(?:commands|actions|services|workflows|respond)/[^\s'\"]*")
# key=value and "key": "value" pairs whose value is a secret, in query strings, form bodies, dicts, JSON
# (and in Bolt's parsed query strings, where the value is a one-item list).
PAIR = re.compile(
    r"""(?P<key>["']?(?:client_secret|code|token|access_token|refresh_token|bot_token|app_token|"""
    r"""signing_secret|authorization|password|state)["']?\s*(?:=|:)\s*\[?["']?)"""
    r"""(?P<value>(?:Bearer\s+)?[^\s&,'"}\]]+)""",
    re.IGNORECASE,
)
# user:password@ in database URLs.
URL_PASSWORD = re.compile(r"(://[^:/\s@]+:)[^@\s]+@")
MASK = "***"


@dataclass
class RequestContext:
    """What the log lines of one request carry; set by the HTTP access middleware."""

    request_id: str
    kind: str = ""
    team: str = ""
    user: str = ""
    extra: dict = field(default_factory=dict)


current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("request", default=None)


class Redact(logging.Filter):
    """Masks tokens, secrets, response_url paths and database passwords in each record's text."""

    def __init__(self, secrets: list[str] | None = None):
        super().__init__()
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted({s for s in secrets or [] if len(s) >= 4}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = TOKEN.sub(MASK, text)
        text = HOOK.sub(r"\1/" + MASK, text)
        text = PAIR.sub(lambda m: m.group("key") + MASK, text)
        return URL_PASSWORD.sub(r"\1" + MASK + "@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = self.scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        context = current.get()
        record.request_id = context.request_id if context else ""
        record.team = context.team if context else ""
        record.user = context.user if context else ""
        record.kind = context.kind if context else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; access lines add kind, duration and outcome."""

    FIELDS = ("request_id", "team", "user", "kind", "duration_ms", "outcome", "status", "path")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, "")
            if value not in ("", None):
                entry[name] = value
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", "")
        return f"{line} [{request_id}]" if request_id and "\n" not in line else line


def setup(
    level: str = "INFO", fmt: str = "text", secrets: list[str] | None = None, stream: TextIO | None = None
):
    """Replace the root logger's handlers with one that redacts, in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(Redact(secrets))
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Their DEBUG lines say nothing about the bot (matplotlib lists every font it scans), nor do
    # Alembic's seven "setup plugin" lines at INFO on every start.
    for noisy in ("asyncio", "matplotlib"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, root.level))
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, root.level))
    return handler
