"""Bottlenecks: stages where deals now sit longer than the team's own trailing median, or leave
forward less often than they used to. Pure: day histograms come from models/insight_queries.py
(docs/metrics.md, "Bottlenecks")."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from domain.metrics import OPEN, WON, StageInfo, ratio

PERIOD_DAYS, TRAILING_DAYS = 30, 90  # this period, and the trailing window before it
SLOWER = Fraction(3, 2)  # a stage stands out when deals now sit 1.5x its trailing median ...
DROP = Fraction(1, 10)  # ... or its forward share fell by 10 points or more
MIN_DEALS = 3  # ... on at least this many deals (in the stage now; leaving it this period)
STANDOUTS = 2


@dataclass(frozen=True)
class Exit:
    """Deals that left `from_stage_id` for `to_stage_id` after `days` whole days in it."""

    from_stage_id: int
    to_stage_id: int
    days: int
    recent: bool  # in this period (else in the trailing window)
    count: int


@dataclass(frozen=True)
class Age:
    """Deals in an open stage now, `days` whole days after entering it."""

    stage_id: int
    days: int
    count: int


@dataclass
class StageFlow:
    stage: StageInfo
    now_count: int
    now_median: int | None  # days in the stage so far, for the deals in it now
    trailing_median: int | None  # days spent in it by deals that left it in the trailing window
    period_exits: int
    period_forward: int
    trailing_exits: int
    trailing_forward: int

    @property
    def period_rate(self) -> Fraction | None:
        return ratio(self.period_forward, self.period_exits)

    @property
    def trailing_rate(self) -> Fraction | None:
        return ratio(self.trailing_forward, self.trailing_exits)

    @property
    def slower(self) -> Fraction | None:
        """Now ÷ trailing median; a trailing median under a day counts as one day."""
        if self.now_median is None or self.trailing_median is None or self.now_count < MIN_DEALS:
            return None
        return Fraction(self.now_median, max(self.trailing_median, 1))

    @property
    def drop(self) -> Fraction | None:
        if self.period_rate is None or self.trailing_rate is None or self.period_exits < MIN_DEALS:
            return None
        return self.trailing_rate - self.period_rate

    @property
    def stands_out(self) -> bool:
        return (self.slower is not None and self.slower >= SLOWER) or (
            self.drop is not None and self.drop >= DROP
        )


def median_days(histogram: dict[int, int]) -> int | None:
    """The lower median of a days -> count histogram."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if 2 * seen >= total:
            return days
    return None  # pragma: no cover - the loop always reaches half


def forward(stages: dict[int, StageInfo], from_id: int, to_id: int) -> bool:
    """Moving on: to a later open stage, or won. Back, or lost, is not."""
    src, dst = stages[from_id], stages[to_id]
    return dst.kind == WON or (dst.kind == OPEN and dst.position > src.position)


def flows(stages: list[StageInfo], ages: list[Age], exits: list[Exit]) -> list[StageFlow]:
    by_id = {s.id: s for s in stages}
    out = []
    for stage in sorted(stages, key=lambda s: (s.position, s.id)):
        if stage.kind != OPEN:
            continue
        now: dict[int, int] = {}
        for a in ages:  # summed: two groups can share a day (one with no entry time, read as 0 days)
            if a.stage_id == stage.id:
                now[a.days] = now.get(a.days, 0) + a.count
        mine = [e for e in exits if e.from_stage_id == stage.id and e.to_stage_id in by_id]
        trailing: dict[int, int] = {}
        for e in mine:
            if not e.recent:
                trailing[e.days] = trailing.get(e.days, 0) + e.count
        if not stage.active and not now and not mine:
            continue
        out.append(
            StageFlow(
                stage=stage,
                now_count=sum(now.values()),
                now_median=median_days(now),
                trailing_median=median_days(trailing),
                period_exits=sum(e.count for e in mine if e.recent),
                period_forward=sum(
                    e.count for e in mine if e.recent and forward(by_id, stage.id, e.to_stage_id)
                ),
                trailing_exits=sum(e.count for e in mine if not e.recent),
                trailing_forward=sum(
                    e.count for e in mine if not e.recent and forward(by_id, stage.id, e.to_stage_id)
                ),
            )
        )
    return out


def standouts(found: list[StageFlow]) -> list[StageFlow]:
    """The one or two stages that stand out most: slowest against their median first, then the
    largest drop in forward share."""
    picked = [f for f in found if f.stands_out]
    picked.sort(key=lambda f: (-(f.slower or 0), -(f.drop or 0), f.stage.position))
    return picked[:STANDOUTS]
