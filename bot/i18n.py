"""The message catalog: every user-facing string goes through here.

Strings are written in English in the code and marked with ``_()`` (translate now) or ``N_()``
(mark for translation, translate later). Catalogs are gettext ``.po`` files under
``bot/locales/<lang>/LC_MESSAGES/messages.po``, read with Babel; a string without a
translation falls back to English. Numbers, money and dates are formatted per locale by Babel.
"""

from __future__ import annotations

import functools
import re
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "nl", "de")
DEFAULT_LANGUAGE = "en"


# The language of the person a request comes from, set once per request by a middleware
# (handlers.language); work that runs for someone else (a nudge, a digest) names its language.
current_language: ContextVar[str | None] = ContextVar("current_language", default=None)


def language_of(locale: str | None) -> str | None:
    """Slack's "nl-NL" or "de_AT" -> "nl" / "de"; None for a language we do not speak."""
    lang = (locale or "").replace("_", "-").split("-")[0].lower()
    return lang if lang in LANGUAGES else None


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here."""
    return message


class Translator:
    def __init__(self, language: str, catalog: dict):
        self.language = language
        self._catalog = catalog

    def __call__(self, message: str, **params) -> str:
        text = self._catalog.get(message) or message
        return text.format(**params) if params else text

    def n(self, singular: str, plural: str, count: int, **params) -> str:
        """A message whose wording depends on a count: _.n("{count} deal", "{count} deals", n)."""
        forms = self._catalog.get((singular, plural))
        text = (forms[0] if count == 1 else forms[1]) if forms else (singular if count == 1 else plural)
        return text.format(count=count, **params)

    def money(self, cents: int | None, currency: str) -> str:
        return format_money(cents, currency, self.language)

    def date(self, value: date | None) -> str:
        return format_day(value, self.language)


@functools.cache
def _load_catalog(language: str) -> dict:
    po = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po.exists():
        return {}
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    found: dict = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):  # a plural entry: (singular, plural) -> (one, other)
            if all(m.string):
                found[tuple(m.id)] = tuple(m.string)
        elif m.string:
            found[m.id] = m.string
    return found


def translator(language: str | None = None) -> Translator:
    """A translator for a language, or for the current request's when none is named."""
    lang = language_of(language or current_language.get()) or DEFAULT_LANGUAGE
    return Translator(lang, _load_catalog(lang))


def format_money(cents: int | None, currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    if cents is None:
        return "–"
    shape = _money_shape(language, currency) if cents >= 0 else None
    if shape is not None:
        return _shaped(cents, shape)
    return _babel_money(cents, currency, language)


def _shaped(cents: int, shape: tuple[str, str, str, str]) -> str:
    prefix, group, decimal, suffix = shape
    whole, rest = divmod(cents, 100)
    digits = f"{whole:,}".replace(",", group) + (f"{decimal}{rest:02d}" if rest else "")
    return f"{prefix}{digits}{suffix}"


@functools.cache
def _money_shape(language: str, currency: str) -> tuple[str, str, str, str] | None:
    """How babel writes amounts of a currency in a language, read off samples: (prefix, thousands
    separator, decimal mark, suffix), so that the many amounts a digest or a nudge lists cost a
    string format each instead of babel's 50 µs. None where the shape is not that simple (a
    currency without cents, another grouping): babel then formats every amount."""
    try:
        sample = _babel_money(123_456_789, currency, language)
    except Exception:  # noqa: BLE001 - an unknown currency or locale: leave it all to babel
        return None
    found = re.fullmatch(r"(\D*)1(\D)234(\D)567(\D)89(\D*)", sample)
    if found is None or found[2] != found[3]:
        return None
    shape = (found[1], found[2], found[4], found[5])
    checks = (0, 5, 100, 1_000_00, 999_999, 123_456_700, 10_000_000_000_00)
    return shape if all(_shaped(c, shape) == _babel_money(c, currency, language) for c in checks) else None


def _babel_money(cents: int, currency: str, language: str) -> str:
    value = Decimal(cents) / 100
    # Whole amounts read better without ",00"; keep cents only where there are some.
    pattern = None if cents % 100 else _whole_pattern(language)
    return format_currency(value, currency, format=pattern, locale=language, currency_digits=pattern is None)


@functools.cache
def _whole_pattern(language: str) -> str:
    pattern = Locale.parse(language).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "").replace(",00", "")


def format_day(value: date | None, language: str = DEFAULT_LANGUAGE) -> str:
    if value is None:
        return "–"
    return format_date(value, format="medium", locale=language)
