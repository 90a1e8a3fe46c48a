"""Values, not just columns: which of the team's stages a source stage lands in, what a status
column says, and which Slack user an owner cell names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.stages import StageRef

# The big CRMs' default stages (HubSpot's internal ids too), in English, Dutch and German, by the
# default stage of ours that means the same. A team that renamed its stages still gets them by key.
SYNONYMS: dict[str, list[str]] = {
    "prospecting": [
        "lead in",
        "lead",
        "new",
        "nieuw",
        "neu",
        "appointment scheduled",
        "appointmentscheduled",
        "afspraak gepland",
        "termin vereinbart",
    ],
    "qualification": [
        "qualified to buy",
        "qualifiedtobuy",
        "qualified",
        "gekwalificeerd",
        "qualifiziert",
        "kaufbereit",
    ],
    "first_contact": [
        "contact made",
        "contact gelegd",
        "kontakt hergestellt",
        "presentation scheduled",
        "presentationscheduled",
        "presentatie gepland",
        "präsentation geplant",
    ],
    "needs_assessment": [
        "needs defined",
        "needs analysis",
        "demo scheduled",
        "value proposition",
        "id decision makers",
        "perception analysis",
        "decision maker bought in",
        "decisionmakerboughtin",
        "behoeften bepaald",
        "bedarf ermittelt",
        "demo gepland",
        "demo geplant",
    ],
    "proposal": [
        "proposal made",
        "proposal price quote",
        "proposition",
        "contract sent",
        "contractsent",
        "voorstel gedaan",
        "offerte",
        "offerte verstuurd",
        "angebot",
        "angebot gemacht",
        "angebot erstellt",
        "vertrag gesendet",
        "contract verzonden",
    ],
    "negotiation": [
        "negotiations started",
        "negotiation review",
        "onderhandeling",
        "onderhandelingen gestart",
        "verhandlung",
        "verhandlungen begonnen",
    ],
    "won": ["closed won", "closedwon", "won", "gewonnen", "deal gewonnen"],
    "lost": ["closed lost", "closedlost", "lost", "verloren", "deal verloren"],
}
_SYNONYM_KEY = {fold: key for key, names in SYNONYMS.items() for fold in names}

STATUS = {
    "open": "open",
    "offen": "open",
    "won": "won",
    "gewonnen": "won",
    "lost": "lost",
    "verloren": "lost",
    "deleted": "deleted",
    "verwijderd": "deleted",
    "gelöscht": "deleted",
}
TRUE = {"1", "true", "yes", "ja", "waar", "wahr", "x", "y", "j"}
FALSE = {"0", "false", "no", "nee", "nein", "onwaar", "falsch", "n", ""}
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


@dataclass(frozen=True)
class StageLanding:
    source: str  # the value as the file writes it
    stage: StageRef | None
    how: str  # "map", "name", "synonym", "order", or "none"


def land_stages(
    values: list[str],
    stages: list[StageRef],
    names: dict[int, list[str]],
    overrides: dict[str, str],
) -> dict[str, StageLanding]:
    """Where each distinct source stage lands: an override from --stage-map, else the team's stage of
    that name (in any of the team's languages: `names` holds each stage's names as shown), else a
    known CRM stage of the same meaning, else, in the order the values first appear, the team's open
    stages not taken yet. An override naming no stage of the team lands nowhere (the rows are refused)."""
    by_name: dict[str, StageRef] = {}
    for stage in stages:
        for name in (stage.name, stage.key, *names.get(stage.id, [])):
            by_name.setdefault(fold(name), stage)
    by_key = {s.key: s for s in stages}
    folded_overrides = {fold(k): v for k, v in overrides.items()}
    found: dict[str, StageLanding] = {}
    unmatched: list[str] = []
    for value in values:
        wanted = fold(value)
        if wanted in folded_overrides:
            target = by_name.get(fold(folded_overrides[wanted]))
            found[value] = StageLanding(value, target, "map" if target else "none")
        elif wanted in by_name:
            found[value] = StageLanding(value, by_name[wanted], "name")
        elif _SYNONYM_KEY.get(wanted) in by_key:
            found[value] = StageLanding(value, by_key[_SYNONYM_KEY[wanted]], "synonym")
        else:
            unmatched.append(value)
    taken = {landing.stage.id for landing in found.values() if landing.stage}
    free = [s for s in stages if s.kind == "open" and s.id not in taken]
    opens = [s for s in stages if s.kind == "open"]
    for index, value in enumerate(unmatched):
        stage = free[index] if index < len(free) else opens[-1]
        found[value] = StageLanding(value, stage, "order")
    return found


def status_of(status: str, won: str, closed: str) -> str | None:
    """open, won, lost or deleted from a status column or Salesforce's Won/Closed flags; None when
    the row says nothing (its stage decides). Raises ValueError for a value neither reads."""
    if status:
        found = STATUS.get(status.strip().lower())
        if found is None:
            raise ValueError(status)
        return found
    if not closed and not won:
        return None
    is_closed, is_won = _flag(closed), _flag(won)
    if is_won:
        return "won"
    return "lost" if is_closed else "open"


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(text)


@dataclass(frozen=True)
class OwnerDirectory:
    """The workspace's people, as far as the owner cells need them: e-mail -> id (from
    users.lookupByEmail), folded display or real name -> ids (from users.list)."""

    by_email: dict[str, str]
    by_name: dict[str, list[str]]


def match_owner(value: str, owner_map: dict[str, str], people: OwnerDirectory) -> str | None:
    """The Slack user an owner cell names: an --owner-map entry, a Slack id, an e-mail, or a name
    that exactly one person has. None when nobody (or more than one person) matches."""
    text = value.strip()
    if not text:
        return None
    mapped = owner_map.get(text.lower())
    if mapped:
        return mapped
    if SLACK_USER.match(text):
        return text
    if EMAIL.match(text):
        return people.by_email.get(text.lower())
    ids = people.by_name.get(fold(text), [])
    return ids[0] if len(ids) == 1 else None
