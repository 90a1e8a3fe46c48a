"""The message catalog: every user-facing string goes through here.

Strings are written in English in the code and marked with ``_()`` (translate now) or ``N_()``
(mark for translation, translate later). Catalogs are gettext ``.po`` files under
``bot/locales/<lang>/LC_MESSAGES/messages.po``, read with Babel; a string without a
translation falls back to English. Numbers, money and dates are formatted per locale by Babel.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "nl", "de")
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here."""
    return message


class Translator:
    def __init__(self, language: str, catalog: dict[str, str]):
        self.language = language
        self._catalog = catalog

    def __call__(self, message: str, **params) -> str:
        text = self._catalog.get(message) or message
        return text.format(**params) if params else text

    def money(self, cents: int | None, currency: str) -> str:
        return format_money(cents, currency, self.language)

    def date(self, value: date | None) -> str:
        return format_day(value, self.language)


@functools.cache
def _load_catalog(language: str) -> dict[str, str]:
    po = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po.exists():
        return {}
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def translator(language: str | None) -> Translator:
    lang = (language or DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
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
