"""Goals: attainment of a won-amount goal and the thresholds a rep crosses on the way. Pure: the won
cents come from the caller, the day is an argument (issue 19; definitions in docs/metrics.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

THRESHOLDS = (50, 90, 100)  # percent; a DM goes out once for each one crossed


@dataclass(frozen=True)
class Attainment:
    won_cents: int
    goal_cents: int
    percent: Fraction | None  # None when the goal is zero: nothing to attain
    days_left: int  # days after `today` up to and including the period's last day; 0 once over


def attainment(won_cents: int, goal_cents: int, today: date, period_end: date) -> Attainment:
    """Won so far against the goal, as an exact percentage, and the days left in the period."""
    percent = Fraction(100 * won_cents, goal_cents) if goal_cents > 0 else None
    return Attainment(won_cents, goal_cents, percent, max((period_end - today).days, 0))


def crossed(before_cents: int, after_cents: int, goal_cents: int) -> tuple[int, ...]:
    """The thresholds passed when the won amount moves from `before` to `after` (a threshold is
    reached at exactly its share: 50 % of 1000 is reached at 500)."""
    if goal_cents <= 0:
        return ()
    return tuple(t for t in THRESHOLDS if 100 * before_cents < t * goal_cents <= 100 * after_cents)
