"""Reading money amounts the way reps type them.

Accepted: ``50000``, ``50k``, ``1.2m``, ``€50.000``, ``50,000 EUR``, ``1,2 Mio €``,
``50.000,00``, ``1,2 mln``, ``$ 12,500.50``, ``€ 50.000,-``; a hedge before the amount is read
past (``ong. 40k``, ``ca. 50.000``, ``ungefähr 1,2 Mio``, ``about 40k``, ``~40k``): the amount is
the rep's best guess either way. Amounts are kept as integer minor units (cents) so that sums in
SQL are exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.i18n import N_
from domain.errors import UserError

# Largest amount we believe a rep means: ten billion in any currency.
MAX_AMOUNT_CENTS = 10_000_000_000 * 100

SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "fr.": "CHF", "chf": "CHF"}
CODES = {"EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD"}
WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP"}

# Multipliers in English, Dutch and German, longest first so "mln" wins over "m".
MULTIPLIERS = {
    "thousand": 1_000,
    "duizend": 1_000,
    "tausend": 1_000,
    "tsd.": 1_000,
    "tsd": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "miljoen": 1_000_000,
    "millionen": 1_000_000,
    "mio.": 1_000_000,
    "mio": 1_000_000,
    "mln.": 1_000_000,
    "mln": 1_000_000,
    "mm": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "mrd.": 1_000_000_000,
    "mrd": 1_000_000_000,
    "b": 1_000_000_000,
}

_NUMBER = re.compile(r"^[+-]?\d[\d.,' ]*$")
# "About" in English, Dutch and German, as reps write it before an amount.
_HEDGE = re.compile(
    r"^(?:[~±≈]|(?:approx(?:imately|\.)?|about|around|roughly|circa|ca\.?|"
    r"ong(?:eveer|ev\.|\.)?|rond|zo'n|ungef(?:ähr|\.)|etwa|rund)(?=[\s\d€$£¥]))\s*"
)
# Whole amounts the Dutch and German way: "€ 50.000,-", "50.000,– EUR".
_NO_CENTS = re.compile(r"[.,][-–]$")


class AmountError(ValueError):
    """The text is not an amount we can read; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # one of: unreadable, negative, too_large


@dataclass(frozen=True)
class Amount:
    cents: int
    currency: str | None  # None when the text named no currency

    @property
    def value(self) -> Decimal:
        return Decimal(self.cents) / 100


def parse_amount(text: str) -> Amount:
    """Parse one amount; raise AmountError when it is not one."""
    s = text.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    if not s or len(s) > 40:
        raise AmountError("unreadable")
    s = _HEDGE.sub("", s)
    currency, s = _take_currency(s)
    s = _HEDGE.sub("", s)  # "€ ca. 50.000"
    negative = s.startswith("-")
    s = s.lstrip("+-").strip()
    multiplier, s = _take_multiplier(s)
    # A currency may also stand between the number and the multiplier: "1,2 € Mio" is rare,
    # but "50k EUR" and "€50k" are common and handled by taking the currency first.
    if currency is None:
        currency, s = _take_currency(s)
    s = _NO_CENTS.sub("", s.strip())
    if not s or not _NUMBER.match(s):
        raise AmountError("unreadable")
    number = _to_decimal(s, has_multiplier=multiplier != 1)
    if negative and number != 0:
        raise AmountError("negative")
    cents_dec = number * multiplier * 100
    if cents_dec != cents_dec.to_integral_value():
        cents_dec = cents_dec.quantize(Decimal(1))
    cents = int(cents_dec)
    if cents > MAX_AMOUNT_CENTS:
        raise AmountError("too_large")
    return Amount(cents=cents, currency=currency)


def _take_currency(s: str) -> tuple[str | None, str]:
    for sym, code in SYMBOLS.items():
        if s.startswith(sym):
            return code, s[len(sym) :].strip()
        if s.endswith(sym):
            return code, s[: -len(sym)].strip()
    m = re.match(r"^([a-z]{3})\s*(.*)$", s)
    if m and m.group(1).upper() in CODES:
        return m.group(1).upper(), m.group(2)
    m = re.match(r"^(.*?)\s*([a-z]{3,7})$", s)
    if m:
        word = m.group(2)
        if word.upper() in CODES:
            return word.upper(), m.group(1)
        if word in WORDS:
            return WORDS[word], m.group(1)
    return None, s


def _take_multiplier(s: str) -> tuple[int, str]:
    for word in sorted(MULTIPLIERS, key=len, reverse=True):
        if s.endswith(word):
            head = s[: -len(word)]
            if head and (head[-1].isdigit() or head[-1] == " "):
                return MULTIPLIERS[word], head.strip()
    return 1, s


def _to_decimal(s: str, has_multiplier: bool) -> Decimal:
    """Tell thousands separators from decimal marks, in English and continental style."""
    # Spaces and apostrophes group thousands ("50 000", "1'000") only in groups of three.
    if re.search(r"[ ']", s) and not re.fullmatch(r"\d{1,3}([ ']\d{3})+([.,]\d+)?", s):
        raise AmountError("unreadable")
    s = s.replace(" ", "").replace("'", "")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        # The mark that comes last is the decimal mark: 50.000,00 or 50,000.00.
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if dec == "," else ","
        s = s.replace(thousands, "").replace(dec, ".")
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, frac = s.split(mark)
        # "50.000" and "50,000" are thousands; "1.2m", "1,5" and "12,50" are decimals.
        s = whole + frac if len(frac) == 3 and not has_multiplier and whole != "0" else whole + "." + frac
    elif dots + commas > 1:
        mark = "." if dots else ","
        groups = s.split(mark)
        if any(len(g) != 3 for g in groups[1:]):
            raise AmountError("unreadable")
        s = "".join(groups)
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex keeps this out
        raise AmountError("unreadable") from exc


def amount_error(exc: AmountError, text: str) -> UserError:
    if exc.reason == "negative":
        return UserError(N_("An amount can't be negative: `{amount}`."), amount=text[:40])
    if exc.reason == "too_large":
        return UserError(
            N_("`{amount}` is more than I believe a deal is worth. Check the zeros."), amount=text[:40]
        )
    return UserError(
        N_("I can't read the amount `{amount}`. Try 50000, 50k, 1.2m or €50.000."), amount=text[:40]
    )
