"""A person's data in one team, found and erased (docs/privacy.md, "How to remove a person's data").

The team's records stay and still add up: who wrote a note, moved a deal or answered a question is
replaced by ERASED; what only the person typed (BANT evidence, a snooze reason) is cleared; the rows
that are only about them (the profile cache, messages still waiting for them) are deleted. Deals they
own are counted, not moved: reassigning is a separate command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Delete, Update, delete, func, select, update
from sqlmodel import Session, col

from models.delivery_tables import Outbox
from models.qualification_tables import Qualification, QualificationAnswer
from models.settings_tables import ExchangeRate, Goal, NotifyPreference
from models.tables import Deal, DealNote, DealNudge, OwnerChange, SlackUser, StageChange

ERASED = "erased"  # not a Slack id (lower case), so it can never be mistaken for a person


@dataclass(frozen=True)
class Kind:
    """One kind of a person's data: the rows it is in, and what erasing does to them."""

    name: str
    table: Any
    where: Any  # (team_id, user_id) -> SQL condition
    values: dict[str, Any] | None  # None: the rows are deleted


KINDS = (
    Kind(
        "notes", DealNote, lambda t, u: (DealNote.team_id == t) & (DealNote.user_id == u), {"user_id": ERASED}
    ),
    Kind(
        "deals created",
        Deal,
        lambda t, u: (Deal.team_id == t) & (Deal.created_by == u),
        {"created_by": ERASED},
    ),
    Kind(
        "stage changes",
        StageChange,
        lambda t, u: (StageChange.team_id == t) & (StageChange.user_id == u),
        {"user_id": ERASED},
    ),
    Kind(
        "snoozes",
        DealNudge,
        lambda t, u: (DealNudge.team_id == t) & (DealNudge.snoozed_by == u),
        {"snoozed_by": ERASED, "snooze_reason": None},
    ),
    Kind(
        "qualifications started",
        Qualification,
        lambda t, u: (Qualification.team_id == t) & (Qualification.started_by == u),
        {"started_by": ERASED},
    ),
    Kind(
        "BANT answers",
        QualificationAnswer,
        lambda t, u: (QualificationAnswer.team_id == t) & (QualificationAnswer.answered_by == u),
        {"answered_by": ERASED, "evidence": ""},
    ),
    Kind("goals", Goal, lambda t, u: (Goal.team_id == t) & (Goal.user_id == u), None),  # their targets
    Kind("goals set", Goal, lambda t, u: (Goal.team_id == t) & (Goal.set_by == u), {"set_by": ERASED}),
    Kind(
        "exchange rates set",
        ExchangeRate,
        lambda t, u: (ExchangeRate.team_id == t) & (ExchangeRate.set_by == u),
        {"set_by": ERASED},
    ),
    Kind(
        "profile and language",
        SlackUser,
        lambda t, u: (SlackUser.team_id == t) & (SlackUser.user_id == u),
        None,
    ),
    Kind(
        "DM choices",
        NotifyPreference,
        lambda t, u: (NotifyPreference.team_id == t) & (NotifyPreference.user_id == u),
        None,
    ),
    # Only what still waits (held: for their daily summary): a sent row's key is what keeps the same
    # message from going out twice.
    Kind(
        "pending messages",
        Outbox,
        lambda t, u: (
            (Outbox.team_id == t) & (Outbox.channel == u) & col(Outbox.status).in_(("pending", "held"))
        ),
        None,
    ),
    # Who a deal was taken from, given to, and by whom: the change stays, the names go.
    *(
        Kind(
            f"owner changes ({column.removesuffix('_user')})",
            OwnerChange,
            lambda t, u, c=column: (OwnerChange.team_id == t) & (getattr(OwnerChange, c) == u),
            {column: ERASED},
        )
        for column in ("from_user", "to_user", "by_user")
    ),
)


def count(session: Session, team_id: str, user_id: str) -> dict[str, int]:
    """How many rows of each kind hold the person's data; nothing changes."""
    return {
        kind.name: session.execute(
            select(func.count()).select_from(kind.table).where(kind.where(team_id, user_id))
        ).scalar_one()
        for kind in KINDS
    }


def erase(session: Session, team_id: str, user_id: str) -> dict[str, int]:
    """Erase the person's data; how many rows of each kind changed (the same numbers `count` gives)."""
    counts: dict[str, int] = {}
    for kind in KINDS:
        condition = kind.where(team_id, user_id)
        statement: Delete | Update = (
            delete(kind.table).where(condition)
            if kind.values is None
            else update(kind.table).where(condition).values(**kind.values)
        )
        counts[kind.name] = session.execute(statement).rowcount  # type: ignore[attr-defined]
    return counts


def open_deals(session: Session, team_id: str, user_id: str) -> int:
    """The person's open deals, which erasing leaves with them: someone must take them over."""
    query = select(func.count()).where(
        col(Deal.team_id) == team_id, col(Deal.owner_id) == user_id, col(Deal.closed_at).is_(None)
    )
    return session.execute(query).scalar_one()
