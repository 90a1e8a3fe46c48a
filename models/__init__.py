"""SQLModel tables and the queries on them.

Importing any of `models` puts every table on SQLModel.metadata, which Alembic's env, the retention
sweep and the tests read whole: the table modules are imported here, each named for what it holds.
"""

from models import (
    delivery_tables,  # the outbox, the events acted on
    installations,  # slack_sdk's tables
    qualification_tables,  # BANT
    settings_tables,  # goals, exchange rates, notify preferences
    tables,  # teams, people, stages, deals and their history
)

__all__ = ["delivery_tables", "installations", "qualification_tables", "settings_tables", "tables"]
