"""SQLModel tables and the queries on them."""

from models.tables import Deal, DealNote, LostReason, Outbox, ProcessedEvent, Stage, StageChange, Team  # noqa: F401
