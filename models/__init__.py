"""SQLModel tables and the queries on them."""

from models.tables import Deal, DealNote, DealNudge, LostReason, Outbox, ProcessedEvent, SlackUser, Stage, StageChange, Team  # noqa: F401
