"""The workspace and its deals: teams, people, stages, deals and their history, nudge state.

The other tables are named for what they hold: ``models.qualification_tables`` (BANT),
``models.delivery_tables`` (the outbox, the events acted on), ``models.settings_tables`` (goals,
exchange rates, notify preferences); ``models/__init__.py`` imports them all, so that Alembic sees
every table. Every row belongs to one Slack workspace (``team_id``).

Times are timezone-aware UTC datetimes (SQLModel's UTCDateTime; naive UTC inside SQLite).
Amounts are integer minor units (cents), so sums are exact.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel, col

from domain.search import searchable

# Stage kinds: open stages form the pipeline; won and lost close a deal.
OPEN, WON, LOST = "open", "won", "lost"


class _Row(Protocol):
    id: int | None


def saved_id(row: _Row) -> int:
    """The id of a row read from the database or flushed to it. SQLModel types `id` Optional because
    a new row has none until its INSERT; from then on it always has one."""
    assert row.id is not None, f"{type(row).__name__} is not flushed yet"
    return row.id


class Team(SQLModel, table=True):
    __tablename__ = "team"

    id: str = Field(primary_key=True, max_length=32)  # Slack team id
    currency: str = Field(default="EUR", max_length=3)
    language: str = Field(default="en", max_length=5)
    # Address reps formally (German "Sie", Dutch "u") instead of "du"/"je": the formal catalogs.
    formal: bool = Field(default=False)
    # The next per-workspace deal number; bumped in the creating transaction, so no gaps.
    next_deal_number: int = Field(default=1)
    created_at: datetime
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)  # for the digest and team reminders
    channel_id: str | None = Field(default=None, max_length=32)  # the team's sales channel: reminders, digest
    manager_ids: str = Field(default="", max_length=1000)  # comma-separated Slack user ids
    # Nudges go out inside the owner's working hours, in the owner's own timezone.
    work_days: str = Field(default="12345", max_length=7)  # ISO weekdays, 1 = Monday
    work_start: str = Field(default="09:00", max_length=5)
    work_end: str = Field(default="17:00", max_length=5)
    escalation: str = Field(default="channel", max_length=10)  # off, channel, managers
    digest_weekday: int = Field(default=1)  # ISO weekday, 1 = Monday
    digest_time: str = Field(default="09:00", max_length=5)
    digest_channel_id: str | None = Field(default=None, max_length=32)  # None: the team's channel
    # When the workspace uninstalled the app: its rows go SALESBOT_RETENTION_DAYS later (docs/privacy.md).
    uninstalled_at: datetime | None = None
    # Celebrate in the team channel (migration 0026): won deals, and new deals over an amount (None: off).
    announce_won: bool = Field(default=False)
    announce_over_cents: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))

    @property
    def managers(self) -> list[str]:
        """The team's managers' user ids, in the order they were chosen (`manager_ids`, read once here)."""
        return [m.strip() for m in (self.manager_ids or "").split(",") if m.strip()]


class SlackUser(SQLModel, table=True):
    """What users.info told us of a user, kept for a day: timezone, locale, admin, still there."""

    __tablename__ = "slack_user"

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=120)
    tz: str = Field(default="UTC", max_length=64)
    locale: str = Field(default="en-US", max_length=16)
    language: str | None = Field(default=None, max_length=5)  # the rep's own choice, over the locale
    is_admin: bool = Field(default=False)
    deleted: bool = Field(default=False)
    fetched_at: datetime


class Stage(SQLModel, table=True):
    __tablename__ = "stage"
    __table_args__ = (Index("ix_stage_team_position", "team_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    key: str = Field(max_length=40)  # stable key of a default stage ("proposal"), or a custom slug
    name: str = Field(max_length=60)
    position: int
    kind: str = Field(default=OPEN, max_length=8)
    probability: int = Field(default=0)  # win probability in percent
    stall_days: int | None = Field(default=None)  # None: never stalls (won, lost)
    active: bool = Field(default=True)


class LostReason(SQLModel, table=True):
    __tablename__ = "lost_reason"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32, index=True)
    key: str = Field(max_length=40)
    text: str = Field(max_length=100)
    position: int


class Deal(SQLModel, table=True):
    __tablename__ = "deal"
    __table_args__ = (
        UniqueConstraint("team_id", "number", name="uq_deal_team_number"),
        Index("ix_deal_team_stage", "team_id", "stage_id"),
        # A rep's deals newest first (migration 0008): their list and Home tab stop at their limit.
        Index("ix_deal_team_owner", "team_id", "owner_id", "last_activity_at"),
        Index("ix_deal_team_activity", "team_id", "last_activity_at"),
        # A rep's open deals: their /pipeline, and their deals longest past their close date (migration 0028).
        Index("ix_deal_team_owner_stage_close", "team_id", "owner_id", "stage_id", "close_date"),
        # The digest's nurture counts and the nurture sweep: only deals ever nurtured (migration 0029).
        Index(
            "ix_deal_team_nurture",
            "team_id",
            "nurture_state",
            "nurture_on",
            "nurture_at",
            sqlite_where=text("nurture_state IS NOT NULL"),
            postgresql_where=text("nurture_state IS NOT NULL"),
        ),
        # Re-importing a file updates the deals it made (migration 0011).
        Index("uq_deal_team_source", "team_id", "source_id", unique=True),
        # /deal find's LIKE '%word%' (migration 0024): trigrams on PostgreSQL (pg_trgm). SQLite has no
        # index that serves such a LIKE, so there it is an empty partial index, kept for one schema.
        Index(
            "ix_deal_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            sqlite_where=text("0 = 1"),
        ),
        Index(
            "ix_deal_search_log",
            "search_log",
            postgresql_using="gin",
            postgresql_ops={"search_log": "gin_trgm_ops"},
            sqlite_where=text("0 = 1"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    number: int
    name: str = Field(max_length=200)
    company: str | None = Field(default=None, max_length=200)
    amount_cents: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    currency: str = Field(max_length=3)
    stage_id: int = Field(foreign_key="stage.id")
    owner_id: str = Field(max_length=32)
    created_by: str = Field(max_length=32)
    close_date: date | None = None
    notes: str | None = Field(default=None, max_length=3000)
    lost_reason_key: str | None = Field(default=None, max_length=40)  # from the team's list, if chosen
    # the reason as the rep gave it: up to domain.stages.LOST_REASON_MAX (403)
    lost_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None = None
    # Bumped on every change, so a card or modal can tell it is stale.
    version: int = Field(default=1)
    source_id: str | None = Field(default=None, max_length=100)  # its id in the CRM it was imported from
    # What the rep does next and by when (migration 0015); cleared when the step is done.
    next_step: str | None = Field(default=None, max_length=500)
    next_step_due: date | None = None
    # name, company and notes folded for /deal find (domain/search.py; migration 0024), kept by
    # `search_columns` below on every write: the ORM's through the events, bulk writes by calling it.
    search_name: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    search_company: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # The notes logged on it (/deal note), folded, newest first (domain.search.logged): written where
    # a note is added (models.deals.add_note) and by a restore.
    search_log: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # A lost deal to come back to (migration 0025, domain/nurture.py): the day its owner is reminded,
    # and whether it is waiting, dropped or came back, since when.
    nurture_on: date | None = None
    nurture_state: str | None = Field(default=None, max_length=10)
    nurture_at: datetime | None = None
    # Archived deals leave every list and total (not_archived), and stay in the history and the export.
    archived_at: datetime | None = None
    archived_by: str | None = Field(default=None, max_length=32)
    # Bumped each time a new step is set (migration 0026): a step done and set again for the same day
    # is another step, with its own reminder (domain.reminders.reminder_key).
    next_step_seq: int = Field(default=0)


def not_archived():
    """The filter every query of the deals that count uses (lists, Home, search, totals, digest,
    forecast, nudges, reminders): an archived deal is kept, but out of sight until unarchived."""
    return col(Deal.archived_at).is_(None)


def search_columns(name: str | None, company: str | None, notes: str | None) -> dict[str, str]:
    """A deal's search columns for these name, company and notes: what a bulk insert or update of
    those fields (import, restore) writes beside them."""
    folded_name, folded_company = searchable(name), searchable(company)
    everything = " ".join(w for w in (folded_name, folded_company, searchable(notes)) if w)
    return {"search_name": folded_name, "search_company": folded_company, "search_text": everything}


@event.listens_for(Deal, "before_insert")
@event.listens_for(Deal, "before_update")
def _fold_for_search(_mapper, _connection, deal: Deal) -> None:
    # Every ORM write of a deal (create, edit, the CLI, the demo) refolds it: no caller can forget.
    for column, value in search_columns(deal.name, deal.company, deal.notes).items():
        setattr(deal, column, value)


class StageChange(SQLModel, table=True):
    __tablename__ = "stage_change"
    __table_args__ = (
        Index("ix_stage_change_team_at", "team_id", "at"),
        # The digest reads these from the index alone (migration 0005).
        Index("ix_stage_change_team_to_at", "team_id", "to_stage_id", "at", "deal_id"),
        Index("ix_stage_change_deal", "deal_id", "at", "to_stage_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    deal_id: int = Field(foreign_key="deal.id")
    from_stage_id: int | None = Field(default=None, foreign_key="stage.id")  # None: the deal was created
    to_stage_id: int = Field(foreign_key="stage.id")
    user_id: str = Field(max_length=32)
    at: datetime


class OwnerChange(SQLModel, table=True):
    """A deal changing hands (migration 0019): shown on its card, erased with a person's data."""

    __tablename__ = "owner_change"
    __table_args__ = (Index("ix_owner_change_deal", "deal_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    deal_id: int = Field(foreign_key="deal.id")
    from_user: str = Field(max_length=32)
    to_user: str = Field(max_length=32)
    by_user: str = Field(max_length=32)  # who gave it: a rep, a manager, or "cli" (`salesbot reassign`)
    at: datetime


class DealNote(SQLModel, table=True):
    __tablename__ = "deal_note"
    __table_args__ = (Index("ix_deal_note_deal", "deal_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="team.id", max_length=32)
    deal_id: int = Field(foreign_key="deal.id")
    user_id: str = Field(max_length=32)
    text: str = Field(max_length=3000)
    at: datetime


class DealNudge(SQLModel, table=True):
    """A deal's nudge state: when its owner was last nudged, when it was escalated, and its snooze.
    A row appears with the deal's first nudge or snooze (see domain/nudges.py for the rules)."""

    __tablename__ = "deal_nudge"
    __table_args__ = (Index("ix_deal_nudge_team_nudges", "team_id", "nudges"),)  # migration 0028

    deal_id: int = Field(primary_key=True, foreign_key="deal.id")
    team_id: str = Field(foreign_key="team.id", max_length=32)
    nudged_at: datetime | None = None  # when the last owner nudge was (to be) delivered
    escalated_at: datetime | None = None  # when the current stall episode was escalated
    snoozed_until: datetime | None = None
    snoozed_by: str | None = Field(default=None, max_length=32)
    snooze_reason: str | None = Field(default=None, max_length=300)
    # Owner nudges since the deal's last activity (domain/disqualify.nudges_after, migration 0028).
    nudges: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
