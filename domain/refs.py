"""What a card button's value and a modal's private_metadata carry, as typed objects parsed once.

Both are wire formats: buttons and modals posted before a change must still parse, so the spelling
(`12:3:4` values, one-letter JSON keys) stays as it is and only the readers around it are typed.
Only the bot writes them, so a value that does not parse is a stale or crafted one: the rep is told
it is out of date and nothing changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from enum import StrEnum

from bot.i18n import N_
from domain.bant import QUESTIONS
from domain.errors import UserError

MAX_METADATA = 3000  # Slack's limit on a view's private_metadata
MAX_NUMBER = 10**9  # deal numbers and stage ids have at most nine digits

BUTTON_OUT_OF_DATE = N_("That button is out of date. Open the deal again with `/deal #N`.")
FORM_OUT_OF_DATE = N_("That form is out of date. Open the deal again with `/deal #N`.")

_NUMBER = re.compile(r"\d{1,9}")


@dataclass(frozen=True)
class CardRef:
    """A card's or a nudge's button value, `deal[:shown_stage[:target]]`: the stage the card showed
    (so a stale card cannot act blindly) and, for a Move select's option, the stage picked."""

    deal: int
    shown_stage: int | None = None
    target: int | None = None

    def encode(self) -> str:
        parts = [self.deal, self.shown_stage, self.target]
        while parts[-1] is None:
            parts.pop()
        return ":".join(str(p) for p in parts)

    def to(self, target: int | None) -> CardRef:
        """The option that moves this card's deal to `target`."""
        return replace(self, target=target)

    @classmethod
    def parse(cls, value: str | None) -> CardRef:
        """Up to three numbers; anything after a third part is ignored, as it always was."""
        parts = (value or "").split(":")[:3]
        if not all(_NUMBER.fullmatch(p) for p in parts):
            raise UserError(BUTTON_OUT_OF_DATE)
        numbers: list[int | None] = [int(p) for p in parts]
        numbers += [None] * (3 - len(numbers))
        deal, shown, target = numbers
        assert deal is not None  # split() gives at least one part, and it matched
        return cls(deal, shown, target)

    @classmethod
    def option(cls, value: str | None) -> CardRef:
        """A Move select's option: the stage picked is part of it (`deal:shown:target`); an option
        without one was not made by this bot's card."""
        ref = cls.parse(value)
        if ref.target is None:
            raise UserError(BUTTON_OUT_OF_DATE)
        return ref


@dataclass(frozen=True)
class QuestionRef:
    """A qualification button's value, `id[:question]`. A question's buttons name the qualification
    and the BANT question they answer; the summary's Edit select and the Switch button name the deal
    and the question to edit (Switch without one starts at the first open question)."""

    id: int
    question: str | None = None

    def encode(self) -> str:
        return f"{self.id}:{self.question}" if self.question else str(self.id)

    @classmethod
    def parse(cls, value: str | None, question_required: bool = True) -> QuestionRef:
        number, _sep, question = (value or "").partition(":")
        if not _NUMBER.fullmatch(number) or not number.isascii():
            raise UserError(BUTTON_OUT_OF_DATE)
        if question not in QUESTIONS and (question or question_required):
            raise UserError(BUTTON_OUT_OF_DATE)
        return cls(int(number), question or None)


class Origin(StrEnum):
    """Where a deal modal was opened, so its result goes back there."""

    HOME = "home"  # the Home tab: publish it again
    MESSAGE = "msg"  # a card's button: replace the card through the response_url
    COMMAND = "cmd"  # a command or a DM's button: answer below it


# FormMeta's fields as they are spelled on the wire.
_KEYS = {
    "deal": "n",
    "shown_stage": "s",
    "origin": "o",
    "response_url": "u",
    "channel": "c",
    "ts": "t",
    "zone": "z",
    "day": "d",
}


@dataclass(frozen=True)
class FormMeta:
    """A modal's private_metadata: the deal it is about and where its result goes."""

    deal: int | None = None
    shown_stage: int | None = None  # the stage the card or nudge showed when the modal was opened
    origin: Origin | None = None
    response_url: str | None = None
    channel: str | None = None  # with ts: the nudge message a modal updates on submit
    ts: str | None = None
    zone: str | None = None  # the rep's timezone, so "today" in a date check is theirs
    day: str | None = None  # the ISO day a reminder was due or a nurture DM was for

    def encode(self) -> str:
        values = {
            _KEYS[f.name]: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }
        text = json.dumps(values, separators=(",", ":"))
        if len(text) > MAX_METADATA:  # the response_url is the only long part: drop it rather than fail
            values.pop(_KEYS["response_url"], None)
            text = json.dumps(values, separators=(",", ":"))
        return text

    @classmethod
    def parse(cls, text: str | None) -> FormMeta:
        """Lenient, field by field: a value of the wrong type reads as absent."""
        try:
            data = json.loads(text or "{}")
        except json.JSONDecodeError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        origin = data.get("o")
        return cls(
            deal=_number(data.get("n")),
            shown_stage=_int(data.get("s")),
            origin=Origin(origin) if origin in set(Origin) else None,
            **{
                name: _text(data.get(_KEYS[name]))
                for name in ("response_url", "channel", "ts", "zone", "day")
            },
        )

    @classmethod
    def of(cls, view: dict) -> FormMeta:
        return cls.parse(view.get("private_metadata"))

    @property
    def number(self) -> int:
        """The deal this modal is about; a form that names none is out of date."""
        if self.deal is None:
            raise UserError(FORM_OUT_OF_DATE)
        return self.deal


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> int | None:
    number = _int(value)
    return number if number is not None and 0 < number < MAX_NUMBER else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
