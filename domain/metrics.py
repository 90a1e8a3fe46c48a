"""The weekly digest's arithmetic, on rows the database already aggregated (models/digest_queries.py).

Pure: no I/O, no clock. Every definition is written out in docs/metrics.md; the short version:
money is summed per currency (no exchange rates), counts are across currencies, a deal without an
amount counts in every count but in no sum or average, rates are exact fractions (None when the
denominator is zero) and money is rounded to the cent half up only at the end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
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


# -- what the digest shows -----------------------------------------------------------------------
@dataclass
class Headline:
    count: int
    value: Money
    weighted: Money
    count_before: int
    value_before: Money
    weighted_before: Money

    @property
    def delta_count(self) -> int:
        return self.count - self.count_before

    @property
    def delta_value(self) -> Money:
        return difference(self.value, self.value_before)

    @property
    def delta_weighted(self) -> Money:
        return difference(self.weighted, self.weighted_before)


@dataclass
class StageLine:
    stage: StageInfo
    count: int
    value: Money
    weighted: Money
    avg_age_days: Fraction | None
    stalled: int


@dataclass
class Week:
    new_count: int
    new_value: Money
    advanced: int
    moved_back: int
    reopened: int
    won_count: int
    won_value: Money
    lost_count: int
    lost_value: Money
    reasons: list[ReasonCount]
    slipped_count: int
    slipped_value: Money
    slipped_this_week: int


@dataclass
class Conversion:
    stage: StageInfo
    entered: int
    moved_on: int

    @property
    def rate(self) -> Fraction | None:
        return ratio(self.moved_on, self.entered)


@dataclass
class Rates:
    days: int
    conversions: list[Conversion]
    won: int
    lost: int
    win_rate: Fraction | None
    avg_won: Money  # per currency; a currency with no priced won deal is absent
    avg_cycle_days: Fraction | None
    velocity: Money  # per currency, per 30 days; absent where it cannot be computed


@dataclass
class RepLine:
    owner_id: str
    open_count: int = 0
    open_value: Money = field(default_factory=dict)
    won_count: int = 0
    won_value: Money = field(default_factory=dict)
    stalled: int = 0


@dataclass
class Digest:
    as_of: datetime
    week_start: datetime
    headline: Headline
    stages: list[StageLine]
    week: Week
    rates: Rates
    reps: list[RepLine]
    stalled_count: int
    stalled_top: list[StalledDeal]
    coverage: Fraction | None
    currencies: list[str]
    next_steps: StepCounts = StepCounts()  # the team's figures, in a rep's own view too


def own_view(digest: Digest, owner_id: str) -> Digest:
    """The digest as a rep may see it: the team's totals, and of the deals only their own (their
    line under By rep, their stalled deals, counted on their own). The facts' stalled list must
    have been read for this owner (stalled_deals(owner_id=...)), or it holds only the team's top."""
    mine = [r for r in digest.reps if r.owner_id == owner_id]
    own_stalled = [d for d in digest.stalled_top if d.owner_id == owner_id]
    return replace(digest, reps=mine, stalled_count=sum(r.stalled for r in mine), stalled_top=own_stalled)


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


def weighted(cents_by_stage_currency: dict[tuple[int, str], int], stages: dict[int, StageInfo]) -> Money:
    """Amount × the stage's win probability, summed per currency, rounded once at the end."""
    exact: dict[str, Fraction] = {}
    for (stage_id, currency), cents in cents_by_stage_currency.items():
        exact[currency] = exact.get(currency, Fraction(0)) + Fraction(
            cents * stages[stage_id].probability, 100
        )
    return {c: round_cents(v) for c, v in sorted(exact.items())}


# -- the digest ----------------------------------------------------------------------------------
def build_digest(f: Facts) -> Digest:
    stages = {s.id: s for s in f.stages}
    open_stages = [s for s in sorted(f.stages, key=lambda s: (s.position, s.id)) if s.kind == OPEN]

    # Headline: the pipeline now and a week earlier, both rebuilt from the stage history.
    now_sc: dict[tuple[int, str], int] = {}
    for g in f.open_now:
        now_sc[(g.stage_id, g.currency)] = now_sc.get((g.stage_id, g.currency), 0) + g.cents
    before_sc = {(t.stage_id, t.currency): t.cents for t in f.open_before}
    headline = Headline(
        count=sum(g.count for g in f.open_now),
        value=_sum_by_currency((c, v) for (_, c), v in now_sc.items()),
        weighted=weighted(now_sc, stages),
        count_before=sum(t.count for t in f.open_before),
        value_before=_sum_by_currency((c, v) for (_, c), v in before_sc.items()),
        weighted_before=weighted(before_sc, stages),
    )

    # Per stage: open stages in pipeline order; an inactive one only while it still holds deals.
    lines = []
    for stage in open_stages:
        groups = [g for g in f.open_now if g.stage_id == stage.id]
        count = sum(g.count for g in groups)
        if not stage.active and not count:
            continue
        value = _sum_by_currency((g.currency, g.cents) for g in groups)
        lines.append(
            StageLine(
                stage=stage,
                count=count,
                value=value,
                weighted=weighted({(stage.id, c): v for c, v in value.items()}, stages),
                avg_age_days=Fraction(sum(g.age_seconds for g in groups), count * DAY) if count else None,
                stalled=sum(g.stalled for g in groups),
            )
        )

    week = _week(f)
    rates = _rates(f, open_stages)
    reps = _reps(f)
    currencies = sorted(
        {g.currency for g in f.open_now}
        | {g.currency for g in f.closed_week}
        | {g.currency for g in f.closed_window}
        | {g.currency for g in f.new_week}
        | {t.currency for t in f.open_before}
    )
    return Digest(
        as_of=f.as_of,
        week_start=f.week_start,
        headline=headline,
        stages=lines,
        week=week,
        rates=rates,
        reps=reps,
        stalled_count=sum(g.stalled for g in f.open_now),
        stalled_top=f.stalled_top,
        coverage=f.coverage,
        currencies=currencies,
        next_steps=f.next_steps,
    )


def _sum_by_currency(pairs) -> Money:
    total: Money = {}
    for currency, cents in pairs:
        add(total, currency, cents)
    return dict(sorted(total.items()))


def _week(f: Facts) -> Week:
    won = [g for g in f.closed_week if g.kind == WON]
    lost = [g for g in f.closed_week if g.kind == LOST]
    moves: Counter[str] = Counter()
    for m in f.moves_week:
        if m.from_kind == OPEN and m.to_kind == OPEN:
            moves["advanced" if m.forward else "moved_back"] += m.count
        elif m.from_kind != OPEN and m.to_kind == OPEN:
            moves["reopened"] += m.count
        # Moves into won or lost are counted as won and lost deals, not as moves.
    reasons = sorted(f.reasons_week, key=lambda r: (-r.count, r.key is None, r.key or ""))[:TOP_REASONS]
    return Week(
        new_count=sum(g.count for g in f.new_week),
        new_value=_sum_by_currency((g.currency, g.cents) for g in f.new_week),
        advanced=moves["advanced"],
        moved_back=moves["moved_back"],
        reopened=moves["reopened"],
        won_count=sum(g.count for g in won),
        won_value=_sum_by_currency((g.currency, g.cents) for g in won),
        lost_count=sum(g.count for g in lost),
        lost_value=_sum_by_currency((g.currency, g.cents) for g in lost),
        reasons=reasons,
        slipped_count=sum(g.slipped for g in f.open_now),
        slipped_value=_sum_by_currency((g.currency, g.slipped_cents) for g in f.open_now if g.slipped),
        slipped_this_week=sum(g.slipped_this_week for g in f.open_now),
    )


def _rates(f: Facts, open_stages: list[StageInfo]) -> Rates:
    entered = {e.stage_id: e for e in f.entered_window}
    conversions = [
        Conversion(
            s,
            entered[s.id].entered if s.id in entered else 0,
            entered[s.id].moved_on if s.id in entered else 0,
        )
        for s in open_stages
        if s.active or s.id in entered
    ]
    won = [g for g in f.closed_window if g.kind == WON]
    won_count = sum(g.count for g in won)
    lost_count = sum(g.count for g in f.closed_window if g.kind == LOST)
    win_rate = ratio(won_count, won_count + lost_count)

    avg_exact: dict[str, Fraction] = {}
    priced: Counter = Counter()
    sums: Counter = Counter()
    for g in won:
        priced[g.currency] += g.priced
        sums[g.currency] += g.cents
    for currency in sorted(priced):
        if priced[currency]:
            avg_exact[currency] = Fraction(sums[currency], priced[currency])
    cycle = Fraction(sum(g.cycle_seconds for g in won), won_count * DAY) if won_count else None

    # Velocity = open deals × average won deal × win rate ÷ cycle length, per currency.
    # A cycle under a day (deals logged when already won) counts as one day, not as a division by zero.
    velocity: Money = {}
    if win_rate is not None and cycle is not None:
        open_count: Counter = Counter()
        for o in f.open_now:
            open_count[o.currency] += o.count
        for currency, avg in avg_exact.items():
            if open_count[currency]:
                velocity[currency] = round_cents(
                    open_count[currency] * avg * win_rate * VELOCITY_DAYS / max(cycle, Fraction(1))
                )
    return Rates(
        days=f.window_days,
        conversions=conversions,
        won=won_count,
        lost=lost_count,
        win_rate=win_rate,
        avg_won={c: round_cents(v) for c, v in avg_exact.items()},
        avg_cycle_days=cycle,
        velocity=velocity,
    )


def _reps(f: Facts) -> list[RepLine]:
    reps: dict[str, RepLine] = {}
    for o in f.open_now:
        rep = reps.setdefault(o.owner_id, RepLine(o.owner_id))
        rep.open_count += o.count
        add(rep.open_value, o.currency, o.cents)
        rep.stalled += o.stalled
    for c in f.closed_week:
        if c.kind != WON:
            continue
        rep = reps.setdefault(c.owner_id, RepLine(c.owner_id))
        rep.won_count += c.count
        add(rep.won_value, c.currency, c.cents)
    # Most open deals first; the owner id only keeps the order stable.
    return sorted(reps.values(), key=lambda r: (-r.open_count, -r.won_count, r.owner_id))
