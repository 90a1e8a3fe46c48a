"""One row of an export, read into a deal with its history, or refused with a reason per cell.

How an imported deal's history is rebuilt (docs/import.md says the same for users): it was created
at its creation date (else its close, else the import) in the stage it was in; a closed deal then
moves from that stage (the team's first open stage when the source only says "Closed Won") to Won
or Lost at the moment it closed (won or lost time, else the closed date, else its close date).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from domain.amounts import CODES, AmountError, amount_error, parse_amount
from domain.commands import MAX_COMPANY, MAX_NAME, MAX_NOTE
from domain.errors import clean
from domain.importing.cells import unguard
from domain.importing.dates import Unreadable, parse_moment, to_date
from domain.importing.values import StageLanding, status_of
from domain.stages import StageRef

MOMENTS = ("created_at", "closed_at", "won_at", "lost_at", "last_activity_at")
DATES = ("close_date", *MOMENTS)
MAX_SOURCE_ID = 100
MAX_LOST_REASON = 300
# Exports repeat their amounts; parse_amount understands every way of writing one, at a price.
amount_of = functools.lru_cache(maxsize=4096)(parse_amount)  # bounded: memory stays flat


@dataclass
class Problem:
    column: str
    value: str
    why: str

    def __str__(self) -> str:
        where = f"{self.column} {self.value[:40]!r}: " if self.column else ""
        return where + self.why


@dataclass
class Rejected:
    line: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [str(p) for p in self.problems]


@dataclass
class ImportedDeal:
    line: int
    source_id: str | None
    name: str
    owner_id: str
    stage_id: int  # where it is now
    entered_stage_id: int  # the stage it was created in
    kind: str  # open, won, lost
    created_at: datetime
    closed_at: datetime | None
    last_activity_at: datetime
    company: str | None = None
    amount_cents: int | None = None
    currency: str | None = None
    close_date: date | None = None
    notes: str | None = None
    lost_reason: str | None = None

    def history(self) -> list[tuple[int | None, int, datetime]]:
        """(from stage, to stage, at): the creation, and the close if it closed."""
        changes: list[tuple[int | None, int, datetime]] = [(None, self.entered_stage_id, self.created_at)]
        if self.closed_at is not None and self.stage_id != self.entered_stage_id:
            changes.append((self.entered_stage_id, self.stage_id, self.closed_at))
        return changes


@dataclass
class RowContext:
    """Everything a row needs that the file as a whole decided."""

    columns: dict[str, str]  # field -> header
    landings: dict[str, StageLanding]  # source stage -> where it lands
    owners: dict[str, str | None]  # owner cell -> Slack id (None: unmatched)
    default_owner: str | None
    orders: dict[str, str]  # field -> mdy or dmy
    tz: tzinfo
    now: datetime
    first_open: StageRef
    won: StageRef
    lost: StageRef


def cell(row: dict[str, str], ctx: RowContext, name: str) -> str:
    header = ctx.columns.get(name)
    return unguard(clean(row.get(header) or "").strip()) if header else ""


def read_row(line: int, row: dict[str, str], ctx: RowContext) -> ImportedDeal | Rejected:
    problems: list[Problem] = []

    def bad(name: str, value: str, why: str) -> None:
        problems.append(Problem(ctx.columns.get(name, name), value, why))

    name = cell(row, ctx, "name")
    if not name:
        bad("name", "", "no name")
    elif len(name) > MAX_NAME:
        bad("name", name, f"longer than {MAX_NAME} characters")
    source_id = cell(row, ctx, "source_id") or cell(row, ctx, "number") or None
    if source_id and len(source_id) > MAX_SOURCE_ID:
        bad("source_id", source_id, f"longer than {MAX_SOURCE_ID} characters")
    company = cell(row, ctx, "company") or None
    if company and len(company) > MAX_COMPANY:
        bad("company", company, f"longer than {MAX_COMPANY} characters")
    amount = currency = None
    if text := cell(row, ctx, "amount"):
        try:
            parsed = amount_of(text)
            amount, currency = parsed.cents, parsed.currency
        except AmountError as exc:
            err = amount_error(exc, text)
            bad("amount", text, err.message.format(**err.params))
    if text := cell(row, ctx, "currency").upper():
        if text not in CODES and not re.fullmatch(r"[A-Z]{3}", text):
            bad("currency", text, "not a currency code")
        currency = text
    moments: dict[str, datetime] = {}
    for key in DATES:
        if text := cell(row, ctx, key):
            try:
                moments[key] = parse_moment(text, ctx.orders.get(key, "dmy"), ctx.tz)
            except Unreadable:
                bad(key, text, "not a date")
    close_date = to_date(moments["close_date"], ctx.tz) if "close_date" in moments else None
    stage_text = cell(row, ctx, "stage")
    entered = ctx.first_open
    if stage_text:
        landing = ctx.landings.get(stage_text)
        if landing is None or landing.stage is None:
            bad("stage", stage_text, "lands in no stage (see --stage-map)")
        else:
            entered = landing.stage
    try:
        status = status_of(cell(row, ctx, "status"), cell(row, ctx, "won"), cell(row, ctx, "closed"))
    except ValueError as exc:
        bad("status", str(exc), "neither open, won nor lost")
        status = None
    if status == "deleted":
        bad("status", cell(row, ctx, "status"), "a deleted deal")
    kind = status if status in ("open", "won", "lost") else entered.kind
    if status is None and kind == "open" and cell(row, ctx, "lost_reason") and "closed_at" in moments:
        kind = "lost"  # Odoo keeps a lost lead in its stage, with a lost reason and a closed date
    if kind != "open" and entered.kind != "open":
        entered = ctx.first_open  # the source says only that it closed, not where it was before
    elif kind == "open" and entered.kind != "open":
        bad("stage", stage_text, "a closed stage for an open deal")
    final = {"open": entered, "won": ctx.won, "lost": ctx.lost}[kind]
    owner_text = cell(row, ctx, "owner")
    owner = (ctx.owners.get(owner_text) if owner_text else None) or ctx.default_owner
    if not owner:
        bad(
            "owner",
            owner_text,
            "matches nobody in Slack (give --owner-map or --owner)"
            if owner_text
            else "no owner (give --owner)",
        )
    notes = cell(row, ctx, "notes") or None
    if notes and len(notes) > MAX_NOTE:
        bad("notes", notes, f"longer than {MAX_NOTE} characters")
    lost_reason = cell(row, ctx, "lost_reason") or None
    if lost_reason and len(lost_reason) > MAX_LOST_REASON:
        bad("lost_reason", lost_reason, f"longer than {MAX_LOST_REASON} characters")
    closed_at, closed_key = None, "closed_at"
    if kind != "open":
        keys = ("won_at" if kind == "won" else "lost_at", "closed_at", "close_date")
        closed_key = next((k for k in keys if k in moments), "closed_at")
        closed_at = moments.get(closed_key)
        if closed_at is None:
            bad("closed_at", "", f"a {kind} deal with no date it closed")
    created_at = moments.get("created_at") or closed_at or ctx.now
    for key, moment in (("created_at", moments.get("created_at")), (closed_key, closed_at)):
        if moment is not None and moment > ctx.now:
            bad(key, cell(row, ctx, key), "in the future")
    if closed_at is not None and closed_at < created_at:
        bad(closed_key, cell(row, ctx, closed_key), "before the deal was created")
    if problems:
        return Rejected(line, problems)
    assert owner is not None and name
    activity = max(m for m in (created_at, closed_at, moments.get("last_activity_at")) if m is not None)
    return ImportedDeal(
        line=line,
        source_id=source_id,
        name=name,
        owner_id=owner,
        stage_id=final.id,
        entered_stage_id=entered.id,
        kind=kind,
        created_at=created_at,
        closed_at=closed_at,
        last_activity_at=min(activity, ctx.now),
        company=company,
        amount_cents=amount,
        currency=currency,
        close_date=close_date,
        notes=notes,
        lost_reason=lost_reason if kind == "lost" else None,
    )
