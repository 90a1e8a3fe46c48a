"""The settings modal's values, read and checked. Pure.

Stages are edited as lines of text, one stage each, in pipeline order:

    proposal: Proposal | 60% | 14d

The key before the colon ties a line to an existing stage, so changing the name renames it and
moving the line reorders it; a line without a key adds a stage; a stage whose line is gone is
removed (only when no open deal is in it). "-" for the days means the stage never stalls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import LANGUAGES, N_
from domain.amounts import CODES, AmountError, parse_amount
from domain.deal_form import FieldError
from domain.errors import clean
from domain.slack_ids import is_slack_id
from domain.view_state import field


class SettingsField(StrEnum):
    """The settings modal's inputs (views/settings.py), by the block ids Slack carries back."""

    STAGES = "stages"
    REASONS = "reasons"
    CHANNEL = "channel"
    DIGEST_CHANNEL = "digest_channel"
    DIGEST_WEEKDAY = "digest_weekday"
    DIGEST_TIME = "digest_time"
    TIMEZONE = "timezone"
    MANAGERS = "managers"
    WORK_DAYS = "work_days"
    WORK_START = "work_start"
    WORK_END = "work_end"
    ESCALATION = "escalation"
    CURRENCY = "currency"
    LANGUAGE = "language"
    ADDRESS = "address"
    ANNOUNCE_WON = "announce_won"
    ANNOUNCE_OVER = "announce_over"


_LINE = re.compile(
    r"^(?:(?P<key>[a-z0-9_]{1,40})\s*:\s*)?(?P<name>[^|:]{1,60}?)\s*\|\s*(?P<prob>\d{1,3})\s*%?\s*"
    r"\|\s*(?P<days>\d{1,3}|-)\s*d?$"
)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_STAGES = 20
MAX_REASONS = 30
# team.manager_ids holds 1,000 characters: 30 ids of up to 32 characters and their commas fit.
MAX_MANAGERS = 30


@dataclass
class StageLine:
    key: str | None  # None: a new stage
    name: str
    probability: int
    stall_days: int | None


@dataclass
class TeamSettings:
    stages: list[StageLine]
    reasons: list[str]
    channel_id: str | None
    digest_channel_id: str | None
    digest_weekday: int
    digest_time: str
    timezone: str
    managers: list[str]
    work_days: str
    work_start: str
    work_end: str
    escalation: str
    currency: str
    language: str
    formal: bool = False  # German "Sie", Dutch "u"
    announce_won: bool = False  # won deals told in the team channel
    announce_over_cents: int | None = (
        None  # new deals over this amount (the default currency) told; None: off
    )


def stage_line(key: str, name: str, probability: int, stall_days: int | None) -> str:
    return f"{key}: {name} | {probability}% | {'-' if stall_days is None else f'{stall_days}d'}"


def parse_stages(text: str, known_keys: set[str]) -> tuple[list[StageLine], FieldError | None]:
    """The stage lines, or an error that names the first bad line (a catalog message and its
    parameters, translated when shown)."""
    lines = [ln.strip() for ln in clean(text or "").splitlines() if ln.strip()]
    if not lines:
        return [], FieldError(N_("Keep at least one stage."), {})
    if len(lines) > MAX_STAGES:
        return [], FieldError(N_("At most {limit} stages."), {"limit": MAX_STAGES})
    found, seen_keys, seen_names = [], set(), set()
    for number, line in enumerate(lines, 1):
        m = _LINE.match(line)
        if not m:
            return [], FieldError(
                N_("Line {line} should look like `proposal: Proposal | 60% | 14d`."), {"line": number}
            )
        key, name = m.group("key"), m.group("name").strip()
        probability = int(m.group("prob"))
        days = None if m.group("days") == "-" else int(m.group("days"))
        if key is not None and key not in known_keys:
            return [], FieldError(
                N_("Line {line}: there is no stage `{key}`. Leave the key out to add a new stage."),
                {"line": number, "key": key},
            )
        if key is not None and key in seen_keys:
            return [], FieldError(
                N_("Line {line}: stage `{key}` is listed twice."), {"line": number, "key": key}
            )
        if name.lower() in seen_names:
            return [], FieldError(
                N_("Line {line}: two stages are called {name}."), {"line": number, "name": name}
            )
        if not 0 <= probability <= 100:
            return [], FieldError(
                N_("Line {line}: a win probability is between 0 and 100%."), {"line": number}
            )
        if days is not None and not 1 <= days <= 365:
            return [], FieldError(
                N_("Line {line}: days before a deal stalls are between 1 and 365, or -."), {"line": number}
            )
        seen_keys.add(key)
        seen_names.add(name.lower())
        found.append(StageLine(key, name, probability, days))
    return found, None


def parse_reasons(text: str) -> tuple[list[str], FieldError | None]:
    reasons: list[str] = []
    for line in clean(text or "").splitlines():
        line = line.strip()
        if line and line.lower() not in (r.lower() for r in reasons):
            reasons.append(line)
    if not reasons:
        return [], FieldError(N_("Keep at least one lost reason."), {})
    if len(reasons) > MAX_REASONS or any(len(r) > 100 for r in reasons):
        return [], FieldError(N_("At most {limit} reasons of up to 100 characters."), {"limit": MAX_REASONS})
    return reasons, None


def read_settings(values: dict, known_keys: set[str]) -> tuple[TeamSettings | None, dict[str, FieldError]]:
    errors: dict[str, FieldError] = {}

    def fail(block: str, message: str, **params) -> None:
        errors[block] = FieldError(message, params)

    stages, problem = parse_stages(field(values, SettingsField.STAGES).get("value") or "", known_keys)
    if problem:
        errors[SettingsField.STAGES] = problem
    reasons, problem = parse_reasons(field(values, SettingsField.REASONS).get("value") or "")
    if problem:
        errors[SettingsField.REASONS] = problem
    tz = (field(values, SettingsField.TIMEZONE).get("value") or "").strip()
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        fail(SettingsField.TIMEZONE, N_("Use a timezone name like Europe/Amsterdam or America/New_York."))
    times = {}
    for block in (SettingsField.DIGEST_TIME, SettingsField.WORK_START, SettingsField.WORK_END):
        times[block] = field(values, block).get("selected_time") or ""
        if not _TIME.match(times[block]):
            fail(block, N_("Pick a time."))
    if (
        not errors.keys() & {SettingsField.WORK_START, SettingsField.WORK_END}
        and times[SettingsField.WORK_START] >= times[SettingsField.WORK_END]
    ):
        fail(SettingsField.WORK_END, N_("The working day must end after it starts."))
    days = sorted(
        o.get("value") for o in field(values, SettingsField.WORK_DAYS).get("selected_options") or []
    )
    if not days or any(d not in "1234567" or len(d) != 1 for d in days):
        fail(SettingsField.WORK_DAYS, N_("Pick at least one working day."))
    weekday = (field(values, SettingsField.DIGEST_WEEKDAY).get("selected_option") or {}).get("value") or ""
    if weekday not in tuple("1234567"):
        fail(SettingsField.DIGEST_WEEKDAY, N_("Pick a day."))
    escalation = (field(values, SettingsField.ESCALATION).get("selected_option") or {}).get("value") or ""
    if escalation not in ("off", "channel", "managers"):
        fail(SettingsField.ESCALATION, N_("Pick where escalations go."))
    currency = (field(values, SettingsField.CURRENCY).get("selected_option") or {}).get("value") or ""
    if currency not in CODES:
        fail(SettingsField.CURRENCY, N_("Pick a currency from the list."))
    language = (field(values, SettingsField.LANGUAGE).get("selected_option") or {}).get("value") or ""
    if language not in LANGUAGES:
        fail(SettingsField.LANGUAGE, N_("Pick a language."))
    # Optional, and anything but "formal" is the informal default.
    formal = (field(values, SettingsField.ADDRESS).get("selected_option") or {}).get("value") == "formal"
    managers = [
        m for m in field(values, SettingsField.MANAGERS).get("selected_users") or [] if is_slack_id(m)
    ]
    if len(managers) > MAX_MANAGERS:
        fail(SettingsField.MANAGERS, N_("Pick at most {limit} managers."), limit=MAX_MANAGERS)
    channel = field(values, SettingsField.CHANNEL).get("selected_conversation")
    digest_channel = field(values, SettingsField.DIGEST_CHANNEL).get("selected_conversation")
    for block, value in ((SettingsField.CHANNEL, channel), (SettingsField.DIGEST_CHANNEL, digest_channel)):
        if value is not None and not (isinstance(value, str) and re.fullmatch(r"[CG][A-Z0-9]{2,31}", value)):
            fail(block, N_("Pick a channel."))
    if escalation == "channel" and not channel and SettingsField.ESCALATION not in errors:
        fail(SettingsField.ESCALATION, N_("Escalations to the channel need a team channel."))
    if escalation == "managers" and not managers and SettingsField.ESCALATION not in errors:
        fail(SettingsField.ESCALATION, N_("Escalations to managers need at least one manager."))
    announce_won = any(
        o.get("value") == "won"
        for o in field(values, SettingsField.ANNOUNCE_WON).get("selected_options") or []
    )
    over, problem = read_threshold(field(values, SettingsField.ANNOUNCE_OVER).get("value"), currency)
    if problem:
        errors[SettingsField.ANNOUNCE_OVER] = problem
    if (announce_won or over is not None) and not channel and SettingsField.CHANNEL not in errors:
        fail(SettingsField.CHANNEL, N_("Announcements need a team channel."))
    if errors:
        return None, errors
    return TeamSettings(
        stages,
        reasons,
        channel,
        digest_channel,
        int(weekday),
        times[SettingsField.DIGEST_TIME],
        tz,
        managers,
        "".join(days),
        times[SettingsField.WORK_START],
        times[SettingsField.WORK_END],
        escalation,
        currency,
        language,
        formal,
        announce_won,
        over,
    ), {}


def read_threshold(text: str | None, currency: str) -> tuple[int | None, FieldError | None]:
    """ "Announce new deals over <amount>": empty is off; an amount in another currency than the
    team's default is refused (deals are compared in that currency)."""
    text = clean(text or "").strip()
    if not text:
        return None, None
    try:
        amount = parse_amount(text)
    except AmountError:
        return None, FieldError(N_("Type an amount like 50k or 50000, or leave it empty."), {})
    if amount.currency not in (None, currency):
        return None, FieldError(
            N_("Give the amount in the default currency, {currency}."), {"currency": currency}
        )
    if amount.cents <= 0:
        return None, FieldError(N_("Type an amount above zero, or leave it empty."), {})
    return amount.cents, None
