"""Exchange rates: reading the ECB's published XML, and converting an amount on a given day. Pure.

Two sources, both kept as "1 `currency` is worth `rate` `base`" from a day on (each rate holds until
the next one for the pair):
- a team's own rates, entered by an admin against the team currency (`/pipeline rates set USD 0.92`);
- the ECB's euro reference rates (eurofxref-daily.xml, or the 90-day and full-history files of the
  same shape), `<Cube time="…"><Cube currency="USD" rate="1.0705"/>`: 1 EUR = 1.0705 USD.
A team's own rate for a pair wins over the feed's; otherwise two feed rates cross through the euro.
Cents are converted exactly (Decimal) and rounded half-even once, at the end."""

from __future__ import annotations

import bisect
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

EUR = "EUR"
_ECB = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}Cube"
MAX_FEED_BYTES = 5_000_000  # the full history since 1999 is about 2 MB


class RateError(ValueError):
    """The text is not a rate or a feed we can read; the message says why, for a log or a CLI."""


@dataclass(frozen=True)
class Rate:
    currency: str
    base: str
    day: date  # effective from this day on
    rate: Decimal  # 1 currency = rate base


def parse_rate(text: str) -> Decimal:
    """A positive number, `0.92` or `0,92`; RateError otherwise."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise RateError(text) from exc
    if not value.is_finite() or value <= 0 or value > Decimal(10) ** 9:
        raise RateError(text)
    return value


def parse_ecb(data: bytes) -> list[Rate]:
    """Every (day, currency) of an ECB reference-rate file, as 1 EUR = rate currency."""
    if len(data) > MAX_FEED_BYTES:
        raise RateError("the file is larger than any ECB rate file")
    if b"<!DOCTYPE" in data[:2000].upper():
        raise RateError("an ECB rate file has no DOCTYPE")  # nor entities to expand
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise RateError(f"not XML: {exc}") from exc
    rates = []
    for day_cube in root.iter(_ECB):
        when = day_cube.get("time")
        if when is None:
            continue
        try:
            day = date.fromisoformat(when)
        except ValueError as exc:
            raise RateError(f"not a day: {when!r}") from exc
        for cube in day_cube.findall(_ECB):
            currency, rate = cube.get("currency") or "", cube.get("rate") or ""
            if len(currency) != 3 or not currency.isalpha():
                raise RateError(f"not a currency code: {currency!r}")
            rates.append(Rate(EUR, currency.upper(), day, parse_rate(rate)))
    if not rates:
        raise RateError("no rates in it: not an ECB reference-rate file")
    return rates


@dataclass
class Rates:
    """The rates a team converts with. `convert` answers None where no rate covers the day."""

    own: list[Rate] = field(default_factory=list)
    feed: list[Rate] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pairs: dict[tuple[str, str], tuple[list[date], list[Decimal]]] = {}
        for source, rows in (("own", self.own), ("feed", self.feed)):
            for r in sorted(rows, key=lambda r: r.day):
                days, values = self._pairs.setdefault((source + ":" + r.currency, r.base), ([], []))
                days.append(r.day)
                values.append(r.rate)

    def __bool__(self) -> bool:
        return bool(self.own or self.feed)

    def _on(self, source: str, currency: str, base: str, day: date) -> Decimal | None:
        found = self._pairs.get((source + ":" + currency, base))
        if found is None:
            return None
        days, values = found
        i = bisect.bisect_right(days, day)
        return values[i - 1] if i else None

    def factor(self, currency: str, to: str, day: date) -> Decimal | None:
        """How many `to` one `currency` is worth on `day`."""
        if currency == to:
            return Decimal(1)
        for source in ("own", "feed"):
            direct = self._on(source, currency, to, day)
            if direct is not None:
                return direct
            inverse = self._on(source, to, currency, day)
            if inverse is not None:
                return 1 / inverse
        per_eur_from = Decimal(1) if currency == EUR else self._on("feed", EUR, currency, day)
        per_eur_to = Decimal(1) if to == EUR else self._on("feed", EUR, to, day)
        if per_eur_from is None or per_eur_to is None:
            return None
        return per_eur_to / per_eur_from

    def convert(self, cents: int, currency: str, to: str, day: date) -> int | None:
        factor = self.factor(currency, to, day)
        if factor is None:
            return None
        return int((Decimal(cents) * factor).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def latest(self, on: date) -> date | None:
        """The newest effective day on or before `on`: what "converted at rates of <date>" names."""
        days = [r.day for r in (*self.own, *self.feed) if r.day <= on]
        return max(days) if days else None
