"""Real-world BANT answers and how domain.bant reads them.

Today is fixed at Tuesday 24 November 2026; every expected date is written out by hand.
Expected readings are built with small helpers; their evidence is the rep's text, trimmed,
unless a row spells it out (read_message rows name the clause each answer came from).
"""

from dataclasses import replace
from datetime import date, datetime

import dateparser
import pytest

from domain.bant import (
    Ambiguous,
    Authority,
    Budget,
    Need,
    Timeline,
    read_authority,
    read_budget,
    read_control,
    read_message,
    read_need,
    read_quick,
    read_timeline,
)

TODAY = date(2026, 11, 24)
SAME = "<same as text>"  # evidence placeholder: the row's text, trimmed


def budget(text):
    return read_budget(text, TODAY)


def authority(text):
    return read_authority(text)


def need(text):
    return read_need(text)


def timeline(text):
    return read_timeline(text, TODAY)


def message(asked):
    def read(text):
        return read_message(text, TODAY, asked)

    read.__name__ = f"message_{asked}"
    return read


def B(status, low=None, high=None, currency=None, available_from=None, evidence=SAME):
    return Budget(
        status, low, low if high is None and low is not None else high, currency, available_from, evidence
    )


def A(status, who=None, evidence=SAME):
    return Authority(status, who, evidence)


def N(clear, text=SAME, evidence=SAME):
    return Need(text, clear, evidence)


def T(status, target=None, evidence=SAME):
    return Timeline(status, target, evidence)


def Amb(question, reason, evidence=SAME):
    return Ambiguous(question, reason, evidence)


ROWS = [
    # ---- Budget: amounts and ranges
    (budget, "about 40k EUR", B("yes", 4_000_000, currency="EUR")),
    (budget, "1,2 Mio €", B("yes", 120_000_000, currency="EUR")),
    (budget, "they have 50-60k", B("yes", 5_000_000, 6_000_000)),
    (budget, "ja, ongeveer 40k", B("yes", 4_000_000)),
    (budget, "ca. 50.000 €", B("yes", 5_000_000, currency="EUR")),
    (budget, "ong. 40k", B("yes", 4_000_000)),
    (budget, "between 20 and 30 thousand", B("yes", 2_000_000, 3_000_000)),
    (budget, "tussen 20 en 30 duizend euro", B("yes", 2_000_000, 3_000_000, "EUR")),
    (budget, "zwischen 50.000 und 60.000 Euro", B("yes", 5_000_000, 6_000_000, "EUR")),
    (budget, "50 - 60.000 €", B("yes", 5_000_000, 6_000_000, "EUR")),
    (budget, "  Budget: 50,000 EUR  ", B("yes", 5_000_000, currency="EUR")),
    (budget, "up to 50k", Budget("yes", None, 5_000_000, None, None, SAME)),
    (budget, "mindestens 20k", Budget("yes", 2_000_000, None, None, None, SAME)),
    (budget, "€0", B("no", 0, currency="EUR")),
    (budget, "$50k USD", B("yes", 5_000_000, currency="USD")),
    (budget, "budget for 2027 is 50k", B("yes", 5_000_000)),  # 2027 is a year, not an amount
    (budget, "circa 15.000 Euro pro Jahr", B("yes", 1_500_000, currency="EUR")),
    # ---- Budget: yes / no / unknown
    (budget, "yes", B("yes")),
    (budget, "ja", B("yes")),
    (budget, "Jawohl!", B("yes")),
    (budget, "budget approved", B("yes")),
    (budget, "Budget ist freigegeben", B("yes")),
    (budget, "no", B("no")),
    (budget, "nee", B("no")),
    (budget, "nein", B("no")),
    (budget, "kein Budget", B("no")),
    (budget, "geen budget", B("no")),
    (budget, "not sure", B("unknown")),
    (budget, "weet ik niet", B("unknown")),
    (budget, "keine Ahnung", B("unknown")),
    (budget, "weet ik nog niet", B("unknown")),
    (budget, "5 users, no budget", B("no")),  # "5 users" is a count
    # ---- Budget: comes later (available_from = first day of that period, not before today)
    (budget, "no budget until Q3", B("no", available_from=date(2027, 7, 1))),
    (budget, "geen budget tot januari", B("no", available_from=date(2027, 1, 1))),
    (budget, "kein Budget bis nächstes Jahr", B("no", available_from=date(2027, 1, 1))),
    (budget, "no budget until December", B("no", available_from=date(2026, 12, 1))),
    (budget, "50k from Q3", B("no", 5_000_000, available_from=date(2027, 7, 1))),
    (budget, "not yet, maybe in Q2", B("no", available_from=date(2027, 4, 1))),
    # ---- Budget: ambiguous
    (budget, "maybe 40k or 80k", Amb("budget", "range_unclear")),
    (budget, "30k of 50k, hangt ervan af", Amb("budget", "range_unclear")),
    (budget, "about 40", Amb("budget", "amount_unclear")),
    (budget, "no budget, but 40k", Amb("budget", "contradictory")),
    (budget, "40k EUR - 50k USD", Amb("budget", "currency_mismatch")),
    (budget, "maybe", Amb("budget", "no_amount_or_yes_no")),
    (budget, "budget is being discussed", Amb("budget", "no_amount_or_yes_no")),
    (budget, "they want to go live soon", None),  # not about budget at all: re-prompt
    # ---- Authority: the contact decides
    (authority, "I am the CFO and I sign", A("decision_maker", "CFO")),
    (authority, "she is the decision maker", A("decision_maker")),
    (authority, "she's the decision maker", A("decision_maker")),
    (authority, "he decides", A("decision_maker")),
    (authority, "our contact decides", A("decision_maker")),
    (authority, "zij beslist", A("decision_maker")),
    (authority, "hij is de beslisser", A("decision_maker")),
    (authority, "sie entscheidet", A("decision_maker")),
    (authority, "die Ansprechperson entscheidet", A("decision_maker")),  # the wording of our German question
    (authority, "unsere Kontaktperson unterschreibt", A("decision_maker")),
    (authority, "das entscheidet er selbst", A("decision_maker")),
    (authority, "yes", A("decision_maker")),
    # ---- Authority: someone else signs
    (authority, "the CFO signs", A("needs_approval", "CFO")),
    (authority, "the CEO", A("needs_approval", "CEO")),
    (authority, "needs sign-off from procurement", A("needs_approval", "procurement")),
    (authority, "de directeur beslist", A("needs_approval", "directeur")),
    (authority, "der Geschäftsführer entscheidet", A("needs_approval", "Geschäftsführer")),
    (authority, "committee", A("needs_approval", "committee")),
    (authority, "board approval", A("needs_approval", "board")),
    (authority, "inkoop moet akkoord geven", A("needs_approval", "procurement")),
    (authority, "Einkauf muss freigeben", A("needs_approval", "procurement")),
    (authority, "she decides but needs CFO sign-off", A("needs_approval", "CFO")),
    (authority, "CFO and procurement sign off", A("needs_approval", "CFO, procurement")),
    (authority, "Jan beslist", A("needs_approval", "Jan")),
    (authority, "I think Jan de Vries signs", A("needs_approval", "Jan de Vries")),
    (authority, "needs approval from Maria", A("needs_approval", "Maria")),
    (authority, "nee", A("needs_approval")),
    (authority, "our champion is the VP Sales, but the CFO signs", A("needs_approval", "CFO")),
    (authority, "die Geschäftsführerin entscheidet", A("needs_approval", "Geschäftsführerin")),
    (authority, "ich weiß es nicht", A("unknown")),
    # ---- Authority: unknown and ambiguous
    (authority, "not sure who decides", A("unknown")),
    (authority, "weet niet wie beslist", A("unknown")),
    (authority, "keine Ahnung wer entscheidet", A("unknown")),
    (authority, "maybe the CFO", Amb("authority", "who_decides_unclear")),
    (authority, "CFO or CEO", Amb("authority", "who_decides_unclear")),
    (authority, "she decides together with the CFO", Amb("authority", "shared_decision")),
    (authority, "zij en de directeur samen", Amb("authority", "shared_decision")),
    # ---- Need
    (need, "they need to cut onboarding time by half", N(True)),
    (need, "replace their spreadsheet CRM", N(True)),
    (need, "ze willen hun planning automatiseren", N(True)),
    (need, "sie brauchen ein neues CRM", N(True)),
    (need, "hun facturatie is nu handmatig, dat moet sneller", N(True)),
    (need, "their reporting is a mess", N(True)),
    (need, "ze hebben last van dubbele invoer", N(True)),
    (need, "sie wollen ihre Vertriebsprozesse digitalisieren", N(True)),
    (need, "mal schauen", N(False)),
    (need, "yes", N(True, text="")),
    (need, "maybe", N(False)),
    (need, "not sure", N(False)),
    (need, "they're just looking", N(False)),
    (need, "idk", N(False)),
    (need, "ze kijken rond", N(False)),
    (need, "sie informieren sich nur", N(False)),
    (need, "maybe they want a new CRM", N(False)),
    (need, "CRM", N(False)),
    (need, "nein", N(False, text="")),
    # ---- Timeline: dates
    (timeline, "end of next quarter", T("date", date(2027, 3, 31))),
    (timeline, "in 6 weeks", T("date", date(2027, 1, 5))),
    (timeline, "by March", T("date", date(2027, 3, 31))),
    (timeline, "2027-01-15", T("date", date(2027, 1, 15))),
    (timeline, "15/01/2027", T("date", date(2027, 1, 15))),
    (timeline, "05.01.2027", T("date", date(2027, 1, 5))),
    (timeline, "15/01", T("date", date(2027, 1, 15))),
    (timeline, "16.02.", T("date", date(2027, 2, 16))),
    (timeline, "01/12", T("date", date(2026, 12, 1))),
    (timeline, "uiterlijk 1 april", T("date", date(2027, 4, 1))),
    (timeline, "spätestens Ende Januar", T("date", date(2027, 1, 31))),
    (timeline, "binnen een half jaar", T("date", date(2027, 5, 24))),
    (timeline, "Ende nächsten Monats", T("date", date(2026, 12, 31))),
    (timeline, "by the end of the month", T("date", date(2026, 11, 30))),
    (timeline, "early next year", T("date", date(2027, 1, 1))),
    (timeline, "next month", T("date", date(2026, 12, 31))),
    (timeline, "volgende maand", T("date", date(2026, 12, 31))),
    (timeline, "Q2", T("date", date(2027, 6, 30))),
    (timeline, "Q2 2027", T("date", date(2027, 6, 30))),
    (timeline, "Q4", T("date", date(2026, 12, 31))),
    (timeline, "nächstes Quartal", T("date", date(2027, 3, 31))),
    (timeline, "Ende März", T("date", date(2027, 3, 31))),
    (timeline, "eind maart", T("date", date(2027, 3, 31))),
    (timeline, "begin maart", T("date", date(2027, 3, 1))),
    (timeline, "Anfang Q2", T("date", date(2027, 4, 1))),
    (timeline, "mid January", T("date", date(2027, 1, 15))),
    (timeline, "binnen 2 maanden", T("date", date(2027, 1, 24))),
    (timeline, "in 2 Monaten", T("date", date(2027, 1, 24))),
    (timeline, "over twee weken", T("date", date(2026, 12, 8))),
    (timeline, "in drei Wochen", T("date", date(2026, 12, 15))),
    (timeline, "next week", T("date", date(2026, 12, 6))),
    (timeline, "end of the year", T("date", date(2026, 12, 31))),
    (timeline, "Ende des Jahres", T("date", date(2026, 12, 31))),
    (timeline, "in 2027", T("date", date(2027, 12, 31))),
    (timeline, "May", T("date", date(2027, 5, 31))),
    # "day + month name" goes through dateparser
    (timeline, "15th of March", T("date", date(2027, 3, 15))),
    (timeline, "3. Mär.", T("date", date(2027, 3, 3))),
    (timeline, "15 januari 2027", T("date", date(2027, 1, 15))),
    (timeline, "24 november", T("date", date(2026, 11, 24))),  # today counts as not past
    # ---- Timeline: no rush, unknown, ambiguous
    (timeline, "no rush", T("no_rush")),
    (timeline, "geen haast", T("no_rush")),
    (timeline, "keine Eile", T("no_rush")),
    (timeline, "nee", T("no_rush")),
    (timeline, "don't know", T("unknown")),
    (timeline, "unknown", T("unknown")),
    (timeline, "asap", Amb("timeline", "asap")),
    (timeline, "zsm", Amb("timeline", "asap")),
    (timeline, "soon", Amb("timeline", "vague")),
    (timeline, "bald", Amb("timeline", "vague")),
    (timeline, "in a few weeks", Amb("timeline", "vague")),
    (timeline, "voor de zomer", Amb("timeline", "vague")),
    (timeline, "2020-01-01", Amb("timeline", "in_past")),
    (timeline, "Q1 2026", Amb("timeline", "in_past")),
    (timeline, "March or April", Amb("timeline", "several_dates")),
    (timeline, "not sure, maybe March", Amb("timeline", "unsure")),
    (timeline, "yes", Amb("timeline", "which_date")),
    (timeline, "may be", None),  # "may" is a month only when it stands alone or after "by", "in"...
    (timeline, "Jan beslist", None),  # a name, not January
    (timeline, "24/7", None),  # round the clock, not 24 July
    # ---- Several answers in one message
    (
        message("budget"),
        "40k budget, CFO decides, live by March",
        {
            "budget": B("yes", 4_000_000, evidence="40k budget"),
            "authority": A("needs_approval", "CFO", evidence="CFO decides"),
            "timeline": T("date", date(2027, 3, 31), evidence="live by March"),
        },
    ),
    (
        message("budget"),
        "ja, ongeveer 40k, de directeur beslist",
        {
            "budget": B("yes", 4_000_000, evidence="ja, ongeveer 40k"),
            "authority": A("needs_approval", "directeur", evidence="de directeur beslist"),
        },
    ),
    (
        message("budget"),
        "Budget 50.000 €, der Geschäftsführer entscheidet, Start nächstes Quartal",
        {
            "budget": B("yes", 5_000_000, currency="EUR", evidence="Budget 50.000 €"),
            "authority": A("needs_approval", "Geschäftsführer", evidence="der Geschäftsführer entscheidet"),
            "timeline": T("date", date(2027, 3, 31), evidence="Start nächstes Quartal"),
        },
    ),
    (message("authority"), "yes", {"authority": A("decision_maker", evidence="yes")}),
    (message("budget"), "ja", {"budget": B("yes", evidence="ja")}),
    (message("need"), "ja", {"need": N(True, text="", evidence="ja")}),
    (
        message("budget"),
        "between 20 and 30 thousand",
        {"budget": B("yes", 2_000_000, 3_000_000, evidence="between 20 and 30 thousand")},
    ),
    (
        message("budget"),
        "no budget until Q3 and the CFO decides",
        {
            "budget": B("no", available_from=date(2027, 7, 1), evidence="no budget until Q3"),
            "authority": A("needs_approval", "CFO", evidence="the CFO decides"),
        },
    ),
    (
        message("budget"),
        "ca. 50.000 €. Der CFO entscheidet.",
        {
            "budget": B("yes", 5_000_000, currency="EUR", evidence="ca. 50.000 €"),
            "authority": A("needs_approval", "CFO", evidence="Der CFO entscheidet"),
        },
    ),
    (
        message("timeline"),
        "geen haast, zij beslist",
        {
            "authority": A("decision_maker", evidence="zij beslist"),
            "timeline": T("no_rush", evidence="geen haast"),
        },
    ),
    (
        message("need"),
        "ze willen hun planning automatiseren en de directeur beslist",
        {
            "authority": A("needs_approval", "directeur", evidence="de directeur beslist"),
            "need": N(
                True,
                text="ze willen hun planning automatiseren",
                evidence="ze willen hun planning automatiseren",
            ),
        },
    ),
    (
        message("need"),
        "they need to replace their CRM by March",
        {"need": N(True), "timeline": T("date", date(2027, 3, 31))},
    ),
    (
        message("timeline"),
        "40k",
        {"budget": B("yes", 4_000_000)},
    ),  # an amount is a budget answer whatever was asked
    (message("authority"), "she and the CFO decide", {"authority": Amb("authority", "shared_decision")}),
    (
        message("need"),
        "sie brauchen ein neues CRM\nBudget ca. 50k; Einkauf muss freigeben, bis Ende März",
        {
            "budget": B("yes", 5_000_000, evidence="Budget ca. 50k"),
            "authority": A("needs_approval", "procurement", evidence="Einkauf muss freigeben"),
            "need": N(True, text="sie brauchen ein neues CRM", evidence="sie brauchen ein neues CRM"),
            "timeline": T("date", date(2027, 3, 31), evidence="bis Ende März"),
        },
    ),
    (message("need"), "they need 24/7 support", {"need": N(True)}),
    (
        message("budget"),
        "Budget 1.5 Mio, ab 16.02. live",
        {
            "budget": B("yes", 150_000_000, evidence="Budget 1.5 Mio"),
            "timeline": T("date", date(2027, 2, 16), evidence="ab 16.02. live"),
        },
    ),
    (
        message("budget"),
        "ongeveer 25k, inkoop moet tekenen, ze willen voor de zomer live",
        {
            "budget": B("yes", 2_500_000, evidence="ongeveer 25k"),
            "authority": A("needs_approval", "procurement", evidence="inkoop moet tekenen"),
            "timeline": Amb("timeline", "vague", evidence="ze willen voor de zomer live"),
        },
    ),
    (message("budget"), "haha", {}),
    (message("timeline"), "lol, no idea", {"timeline": T("unknown")}),
]

NON_ANSWERS = ["😀", ":thumbsup:", "lol", "haha", "?", "asdfgh", "", "   ", "they need a new CRM " * 500]
ROWS += [(reader, text, None) for reader in (budget, authority, need, timeline) for text in NON_ANSWERS]
ROWS += [(message("budget"), text, {}) for text in NON_ANSWERS]


def _with_evidence(expected, text):
    """Fill in the SAME placeholder with the row's text, trimmed."""
    if isinstance(expected, dict):
        return {q: _with_evidence(r, text) for q, r in expected.items()}
    if expected is None:
        return None
    fields = {k: text.strip() for k in ("evidence", "text") if getattr(expected, k, None) == SAME}
    return replace(expected, **fields)


@pytest.mark.parametrize("reader, text, expected", ROWS, ids=[f"{r.__name__}:{t[:40]!r}" for r, t, _ in ROWS])
def test_reading(reader, text, expected):
    assert reader(text) == _with_evidence(expected, text)


def test_table_is_big_enough():
    assert len(ROWS) >= 70


@pytest.mark.parametrize(
    "text, expected",
    [
        ("skip", "skip"),
        ("Next!", "skip"),
        ("overslaan", "skip"),
        ("volgende", "skip"),
        ("Überspringen", "skip"),
        ("weiter", "skip"),
        ("back", "back"),
        ("terug", "back"),
        ("zurück", "back"),
        ("stop", "stop"),
        ("Cancel.", "stop"),
        ("quit", "stop"),
        ("stoppen", "stop"),
        ("annuleren", "stop"),
        ("abbrechen", "stop"),
        ("aufhören", "stop"),
        ("Pausieren", "stop"),
        ("anhalten", "stop"),
        ("pauzeren", "stop"),
        ("pause", "stop"),
        ("restart", "restart"),
        ("Start over", "restart"),
        ("opnieuw", "restart"),
        ("von vorne", "restart"),
        ("neu starten", "restart"),
        ("skip the budget question please", None),
        ("stop asking", None),
        ("40k", None),
        ("", None),
    ],
)
def test_read_control(text, expected):
    assert read_control(text) == expected


@pytest.mark.parametrize(
    "question, value, expected",
    [
        ("budget", "yes", Budget("yes", None, None, None, None, "yes")),
        ("budget", "no", Budget("no", None, None, None, None, "no")),
        ("budget", "unsure", Budget("unknown", None, None, None, None, "unsure")),
        ("authority", "yes", Authority("decision_maker", None, "yes")),
        ("authority", "no", Authority("needs_approval", None, "no")),
        ("authority", "unsure", Authority("unknown", None, "unsure")),
        ("need", "yes", Need("", True, "yes")),
        ("need", "no", Need("", False, "no")),
        ("need", "unsure", Need("", False, "unsure")),
        ("timeline", "yes", Ambiguous("timeline", "which_date", "yes")),
        ("timeline", "no", Timeline("no_rush", None, "no")),
        ("timeline", "unsure", Timeline("unknown", None, "unsure")),
    ],
)
def test_read_quick(question, value, expected):
    assert read_quick(question, value) == expected


@pytest.mark.parametrize("question, value", [("budget", "maybe"), ("price", "yes")])
def test_read_quick_rejects_unknown_input(question, value):
    with pytest.raises(ValueError):
        read_quick(question, value)


def test_read_message_rejects_unknown_question():
    with pytest.raises(ValueError):
        read_message("40k", TODAY, "price")


def test_dateparser_behaviour_we_rely_on():
    """dateparser reads day + month name in all three languages, but not the phrases we read
    ourselves; if an upgrade changes this, the module's split of work needs a look."""
    settings = {"RELATIVE_BASE": datetime(2026, 11, 24), "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"}

    def parse(text):
        found = dateparser.parse(text, languages=["en", "nl", "de"], settings=settings)
        return found and found.date()

    assert parse("15th of March") == date(2027, 3, 15)
    assert parse("3 mrt") == date(2027, 3, 3)
    assert parse("3. Mär.") == date(2027, 3, 3)
    assert parse("24 November") == date(2027, 11, 24)  # "future" skips today; the module corrects this
    for text in ("Ende März", "eind maart", "Q2", "next quarter", "binnen 2 maanden", "in twee maanden"):
        assert parse(text) is None


def test_dateutil_behaviour_we_avoid():
    """Why the module reads ISO and day.month dates itself instead of handing them to dateutil."""
    from dateutil import parser as du_parser

    assert du_parser.parse("2027-01-05", dayfirst=True).date() == date(2027, 5, 1)
    assert du_parser.parse("16.02", dayfirst=True, default=datetime(2026, 1, 1)).date() == date(2026, 1, 16)


def test_period_rules_on_other_days():
    """A month named in that same month is this month's end; a past one is next year's."""
    in_march = date(2027, 3, 10)
    assert read_timeline("by March", in_march) == Timeline("date", date(2027, 3, 31), "by March")
    assert read_timeline("by February", in_march) == Timeline("date", date(2028, 2, 29), "by February")
    assert read_timeline("Q1", in_march) == Timeline("date", date(2027, 3, 31), "Q1")
    # Budget availability looks at the period's first day: Q3 has begun, so the next Q3.
    in_august = date(2027, 8, 15)
    assert read_budget("no budget until Q3", in_august) == Budget(
        "no", None, None, None, date(2028, 7, 1), "no budget until Q3"
    )
