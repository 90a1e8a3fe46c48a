"""Periods and dates in a BANT answer (mostly the timeline, also "no budget until Q3").

Date rules, one for every kind of period:
- A named period (month, quarter, week, year) given as a deadline means its last day, unless the
  rep says "start of"/"begin"/"Anfang" (first day) or "mid"/"midden"/"Mitte" (15th of a month).
- A period without a year is the next one whose deciding day (its end for a deadline, its start
  for "no budget until ...") is on or after today. So on 24 Nov 2026 "by March" is 31 Mar 2027,
  and said in March it is the end of this March.
- "in 6 weeks", "binnen 2 maanden" count from today, by calendar (dateutil's relativedelta).
- "asap" is Ambiguous("timeline", "asap"): a made-up date would sit in the forecast as if the
  customer had said it, so the bot asks for one instead. "soon"/"bald" is Ambiguous "vague".
- A date before today is Ambiguous("timeline", "in_past").
- Seasons are meteorological (summer is June to August; winter December to February) and read
  like months: "this summer" is 31 August, "na de zomer" the day after it ends. "Before the
  summer" is left vague: reps say it of the holidays, which start when they start.
- Halves and ordinal quarters ("H2", "eerste helft volgend jaar", "im dritten Quartal") read like
  quarters. A negated period ("not this year", "dieses Jahr nicht mehr") is no target at all.
Libraries: dateutil reads numeric dates day first; ISO dates go through date.fromisoformat because
dateutil with dayfirst=True reads 2027-01-05 as 1 May. dateparser reads "day + month name"
fragments ("15th of March", "3. Mär.", "15 januari"); it is never let loose on whole messages,
where it reads "Jan beslist" as January and "may be 40k" as May.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as du_parser
from dateutil.relativedelta import relativedelta

from bot.i18n import LANGUAGES
from domain.bant.calendar_words import (
    AFTER_WORDS,
    BEFORE_WORDS,
    HALF_UNITS,
    MID_WORDS,
    MONTHS,
    NUMBER_WORDS,
    ORDINALS,
    PERIOD_COMPOUNDS,
    PERIOD_UNITS,
    QUARTER_UNITS,
    REL_LAST,
    REL_NEXT,
    REL_THIS,
    SEASONS,
    START_WORDS,
    UNITS,
    YEAR_PREPOSITIONS,
)
from domain.bant.lexicon import FEW, alternation, words_rx

FEW_UNITS_RX = words_rx(FEW, after=rf"\s+{alternation(UNITS)}(?!\w)")
START_RX, MID_RX = words_rx(START_WORDS, after=r"\s*$"), words_rx(MID_WORDS, after=r"\s*$")
AFTER_RX = words_rx(AFTER_WORDS, after=r"(?:\s+(?:the|de|het|dem|den|der))?\s*$")
BEFORE_RX = words_rx(BEFORE_WORDS, after=r"(?:\s+(?:the|de|het|dem|den|der))?\s*$")
# "not this year", "niet in Q1" (before the period); "dit jaar niet meer", "dieses Jahr nicht" (after)
NOT_BEFORE_RX = re.compile(r"(?<!\w)(?:not|niet|nicht)(?:\s+(?:in|im|meer|mehr))?\s+$", re.I)
NOT_AFTER_RX = re.compile(r"\s*(?:niet|nicht)(?:\s+(?:meer|mehr))?\s*(?:[,.;!?]|$)", re.I)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, first + relativedelta(months=1) - timedelta(days=1)


def _quarter_bounds(year: int, q: int) -> tuple[date, date]:
    return _month_bounds(year, 3 * q - 2)[0], _month_bounds(year, 3 * q)[1]


def _next_bounds(bounds, year: int | None, today: date, anchor: str):
    """The named period in `year`, or without a year the next one whose anchor day is not past."""
    if year is not None:
        return bounds(year)
    first, last = bounds(today.year)
    return bounds(today.year + 1) if (first if anchor == "start" else last) < today else (first, last)


def _relative_period(unit: str, offset: int, today: date) -> tuple[date, date]:
    if unit == "year":
        return date(today.year + offset, 1, 1), date(today.year + offset, 12, 31)
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        d = today + relativedelta(months=offset)
        return _month_bounds(d.year, d.month)
    q = (today.month - 1) // 3 + offset  # quarters counted from January of this year
    return _quarter_bounds(today.year + q // 4, q % 4 + 1)


def _year(text: str | None) -> int | None:
    """ "2027", "'27" or nothing."""
    if not text:
        return None
    digits = text.strip("'")
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _dateparser_day(m: re.Match, today: date, anchor: str, before: str):
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
    }
    import dateparser  # here, not at the top: it takes a third of a second to import (see bot/cli.py)

    found = dateparser.parse(m[0], languages=list(LANGUAGES), settings=settings)
    if found is None:
        return None
    d = found.date()
    if not re.search(r"\d{4}", m[0]) and d.year > today.year:
        # dateparser's "future" skips today itself; we count today as not past (29 February has no
        # year before it, hence the suppress)
        with contextlib.suppress(ValueError):
            d = d.replace(year=d.year - 1) if d.replace(year=d.year - 1) >= today else d
    return d, d


def _numeric_day(m: re.Match, today: date, anchor: str, before: str):
    if m[0] == "24/7":
        return None  # round the clock, not 24 July
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", m[0]):
            d = date.fromisoformat(m[0])
        elif len(numbers := re.findall(r"\d+", m[0])) == 2:  # "15/01", "15.01.": the next 15 January
            # (by hand: dateutil reads "16.02" as 16 January and cannot read "16.02.")
            d = date(today.year, int(numbers[1]), int(numbers[0]))
            d = d if d >= today else d.replace(year=d.year + 1)
        else:
            d = du_parser.parse(m[0], dayfirst=True).date()
    except (ValueError, OverflowError):
        return None
    return d, d


def _duration(m: re.Match, today: date, anchor: str, before: str):
    n = m["n"].lower()
    d = today + relativedelta(**{UNITS[m["u"].lower()]: int(n) if n.isdigit() else NUMBER_WORDS[n]})
    return d, d


def _month_only(m: re.Match, today: date, anchor: str, before: str):
    name, year = m["m"].lower(), _year(m["y"])
    # Abbreviations, and "may" in a sentence, are months only with a year or a word like "by" before them.
    alone = not re.search(r"\w", before + m.string[m.end() :])
    short = len(name) <= 3 and name not in ("mei", "mai", "may")
    if (
        (short or name == "may" and not alone)
        and year is None
        and not re.search(r"(?<!\w)(?:by|in|until|before|end of|early|late|mid|of)\s*$", before, re.I)
    ):
        return None
    return _next_bounds(lambda y: _month_bounds(y, MONTHS[name]), year, today, anchor)


def _season(m: re.Match, today: date, anchor: str, before: str):
    if BEFORE_RX.search(before):
        return None  # "voor de zomer": see the module docstring
    if m["s"].lower() == "fall" and not m["rel"]:
        return None  # "the fall", "this fall"; not "sales fall"

    def bounds(year: int) -> tuple[date, date]:
        first = date(year, SEASONS[m["s"].lower()], 1)
        return first, first + relativedelta(months=3) - timedelta(days=1)

    year = today.year + 1 if m["ynext"] else today.year if m["ythis"] else _year(m["y"] or m["y2"])
    if year is not None:
        return bounds(year)
    # winter spans two years, so the one still running in January began last year
    first, last = next(
        b
        for b in map(bounds, range(today.year - 1, today.year + 2))
        if (b[0] if anchor == "start" else b[1]) >= today
    )
    if m["next"] and first <= today:  # "next summer" said in summer is the one after
        return bounds(first.year + 1)
    return bounds(first.year - 1) if m["last"] else (first, last)


def _part_of_year(m: re.Match, today: date, anchor: str, before: str):
    """ "H2", "Q3 next year", "second half of next year", "eerste helft 2027", "im dritten Quartal"."""
    if m["h"] or m["q"]:
        n, halves = int(m["h"] or m["q"]), bool(m["h"])
    else:
        n, halves = ORDINALS[m["ord"].lower()], m["unit"].lower() in HALF_UNITS
    if halves and n > 2:
        return None  # "third half"

    def bounds(year: int) -> tuple[date, date]:
        if halves:
            return (date(year, 1, 1), date(year, 6, 30)) if n == 1 else (date(year, 7, 1), date(year, 12, 31))
        return _quarter_bounds(year, n)

    year = today.year + 1 if m["ynext"] else today.year if m["ythis"] else _year(m["y"] or m["y2"])
    return _next_bounds(bounds, year, today, anchor)


def _named_period(m: re.Match, today: date, anchor: str, before: str):
    if m["u"] is None:
        return _relative_period(PERIOD_COMPOUNDS[m[0].lower()], 0, today)
    return _relative_period(PERIOD_UNITS[m["u"].lower()], 1 if m["next"] else -1 if m["last"] else 0, today)


_MONTH = alternation(MONTHS)
_REL = rf"(?:(?P<next>{alternation(REL_NEXT)})|(?P<last>{alternation(REL_LAST)})|{alternation(REL_THIS)})"
_YEAR_WORD = r"(?:year|jaar|jahres|jahr)"
_OF_YEAR = (  # "of next year", "van volgend jaar", "nächsten Jahres", "2027", "/27"
    rf"(?:\s+(?:(?:of|van|des|from)\s+)?(?:(?:the|het)\s+)?(?:(?P<ynext>{alternation(REL_NEXT)})\s+{_YEAR_WORD}"
    rf"|(?P<ythis>this|dit|dieses|deze|het|the)\s+{_YEAR_WORD}|(?P<y>20\d\d))|\s*[/-]?\s*(?P<y2>20\d\d|'\d\d))?"
)
# (regex, reader) pairs, most specific first; each match hides its words from the readers after it.
PERIOD_READERS = [
    (re.compile(rx, re.I), read)
    for rx, read in [
        (
            r"(?<![\d.,/-])(?:\d{4}-\d{2}-\d{2}|\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2}))(?![\d.,/-])",
            _numeric_day,
        ),
        (
            rf"(?<!\w)(?:\d{{1,2}}(?:st|nd|rd|th|e|ste|de|\.)?\s+(?:of\s+)?{_MONTH}\.?|{_MONTH}\.?\s+\d{{1,2}}"
            rf"(?:st|nd|rd|th)?)(?:,?\s+\d{{4}})?(?!\w)",
            _dateparser_day,
        ),
        (r"(?<![\d.,/])(?:\d{1,2}/\d{1,2}(?![\d/])|\d{1,2}\.\d{1,2}\.(?!\d))", _numeric_day),  # 15/01, 15.01.
        (
            r"(?<!\w)(?:een\s+|a\s+|ein\s+)?(?:half\s+a\s+year|half\s+jaar|halfjaar|halbes\s+jahr)(?!\w)",
            lambda m, today, anchor, before: (today + relativedelta(months=6),) * 2,
        ),
        (
            rf"(?<!\w)(?P<n>\d{{1,3}}|{alternation(NUMBER_WORDS)})\s+(?P<u>{alternation(UNITS)})(?!\w)",
            _duration,
        ),
        (
            rf"(?<!\w)(?:h(?P<h>[12])|q(?P<q>[1-4])|(?P<ord>{alternation(ORDINALS)})\s+"
            rf"(?P<unit>{alternation(HALF_UNITS + QUARTER_UNITS)}))(?!\w){_OF_YEAR}(?!\w)",
            _part_of_year,
        ),
        (
            rf"(?<!\w)(?:(?P<rel>{_REL})\s+)?(?P<s>{alternation(SEASONS)})(?!\w){_OF_YEAR}(?!\w)",
            _season,
        ),
        (
            rf"(?<!\w)(?:{_REL}\s+|(?<=of\s)|(?<=eind\s)|(?<=ende\s))(?P<u>{alternation(PERIOD_UNITS)})(?!\w)"
            rf"|(?<!\w){alternation(PERIOD_COMPOUNDS)}(?!\w)",
            _named_period,
        ),
        (rf"(?<!\w)(?P<m>{_MONTH})(?:\s+(?P<y>20\d\d))?(?!\w)", _month_only),
        (
            "(?:" + "|".join(rf"(?<={w}\s)" for w in YEAR_PREPOSITIONS) + r")20\d\d(?!\d)",
            lambda m, today, anchor, before: (date(int(m[0]), 1, 1), date(int(m[0]), 12, 31)),
        ),
    ]
]


@dataclass(frozen=True)
class Period:
    start: int  # where its words are in the text
    end: int
    first: date
    last: date
    before: str  # the text before it, to see "until", "end of" and such
    negated: bool  # "not this year"

    def opening(self) -> date:
        """The first day it speaks of: "na de zomer" opens when the summer has ended."""
        return self.last + timedelta(days=1) if AFTER_RX.search(self.before) else self.first

    def target(self) -> date:
        if AFTER_RX.search(self.before):
            return self.opening()
        if START_RX.search(self.before):
            return self.first
        if MID_RX.search(self.before):
            return (
                self.first.replace(day=15)
                if self.first.month == self.last.month
                else self.first + (self.last - self.first) / 2
            )
        return self.last


def find_periods(text: str, today: date, anchor: str) -> list[Period]:
    """Every date or period named in the text.

    `anchor` says which end of a year-less period must not be past."""
    found, work = [], text
    for rx, read in PERIOD_READERS:
        for m in rx.finditer(work):
            bounds = read(m, today, anchor, work[: m.start()])
            if bounds:
                before = text[: m.start()]
                negated = bool(NOT_BEFORE_RX.search(before) or NOT_AFTER_RX.match(text, m.end()))
                found.append(Period(m.start(), m.end(), bounds[0], bounds[1], before, negated))
                work = blank(work, m.start(), m.end())
    return sorted(found, key=lambda p: p.start)


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]
