"""A person's choice of DMs: nudges on or off, reminders on or off, and a daily summary instead of one
DM per event. Reading `/deal notify …` and a button's value, and what becomes of each DM. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.i18n import N_
from domain.errors import UserError

SUMMARY_CHOICES = ("off", "daily")
SWITCHES = ("nudges", "reminders")
# What a DM of each outbox kind needs switched on (the nudge DM and the due reminder).
GOVERNED_BY = {"nudge": "nudges", "step_reminder": "reminders", "nurture": "reminders"}

# The outbox statuses a person's choice gives a DM (models/delivery_tables.Outbox.status).
SEND, HOLD, MUTE = "pending", "held", "muted"

# The words a rep may type, in the three languages, for on and off.
_ON = {"on", "aan", "an", "ein"}
_OFF = {"off", "uit", "aus"}
_DAILY = {"daily", "dagelijks", "täglich", "taeglich"}
_SETTINGS = {
    "nudges": "nudges",
    "nudge": "nudges",
    "reminders": "reminders",
    "reminder": "reminders",
    "herinneringen": "reminders",
    "erinnerungen": "reminders",
    "summary": "summary",
    "samenvatting": "summary",
    "zusammenfassung": "summary",
}
CHOICES = N_(
    "Choose one of: `/deal notify nudges on|off`, `/deal notify reminders on|off`, "
    "`/deal notify summary daily|off`."
)


@dataclass(frozen=True)
class Preferences:
    nudges: bool = True
    reminders: bool = True
    summary: str = "off"  # off, daily

    def route(self, kind: str) -> str:
        """The status a DM of this outbox kind gets: sent as it comes, held for the daily summary,
        or muted (recorded as decided, so turning it on again does not bring back old news)."""
        switch = GOVERNED_BY.get(kind)
        if switch is None:
            return SEND
        if not getattr(self, switch):
            return MUTE
        return HOLD if self.summary == "daily" else SEND


@dataclass(frozen=True)
class Change:
    """One choice: a setting and its new value ("on"/"off", or a summary choice). Also a button's value."""

    setting: str
    value: str

    def apply(self, current: Preferences) -> Preferences:
        if self.setting == "summary":
            return replace(current, summary=self.value)
        if self.setting == "nudges":
            return replace(current, nudges=self.value == "on")
        return replace(current, reminders=self.value == "on")

    def encode(self) -> str:
        return f"{self.setting}:{self.value}"

    @classmethod
    def parse(cls, value: str) -> Change | None:
        setting, _, choice = (value or "").partition(":")
        if setting in SWITCHES and choice in ("on", "off"):
            return cls(setting, choice)
        if setting == "summary" and choice in SUMMARY_CHOICES:
            return cls(setting, choice)
        return None


def parse_notify(text: str) -> Change | None:
    """`/deal notify` alone: None (show the choices); else the one change the words ask for. Anything
    else is a rep's mistake that lists the choices."""
    words = (text or "").lower().split()
    if not words:
        return None
    if len(words) == 2 and words[0] in _SETTINGS:
        setting, word = _SETTINGS[words[0]], words[1]
        value = "on" if word in _ON else "off" if word in _OFF else "daily" if word in _DAILY else None
        change = Change.parse(f"{setting}:{value}") if value else None
        if change is not None:
            return change
    raise UserError(CHOICES)
