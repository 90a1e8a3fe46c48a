"""The deals open now, read once (models/digest_queries.open_now) and turned into every figure of the
digest that counts them: its open groups, stalled deals, qualification coverage and next-step
counts, the forecast's pipeline by close-date bucket and month, the bottlenecks' ages and oldest
deals. Pure.

Each function gives what its query gives on the same deals (models/digest_queries.py,
models/forecast_queries.py, models/insight_queries.py, models/next_steps.py; tests/test_open_now.py
holds them to it), from the same epoch seconds the database computed. The deals open just before
a moment are the deals open now only when no stage changed at or after it: a back-dated digest
keeps the queries that rebuild the pipeline from the history.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime
from fractions import Fraction
from typing import NamedTuple

from domain.bottlenecks import Age
from domain.metrics import DAY, OpenGroup, StageInfo, StalledDeal
from domain.next_steps import StepCounts
from domain.replay import PipelineGroup
from domain.stages import QUALIFICATION


class OpenDeal(NamedTuple):
    """A deal in an open stage now (not archived), with when it entered that stage and since when it
    has been idle as seen from the moment it was read for (`at`). A tuple: tens of thousands are
    made per digest, and a tuple is made several times faster than a frozen dataclass."""

    id: int
    number: int
    name: str
    owner_id: str
    stage_id: int
    currency: str
    cents: int | None
    close_date: date | None
    created_before: bool  # created before `at`: the deals open at `at` are these
    entered: float | None  # epoch seconds of its latest stage change before `at`; None: it has none
    idle_since: float | None  # its last activity before `at`, else `entered`
    has_step: bool  # a next step is set (not empty)
    step_due: date | None


def _whole_seconds(value: float | None) -> int:
    return int(round(value or 0))


def _stalled(deal: OpenDeal, stall_days: int | None, now: float) -> bool:
    """Idle past its stage's threshold at `now` (epoch seconds), as digest_queries' `stalled` says."""
    return stall_days is not None and deal.idle_since is not None and deal.idle_since < now - stall_days * DAY


def open_groups(
    deals: list[OpenDeal], stages: list[StageInfo], at: datetime, today: date, week_first_day: date
) -> list[OpenGroup]:
    """digest_queries.open_groups: per stage, owner and currency."""
    stall = {s.id: s.stall_days for s in stages}
    now = at.timestamp()
    # count, cents, age seconds (None until one deal has an entry), stalled, slipped, slipped cents, this week
    groups: dict[tuple[int, str, str], list] = {}
    for d in deals:
        if not d.created_before or d.stage_id not in stall:
            continue
        g = groups.setdefault((d.stage_id, d.owner_id, d.currency), [0, 0, None, 0, 0, 0, 0])
        g[0] += 1
        g[1] += d.cents or 0
        if d.entered is not None:
            g[2] = (g[2] or 0.0) + (now - d.entered)
        if _stalled(d, stall[d.stage_id], now):
            g[3] += 1
        if d.close_date is not None and d.close_date < today:
            g[4] += 1
            g[5] += d.cents or 0
            if d.close_date >= week_first_day:
                g[6] += 1
    return [
        OpenGroup(stage, owner, currency, n, cents, _whole_seconds(age), st, sl, sl_c, sl_w)
        for (stage, owner, currency), (n, cents, age, st, sl, sl_c, sl_w) in groups.items()
    ]


def stalled_deals(
    deals: list[OpenDeal], stages: list[StageInfo], at: datetime, limit: int = 5, owner_id: str | None = None
) -> list[StalledDeal]:
    """digest_queries.stalled_deals: idle longest first, ties the larger deal number first."""
    stall = {s.id: s.stall_days for s in stages}
    now = at.timestamp()
    found = []
    for d in deals:
        if not d.created_before or not _stalled(d, stall.get(d.stage_id), now):
            continue
        if owner_id is None or d.owner_id == owner_id:
            found.append(d)
    found = heapq.nsmallest(limit, found, key=lambda d: (d.idle_since, -d.number))
    return [
        StalledDeal(
            d.number,
            d.name,
            d.owner_id,
            d.stage_id,
            d.cents,
            d.currency,
            int((now - _whole_seconds(d.idle_since)) // DAY),
        )
        for d in found
    ]


def coverage(deals: list[OpenDeal], stages: list[StageInfo], qualified: set[int]) -> Fraction | None:
    """digest_queries.qualification_coverage: of the deals past Qualification, those in `qualified`
    (a complete BANT qualification); None without a Qualification stage or a deal past it."""
    qualification = next((s for s in stages if s.key == QUALIFICATION), None)
    if qualification is None:
        return None
    position = {s.id: s.position for s in stages}
    past = [d.id for d in deals if position[d.stage_id] > qualification.position]
    if not past:
        return None
    return Fraction(sum(1 for deal_id in past if deal_id in qualified), len(past))


def oldest_in_stage(deals: list[OpenDeal], stage_id: int, at: datetime, limit: int = 3) -> list[StalledDeal]:
    """insight_queries.oldest_in_stage: the deals longest in the stage (idle_days: days in it),
    ties the smaller deal number first; a deal without a stage change first, as SQLite sorts it."""
    now = at.timestamp()
    # nsmallest: sorted(...)[:limit] without sorting the stage's tens of thousands of deals
    found = heapq.nsmallest(
        limit,
        (d for d in deals if d.stage_id == stage_id),
        key=lambda d: (d.entered is not None, d.entered or 0.0, d.number),
    )
    return [
        StalledDeal(
            d.number, d.name, d.owner_id, stage_id, d.cents, d.currency, int((now - (d.entered or 0)) // DAY)
        )
        for d in found
    ]


def step_counts(deals: list[OpenDeal], today: date) -> StepCounts:
    """next_steps.step_counts: without a next step, and with one due before `today`."""
    missing = sum(1 for d in deals if not d.has_step)
    overdue = sum(1 for d in deals if d.has_step and d.step_due is not None and d.step_due < today)
    return StepCounts(missing, overdue)


def ages(deals: list[OpenDeal], at: datetime) -> list[Age]:
    """insight_queries.ages_now: by stage and whole days since entering it. A deal with no stage
    change is its own group of 0 days, as the query's NULL group is."""
    now = at.timestamp()
    counts: dict[tuple[int, int | None], int] = defaultdict(int)
    for d in deals:
        counts[(d.stage_id, None if d.entered is None else int((now - d.entered) / DAY))] += 1
    return [Age(stage, max(days or 0, 0), n) for (stage, days), n in counts.items()]


def by_close(deals: list[OpenDeal], bounds: list[date], made_before: bool = False) -> list[PipelineGroup]:
    """forecast_queries.pipeline_now (or, `made_before`, pipeline_at for a moment no stage changed
    since): per stage, currency and the first bound the close date is before (len(bounds): none)."""
    cells: dict[tuple[int, str, int], list[int]] = {}
    for d in deals:
        if made_before and not d.created_before:
            continue
        k = len(bounds) if d.close_date is None else bisect_right(bounds, d.close_date)
        cell = cells.setdefault((d.stage_id, d.currency, k), [0, 0])
        cell[0] += 1
        cell[1] += d.cents or 0
    return [PipelineGroup(s, c, k, n, cents) for (s, c, k), (n, cents) in cells.items()]
