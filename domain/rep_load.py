"""Rep load and skill gaps: each rep's open deals against the team's median rep, their win rate and
sales cycle against the team's. Pure: the groups come from models/rep_queries.py and
models/digest_queries.py (docs/metrics.md, "Rep load")."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from domain.metrics import DAY, WON, ClosedGroup, Money, ratio

OVERLOAD, IDLE = Fraction(3, 2), Fraction(1, 2)  # flags: above 1.5x, below 0.5x the median rep


@dataclass(frozen=True)
class OwnerOpen:
    owner_id: str
    currency: str
    count: int
    cents: int


@dataclass
class RepLine:
    owner_id: str
    open_count: int = 0
    open_value: Money = field(default_factory=dict)
    won: int = 0
    lost: int = 0
    cycle_seconds: int = 0
    load: Fraction | None = None  # open deals ÷ the median rep's
    flag: str | None = None  # "overload", "idle" or None

    @property
    def win_rate(self) -> Fraction | None:
        return ratio(self.won, self.won + self.lost)

    @property
    def cycle_days(self) -> Fraction | None:
        return Fraction(self.cycle_seconds, self.won * DAY) if self.won else None


@dataclass
class Load:
    reps: list[RepLine]  # most open deals first
    median_open: Fraction | None  # None: no rep
    win_rate: Fraction | None
    cycle_days: Fraction | None
    days: int  # the window of the win rates and cycles


def median(values: list[int]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def rep_load(open_now: list[OwnerOpen], closed: list[ClosedGroup], days: int) -> Load:
    """A rep is on the team when they own an open deal or closed one in the window."""
    reps: dict[str, RepLine] = {}
    for g in open_now:
        rep = reps.setdefault(g.owner_id, RepLine(g.owner_id))
        rep.open_count += g.count
        rep.open_value[g.currency] = rep.open_value.get(g.currency, 0) + g.cents
    for c in closed:
        rep = reps.setdefault(c.owner_id, RepLine(c.owner_id))
        if c.kind == WON:
            rep.won += c.count
            rep.cycle_seconds += c.cycle_seconds
        else:
            rep.lost += c.count
    mid = median([r.open_count for r in reps.values()])
    for rep in reps.values():
        if mid:
            rep.load = rep.open_count / mid
            rep.flag = "overload" if rep.load > OVERLOAD else "idle" if rep.load < IDLE else None
    won = sum(r.won for r in reps.values())
    lost = sum(r.lost for r in reps.values())
    cycle = sum(r.cycle_seconds for r in reps.values())
    return Load(
        reps=sorted(reps.values(), key=lambda r: (-r.open_count, r.owner_id)),
        median_open=mid,
        win_rate=ratio(won, won + lost),
        cycle_days=Fraction(cycle, won * DAY) if won else None,
        days=days,
    )
