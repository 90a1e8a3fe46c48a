"""Which language to speak to someone in: their own choice (`/deal language`), else their Slack
locale, else the team's language.

Profiles come from users.info through services.users (cached in the database for a day) and are
kept in memory for a few minutes, so a request costs no query; a user not seen before is answered
in the team's language if Slack takes longer than half a second to say who they are, so the ack
never waits long on Slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime

from bot.db import Database
from bot.i18n import language_of
from models.tables import Team
from services.users import profile

log = logging.getLogger(__name__)

MEMORY_TTL = 300.0  # seconds
FIRST_LOOKUP_WAIT = 0.5  # seconds


class Languages:
    """Who speaks what, remembered for a few minutes."""

    def __init__(self, db: Database, clock: Callable[[], datetime]):
        self.db, self.clock = db, clock
        self._known: dict[tuple[str, str], tuple[str | None, float]] = {}
        self._teams: dict[str, tuple[str | None, float]] = {}
        self._fetching: dict[tuple[str, str], asyncio.Future] = {}

    async def of_user(self, team: str, user: str, client) -> str | None:
        key = (team, user)
        known = self._known.get(key)
        if known is None or known[1] <= time.monotonic():
            if key not in self._fetching:
                self._fetching[key] = asyncio.ensure_future(self._fetch(key, client))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._fetching[key]), FIRST_LOOKUP_WAIT)
            known = self._known.get(key, known)
        return (known[0] if known else None) or await self.of_team(team)

    async def _fetch(self, key: tuple[str, str], client) -> None:
        try:
            found = await profile(self.db, client, key[0], key[1], self.clock())
            self.remember(key, found.language or language_of(found.locale))
        except Exception as exc:
            log.info("no profile for %s: %r", key, exc)
        finally:
            self._fetching.pop(key, None)

    def remember(self, key: tuple[str, str], language: str | None) -> None:
        self._known[key] = (language, time.monotonic() + MEMORY_TTL)

    def forget_team(self, team: str) -> None:
        self._teams.pop(team, None)

    async def of_team(self, team: str) -> str | None:
        known = self._teams.get(team)
        if known and known[1] > time.monotonic():
            return known[0]
        language = await self.db.run(_team_language, self.db, team)
        self._teams[team] = (language, time.monotonic() + MEMORY_TTL)
        return language


def _team_language(db, team: str) -> str | None:
    with db.read() as s:
        row = s.get(Team, team)
        return row.language if row else None
