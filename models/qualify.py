"""BANT qualifications: the conversation's row, its answers, and the queries other features use.

Every query is scoped by team. Each function runs inside the caller's session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, distinct, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from domain.bant import QUESTIONS, SKIPPED, Answer, Score, score
from models.qualification_tables import Qualification, QualificationAnswer
from models.tables import saved_id

ACTIVE = "active"


def complete_qualification_deal_ids(team_id: str) -> SelectOfScalar[int | None]:
    """SELECT of the ids of the team's deals with a complete BANT qualification: all four
    questions answered and none skipped ("not sure" is an answer). Whatever the verdict, and
    whatever the deal's stage: join it with your own deal query, e.g.
    ``select(func.count()).select_from(Deal).where(Deal.id.in_(complete_qualification_deal_ids(t)), ...)``.

    SQL: SELECT q.deal_id FROM qualification q JOIN qualification_answer a ON a.qualification_id = q.id
         WHERE q.team_id = :team AND q.deal_id IS NOT NULL AND a.status <> 'skipped'
         GROUP BY q.deal_id HAVING count(DISTINCT a.question) = 4
    """
    return (
        select(col(Qualification.deal_id))
        .join(QualificationAnswer, col(QualificationAnswer.qualification_id) == col(Qualification.id))
        .where(
            Qualification.team_id == team_id,
            col(Qualification.deal_id).is_not(None),
            QualificationAnswer.status != SKIPPED,
        )
        .group_by(col(Qualification.deal_id))
        .having(func.count(distinct(col(QualificationAnswer.question))) == len(QUESTIONS))
    )


def qualified_deal_ids(session: Session, team_id: str) -> set[int]:
    """The ids of the team's deals with a complete BANT qualification (see above)."""
    # The query leaves out NULL deal ids; the filter only tells the type checker so.
    return {d for d in session.exec(complete_qualification_deal_ids(team_id)) if d is not None}


def locked(query):
    """FOR UPDATE, and the row as it is once the lock is ours: without populate_existing, a row this
    session read before keeps its old values, and two quick messages would both act on the same step."""
    return query.with_for_update().execution_options(populate_existing=True)


def get(session: Session, team_id: str, qid: int, lock: bool = False) -> Qualification | None:
    query = select(Qualification).where(Qualification.team_id == team_id, Qualification.id == qid)
    return session.exec(locked(query) if lock else query).first()


def for_deal(session: Session, team_id: str, deal_id: int, lock: bool = False) -> Qualification | None:
    query = select(Qualification).where(Qualification.team_id == team_id, Qualification.deal_id == deal_id)
    return session.exec(locked(query) if lock else query).first()


def active_for(session: Session, team_id: str, owner_id: str, lock: bool = False) -> Qualification | None:
    query = select(Qualification).where(
        Qualification.team_id == team_id, Qualification.owner_id == owner_id, Qualification.status == ACTIVE
    )
    return session.exec(locked(query) if lock else query).first()


def active_in_channel(session: Session, team_id: str, channel_id: str) -> Qualification | None:
    query = select(Qualification).where(
        Qualification.team_id == team_id,
        Qualification.channel_id == channel_id,
        Qualification.status == ACTIVE,
    )
    return session.exec(query).first()


def _as_answer(row: QualificationAnswer) -> Answer:
    return Answer(
        row.question,
        row.status,
        row.min_cents,
        row.max_cents,
        row.currency,
        row.on_date,
        row.who,
        row.evidence,
        row.answered_at.date(),
        row.answered_by,
    )


def answers(session: Session, qualification_id: int) -> dict[str, Answer]:
    rows = session.exec(
        select(QualificationAnswer).where(QualificationAnswer.qualification_id == qualification_id)
    )
    return {r.question: _as_answer(r) for r in rows}


def store(session: Session, qual: Qualification, answer: Answer, user_id: str, now: datetime) -> None:
    """Write an answer over the question's older one, with who gave it and when."""
    row = session.exec(
        select(QualificationAnswer).where(
            QualificationAnswer.qualification_id == qual.id, QualificationAnswer.question == answer.question
        )
    ).first()
    if row is None:
        row = QualificationAnswer(
            team_id=qual.team_id,
            qualification_id=saved_id(qual),
            question=answer.question,
            status=answer.status,
            answered_by=user_id,
            answered_at=now,
        )
    row.status, row.min_cents, row.max_cents = answer.status, answer.min_cents, answer.max_cents
    row.currency, row.on_date, row.who, row.evidence = (
        answer.currency,
        answer.on_date,
        answer.who,
        answer.evidence,
    )
    row.answered_by, row.answered_at = user_id, now
    session.add(row)


def clear(session: Session, qual: Qualification) -> None:
    for row in session.exec(
        select(QualificationAnswer).where(QualificationAnswer.qualification_id == qual.id)
    ):
        session.delete(row)
    session.flush()


@dataclass(frozen=True)
class Snapshot:
    """What a deal card and the Home tab show of a qualification."""

    number: int
    status: str
    asking: str | None
    answers: dict[str, Answer]
    score: Score


# Built once, as every card reads it (the deal ids go in as an expanding IN list).
_SNAPSHOTS = (
    select(Qualification, QualificationAnswer)
    .outerjoin(QualificationAnswer, col(QualificationAnswer.qualification_id) == col(Qualification.id))
    .where(
        col(Qualification.team_id) == bindparam("team"),
        col(Qualification.deal_id).in_(bindparam("deals", expanding=True)),
    )
)


def snapshots(session: Session, team_id: str, deal_ids: list[int]) -> dict[int, Snapshot]:
    """The qualifications of these deals with their answers, in one query."""
    if not deal_ids:
        return {}
    found: dict[int, tuple[Qualification, dict[str, Answer]]] = {}
    for qual, row in session.exec(_SNAPSHOTS, params={"team": team_id, "deals": deal_ids}):
        assert qual.deal_id is not None  # the query asks for these deals
        entry = found.setdefault(qual.deal_id, (qual, {}))
        if row is not None:
            entry[1][row.question] = _as_answer(row)
    return {
        deal_id: Snapshot(qual.deal_number, qual.status, qual.asking, given, score(given))
        for deal_id, (qual, given) in found.items()
    }
