"""The digest and the forecast in the team currency, when the team has exchange rates. Pure: the
rates, the rows and the days are passed in (docs/metrics.md, "Money and currencies").

Open deals are converted at the rate in force today, closed deals at the rate of the day each
closed (the team's date). The digest's rows are converted before the arithmetic runs, so every
figure (sums, averages, weighted, velocity) is computed as before, in one currency. Each row (a
group of deals of one currency that the database summed) is converted exactly and rounded half-even
once. A currency without a rate on the day is left out of the sums (its deals still count in the
counts) and named beside the figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from domain.metrics import WON, ClosedGroup, Facts, Money
from domain.rates import Rates
from domain.replay import Month, PipelineGroup
from domain.zones import zone


@dataclass(frozen=True)
class Close:
    """One deal whose last close in a window was `kind` (won/lost), and when."""

    kind: str
    owner_id: str
    currency: str
    cents: int | None
    at: datetime

    def day(self, timezone: str | None) -> date:
        return _aware(self.at).astimezone(zone(timezone)).date()


@dataclass(frozen=True)
class ConvertedAt:
    """What the converted figures say beside them: "converted at rates of <day>"."""

    currency: str  # the team currency
    day: date | None  # the newest rate in force today
    missing: tuple[str, ...]  # currencies left out: no rate on a day they were needed


class Converter:
    """Converts into `to` with `rates`, remembering the currencies it could not convert."""

    def __init__(self, rates: Rates, to: str) -> None:
        self.rates, self.to = rates, to
        self.missing: set[str] = set()

    def sum(self, amounts: Iterable[tuple[int, str, date]]) -> tuple[int, int]:
        """(cents, how many amounts were converted): Σ cents × the rate on its day, rounded once."""
        exact, converted = Decimal(0), 0
        for cents, currency, day in amounts:
            factor = self.rates.factor(currency, self.to, day)
            if factor is None:
                if cents:
                    self.missing.add(currency)
                continue
            exact += Decimal(cents) * factor
            converted += 1
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), converted

    def one(self, cents: int, currency: str, day: date) -> int:
        return self.sum([(cents, currency, day)])[0]

    def label(self, today: date) -> ConvertedAt:
        return ConvertedAt(self.to, self.rates.latest(today), tuple(sorted(self.missing)))


def needed(rates: Rates, to: str, currencies: Iterable[str]) -> bool:
    """Convert only when there are rates and some amount is in another currency than the team's."""
    return bool(rates) and bool(set(currencies) - {to})


def convert_facts(
    f: Facts, week: list[Close], window: list[Close], cv: Converter, today: date, timezone: str | None
) -> Facts:
    """The digest's rows in the team currency: open deals (now, a week ago, created this week) at
    today's rate; the week's and the window's closed deals each at the rate of the day it closed
    (`week` and `window` are those deals, one row each)."""
    to = cv.to
    return replace(
        f,
        open_now=[
            replace(
                g,
                currency=to,
                cents=cv.one(g.cents, g.currency, today),
                slipped_cents=cv.one(g.slipped_cents, g.currency, today),
            )
            for g in f.open_now
        ],
        open_before=[
            replace(t, currency=to, cents=cv.one(t.cents, t.currency, today)) for t in f.open_before
        ],
        new_week=[replace(g, currency=to, cents=cv.one(g.cents, g.currency, today)) for g in f.new_week],
        closed_week=_closed(f.closed_week, week, cv, timezone),
        closed_window=_closed(f.closed_window, window, cv, timezone),
    )


def _closed(groups: list[ClosedGroup], closes: list[Close], cv: Converter, timezone: str | None):
    """Each group's deals converted one by one at their day's rate; counts and cycles unchanged. A
    deal that cannot be converted stays in the counts but not in the sums nor in `priced`."""
    by_group: dict[tuple[str, str, str], list[tuple[int, str, date]]] = {}
    for c in closes:
        if c.cents is not None:
            by_group.setdefault((c.kind, c.owner_id, c.currency), []).append(
                (c.cents, c.currency, c.day(timezone))
            )
    out = []
    for g in groups:
        cents, priced = cv.sum(by_group.get((g.kind, g.owner_id, g.currency), []))
        out.append(replace(g, currency=cv.to, cents=cents, priced=priced))
    return out


def convert_pipeline(groups: list[PipelineGroup], cv: Converter, day: date) -> list[PipelineGroup]:
    """The forecast's open deals at the rate of `day` (today, or a month's first day)."""
    return [replace(g, currency=cv.to, cents=cv.one(g.cents, g.currency, day)) for g in groups]


def won_total(
    closes: list[Close], cv: Converter, timezone: str | None, since: datetime | None = None
) -> Money:
    """The won deals among `closes` (closed at or after `since`), each at its day's rate."""
    cents, _ = cv.sum(
        (c.cents, c.currency, c.day(timezone))
        for c in closes
        if c.kind == WON and c.cents and (since is None or _aware(c.at) >= since)
    )
    return {cv.to: cents} if cents else {}


def convert_month(month: Month, won: list[Close], cv: Converter, timezone: str | None) -> Month:
    """A month's check in the team currency: what was due at its start at the rate of its first
    day, what was won in it at the rate of the day each deal closed."""
    due: dict[tuple[int, str], int] = {}
    for (stage, currency), cents in month.due_cents.items():
        due[(stage, cv.to)] = due.get((stage, cv.to), 0) + cv.one(cents, currency, month.first)
    return replace(month, due_cents=due, won=won_total(won, cv, timezone))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite keeps naive UTC
