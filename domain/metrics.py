"""The weekly digest's facts: the rows the database already aggregated (models/digest_queries.py),
and the money helpers every metric shares. The arithmetic over them is domain/digest.py.

Pure: no I/O, no clock. Every definition is written out in docs/metrics.md; the short version:
money is summed per currency (no exchange rates), counts are across currencies, a deal without an
amount counts in every count but in no sum or average, rates are exact fractions (None when the
denominator is zero) and money is rounded to the cent half up only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from domain.next_steps import StepCounts

OPEN, WON, LOST = "open", "won", "lost"
DAY = 86_400  # seconds
VELOCITY_DAYS = 30  # velocity is reported per 30-day month
TOP_REASONS = 3

Money = dict[str, int]  # currency -> cents


# -- what the queries return ---------------------------------------------------------------------
@dataclass(frozen=True)
class StageInfo:
    id: int
    key: str
    name: str
    position: int
    kind: str
    probability: int
    stall_days: int | None
    active: bool = True


@dataclass(frozen=True)
class OpenGroup:
    """Deals open at the digest's moment, grouped by stage, owner and currency."""

    stage_id: int
    owner_id: str
    currency: str
    count: int
    cents: int  # sum of the amounts given
    age_seconds: int  # sum over the deals of the time since they entered the stage
    stalled: int
    slipped: int  # expected close date already passed
    slipped_cents: int
    slipped_this_week: int  # ... and it passed during the digest's week


@dataclass(frozen=True)
class StageTotal:
    """Deals open at an earlier moment, per stage and currency."""

    stage_id: int
    currency: str
    count: int
    cents: int


@dataclass(frozen=True)
class ClosedGroup:
    """Deals whose last close in a window was `kind` (won/lost), per owner and currency."""

    kind: str
    owner_id: str
    currency: str
    count: int
    priced: int  # how many of them have an amount
    cents: int
    cycle_seconds: int  # sum of (closed at - created at); used for won deals


@dataclass(frozen=True)
class NewGroup:
    currency: str
    count: int
    cents: int


@dataclass(frozen=True)
class MoveCount:
    """Stage changes between two existing stages, by kind of stage and direction."""

    from_kind: str
    to_kind: str
    forward: bool  # the target stage comes later in the pipeline
    count: int


@dataclass(frozen=True)
class ReasonCount:
    key: str | None  # the lost reason picked from the team's list; None: typed freely or none
    count: int


@dataclass(frozen=True)
class Entered:
    """Of the deals that entered a stage in the window, how many later moved beyond it."""

    stage_id: int
    entered: int
    moved_on: int


@dataclass(frozen=True)
class OwnerEntered:
    """Entered, per deal owner: the stage conversion of one rep's deals."""

    owner_id: str
    stage_id: int
    entered: int
    moved_on: int


@dataclass(frozen=True)
class StalledDeal:
    number: int
    name: str
    owner_id: str
    stage_id: int
    cents: int | None
    currency: str
    idle_days: int


@dataclass
class Facts:
    """Everything the digest is computed from, for one team and one moment."""

    as_of: datetime
    week_start: datetime
    window_start: datetime
    stages: list[StageInfo]
    open_now: list[OpenGroup]
    open_before: list[StageTotal]
    closed_week: list[ClosedGroup]
    closed_window: list[ClosedGroup]
    new_week: list[NewGroup]
    moves_week: list[MoveCount]
    reasons_week: list[ReasonCount]
    entered_window: list[Entered]
    stalled_top: list[StalledDeal]
    coverage: Fraction | None = None  # BANT qualification coverage; None: not available
    window_days: int = 90
    next_steps: StepCounts = StepCounts()  # open deals without a next step / with an overdue one
    entered_by_owner: list[OwnerEntered] = field(default_factory=list)  # the reps' stage conversion


# -- helpers -------------------------------------------------------------------------------------
def ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def round_cents(value: Fraction) -> int:
    """Half up (away from zero), as a person rounds by hand."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def add(total: Money, currency: str, cents: int) -> None:
    total[currency] = total.get(currency, 0) + cents


def difference(now: Money, before: Money) -> Money:
    return {c: now.get(c, 0) - before.get(c, 0) for c in sorted(set(now) | set(before))}


def per_stage(entered: list[OwnerEntered]) -> list[Entered]:
    """The team's entries per stage from the owners' (each deal has one owner): one query for both."""
    totals: dict[int, list[int]] = {}
    for e in entered:
        cell = totals.setdefault(e.stage_id, [0, 0])
        cell[0], cell[1] = cell[0] + e.entered, cell[1] + e.moved_on
    return [Entered(stage_id, n, moved) for stage_id, (n, moved) in sorted(totals.items())]


def weighted(cents_by_stage_currency: dict[tuple[int, str], int], stages: dict[int, StageInfo]) -> Money:
    """Amount × the stage's win probability, summed per currency, rounded once at the end."""
    exact: dict[str, Fraction] = {}
    for (stage_id, currency), cents in cents_by_stage_currency.items():
        exact[currency] = exact.get(currency, Fraction(0)) + Fraction(
            cents * stages[stage_id].probability, 100
        )
    return {c: round_cents(v) for c, v in sorted(exact.items())}
