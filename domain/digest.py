"""The weekly digest's arithmetic: what it shows (Headline, stages, week, rates, reps), built from
the facts of domain/metrics.py. Pure: no I/O, no clock; every definition is in docs/metrics.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction

from domain.conversion import ConvertedAt
from domain.metrics import (
    DAY,
    LOST,
    OPEN,
    TOP_REASONS,
    VELOCITY_DAYS,
    WON,
    Facts,
    Money,
    ReasonCount,
    StageInfo,
    StalledDeal,
    add,
    difference,
    ratio,
    round_cents,
    weighted,
)
from domain.next_steps import StepCounts
from domain.rep_load import Step, steps_by_owner


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
    steps: list[Step] = field(default_factory=list)  # their stage conversion beside the team's


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
    converted: ConvertedAt | None = None  # in the team currency (domain/conversion.py); None: per currency


def own_view(digest: Digest, owner_id: str) -> Digest:
    """The digest as a rep may see it: the team's totals, and of the deals only their own (their
    line under By rep, their stalled deals, counted on their own). The facts' stalled list must
    have been read for this owner (stalled_deals(owner_id=...)), or it holds only the team's top."""
    mine = [r for r in digest.reps if r.owner_id == owner_id]
    own_stalled = [d for d in digest.stalled_top if d.owner_id == owner_id]
    return replace(digest, reps=mine, stalled_count=sum(r.stalled for r in mine), stalled_top=own_stalled)


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
    _, steps = steps_by_owner(f.stages, f.entered_by_owner)
    for owner, rep_steps in steps.items():
        if owner in reps:
            reps[owner].steps = rep_steps
    # Most open deals first; the owner id only keeps the order stable.
    return sorted(reps.values(), key=lambda r: (-r.open_count, -r.won_count, r.owner_id))
