"""The forecast by month and how accurate it has been. Pure: rows and months are passed in.

Two methods, each per currency (docs/metrics.md, "Forecast by month"):
- **weighted**: amount × the stage's configured win probability;
- **history**: amount × the share of the team's due deals in that stage that were won within their
  month, over the trailing months, shrunk toward the configured probability while the history is thin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from domain.conversion import ConvertedAt
from domain.metrics import OPEN, Money, StageInfo, round_cents
from domain.months import add_months
from domain.replay import Month, PipelineGroup

TRAILING_MONTHS = 6  # the history rates' window
PRIOR_DEALS = 10  # the configured probability counts as this many deals of history
AHEAD = 3  # this month and the next two

WEIGHTED, HISTORY = "weighted", "history"
METHODS = (WEIGHTED, HISTORY)


@dataclass(frozen=True)
class StageRate:
    stage: StageInfo
    due: int  # deals in the stage at a month's start, due by its end, over the trailing months
    won: int  # ... of which won within that month

    @property
    def observed(self) -> Fraction | None:
        return Fraction(self.won, self.due) if self.due else None

    @property
    def rate(self) -> Fraction:
        """(won + k × p) ÷ (due + k): k = PRIOR_DEALS, p = the configured probability."""
        prior = Fraction(self.stage.probability, 100)
        return (self.won + PRIOR_DEALS * prior) / (self.due + PRIOR_DEALS)


@dataclass
class Bucket:
    """Open deals by expected close: overdue (`month` None), or due in one calendar month."""

    month: date | None
    count: int = 0
    open: Money = field(default_factory=dict)
    weighted: Money = field(default_factory=dict)
    history: Money = field(default_factory=dict)


@dataclass
class MonthCheck:
    """One month's forecasts, made at its first moment, against what was won in it."""

    month: date
    weighted: Money
    history: Money
    actual: Money

    def predicted(self, method: str) -> Money:
        return self.weighted if method == WEIGHTED else self.history

    def error(self, method: str, currency: str) -> int:
        return self.predicted(method).get(currency, 0) - self.actual.get(currency, 0)

    def ape(self, method: str, currency: str) -> Fraction | None:
        """|forecast − actual| ÷ actual; None when nothing was won (a percentage of zero is undefined)."""
        actual = self.actual.get(currency, 0)
        return Fraction(abs(self.error(method, currency)), actual) if actual else None


@dataclass
class Backtest:
    months: list[MonthCheck]

    @property
    def currencies(self) -> list[str]:
        found: set[str] = set()
        for m in self.months:
            found |= {c for money in (m.weighted, m.history, m.actual) for c, v in money.items() if v}
        return sorted(found)

    def mape(self, method: str, currency: str) -> Fraction | None:
        """The mean of the months' APEs, over the months in which something was won."""
        apes = [a for m in self.months if (a := m.ape(method, currency)) is not None]
        return sum(apes, Fraction(0)) / len(apes) if apes else None


@dataclass
class Forecast:
    today: date
    buckets: list[Bucket]  # overdue, then this month and the next two
    rates: list[StageRate]
    won_month: Money
    won_quarter: Money
    last_month: MonthCheck | None  # last month's forecasts against its actual
    currencies: list[str]
    converted: ConvertedAt | None = None  # in the team currency (domain/conversion.py); None: per currency


def stage_rates(stages: list[StageInfo], months: list[Month]) -> list[StageRate]:
    """The history rate of every open stage over `months`."""
    return [
        StageRate(s, sum(m.due.get(s.id, 0) for m in months), sum(m.due_won.get(s.id, 0) for m in months))
        for s in sorted(stages, key=lambda s: (s.position, s.id))
        if s.kind == OPEN
    ]


def _apply(cents: dict[tuple[int, str], int], factor: dict[int, Fraction]) -> Money:
    exact: dict[str, Fraction] = {}
    for (stage_id, currency), amount in cents.items():
        exact[currency] = exact.get(currency, Fraction(0)) + amount * factor.get(stage_id, Fraction(0))
    return {c: round_cents(v) for c, v in sorted(exact.items())}


def _probabilities(stages: list[StageInfo]) -> dict[int, Fraction]:
    return {s.id: Fraction(s.probability, 100) for s in stages if s.kind == OPEN}


def check_month(stages: list[StageInfo], month: Month, before: list[Month]) -> MonthCheck:
    """What each method would have said at `month`'s start, from the months `before` it."""
    rates = {r.stage.id: r.rate for r in stage_rates(stages, before)}
    return MonthCheck(
        month=month.first,
        weighted=_apply(month.due_cents, _probabilities(stages)),
        history=_apply(month.due_cents, rates),
        actual=dict(sorted((c, v) for c, v in month.won.items() if v)),
    )


def backtest(stages: list[StageInfo], months: list[Month], trailing: int = TRAILING_MONTHS) -> Backtest:
    """Every month after the first `trailing` ones, checked against the `trailing` months before it."""
    return Backtest(
        [check_month(stages, months[k], months[k - trailing : k]) for k in range(trailing, len(months))]
    )


def bucket_bounds(today: date) -> list[date]:
    """The bounds of the buckets, for the query: due before today (overdue), before the end of this
    month, of the next, of the one after. A deal past the last bound, or without a close date, is in none."""
    first = today.replace(day=1)
    return [today, *(add_months(first, k) for k in range(1, AHEAD + 1))]


def forecast(
    stages: list[StageInfo],
    open_now: list[PipelineGroup],
    months: list[Month],
    today: date,
    won_month: Money,
    won_quarter: Money,
) -> Forecast:
    """`open_now` is grouped by bucket (`close_k` indexes bucket_bounds(today)); `months` are the
    trailing months before today's month, oldest first (one more than TRAILING_MONTHS gives last
    month's check too)."""
    first = today.replace(day=1)
    buckets = [Bucket(None), *(Bucket(add_months(first, k)) for k in range(AHEAD))]
    cents: list[dict[tuple[int, str], int]] = [{} for _ in buckets]
    kinds = {s.id: s.kind for s in stages}
    for g in open_now:
        if g.close_k >= len(buckets) or kinds.get(g.stage_id) != OPEN:
            continue
        buckets[g.close_k].count += g.count
        sc = cents[g.close_k]
        sc[(g.stage_id, g.currency)] = sc.get((g.stage_id, g.currency), 0) + g.cents
    trailing = months[-TRAILING_MONTHS:]
    rates = stage_rates(stages, trailing)
    by_stage = {r.stage.id: r.rate for r in rates}
    probabilities = _probabilities(stages)
    for bucket, sc in zip(buckets, cents, strict=True):
        bucket.open = _apply(sc, {s: Fraction(1) for s in probabilities})
        bucket.weighted = _apply(sc, probabilities)
        bucket.history = _apply(sc, by_stage)
    last = (
        check_month(stages, months[-1], months[-TRAILING_MONTHS - 1 : -1])
        if len(months) > TRAILING_MONTHS
        else None
    )
    currencies = sorted(
        {c for b in buckets for c in b.open}
        | set(won_month)
        | set(won_quarter)
        | (set(last.actual) | set(last.weighted) if last else set())
    )
    return Forecast(today, buckets, rates, won_month, won_quarter, last, currencies)
