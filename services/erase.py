"""`salesbot erase-user`: a person's data in one team, counted or erased (models/erase.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from bot.db import Database
from domain.slack_ids import is_slack_id
from models import erase as erasing
from models.tables import Team


@dataclass(frozen=True)
class Erased:
    """What erasing one person did (or, in a dry run, would do)."""

    user_id: str
    counts: dict[str, int]
    open_deals: int  # left with them: `salesbot reassign` or `/deal reassign` moves them


class BadErase(ValueError):
    """The request is wrong; nothing was changed."""


def check(db: Database, team_id: str, user_ids: list[str]) -> None:
    if not user_ids:
        raise BadErase("Name at least one user id (U…) to erase.")
    bad = [u for u in user_ids if not is_slack_id(u)]
    if bad:
        raise BadErase(f"Not a Slack user id: {', '.join(repr(u) for u in bad)} (they look like U0123ABCD).")
    with db.read() as s:
        if s.get(Team, team_id) is None:
            known = ", ".join(sorted(s.exec(select(Team.id)))) or "none yet"
            raise BadErase(f"There is no team {team_id} in this database. Teams: {known}.")


def erase_users(db: Database, team_id: str, user_ids: list[str], dry_run: bool) -> list[Erased]:
    """Check the request, then erase every user in one transaction (a dry run only counts): either all
    of them are erased or, on an error, none."""
    check(db, team_id, user_ids)
    done = []
    with db.read() if dry_run else db.write() as s:
        for user in dict.fromkeys(user_ids):  # a user named twice is erased once
            counts = erasing.count(s, team_id, user) if dry_run else erasing.erase(s, team_id, user)
            done.append(Erased(user, counts, erasing.open_deals(s, team_id, user)))
    return done
