"""SQLModel tables and the queries on them."""

from models.tables import (Deal, DealNote, LostReason, Outbox, ProcessedEvent, Qualification,  # noqa: F401
                           QualificationAnswer, SlackUser, Stage, StageChange, Team)
