"""A deal's BANT qualification (docs/bant.md): the conversation, and its answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Qualification(SQLModel, table=True):
    """A deal's BANT qualification, and where its conversation stands: kept here, not in memory,
    so that a restarted bot picks the conversation up where it was."""

    __tablename__ = "qualification"
    __table_args__ = (
        UniqueConstraint("team_id", "deal_id", name="uq_qualification_team_deal"),
        # A rep has one active conversation: their typed answers go to it.
        Index(
            "uq_qualification_active_owner",
            "team_id",
            "owner_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    # NULL once the deal is deleted: the conversation then ends politely instead of vanishing.
    deal_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("deal.id", ondelete="SET NULL"), nullable=True)
    )
    deal_number: int  # to name the deal after it is gone
    owner_id: str = Field(max_length=32)  # the rep who is asked: the deal's owner when it started
    status: str = Field(default="active", max_length=10)  # active, paused, stopped, done, ended
    asking: str | None = Field(default=None, max_length=10)  # budget, authority, need, timeline
    follow_up: str | None = Field(default=None, max_length=40)  # a question asked back about `asking`
    channel_id: str | None = Field(default=None, max_length=32)  # the DM where it runs
    question_ts: str | None = Field(default=None, max_length=32)  # the open question's message
    # Bumped on every step: a question posted after the conversation moved on is closed at once.
    turn: int = Field(default=0)
    started_by: str = Field(max_length=32)
    started_at: datetime
    updated_at: datetime


class QualificationAnswer(SQLModel, table=True):
    """One answer of a qualification: who gave it, when, and the rep's own words as evidence."""

    __tablename__ = "qualification_answer"
    __table_args__ = (
        UniqueConstraint("qualification_id", "question", name="uq_qualification_answer_question"),
        Index("ix_qualification_answer_team", "team_id", "question", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    qualification_id: int = Field(
        sa_column=Column(Integer, ForeignKey("qualification.id", ondelete="CASCADE"), nullable=False)
    )
    question: str = Field(max_length=10)
    status: str = Field(max_length=16)  # see domain.bant.score.Answer; "skipped"
    min_cents: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    max_cents: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    currency: str | None = Field(default=None, max_length=3)
    on_date: date | None = None  # budget: when it becomes available; timeline: the target date
    who: str | None = Field(default=None, max_length=200)
    evidence: str = Field(default="", max_length=2000)
    answered_by: str = Field(max_length=32)
    answered_at: datetime
