"""What the app's parts share: the database, the clock, who speaks what, and (once the app is
built) the installation store and a Web API client per workspace. Handlers, the scheduler and the CLI all
take it from here, so none of them needs another's module."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.db import Database
from bot.post_ack import PostAck
from domain.throttle import Throttle
from services.languages import Languages

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
    from slack_sdk.web.async_client import AsyncWebClient


def utcnow() -> datetime:
    """The real clock; tests and `--as-of` pass their own."""
    return datetime.now(UTC)


@dataclass
class RatesFeed:
    """Where the exchange rates come from, and when this process last read them (scheduler/rates.py)."""

    source: str
    read_at: datetime | None = None


@dataclass
class Deps:
    db: Database
    clock: Callable[[], datetime] = utcnow
    languages: Languages = field(init=False)  # who speaks what, remembered for a few minutes
    installations: AsyncInstallationStore | None = None  # with many workspaces
    # A rep chatting with the bot outside a qualification hears the hint once per half hour.
    hints: Throttle = field(default_factory=lambda: Throttle(timedelta(minutes=30)))
    # Housekeeping that need not run every tick (scheduler/housekeeping.py), four times a day.
    chores: Throttle = field(default_factory=lambda: Throttle(timedelta(hours=6)))
    client_for: Callable[[str], Awaitable[AsyncWebClient | None]] | None = None  # set by bot.app.build_app
    # An uninstalled workspace's data is kept this long, for a reinstall (SALESBOT_RETENTION_DAYS).
    retention: timedelta = timedelta(days=30)
    rates_feed: RatesFeed | None = None  # the ECB feed to read (SALESBOT_ECB_URL), if any
    # Listeners' work after their ack, in turns (SALESBOT_POST_ACK_WORKERS, _LIMIT).
    post_ack: PostAck = field(default_factory=PostAck)

    def __post_init__(self) -> None:
        # Through a lambda, so a clock swapped in later (a test's fixed_now) is the one it reads.
        self.languages = Languages(self.db, lambda: self.clock())
