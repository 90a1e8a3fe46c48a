"""Reading a sales rep's free-text BANT answers (Budget, Authority, Need, Timeline).

Pure: no I/O and no clock (callers pass ``today``). Answers may be English, Dutch or German.
A reader returns None when the text is no answer at all (the bot re-prompts) and Ambiguous
when it is an answer we should not guess at (the bot asks a follow-up).

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
from domain.amounts import MULTIPLIERS, Amount, AmountError, parse_amount

MAX_CHARS = 2000
QUESTIONS = ("budget", "authority", "need", "timeline")


def _w(*per_language: str) -> list[str]:
    """Phrases per language (en, nl, de), comma separated."""
    return [p.strip() for lang in per_language for p in lang.split(",") if p.strip()]


# ---- Words per language (en, nl, de) ---------------------------------------------------------------

CONTROL = {
    "skip": _w("skip, next", "overslaan, sla over, volgende", "überspringen, ueberspringen, weiter"),
    "back": _w("back, go back", "terug", "zurück, zurueck"),
    # The Stop button reads "Pausieren" / "Pauzeren": the answers are kept, so typing it pauses too.
    "stop": _w(
        "stop, pause, cancel, quit",
        "stoppen, stop, pauzeren, pauze, annuleren",
        "pausieren, pause, anhalten, stopp, stop, abbrechen, aufhören, aufhoeren",
    ),
    "restart": _w("restart, start over", "opnieuw, opnieuw beginnen", "von vorne, von vorn, neu starten"),
}
YES = _w(
    "yes, yeah, yep, yup, y, sure, correct, indeed, of course, definitely, absolutely",
    "ja, jawel, jazeker, zeker, klopt, jep, jup",
    "jawohl, genau, klar, natürlich, stimmt",
)
NO = _w(
    "no, nope, nah, none, not really, not yet",
    "nee, neen, nog niet, niet echt",
    "nein, nö, noch nicht, nicht wirklich",
)
UNKNOWN = _w(
    "not sure, unsure, don't know, dont know, do not know, don't know yet, no idea, no clue, unknown, idk, "
    "dunno, unclear, tbd",
    "weet ik niet, weet ik nog niet, weet niet, weet het niet, geen idee, onbekend, niet zeker, onduidelijk",
    "keine ahnung, weiß nicht, weiss nicht, weiß ich nicht, weiss ich nicht, weiß es nicht, weiss es nicht, "
    "weiß ich noch nicht, unklar, unbekannt, nicht sicher, unsicher",
)
HEDGE = _w(
    "maybe, perhaps, possibly, depends",
    "misschien, wellicht, hangt ervan af",
    "vielleicht, eventuell, kommt darauf an",
)

BUDGET_WORDS = _w("budget, budgets, money, funds, funding", "begroting, geld", "etat, mittel")
BUDGET_TOPIC = _w("budget, budgets, funding", "begroting", "etat")  # "money"/"Geld" come up in needs too
BUDGET_YES = _w(
    "approved, allocated, available, budgeted, have, has, there is",
    "goedgekeurd, beschikbaar, begroot, hebben, heeft, er is",
    "genehmigt, freigegeben, bewilligt, vorhanden, budgetiert, haben, hat, es gibt, gibt es",
)
BUDGET_NO = _w(
    "not approved, not budgeted",
    "niet goedgekeurd, niet begroot",
    "nicht genehmigt, nicht freigegeben, nicht budgetiert",
)
NEGATOR = _w("no, zero", "geen, nul", "kein, keine, keinen, null")
# Words before a period that make it the day a budget comes ("geen budget tot Q3").
AVAIL = _w(
    "until, till, not before, only from, only in, from, starting",
    "tot, pas in, pas vanaf, pas, vanaf, niet voor",
    "bis, erst ab, erst im, erst in, erst, ab, nicht vor",
)
UP_TO = _w("up to, max, max., maximum, at most", "tot, maximaal, hooguit", "bis zu, höchstens, maximal")
AT_LEAST = _w("at least, min, min., minimum", "minstens, ten minste", "mindestens")
RANGE_JOIN = r"\s*(?:-|–|—|to|tot|bis|and|en|und)\s*"
OR_JOIN = r"\s*(?:or|of|oder)(?:\s+(?:maybe|misschien|vielleicht))?\s*"

# Roles: departments and bodies are stored under one English name, acronyms upper case,
# job titles in the rep's own language ("directeur", "Geschäftsführer").
ROLE_NAMES = {
    "procurement": "procurement, purchasing, inkoop, einkauf, beschaffung",
    "finance": "finance, finance team, financiën, finanzabteilung, finanzen",
    "legal": "legal, juridische zaken, rechtsabteilung",
    "board": "board, raad van bestuur, bestuur, vorstand, aufsichtsrat",
    "committee": "committee, steering committee, commissie, stuurgroep, ausschuss, gremium, "
    "lenkungsausschuss",
    "management": "management, management team, directie, geschäftsleitung, geschäftsführung",
    "owner": "owner, eigenaar, inhaber, eigentümer",
    "founder": "founder, oprichter, gründer",
    "headquarters": "headquarters, head office, hq, parent company, hoofdkantoor, moederbedrijf, "
    "zentrale, konzern",
    "IT": "it department, it-afdeling, it-abteilung",
    **{
        title: title.lower()
        for title in _w(
            "CEO, CFO, CTO, COO, CIO, CMO, CRO, CPO, VP, director, managing director, manager, boss",
            "directeur, algemeen directeur, baas",
            "Geschäftsführer, Geschäftsführerin, Direktor, Chef",
        )
    },
}
ROLES = {phrase: name for name, phrases in ROLE_NAMES.items() for phrase in _w(phrases)}
# The contact: when one of these decides, the contact is the decision maker.
CONTACT = _w(
    "she, he, they, i, our contact, the contact, my contact, contact",
    "zij, ze, hij, ik, onze contactpersoon, de contactpersoon, contactpersoon",
    "sie, er, ich, unser ansprechpartner, unsere ansprechpartnerin, der ansprechpartner, "
    "die ansprechpartnerin, ansprechpartner, ansprechpartnerin, unsere ansprechperson, "
    "die ansprechperson, ansprechperson, unsere kontaktperson, die kontaktperson, kontaktperson",
)
DECIDE = _w(
    "decides, decide, signs, sign, signs off, approves, makes the call, makes the decision, "
    "has the final say, calls the shots",
    "beslist, beslissen, beslis, tekent, tekenen, teken, keurt goed, heeft het laatste woord, "
    "neemt de beslissing",
    "entscheidet, entscheiden, entscheide, unterschreibt, unterschreiben, "
    "unterschreibe, hat das letzte wort, trifft die entscheidung",
)
FILLER = _w(
    "can, will, alone, also, ultimately, finally, does, herself, himself",
    "kan, zal, alleen, ook, uiteindelijk, zelf",
    "kann, wird, allein, auch, letztlich, selbst",
)
DM_NOUN = _w(
    "decision maker, decision-maker, decisionmaker, dm, budget holder, economic buyer, signatory",
    "beslisser, beslissingsnemer, besluitvormer, tekenbevoegd",
    "entscheider, entscheiderin, entscheidungsträger, entscheidungsträgerin, zeichnungsberechtigt",
)
APPROVAL = _w(
    "sign-off, sign off from, signoff, approval",
    "goedkeuring, akkoord, toestemming",
    "freigabe, genehmigung, zustimmung",
)
NEEDS_OTHER = _w(
    "needs, requires, must, has to, check with", "moet, nodig, overleggen", "muss, braucht, abstimmen"
)
THINK = _w("think, guess, believe, probably", "denk, waarschijnlijk", "denke, glaube, wahrscheinlich")
SHARED = _w("together, jointly", "samen, gezamenlijk", "gemeinsam, zusammen")
ARTICLES = (
    r"^(?:the|our|their|his|her|de|het|hun|onze|zijn|haar|der|die|das|dem|den|unser|unsere|ihr|ihre)\s+"
)

NEED_SIGNAL = _w(
    "need, needs, want, wants, looking to, looking for, have to, must, replace, cut, reduce, automate, "
    "improve, fix, solve, problem, pain, struggle, struggling, goal, migrate, switch, save, increase, "
    "speed up, get rid of, integrate, consolidate, streamline, mess, chaos, manual, too slow, suffer",
    "willen, wil, nodig, moeten, moet, vervangen, automatiseren, verbeteren, verminderen, verlagen, "
    "halveren, probleem, doel, overstappen, besparen, versnellen, oplossen, zoeken, handmatig, last van",
    "brauchen, braucht, benötigen, wollen, möchten, müssen, ersetzen, ablösen, automatisieren, "
    "verbessern, reduzieren, senken, halbieren, ziel, wechseln, sparen, beschleunigen, lösen, suchen, "
    "manuell, leiden unter, kämpfen mit",
)
VAGUE_NEED = _w(
    "just looking, just browsing, browsing, exploring, curious, nothing specific, general interest, "
    "looking around",
    "rondkijken, kijken rond, oriënteren, orienteren, even kijken, nieuwsgierig, niets specifieks",
    "umschauen, schauen sich um, informieren sich, nur informieren, neugierig, mal schauen, nichts konkretes",
)

NO_RUSH = _w(
    "no rush, no hurry, no deadline, no timeline, no timeframe, no time pressure, not urgent, whenever, "
    "no fixed date",
    "geen haast, geen deadline, geen tijdsdruk, niet dringend, geen termijn, geen datum",
    "keine eile, kein zeitdruck, keine deadline, nicht dringend, eilt nicht, kein termin, kein datum",
)
ASAP = _w(
    "asap, a.s.a.p., as soon as possible, immediately, right away, urgent",
    "zsm, z.s.m., zo snel mogelijk, zo spoedig mogelijk",
    "so schnell wie möglich, schnellstmöglich, sofort, dringend",
)
VAGUE_TIME = _w(
    "soon, later, sometime, someday, eventually, spring, summer, autumn, winter",
    "binnenkort, snel, ooit, spoedig, voorjaar, lente, zomer, najaar, herfst",
    "bald, irgendwann, demnächst, frühjahr, frühling, sommer, herbst",
)
FEW = _w("few, couple, couple of, several", "paar, enkele, meerdere", "einige, mehrere")
# Dots that end an abbreviation, not a sentence.
ABBREVIATIONS = _w(
    "approx, etc, max, min, nr", "ca, ong, ongev, mln, o.a, resp", "bzw, ggf, evtl, mio, tsd, mrd, z.b"
)

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            "january jan januari januar jänner",
            "february feb februari februar",
            "march mar maart mrt märz maerz mär",
            "april apr",
            "may mei mai",
            "june jun juni",
            "july jul juli",
            "august aug augustus",
            "september sep sept",
            "october oct oktober okt",
            "november nov",
            "december dec dezember dez",
        ],
        1,
    )
    for name in names.split()
}
NUMBER_WORDS = {
    word: n
    for n, words in {
        1: "a an one een één ein eine einem einer einen",
        2: "two twee zwei",
        3: "three drie drei",
        4: "four vier",
        5: "five vijf fünf",
        6: "six zes sechs",
        7: "seven zeven sieben",
        8: "eight acht",
        9: "nine negen neun",
        10: "ten tien zehn",
        12: "twelve twaalf zwölf",
    }.items()
    for word in words.split()
}
UNITS = {
    word: unit
    for unit, words in {
        "days": "day days dag dagen tag tage tagen",
        "weeks": "week weeks weken woche wochen",
        "months": "month months maand maanden monat monate monaten",
        "years": "year years jaar jaren jahr jahre jahren",
    }.items()
    for word in words.split()
}
PERIOD_UNITS = {
    word: unit
    for unit, words in {
        "quarter": "quarter kwartaal quartal quartals",
        "month": "month maand monat monats",
        "week": "week woche",
        "year": "year jaar jahr jahres",
    }.items()
    for word in words.split()
}
PERIOD_COMPOUNDS = {
    "eoy": "year",
    "year-end": "year",
    "year end": "year",
    "jaareinde": "year",
    "jahresende": "year",
    "eoq": "quarter",
    "quartalsende": "quarter",
    "eom": "month",
    "monatsende": "month",
}
REL_NEXT = _w(
    "next, following, coming, upcoming",
    "volgend, volgende, komend, komende",
    "nächste, nächstes, nächsten, nächster, kommende, kommendes, kommenden",
)
REL_THIS = _w(
    "this, current, the",
    "dit, deze, het, de, huidige, lopende",
    "dieses, diesem, diese, dieser, des, der, laufenden, laufende",
)
REL_LAST = _w(
    "last, previous", "vorig, vorige, afgelopen", "letzte, letztes, letzten, vergangene, vergangenen"
)
YEAR_PREPOSITIONS = _w(
    "in, by, until, before, mid, early, late, end of",
    "uiterlijk, voor, midden, begin, eind",
    "im, vor, bis, mitte, anfang, ende",
)
START_WORDS = _w("start of, beginning of, begin of, early", "begin, begin van", "anfang, anfangs, beginn")
MID_WORDS = _w("mid, mid-", "midden, half", "mitte")


def _alt(words) -> str:
    """Regex alternation of whole words/phrases, longest first."""
    parts = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts) + ")"


def _rx(words, before: str = r"(?<!\w)", after: str = r"(?!\w)") -> re.Pattern:
    return re.compile(before + _alt(words) + after, re.I)


YES_RX, NO_RX, UNKNOWN_RX, HEDGE_RX = _rx(YES), _rx(NO), _rx(UNKNOWN), _rx(HEDGE)
BUDGET_WORD_RX, BUDGET_TOPIC_RX, BUDGET_YES_RX = _rx(BUDGET_WORDS), _rx(BUDGET_TOPIC), _rx(BUDGET_YES)
BUDGET_NO_RX = re.compile(  # "no budget", "kein echtes Budget", "not approved"
    rf"(?<!\w)(?:{_alt(NEGATOR)}\s+(?:\w+\s+)?{_alt(BUDGET_WORDS)}|{_alt(BUDGET_NO)})(?!\w)", re.I
)
AVAIL_BEFORE_RX = _rx(AVAIL, after=r"\s+(?:the\s+|het\s+|dem\s+|im\s+|in\s+)?$")
UP_TO_RX, AT_LEAST_RX = _rx(UP_TO, after=r"\s*$"), _rx(AT_LEAST, after=r"\s*$")
ROLE_RX, DECIDE_RX, DM_NOUN_RX, APPROVAL_RX = _rx(ROLES), _rx(DECIDE), _rx(DM_NOUN), _rx(APPROVAL)
NEEDS_OTHER_RX, SHARED_RX, THINK_RX = _rx(NEEDS_OTHER + APPROVAL), _rx(SHARED), _rx(THINK)
_FILL = rf"(?:{_alt(FILLER)}\s+){{0,2}}"
CONTACT_DECIDES_RX = re.compile(
    rf"(?<!\w){_alt(CONTACT)}\s+{_FILL}{_alt(DECIDE)}(?!\w)"  # "she decides", "hij tekent zelf"
    rf"|(?<!\w){_alt(DECIDE)}\s+(?:zij|ze|hij|sie|er|ik|ich)(?!\w)"  # "das entscheidet er"
    rf"|(?<!\w){_alt(CONTACT)}\s+(?:is|are|am|ist|bin|zijn|sind)\s+(?:(?:the|de|der|die|a|een|ein|eine|final)\s+)*"
    rf"{_alt(DM_NOUN)}(?!\w)",
    re.I,
)
CONTACT_AND_RX = _rx(CONTACT, after=r"\s+(?:and|en|und)\s")
OTHER_DECIDES_RX = re.compile(
    rf"([^\W\d_][\w'.-]*(?:\s+[\w'.-]+){{0,2}})\s+{_FILL}{_alt(DECIDE)}(?!\w)", re.I
)
APPROVAL_FROM_RX = _rx(
    APPROVAL, before="", after=r"\s+(?:from|by|of|van|door|von|vom|durch)\s+([\w'.-]+(?:\s+[\w'.-]+){0,2})"
)
OR_RX = re.compile(r"(?<!\w)(?:or|of|oder)(?!\w)", re.I)
NEED_SIGNAL_RX, VAGUE_NEED_RX = _rx(NEED_SIGNAL), _rx(VAGUE_NEED)
NO_RUSH_RX, ASAP_RX, VAGUE_TIME_RX = _rx(NO_RUSH), _rx(ASAP), _rx(VAGUE_TIME)
FEW_UNITS_RX = _rx(FEW, after=rf"\s+{_alt(UNITS)}(?!\w)")
START_RX, MID_RX = _rx(START_WORDS, after=r"\s*$"), _rx(MID_WORDS, after=r"\s*$")
LAUGH_RX = re.compile(
    r"a?(?:ha)+h?|(?:he){2,}h?|(?:hi){2,}|l+o+l+|lmf?ao+|rofl|x+d+|hm+|huh|meh|ok(?:ay|e|ey)?|k+", re.I
)
COUNTED_RX = re.compile(r"\s+(?!(?:and|en|und|to|tot|bis|or|of|oder)(?!\w))[^\W\d_]", re.I)  # "5 users"
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
AMOUNT_RX = re.compile(  # what domain.amounts.parse_amount can read, found inside a sentence
    r"(?<![\w.,])(?:(?P<pre>€|\$|£|¥|eur|usd|gbp|chf)\s?)?(?P<num>\d(?:[\d']|[.,](?=\d)|\s(?=\d{3}(?!\d)))*)"
    rf"(?:\s?(?P<mult>{_alt(MULTIPLIERS)})(?![^\W\d_]))?"
    r"(?:\s?(?P<post>€|\$|£|eur|usd|gbp|chf|euros?|dollars?|pounds?|sek|nok|dkk|pln)(?![^\W\d_]))?",
    re.I,
)


# ---- Readings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    status: str  # "yes" | "no" | "unknown"
    min_cents: int | None
    max_cents: int | None
    currency: str | None
    available_from: date | None
    evidence: str


@dataclass(frozen=True)
class Authority:
    status: str  # "decision_maker" | "needs_approval" | "unknown"
    who: str | None
    evidence: str


@dataclass(frozen=True)
class Need:
    text: str
    clear: bool
    evidence: str


@dataclass(frozen=True)
class Timeline:
    status: str  # "date" | "no_rush" | "unknown"
    target: date | None
    evidence: str


@dataclass(frozen=True)
class Ambiguous:
    question: str
    reason: str
    evidence: str


Reading = Budget | Authority | Need | Timeline | Ambiguous


# ---- Shared helpers ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Same words, tidier: one kind of quote, single spaces, contractions spelled out."""
    s = re.sub(r"\s+", " ", re.sub(r"[’‘`´]", "'", text)).strip()
    s = re.sub(r"(?<!\w)(she|he|it)'s(?!\w)", r"\1 is", s, flags=re.I)
    s = re.sub(r"(?<!\w)(they|we|you)'re(?!\w)", r"\1 are", s, flags=re.I)
    return re.sub(r"(?<!\w)i'm(?!\w)", "I am", s, flags=re.I)


def _is_only(rx: re.Pattern, text: str) -> bool:
    """The whole text is one of the words (punctuation aside)."""
    return bool(rx.fullmatch(re.sub(r"[^\w\s'.-]|[.]+$", "", text).strip()))


def _gibberish(word: str) -> bool:
    w = word.lower()
    if any(row[i : i + 5] in w for row in KEYBOARD_ROWS for i in range(len(row) - 4)):
        return True  # "asdfgh", "qwerty"
    return re.search(r"[bcdfghjklmnpqrstvwxz]{6,}", w) is not None


def _non_answer(text: str) -> bool:
    """Empty, too long, only emoji/punctuation, laughter or keyboard mash."""
    if len(text) > MAX_CHARS:
        return True
    words = re.findall(r"[^\W_]+", re.sub(r":[\w+-]+:", " ", text))  # drop Slack codes like :thumbsup:
    return all(LAUGH_RX.fullmatch(w) or _gibberish(w) for w in words)  # also True when no words


# ---- Periods and dates -------------------------------------------------------------------------------


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


def _quarter(m: re.Match, today: date, anchor: str, before: str):
    return _next_bounds(lambda y: _quarter_bounds(y, int(m["q"])), _year(m["y"]), today, anchor)


def _named_period(m: re.Match, today: date, anchor: str, before: str):
    if m["u"] is None:
        return _relative_period(PERIOD_COMPOUNDS[m[0].lower()], 0, today)
    return _relative_period(PERIOD_UNITS[m["u"].lower()], 1 if m["next"] else -1 if m["last"] else 0, today)


_MONTH = _alt(MONTHS)
_REL = rf"(?:(?P<next>{_alt(REL_NEXT)})|(?P<last>{_alt(REL_LAST)})|{_alt(REL_THIS)})"
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
        (rf"(?<!\w)(?P<n>\d{{1,3}}|{_alt(NUMBER_WORDS)})\s+(?P<u>{_alt(UNITS)})(?!\w)", _duration),
        (r"(?<!\w)q(?P<q>[1-4])(?:\s*[/-]?\s*(?P<y>20\d\d|'\d\d))?(?!\w)", _quarter),
        (
            rf"(?<!\w)(?:{_REL}\s+|(?<=of\s)|(?<=eind\s)|(?<=ende\s))(?P<u>{_alt(PERIOD_UNITS)})(?!\w)"
            rf"|(?<!\w){_alt(PERIOD_COMPOUNDS)}(?!\w)",
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
class _Period:
    start: int  # where its words are in the text
    end: int
    first: date
    last: date
    before: str  # the text before it, to see "until", "end of" and such

    def target(self) -> date:
        if START_RX.search(self.before):
            return self.first
        if MID_RX.search(self.before):
            return (
                self.first.replace(day=15)
                if self.first.month == self.last.month
                else self.first + (self.last - self.first) / 2
            )
        return self.last


def _find_periods(text: str, today: date, anchor: str) -> list[_Period]:
    """Every date or period named in the text.

    `anchor` says which end of a year-less period must not be past."""
    found, work = [], text
    for rx, read in PERIOD_READERS:
        for m in rx.finditer(work):
            bounds = read(m, today, anchor, work[: m.start()])
            if bounds:
                found.append(_Period(m.start(), m.end(), bounds[0], bounds[1], text[: m.start()]))
                work = _blank(work, m.start(), m.end())
    return sorted(found, key=lambda p: p.start)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# ---- Control words -----------------------------------------------------------------------------------


def read_control(text: str) -> str | None:
    """'skip' | 'back' | 'stop' | 'restart' when the whole message is such a command (en/nl/de), else None."""
    words = " ".join(re.findall(r"[^\W\d_]+", text.lower()))
    return next((cmd for cmd, phrases in CONTROL.items() if words in phrases), None)


# ---- Budget ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    amount: Amount
    num: str
    mult: str | None
    typed: bool  # has a currency or multiplier, so it is surely money


def _amounts(text: str, periods: list[_Period]) -> list[_Amount]:
    """The amounts in the text, outside its dates ("Q3 2027" is no amount)."""
    for p in periods:
        text = _blank(text, p.start, p.end)
    out = []
    for m in AMOUNT_RX.finditer(text):
        typed = bool(m["pre"] or m["post"] or m["mult"])
        if not typed and (re.fullmatch(r"(?:19|20)\d\d", m[0]) or COUNTED_RX.match(text, m.end())):
            continue  # a year, or a count: "budget for 2027", "5 users"
        for candidate in (m[0], (m["pre"] or "") + m["num"] + (m["mult"] or "")):  # "$50k USD": once
            try:
                out.append(_Amount(m.start(), m.end(), parse_amount(candidate), m["num"], m["mult"], typed))
                break
            except AmountError:
                continue
    return out


def _budget_range(text: str, found: list[_Amount]) -> tuple[int | None, int | None, str | None] | str:
    """(min, max, currency) from the amounts, or the reason we cannot tell."""
    if len(found) == 1:
        a = found[0]
        if not a.typed and a.amount.cents < 100_000:
            return "amount_unclear"  # "about 40": forty what?
        low = None if UP_TO_RX.search(text[: a.start]) else a.amount.cents
        high = None if AT_LEAST_RX.search(text[: a.start]) else a.amount.cents
        return low, high, a.amount.currency
    if len(found) != 2:
        return "several_amounts"
    a, b = found
    if re.fullmatch(OR_JOIN, text[a.end : b.start], re.I):
        return "range_unclear"
    if not re.fullmatch(RANGE_JOIN, text[a.end : b.start], re.I):
        return "several_amounts"
    low, high = a.amount.cents, b.amount.cents
    if a.mult is None and b.mult is not None:  # "50-60k", "between 20 and 30 thousand"
        low = parse_amount(a.num + b.mult).cents
    elif a.mult is None and b.mult is None and low * 1000 <= high:  # "50-60.000"
        low *= 1000
    if a.amount.currency and b.amount.currency and a.amount.currency != b.amount.currency:
        return "currency_mismatch"
    return min(low, high), max(low, high), a.amount.currency or b.amount.currency


def read_budget(text: str, today: date) -> Budget | Ambiguous | None:
    """Status yes/no/unknown, the amount or range, and when a missing budget comes.

    A budget that only comes later ("no budget until Q3", "50k from Q3") is status "no" now,
    with available_from the first day of that period. A zero amount is "no". An amount wins
    over hedges ("not sure, about 40k" is yes, 40k).
    """
    if _non_answer(text):
        return None
    t, ev = _clean(text), text.strip()
    periods = _find_periods(t, today, "start")
    negative = BUDGET_NO_RX.search(t) or NO_RX.search(t) and not UNKNOWN_RX.search(t)
    avail = next(
        (p.first for p in periods if AVAIL_BEFORE_RX.search(p.before) or negative and p.first >= today), None
    )  # "not yet, maybe in Q2"
    found = _amounts(t, periods)
    money = _budget_range(t, found) if found else (None, None, None)
    if isinstance(money, str):
        return Ambiguous("budget", money, ev)
    low, high, currency = money

    def budget(status: str) -> Budget:
        return Budget(status, low, high, currency, avail, ev)

    if BUDGET_NO_RX.search(t) or (found and (high or low) == 0):
        if found and (high or low) and avail is None:
            return Ambiguous("budget", "contradictory", ev)  # "no budget, 40k"
        return budget("no")
    if avail is not None or found:
        return budget("no" if avail else "yes")
    if UNKNOWN_RX.search(t):
        return budget("unknown")
    if NO_RX.search(t):
        return Ambiguous("budget", "contradictory", ev) if YES_RX.search(t) else budget("no")
    if HEDGE_RX.search(t):
        return Ambiguous("budget", "no_amount_or_yes_no", ev)
    if YES_RX.search(t) or BUDGET_YES_RX.search(t):
        return budget("yes")
    if BUDGET_WORD_RX.search(t):
        return Ambiguous("budget", "no_amount_or_yes_no", ev)  # "budget is being discussed"
    return None


# ---- Authority ---------------------------------------------------------------------------------------


def _roles(t: str) -> list[str]:
    return list(dict.fromkeys(ROLES[re.sub(r"\s+", " ", m[0].lower())] for m in ROLE_RX.finditer(t)))


def _named_decider(t: str) -> str | None:
    """Someone not in the role list: "Jan decides", "needs approval from Maria"."""
    m = APPROVAL_FROM_RX.search(t) or OTHER_DECIDES_RX.search(re.split(r"[,;:]", t)[-1])
    if not m:
        return None
    who = re.sub(ARTICLES, "", THINK_RX.split(m[1])[-1].strip(" .,"), flags=re.I)  # "I think Jan decides"
    if (
        not who
        or re.fullmatch(_alt(CONTACT + YES + NO), who, re.I)
        or re.search(r"(?i)\b(?:who|wie|wer)\b", who)
    ):
        return None
    return who


def read_authority(text: str) -> Authority | Ambiguous | None:
    """Who signs, seen from our contact.

    Rule: when the one who decides is the contact ("she", "he", "they", "I", "our contact", "zij",
    "hij", "sie", "er" ... decides, or "she is the decision maker") it is decision_maker; when it
    is a role, department, body or another named person ("the CFO signs", "board approval",
    "Jan beslist", a bare "the CEO") it is needs_approval. A contact who decides but still needs
    a named role's sign-off is needs_approval. A bare yes/no answers "is the contact the decision
    maker?". `who` is the role as stored in ROLE_NAMES, else the rep's words without the article.
    """
    if _non_answer(text):
        return None
    t, ev = _clean(text), text.strip()
    roles, named = _roles(t), _named_decider(t)
    if len(roles) > 1 and named:  # "the VP is our champion, but the CFO signs": the one who signs
        roles = [r for r in roles if r in _roles(named)] or roles
    who = ", ".join(roles) or None
    contact = bool(CONTACT_DECIDES_RX.search(t)) or (bool(DM_NOUN_RX.search(t)) and not roles)
    if UNKNOWN_RX.search(t):
        return Ambiguous("authority", "who_decides_unclear", ev) if roles else Authority("unknown", None, ev)
    if HEDGE_RX.search(t) and roles or len(roles) > 1 and OR_RX.search(t):
        return Ambiguous("authority", "who_decides_unclear", ev)  # "maybe the CFO", "CFO or CEO"
    if roles and (contact and SHARED_RX.search(t) or CONTACT_AND_RX.search(t)):
        return Ambiguous("authority", "shared_decision", ev)  # "she decides together with the CFO"
    if contact and not (roles and NEEDS_OTHER_RX.search(t)):
        return Authority("decision_maker", who, ev)
    if roles:
        return Authority("needs_approval", who, ev)
    if named or APPROVAL_RX.search(t) or NO_RX.search(t):
        return Authority("needs_approval", named, ev)
    return Authority("decision_maker", None, ev) if YES_RX.search(t) else None


# ---- Need --------------------------------------------------------------------------------------------


def read_need(text: str) -> Need | None:
    """Clear when a concrete problem or goal is named (a need word and at least one more word);
    not clear when hedged or vague. A bare yes/no gives text "" as the quick buttons do."""
    if _non_answer(text):
        return None
    t, ev = _clean(text), text.strip()
    if _is_only(YES_RX, t) or _is_only(NO_RX, t):
        return Need("", _is_only(YES_RX, t), ev)
    vague = VAGUE_NEED_RX.search(t) or HEDGE_RX.search(t) or UNKNOWN_RX.search(t)
    words = re.findall(r"[^\W\d_]+", t)
    return Need(ev, bool(NEED_SIGNAL_RX.search(t)) and len(words) >= 2 and not vague, ev)


# ---- Timeline ----------------------------------------------------------------------------------------


def read_timeline(text: str, today: date) -> Timeline | Ambiguous | None:
    """A target date, no rush, or unknown; the date rules are in the module docstring."""
    if _non_answer(text):
        return None
    t, ev = _clean(text), text.strip()
    if NO_RUSH_RX.search(t):
        return Timeline("no_rush", None, ev)
    targets = sorted({p.target() for p in _find_periods(t, today, "end")})
    if len(targets) > 1:
        return Ambiguous("timeline", "several_dates", ev)  # "March or April"
    if targets:
        if UNKNOWN_RX.search(t):
            return Ambiguous("timeline", "unsure", ev)  # "not sure, maybe March"
        return (
            Ambiguous("timeline", "in_past", ev) if targets[0] < today else Timeline("date", targets[0], ev)
        )
    if UNKNOWN_RX.search(t):
        return Timeline("unknown", None, ev)
    if ASAP_RX.search(t):
        return Ambiguous("timeline", "asap", ev)
    if VAGUE_TIME_RX.search(t) or FEW_UNITS_RX.search(t):
        return Ambiguous("timeline", "vague", ev)
    if NO_RX.search(t):
        return Timeline("no_rush", None, ev)
    return Ambiguous("timeline", "which_date", ev) if YES_RX.search(t) else None


# ---- Quick-answer buttons ----------------------------------------------------------------------------


def read_quick(question: str, value: str) -> Reading:
    """The reading for a yes/no/unsure button; evidence is the button value."""
    if value not in ("yes", "no", "unsure"):
        raise ValueError(f"unknown quick answer {value!r}")
    if question == "budget":
        return Budget({"yes": "yes", "no": "no", "unsure": "unknown"}[value], None, None, None, None, value)
    if question == "authority":
        return Authority(
            {"yes": "decision_maker", "no": "needs_approval", "unsure": "unknown"}[value], None, value
        )
    if question == "need":
        return Need("", value == "yes", value)
    if question == "timeline":
        if value == "yes":
            return Ambiguous("timeline", "which_date", value)
        return Timeline("no_rush" if value == "no" else "unknown", None, value)
    raise ValueError(f"unknown question {question!r}")


# ---- Several answers in one message ------------------------------------------------------------------


def _topics(clause: str, today: date) -> set[str]:
    """The questions a clause answers by its own words, whatever was asked."""
    t = _clean(clause)
    periods = _find_periods(t, today, "end")
    topics = set()
    if BUDGET_TOPIC_RX.search(t) or any(a.typed or a.amount.cents >= 1_000_000 for a in _amounts(t, periods)):
        topics.add("budget")
    if _roles(t) or DECIDE_RX.search(t) or DM_NOUN_RX.search(t) or APPROVAL_RX.search(t):
        topics.add("authority")
    if "budget" in topics:  # "no budget until Q3": that date belongs to the budget
        periods = [p for p in periods if not AVAIL_BEFORE_RX.search(p.before)]
    if periods or NO_RUSH_RX.search(t) or ASAP_RX.search(t) or VAGUE_TIME_RX.search(t):
        topics.add("timeline")
    return topics


def _clauses(text: str, today: date) -> list[str]:
    """Split on , ; newlines and sentence ends; on and/en/und only when every part is an answer."""
    protected = re.sub(rf"(?<!\w)({_alt(ABBREVIATIONS)})\.", "\\1\x00", text, flags=re.I)  # "ca. 50k"
    out = []
    for part in re.split(r"[;\n]+|,(?!\d)|(?<=[^\d\s])[.!?]+(?=\s|$)", protected):
        part = part.replace("\x00", ".").strip()
        pieces = [p.strip() for p in re.split(r"\s+(?:and|en|und)\s+", part, flags=re.I)]
        if len(pieces) > 1 and all(
            _topics(p, today) or NEED_SIGNAL_RX.search(p) or _is_only(YES_RX, p) or _is_only(NO_RX, p)
            for p in pieces
        ):
            out.extend(pieces)  # not "between 20 and 30k", not "she and the CFO decide"
        elif part:
            out.append(part)
    return out


def read_message(text: str, today: date, asked: str) -> dict[str, Reading]:
    """Read a message that may answer several questions ("40k budget, CFO decides, live by March").

    Each clause goes to the questions its words point at (an amount with a currency or "k", or
    "budget"; a role or "decides"; a date or "no rush"); a clause with a need word goes to need
    when need is asked or nothing else claims it; any other clause ("yes", "ja", "not sure", a bare
    number) answers `asked`. The clauses for one question are read together, so "ja, ongeveer 40k"
    is one budget answer.
    """
    if asked not in QUESTIONS:
        raise ValueError(f"unknown question {asked!r}")
    if _non_answer(text):
        return {}
    grouped: dict[str, list[str]] = {}
    for clause in _clauses(text, today):
        topics = _topics(clause, today)
        if NEED_SIGNAL_RX.search(clause) and "authority" not in topics and (asked == "need" or not topics):
            topics.add("need")  # "they need to replace their CRM by March" is need and timeline
        for q in topics or {asked}:
            grouped.setdefault(q, []).append(clause)
    readers = {
        "budget": lambda s: read_budget(s, today),
        "authority": read_authority,
        "need": read_need,
        "timeline": lambda s: read_timeline(s, today),
    }
    readings = {q: readers[q](", ".join(clauses)) for q, clauses in grouped.items()}
    return {q: found for q in QUESTIONS if (found := readings.get(q)) is not None}
