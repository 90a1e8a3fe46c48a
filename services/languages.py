"""Which language to answer a request in: the user's own choice (`/deal language`), else their
Slack locale, else the team's language.

Profiles come from users.info through services.users (cached in the database for a day) and are
kept in memory for a few minutes, so a request costs no query. A user not in memory is looked up
after the request is acked (handlers.common.settle_after_ack), never before: the ack never waits on
Slack. A user Slack takes longer than that wait (handlers.common.ACKED_WAIT) to describe is answered
in the team's language.
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


class Languages:
    """Who speaks what, remembered for a few minutes."""

    def __init__(self, db: Database, clock: Callable[[], datetime]):
        self.db, self.clock = db, clock
        self._known: dict[tuple[str, str], tuple[str | None, float]] = {}
        self._teams: dict[str, tuple[tuple[str | None, bool], float]] = {}
        self._fetching: dict[tuple[str, str], asyncio.Future] = {}

    def known(self, team: str, user: str) -> str | None:
        """The user's own language if it is in memory: no query, no Slack."""
        known = self._known.get((team, user))
        return known[0] if known and known[1] > time.monotonic() else None

    async def of_user(self, team: str, user: str, client, wait: float) -> str | None:
        key = (team, user)
        known = self._known.get(key)
        if known is None or known[1] <= time.monotonic():
            if key not in self._fetching:
                self._fetching[key] = asyncio.ensure_future(self._fetch(key, client))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._fetching[key]), wait)
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
        return (await self._team(team))[0]

    async def formal(self, team: str) -> bool:
        """Whether the team chose formal address ("Sie", "u")."""
        return (await self._team(team))[1]

    async def _team(self, team: str) -> tuple[str | None, bool]:
        known = self._teams.get(team)
        if known and known[1] > time.monotonic():
            return known[0]
        found = await self.db.run(_team_language, self.db, team)
        self._teams[team] = (found, time.monotonic() + MEMORY_TTL)
        return found


def _team_language(db, team: str) -> tuple[str | None, bool]:
    with db.read() as s:
        row = s.get(Team, team)
        return (row.language, row.formal) if row else (None, False)
