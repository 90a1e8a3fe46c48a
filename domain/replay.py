"""The pipeline at the start of each month, rebuilt from the stage history, in aggregate: which
deals were open in which stage and due (expected close date in that month or earlier), and what
was won within the month.

Pure: the groups come from models/forecast_queries.py. The pipeline at a month's start M ("at M"
is just before M, as in the digest) is the pipeline now with every change at or after M undone:
a change from stage a to stage b takes a deal out of b and puts it back into a (a creation has no
a). Undoing the changes month by month, newest first, gives every month start from one pass over
changes grouped by month. Amounts, currencies and close dates are today's values (the history
records stages only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PipelineGroup:
    """Deals in an open stage now, by stage, currency and the month they are due in."""

    stage_id: int
    currency: str
    close_k: int  # the first month k whose end is after the close date; len(months): never due
    count: int
    cents: int  # the sum of the amounts given


@dataclass(frozen=True)
class ChangeGroup:
    """Stage changes in month `at_k` (len(months): after the last month), grouped like the deals."""

    at_k: int
    from_stage_id: int | None  # None: the deals were created
    to_stage_id: int
    currency: str
    close_k: int
    count: int
    cents: int


@dataclass(frozen=True)
class WonGroup:
    """Deals whose last close within month k was a win, by the stage they were in at its start."""

    k: int
    stage_id: int | None  # None: created during the month
    due: bool  # their close date was before the month's end
    currency: str
    count: int
    cents: int


@dataclass
class Month:
    first: date
    due: dict[int, int] = field(default_factory=dict)  # open stage -> deals open and due at the start
    due_won: dict[int, int] = field(default_factory=dict)  # ... of which won within the month
    due_cents: dict[tuple[int, str], int] = field(default_factory=dict)  # (stage, currency) -> amounts due
    won: dict[str, int] = field(default_factory=dict)  # currency -> amounts won within the month


def replay(
    firsts: list[date],
    pipeline: list[PipelineGroup],
    changes: list[ChangeGroup],
    won: list[WonGroup],
    open_ids: set[int],
) -> list[Month]:
    last = len(firsts)
    state: dict[tuple[int, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for p in pipeline:
        if p.stage_id in open_ids:
            cell = state[(p.stage_id, p.currency, p.close_k)]
            cell[0] += p.count
            cell[1] += p.cents
    by_month: dict[int, list[ChangeGroup]] = defaultdict(list)
    for c in changes:
        by_month[c.at_k].append(c)
    months = [Month(first) for first in firsts]
    for k in range(last, -1, -1):
        for c in by_month.get(k, ()):
            if c.to_stage_id in open_ids:
                cell = state[(c.to_stage_id, c.currency, c.close_k)]
                cell[0] -= c.count
                cell[1] -= c.cents
            if c.from_stage_id in open_ids:
                cell = state[(c.from_stage_id, c.currency, c.close_k)]
                cell[0] += c.count
                cell[1] += c.cents
        if k == last:
            continue
        month = months[k]
        for (stage, currency, close_k), (count, cents) in state.items():
            if close_k <= k and count:
                month.due[stage] = month.due.get(stage, 0) + count
                month.due_cents[(stage, currency)] = month.due_cents.get((stage, currency), 0) + cents
    for w in won:
        month = months[w.k]
        month.won[w.currency] = month.won.get(w.currency, 0) + w.cents
        if w.due and w.stage_id in open_ids:
            month.due_won[w.stage_id] = month.due_won.get(w.stage_id, 0) + w.count
    return months
