"""SQLModel tables and the queries on them."""

from models import installations  # noqa: F401 - slack_sdk's tables, for Alembic
from models.tables import (
    Deal,
    DealNote,
    DealNudge,
    LostReason,
    Outbox,
    ProcessedEvent,
    Qualification,  # noqa: F401
    QualificationAnswer,
    SlackUser,
    Stage,
    StageChange,
    Team,
)
