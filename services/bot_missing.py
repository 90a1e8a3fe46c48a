"""When Slack says Salesbot is not in a channel (or cannot see it), the team's managers are told
once how to fix it, through the outbox (key not_in_channel:<channel>:<manager>, so a second failed
send or a re-run sweep finds the key taken and tells nobody again). A team without managers is told
nothing: only the log line of the dropped message remains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.db import Database
from bot.i18n import Translator
from models.outbox import enqueue
from models.tables import Team
from services.users import writing_to

KIND = "not_in_channel"
# The Slack errors that mean "invite the bot": a private channel it is not in is not found, too.
ERRORS = {"not_in_channel", "channel_not_found"}

MessageView = Callable[[Translator, str, str], dict]  # (_, channel, kind of what failed) -> message


def is_channel(conversation: str) -> bool:
    """A channel id (public C..., private G...), not a user id or a DM."""
    return conversation.startswith(("C", "G"))


def tell_managers(
    db: Database, team_id: str, channel: str, kind: str, now: datetime, *, message: MessageView
) -> int:
    """Enqueue the fix for each of the team's managers, each in their own language; returns how many
    DMs were added (0: told before, or no managers). One transaction."""
    with db.write() as s:
        team = s.get(Team, team_id)
        if team is None or not team.managers:
            return 0
        return sum(
            enqueue(
                s,
                team_id,
                f"{KIND}:{channel}:{manager}",
                KIND,
                manager,
                message(writing_to(s, team, manager), channel, kind),
                now,
            )
            for manager in team.managers
        )
