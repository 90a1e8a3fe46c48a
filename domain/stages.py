"""The default sales pipeline and how a rep's words pick a stage."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

from bot.i18n import N_, Lazy, Translator
from domain.errors import UserError

# (key, name, kind, win probability %, stall threshold in days)
DEFAULT_STAGES = [
    ("prospecting", N_("Prospecting"), "open", 10, 7),
    ("qualification", N_("Qualification"), "open", 20, 5),
    ("first_contact", N_("First contact"), "open", 30, 7),
    ("needs_assessment", N_("Needs assessment"), "open", 40, 10),
    ("proposal", N_("Proposal"), "open", 60, 14),
    ("negotiation", N_("Negotiation"), "open", 80, 10),
    ("won", N_("Won"), "won", 100, None),
    ("lost", N_("Lost"), "lost", 0, None),
]

# The stage whose entry offers the owner a BANT qualification (by key, so a renamed stage still counts).
QUALIFICATION = "qualification"

DEFAULT_LOST_REASONS = [
    ("price", N_("Price")),
    ("competitor", N_("Lost to a competitor")),
    ("no_budget", N_("No budget")),
    ("no_decision", N_("No decision / went silent")),
    ("timing", N_("Bad timing")),
    ("not_qualified", N_("Not qualified")),
    ("other", N_("Other")),
]

# A lost deal's reason as stored: the team's reason (settings keep it to REASON_TEXT_MAX), the
# rep's own words (the Lost form keeps them to LOST_DETAILS_MAX), or both joined. deal.lost_reason
# is wider than LOST_REASON_MAX (migration 0010): a reason and full details once overflowed it.
REASON_TEXT_MAX = 100
LOST_DETAILS_MAX = 300
_JOIN = " — "
LOST_REASON_MAX = REASON_TEXT_MAX + len(_JOIN) + LOST_DETAILS_MAX


def lost_reason_text(reason: str | None, details: str | None) -> str:
    """The stored reason; details longer than the form allows are refused (a second guard: the
    form's max_length and /deal lost's parser keep to the same limit)."""
    if details and len(details) > LOST_DETAILS_MAX:
        too_long = N_("That reason is too long. Keep it under {limit} characters.")  # as /deal lost says
        raise UserError(too_long, limit=LOST_DETAILS_MAX).on_field("details")
    return _JOIN.join(t for t in (reason, details) if t)


# Other words reps use for the default stages, in any of our languages, matched as well as the
# stage's name (see docs/i18n.md, "Stage names"): the words of the usual Dutch and German pipeline
# guides and CRMs, and each default name in the other languages, so a German rep's "Angebot" and a
# Dutch rep's "offerte" find Proposal whatever language the bot speaks to them. By key: a default
# stage the team renamed keeps them; a stage the team added has none.
STAGE_ALIASES = {
    "prospecting": ("prospecting", "prospectie", "prospectering", "akquise", "prospektion"),
    "qualification": (
        "lead qualification",
        "kwalificatie",
        "leadkwalificatie",
        "qualifizierung",
        "lead qualifizierung",
        "leadqualifizierung",
        "qualifikation",
    ),
    "first_contact": (
        "first contact",
        "first meeting",
        "eerste contact",
        "eerste gesprek",
        "kennismaking",
        "erstkontakt",
        "erstgespräch",
        "treffen",
    ),
    "needs_assessment": (
        "needs assessment",
        "discovery",
        "behoefteanalyse",
        "behoeftenanalyse",
        "behoeftenbeoordeling",
        "behoeftebepaling",
        "bedarfsanalyse",
        "bedarfsermittlung",
    ),
    "proposal": ("proposal", "quote", "voorstel", "offerte", "angebot", "vorschlag"),
    "negotiation": ("negotiation", "onderhandeling", "onderhandelingen", "verhandlung", "verhandlungen"),
    "won": ("won", "gewonnen", "closed won"),
    "lost": ("lost", "verloren", "closed lost"),
}

DEFAULT_STAGE_NAMES = {key: name for key, name, *_ in DEFAULT_STAGES}
DEFAULT_REASON_TEXTS = dict(DEFAULT_LOST_REASONS)


def default_stage_name(key: str, name: str) -> bool:
    """A stage still called by its default name is shown translated; a name the team chose is not."""
    return DEFAULT_STAGE_NAMES.get(key) == name


def default_reason_text(key: str | None, text: str) -> str | None:
    """The default lost reason's English text when `text` is it (alone, or with the rep's words after
    " — "), else None: a reason the team wrote itself is shown as written."""
    default = DEFAULT_REASON_TEXTS.get(key or "")
    if default and (text == default or text.startswith(default + " — ")):
        return default
    return None


def stage_name(key: str, name: str) -> str:
    """A stage's name as a message parameter: translated when shown if it is a default name."""
    return Lazy(name) if default_stage_name(key, name) else name


@dataclass(frozen=True)
class StageRef:
    """What matching needs to know of a stage."""

    id: int
    key: str
    name: str
    kind: str


class StageMatch:
    """The outcome of matching: one stage, or the reason there is none."""

    def __init__(self, stage: StageRef | None = None, candidates: list[StageRef] | None = None):
        self.stage = stage
        self.candidates = candidates or []


_SEPARATORS = re.compile(r"[\s_\-]+")


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lower case, with spaces, dashes and underscores as one space, and without quotes around it
    (`/deal move #4 "eerste contact"` quotes as `/deal add` wants a name with spaces quoted).
    Remembered: a `/deal add` with a stage folds every stage's name, key and aliases, about 70."""
    return _SEPARATORS.sub(" ", text.strip().strip("\"'“”„").strip().lower())


def match_stage(
    text: str, stages: list[StageRef], shown_names: dict[int, str] | None = None, prefixes: bool = True
) -> StageMatch:
    """Match case-insensitively on the name (as shown to the rep) or key, then on a default stage's
    aliases (STAGE_ALIASES), then (with `prefixes`) by unique prefix of either. A name beats an alias
    at each step, so a stage the team called "Angebot" wins over the alias of Proposal."""
    wanted = _fold(text)
    if not wanted:
        return StageMatch()
    names = {
        s.id: {_fold(s.name), _fold(s.key), _fold((shown_names or {}).get(s.id, s.name))} for s in stages
    }
    aliases = {s.id: {_fold(a) for a in STAGE_ALIASES.get(s.key, ())} for s in stages}
    steps = (
        lambda s: wanted in names[s.id],
        lambda s: wanted in aliases[s.id],
        lambda s: any(n.startswith(wanted) for n in names[s.id]),
        lambda s: any(n.startswith(wanted) for n in names[s.id] | aliases[s.id]),
    )
    candidates: list[StageRef] = []
    for step in steps if prefixes else steps[:2]:
        found = [s for s in stages if step(s)]
        if len(found) == 1:
            return StageMatch(found[0])
        candidates = candidates or found
    return StageMatch(None, candidates)


class StageLike(Protocol):
    """A stage row, or anything with its key and name."""

    @property
    def key(self) -> str: ...

    @property
    def name(self) -> str: ...


def stage_label(stage: StageLike, _: Translator) -> str:
    """Default stage names are shown translated; names a team chose are shown as written (for mrkdwn,
    through `escape`, like any typed text)."""
    return _(stage.name) if default_stage_name(stage.key, stage.name) else stage.name


def reason_label(key: str | None, text: str, _: Translator) -> str:
    """A lost reason (or a deal's reason: the reason, then " — " and the rep's words): the default
    reasons are shown translated, reasons the team wrote and the rep's own words as written."""
    default = default_reason_text(key, text)
    return _(default) + text[len(default) :] if default else text
