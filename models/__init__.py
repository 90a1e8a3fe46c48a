"""SQLModel tables and the queries on them."""

from models import installations  # slack_sdk's tables, for Alembic
from models.tables import (
    Deal,
    DealNote,
    DealNudge,
    LostReason,
    Outbox,
    OwnerChange,
    ProcessedEvent,
    Qualification,
    QualificationAnswer,
    SlackUser,
    Stage,
    StageChange,
    Team,
)

__all__ = [
    "Deal",
    "DealNote",
    "DealNudge",
    "LostReason",
    "Outbox",
    "OwnerChange",
    "ProcessedEvent",
    "Qualification",
    "QualificationAnswer",
    "SlackUser",
    "Stage",
    "StageChange",
    "Team",
    "installations",
]
