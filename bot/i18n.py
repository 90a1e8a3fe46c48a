"""The message catalog: every user-facing string goes through here.

Strings are written in English in the code and marked with ``_()`` (translate now) or ``N_()``
(mark for translation, translate later). Catalogs are gettext ``.po`` files under
``bot/locales/<lang>/LC_MESSAGES/messages.po``, read with Babel; a string without a
translation falls back to English. Numbers, money and dates are formatted per locale by Babel.
"""

from __future__ import annotations

import functools
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
