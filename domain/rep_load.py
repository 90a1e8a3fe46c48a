"""Rep load and skill gaps: each rep's open deals against the team's median rep, their win rate,
sales cycle and stage-to-stage conversion against the team's. Pure: the groups come from
models/rep_queries.py, models/digest_queries.py and models/flow_queries.py (docs/metrics.md,
"Rep load")."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from domain.conversion import ConvertedAt
from domain.metrics import DAY, OPEN, WON, ClosedGroup, Money, OwnerEntered, StageInfo, ratio

OVERLOAD, IDLE = Fraction(3, 2), Fraction(1, 2)  # flags: above 1.5x, below 0.5x the median rep
# A rep's conversion out of a stage is a gap when it is this far below the team's, from at least
# MIN_ENTRIES deals: fewer are shown with their counts but never flagged (one lost deal is not a gap).
GAP, MIN_ENTRIES = Fraction(20, 100), 5


@dataclass(frozen=True)
class Step:
    """Of the deals that entered `stage` in the window, how many moved on beyond it (or were won)."""

    stage: StageInfo
    entered: int
    moved_on: int
    team: Fraction | None = None  # the team's share for the stage

    @property
    def rate(self) -> Fraction | None:
        return ratio(self.moved_on, self.entered)

    @property
    def gap(self) -> bool:
        rate = self.rate
        return (
            self.entered >= MIN_ENTRIES
            and rate is not None
            and self.team is not None
            and rate <= self.team - GAP
        )


def steps_by_owner(
    stages: list[StageInfo], entered: list[OwnerEntered]
) -> tuple[list[Step], dict[str, list[Step]]]:
    """The team's step out of each open stage, and each rep's beside it (only stages they had
    deals enter), in pipeline order."""
    order = [s for s in sorted(stages, key=lambda s: (s.position, s.id)) if s.kind == OPEN]
    team: dict[int, list[int]] = {}
    mine: dict[str, dict[int, OwnerEntered]] = {}
    for e in entered:
        cell = team.setdefault(e.stage_id, [0, 0])
        cell[0], cell[1] = cell[0] + e.entered, cell[1] + e.moved_on
        mine.setdefault(e.owner_id, {})[e.stage_id] = e
    team_steps = [Step(s, team[s.id][0], team[s.id][1]) for s in order if s.id in team]
    rates = {t.stage.id: t.rate for t in team_steps}
    reps = {
        owner: [
            Step(s, found[s.id].entered, found[s.id].moved_on, rates[s.id]) for s in order if s.id in found
        ]
        for owner, found in mine.items()
    }
    return team_steps, reps


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
    steps: list[Step] = field(default_factory=list)  # stage conversion beside the team's

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
    days: int  # the window of the win rates, cycles and steps
    steps: list[Step] = field(default_factory=list)  # the team's stage conversion
    converted: ConvertedAt | None = None  # open values in the team currency; None: per currency


def median(values: list[int]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def rep_load(
    open_now: list[OwnerOpen],
    closed: list[ClosedGroup],
    days: int,
    stages: list[StageInfo] | None = None,
    entered: list[OwnerEntered] | None = None,
) -> Load:
    """A rep is on the team when they own an open deal or closed one in the window; `entered` (per
    owner and stage, over the same window) gives the reps' stage conversion."""
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
    team_steps, rep_steps = steps_by_owner(stages or [], entered or [])
    for owner, steps in rep_steps.items():
        if owner in reps:
            reps[owner].steps = steps
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
        steps=team_steps,
    )
