"""Reading deals from a CSV file another tool wrote: which column is which, and each row's deal.

Pure: the caller passes the rows, today's date and the team's stages; rows come back as deals
or as the reasons they were rejected, each with its line number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.i18n import N_
from domain.amounts import CODES, AmountError, parse_amount
from domain.commands import MAX_COMPANY, MAX_NAME, MAX_NOTE, amount_error
from domain.dates import DateError, parse_date
from domain.errors import UserError, clean
from domain.stages import StageRef, match_stage

# Header names other tools use for each field (compared lower-case, without punctuation).
ALIASES = {
    "name": [
        "name",
        "deal",
        "deal name",
        "title",
        "deal title",
        "opportunity",
        "opportunity name",
        "dealname",
    ],
    "company": [
        "company",
        "organization",
        "organisation",
        "account",
        "account name",
        "client",
        "customer",
        "organization name",
        "company name",
    ],
    "amount": ["amount", "value", "deal value", "deal amount", "revenue", "price", "expected revenue"],
    "currency": ["currency", "deal currency", "currency code", "value currency"],
    "stage": ["stage", "deal stage", "pipeline stage", "status", "dealstage"],
    "close_date": ["close date", "expected close date", "expected close", "closedate", "close"],
    "owner_id": ["owner", "owner id", "owner slack id", "slack owner", "deal owner", "user id"],
    "notes": ["notes", "note", "description", "details", "comment", "comments"],
    "lost_reason": ["lost reason", "lost_reason", "reason lost"],
    "number": ["number", "deal number", "#", "id"],
}
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")


def _fold(header: str) -> str:
    return re.sub(r"[^a-z0-9#]+", " ", header.lower()).strip()


def map_columns(headers: Sequence[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """field -> header. Overrides (field=header, from --map) win; the rest is guessed from ALIASES."""
    found: dict[str, str] = {}
    folded = {_fold(h): h for h in headers}
    for name, header in (overrides or {}).items():
        if name not in ALIASES:
            raise UserError(
                N_("There is no field `{field}` to map. Fields: {fields}."),
                field=name,
                fields=", ".join(ALIASES),
            )
        if header not in headers:
            raise UserError(N_("The file has no column `{column}`."), column=header)
        found[name] = header
    for name, aliases in ALIASES.items():
        if name in found:
            continue
        for alias in aliases:
            if alias in folded and folded[alias] not in found.values():
                found[name] = folded[alias]
                break
    if "name" not in found:
        raise UserError(N_("No column holds the deal's name. Map one with --map name=<column>."))
    return found


@dataclass
class ImportedDeal:
    line: int
    name: str
    stage_id: int
    owner_id: str
    company: str | None = None
    amount_cents: int | None = None
    currency: str | None = None
    close_date: date | None = None
    notes: str | None = None
    lost_reason: str | None = None


@dataclass
class Rejected:
    line: int
    reasons: list[str] = field(default_factory=list)  # catalog messages, formatted in English here


def read_rows(
    rows: list[dict[str, str]],
    columns: dict[str, str],
    stages: list[StageRef],
    default_stage: int,
    default_owner: str | None,
    today: date,
    first_line: int = 2,
) -> tuple[list[ImportedDeal], list[Rejected]]:
    deals: list[ImportedDeal] = []
    rejected: list[Rejected] = []
    for offset, row in enumerate(rows):
        line = first_line + offset
        reasons: list[str] = []
        deal = _read(row, columns, stages, default_stage, default_owner, today, reasons)
        if deal is None:  # _read said why in reasons
            rejected.append(Rejected(line, reasons))
        else:
            deal.line = line
            deals.append(deal)
    return deals, rejected


def _get(row: dict, columns: dict, name: str) -> str:
    header = columns.get(name)
    return clean(row.get(header) or "").strip() if header else ""


def _read(row, columns, stages, default_stage, default_owner, today, reasons) -> ImportedDeal | None:
    name = _get(row, columns, "name")
    if not name:
        reasons.append("no name")
    elif len(name) > MAX_NAME:
        reasons.append(f"name longer than {MAX_NAME} characters")
    company = _get(row, columns, "company") or None
    if company and len(company) > MAX_COMPANY:
        reasons.append(f"company longer than {MAX_COMPANY} characters")
    amount = currency = None
    if text := _get(row, columns, "amount"):
        try:
            parsed = parse_amount(text)
            amount, currency = parsed.cents, parsed.currency
        except AmountError as exc:
            err = amount_error(exc, text)
            reasons.append(err.message.format(**err.params))
    if text := _get(row, columns, "currency").upper():
        if text not in CODES and not re.fullmatch(r"[A-Z]{3}", text):
            reasons.append(f"unknown currency {text[:20]!r}")
        currency = text
    stage_id = default_stage
    if text := _get(row, columns, "stage"):
        match = match_stage(text, stages)
        if match.stage is None:
            reasons.append(f"no stage {text[:40]!r}")
        else:
            stage_id = match.stage.id
    close = None
    if text := _get(row, columns, "close_date"):
        try:
            close = parse_date(text, today)
        except DateError:
            reasons.append(f"unreadable close date {text[:40]!r}")
    owner = _get(row, columns, "owner_id") or default_owner
    if not owner:
        reasons.append("no owner (give --owner U…)")
    elif not SLACK_USER.match(owner):
        reasons.append(f"owner {owner[:40]!r} is not a Slack user id")
    notes = _get(row, columns, "notes") or None
    if notes and len(notes) > MAX_NOTE:
        reasons.append(f"notes longer than {MAX_NOTE} characters")
    lost_reason = _get(row, columns, "lost_reason")[:300] or None
    if reasons:
        return None
    return ImportedDeal(0, name, stage_id, owner, company, amount, currency, close, notes, lost_reason)
