"""What Slack sent that was acted on once, and what the bot sends once: processed events, the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ProcessedEvent(SQLModel, table=True):
    """Event ids already handled, so that Slack's retries have one effect."""

    __tablename__ = "processed_event"

    team_id: str = Field(primary_key=True, max_length=32)
    event_id: str = Field(primary_key=True, max_length=64)
    at: datetime = Field(index=True)


class Outbox(SQLModel, table=True):
    """A message to send once: claimed, sent and recorded (models/outbox.py), sent by scheduler/outbox.py."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("team_id", "key", name="uq_outbox_team_key"),
        Index("ix_outbox_due", "status", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=200)  # what makes it unique: "nudge:U123:2026-11-24", "digest:2026-W48" ...
    kind: str = Field(max_length=20)
    channel: str = Field(max_length=32)  # a channel id, or a user id for a DM
    payload: str = Field(
        sa_column=Column(Text, nullable=False)
    )  # JSON: text, blocks, and an optional fallback
    # pending, sending, sent, dead; held (waits for its person's daily summary), folded (told inside
    # another message: the summary, an owner's list of overdue steps), muted (its person turned it off)
    status: str = Field(default="pending", max_length=10)
    not_before: datetime
    attempts: int = Field(default=0)
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = None
    sent_ts: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime
