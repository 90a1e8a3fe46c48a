"""The message catalog: every user-facing string goes through here.

Strings are written in English in the code and marked with ``_()`` (translate now) or ``N_()``
(mark for translation, translate later). Catalogs are gettext files under
``bot/locales/<lang>/LC_MESSAGES/``: ``messages.po`` (kept in git, edited by translators) and
``messages.mo`` (made by ``python -m bot.i18n_tools compile``). The runtime reads the ``.mo``
when there is one at least as new as the ``.po``, else the ``.po`` itself, both with Babel; so a
fresh checkout works without compiling, and an edited ``.po`` is never shadowed by a stale
``.mo``. A string without a translation falls back to English. Numbers, money and dates are
formatted per locale by Babel. See docs/i18n.md.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_relative_name
from babel.numbers import format_currency, format_percent

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "nl", "de")
DEFAULT_LANGUAGE = "en"


# The language of the person a request comes from, set once per request by a middleware
# (handlers.language); work that runs for someone else (a nudge, a digest) names its language.
current_language: ContextVar[str | None] = ContextVar("current_language", default=None)
# Whether the request's team chose formal address (German "Sie", Dutch "u"), set beside it.
current_formal: ContextVar[bool] = ContextVar("current_formal", default=False)
# The formal variant of a language's catalog: bot/locales/<lang>/LC_MESSAGES/formal.po, complete
# like messages.po (the same checks), and used instead of it for a team that chose formal address.
FORMAL = "formal"


def language_of(locale: str | None) -> str | None:
    """Slack's "nl-NL" or "de_AT" -> "nl" / "de"; None for a language we do not speak."""
    lang = (locale or "").replace("_", "-").split("-")[0].lower()
    return lang if lang in LANGUAGES else None


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here."""
    return message


class Lazy(str):
    """A parameter that is itself a catalog message, translated when the message is shown:
    ``UserError(N_("It is now in {stage}."), stage=Lazy("Proposal"))`` reads "Voorstel" in Dutch."""


# Shown where there is no value (a deal without an amount or a close date).
# TRANSLATORS: a dash shown in place of a missing amount, date or number.
NO_VALUE = N_("–")


class Translator:
    def __init__(
        self,
        language: str,
        catalog: dict,
        plural: Callable[[int], int] | None = None,
        formal: bool = False,
    ):
        self.language = language
        self.formal = formal
        self._catalog = catalog
        self._plural = plural or (lambda n: int(n != 1))

    def __call__(self, message: str, /, **params) -> str:
        text = self._catalog.get(message) or message
        return text.format(**self._params(params)) if params else text

    def n(self, singular: str, plural: str, count: int, **params) -> str:
        """A message whose wording depends on a count: _.n("{count} deal", "{count} deals", n)."""
        forms = self._catalog.get((singular, plural))
        if forms:
            text = forms[min(self._plural(count), len(forms) - 1)]
        else:
            text = singular if count == 1 else plural
        return text.format(count=count, **self._params(params))

    def _params(self, params: dict) -> dict:
        """Parameters are shown in the reader's language too: a Lazy message is translated, a date
        is written the locale's way."""
        out = {}
        for key, value in params.items():
            if isinstance(value, Lazy):
                value = self(str(value))
            elif isinstance(value, date) and not isinstance(value, datetime):
                value = self.date(value)
            out[key] = value
        return out

    def money(self, cents: int | None, currency: str) -> str:
        return self(NO_VALUE) if cents is None else format_money(cents, currency, self.language)

    def date(self, value: date | None) -> str:
        return self(NO_VALUE) if value is None else format_day(value, self.language)

    def datetime(self, value: datetime) -> str:
        """A moment as the locale writes it, in UTC: "Nov 24, 2026, 10:05 AM", "24.11.2026, 10:05"."""
        value = value.astimezone(UTC)
        pattern = Locale.parse(self.language).datetime_formats["medium"]
        day = format_date(value, format="medium", locale=self.language)
        time = format_time(value, format="short", tzinfo=UTC, locale=self.language)
        return str(pattern).replace("{1}", day).replace("{0}", time)

    def percent(self, value: float) -> str:
        """0.6 -> "60%" (en, nl), "60 %" (de)."""
        return format_percent(value, locale=self.language)

    def relative_day(self, offset: int) -> str:
        """A day counted from today, as the locale says it (CLDR, through Babel): 0 -> "today",
        -1 -> "yesterday", -2 -> "eergisteren" / "vorgestern" where the language has a word, else
        "3 days ago", "in 3 days", and weeks or months once that reads better ("vor 2 Wochen")."""
        named = get_relative_name("day", offset, locale=self.language)
        if named:
            return named
        # threshold 2: "13 days ago" stays in days, 14 becomes "2 weeks ago", 60 "2 months ago".
        return format_timedelta(
            timedelta(days=offset), granularity="day", threshold=2, add_direction=True, locale=self.language
        )

    def weekday(self, iso_weekday: int) -> str:
        """1 (Monday) .. 7 as a name in the locale, from Babel's locale data: "Monday", "Maandag"."""
        name = Locale.parse(self.language).days["stand-alone"]["wide"][iso_weekday - 1]
        return name[:1].upper() + name[1:]


def catalog_file(language: str, domain: str = "messages") -> Path | None:
    """The compiled .mo when it is at least as new as the .po, else the .po; None when neither exists."""
    folder = LOCALES_DIR / language / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo
    return po if po.exists() else None


@functools.cache
def _load_catalog(language: str, domain: str = "messages") -> tuple[dict, Callable[[int], int] | None]:
    path = catalog_file(language, domain) if language != DEFAULT_LANGUAGE else None
    if path is None:
        return {}, None
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_mo(fh) if path.suffix == ".mo" else read_po(fh, locale=language)
    found: dict = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, (tuple, list)):  # a plural entry: (singular, plural) -> its forms
            if isinstance(m.string, (tuple, list)) and all(m.string):
                found[tuple(m.id)] = tuple(m.string)
        elif m.string:
            found[m.id] = m.string
    return found, gettext.c2py(catalog.plural_expr or "(n != 1)")


def translator(language: str | None = None, formal: bool | None = None) -> Translator:
    """A translator for a language, or for the current request's when none is named; formal
    address when the team chose it (`formal`, else the current request's team's choice). A
    message the formal catalog lacks reads as in the informal one."""
    lang = language_of(language or current_language.get()) or DEFAULT_LANGUAGE
    formal = current_formal.get() if formal is None else formal
    catalog, plural = _load_catalog(lang)
    if formal and lang != DEFAULT_LANGUAGE:
        catalog = _formal_catalog(lang)
    return Translator(lang, catalog, plural, formal)


@functools.cache
def _formal_catalog(language: str) -> dict:
    return {**_load_catalog(language)[0], **_load_catalog(language, FORMAL)[0]}


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
    except Exception:
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


def browser_language(accept_language: str | None) -> str:
    """The language a browser asks for (its Accept-Language header, quality values respected) that
    we speak, English when it asks for none of ours. "de-CH;q=0.8, nl;q=0.9" -> "nl"."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        lang = language_of(tag.strip())
        if lang is not None and quality > 0:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
