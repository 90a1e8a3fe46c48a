"""What a team and its people set beside their deals: which DMs each wants, goals, exchange rates.

Like every table, their rows belong to one Slack workspace (``team_id``; the ECB's shared rates: "").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class NotifyPreference(SQLModel, table=True):
    """Which DMs a person wants (migration 0026; domain/preferences.py). No row: every DM, one by one."""

    __tablename__ = "notify_preference"

    team_id: str = Field(primary_key=True, foreign_key="team.id", max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    nudges: bool = Field(default=True)
    reminders: bool = Field(default=True)
    summary: str = Field(default="off", max_length=10)  # off, daily
    updated_at: datetime


class Goal(SQLModel, table=True):
    """A won-amount goal for a rep (or the team: user_id "") over a month or a quarter (migration 0022).
    `announced` is the highest threshold (50, 90, 100) already told, so each is told once."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "period", "starts", name="uq_goal_period"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    user_id: str = Field(max_length=32)
    period: str = Field(max_length=10)  # month, quarter
    starts: date  # the period's first day, on the team's calendar
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(max_length=3)
    deal_count: int | None = None  # optionally, a number of deals won too
    set_by: str = Field(max_length=32)
    set_at: datetime
    announced: int = Field(default=0)


class ExchangeRate(SQLModel, table=True):
    """1 `currency` = `rate` `base` from `day` on (domain/rates.py; migration 0023). A team's own
    rates carry its id; the ECB feed's, shared by every team, carry "" (no team row, so no foreign key)."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("team_id", "currency", "base", "day", name="uq_exchange_rate"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    currency: str = Field(max_length=3)
    base: str = Field(max_length=3)
    day: date
    rate: str = Field(max_length=40)  # a Decimal's exact text
    set_by: str = Field(max_length=32)  # a user id, or "ecb"
    set_at: datetime
