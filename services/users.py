"""Who a Slack user is (timezone, locale, admin, still there), from users.info, cached for a day."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.db import Database
from bot.i18n import Translator, language_of, translator
from models.tables import SlackUser, Team

log = logging.getLogger(__name__)

TTL = timedelta(days=1)
GONE = {"user_not_found", "account_inactive", "user_disabled"}


@dataclass(frozen=True)
class Profile:
    team_id: str
    user_id: str
    name: str
    tz: str
    locale: str
    language: str | None
    is_admin: bool
    deleted: bool


def speaks(profile: Profile | None, team_language: str | None) -> str | None:
    """The language to write to someone in: their own choice (`/deal language`), else their Slack
    locale's if we speak it, else the team's. The same order as a request's (handlers/language.py)."""
    if profile is not None and (profile.language or language_of(profile.locale)):
        return profile.language or language_of(profile.locale)
    return team_language


def as_profile(row: SlackUser) -> Profile:
    return Profile(
        row.team_id, row.user_id, row.name, row.tz, row.locale, row.language, row.is_admin, row.deleted
    )


def writing_to(session: Session, team: Team, user_id: str) -> Translator:
    """The translator for a DM to someone, from what is known of them (the scheduler asks Slack nothing)."""
    row = session.get(SlackUser, (team.id, user_id))
    return translator(speaks(as_profile(row) if row else None, team.language), team.formal)


def cached(db: Database, team_id: str, user_id: str) -> SlackUser | None:
    with db.read() as s:
        return s.get(SlackUser, (team_id, user_id))


def _fill(row: SlackUser, info: dict | None, now: datetime) -> SlackUser:
    if info is None:
        row.deleted = True
    else:
        row.name = (info.get("real_name") or info.get("name") or "")[:120]
        row.tz = info.get("tz") or row.tz
        row.locale = info.get("locale") or row.locale
        row.is_admin = bool(info.get("is_admin") or info.get("is_owner"))
        row.deleted = bool(info.get("deleted"))
    row.fetched_at = now
    return row


def store(db: Database, team_id: str, user_id: str, info: dict | None, now: datetime) -> Profile:
    try:
        return _store(db, team_id, user_id, info, now)
    except IntegrityError:
        # Another lookup of the same new user inserted the row first (two sweeps, two replicas): update it.
        return _store(db, team_id, user_id, info, now)


def _store(db: Database, team_id: str, user_id: str, info: dict | None, now: datetime) -> Profile:
    with db.write() as s:
        row = s.get(SlackUser, (team_id, user_id)) or SlackUser(
            team_id=team_id, user_id=user_id, fetched_at=now
        )
        s.add(_fill(row, info, now))
        return as_profile(row)


async def profile(
    db: Database, client, team_id: str, user_id: str, now: datetime, fresh: bool = False, save: bool = True
) -> Profile:
    """The user's profile; asks Slack when the cached one is older than a day (or `fresh`).
    save=False leaves the cache as it is (a dry run records nothing)."""
    row = await db.run(cached, db, team_id, user_id)
    if row is not None and not fresh and now - row.fetched_at < TTL:
        return as_profile(row)
    try:
        info = (await client.users_info(user=user_id, include_locale=True))["user"]
    except SlackApiError as exc:
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        if data.get("error") not in GONE:
            if row is not None:  # Slack is having a moment; yesterday's answer beats none
                return as_profile(row)
            raise
        info = None
    if not save:
        blank = SlackUser(team_id=team_id, user_id=user_id, fetched_at=now)
        return as_profile(_fill(row.model_copy() if row is not None else blank, info, now))
    return await db.run(store, db, team_id, user_id, info, now)


async def profiles(
    db: Database,
    client,
    team_id: str,
    user_ids: Iterable[str],
    now: datetime,
    *,
    lanes: int,
    save: bool,
    waits: str,
) -> dict[str, Profile]:
    """The profiles of these users, `lanes` users.info calls in flight at once (one after another, a team
    with a thousand owners waited a thousand round trips, and each 429's Retry-After in turn). Whoever
    cannot be looked up is logged, with `waits` (what waits for them), and left out, for the next sweep."""
    semaphore = asyncio.Semaphore(lanes)

    async def look_up(user: str) -> tuple[str, Profile | None]:
        async with semaphore:
            try:
                return user, await profile(db, client, team_id, user, now, save=save)
            except Exception as exc:
                log.warning("team %s: could not look up %s (%r); %s", team_id, user, exc, waits)
                return user, None

    found = await asyncio.gather(*(look_up(user) for user in user_ids))
    return {user: found_profile for user, found_profile in found if found_profile is not None}


def set_language(db: Database, team_id: str, user_id: str, language: str | None, now: datetime) -> None:
    with db.write() as s:
        row = s.get(SlackUser, (team_id, user_id)) or SlackUser(
            team_id=team_id, user_id=user_id, fetched_at=now - TTL
        )
        row.language = language
        s.add(row)
