"""The words for dates and periods in a BANT answer, in English, Dutch and German: months,
numbers and units, periods, "next"/"this"/"last", seasons, ordinals."""

from __future__ import annotations

from domain.bant.lexicon import phrase_list

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
REL_NEXT = phrase_list(
    "next, following, coming, upcoming",
    "volgend, volgende, komend, komende",
    "nächste, nächstes, nächsten, nächster, kommende, kommendes, kommenden",
)
REL_THIS = phrase_list(
    "this, current, the",
    "dit, deze, het, de, huidige, lopende",
    "dieses, diesem, diese, dieser, des, der, laufenden, laufende",
)
REL_LAST = phrase_list(
    "last, previous", "vorig, vorige, afgelopen", "letzte, letztes, letzten, vergangene, vergangenen"
)
YEAR_PREPOSITIONS = phrase_list(
    "in, by, until, before, mid, early, late, end of",
    "uiterlijk, voor, midden, begin, eind",
    "im, vor, bis, mitte, anfang, ende",
)
START_WORDS = phrase_list(
    "start of, beginning of, begin of, early", "begin, begin van", "anfang, anfangs, beginn"
)
MID_WORDS = phrase_list("mid, mid-", "midden, half", "mitte")
AFTER_WORDS = phrase_list("after", "na", "nach")
BEFORE_WORDS = phrase_list("before", "voor, vóór", "vor")
SEASONS = {  # the month each season starts in
    name: month
    for month, names in {
        3: "spring voorjaar lente frühjahr frühjahrs frühling",
        6: "summer zomer sommer sommers",
        9: "autumn fall najaar herfst herbst herbstes",
        12: "winter winters",
    }.items()
    for name in names.split()
}
ORDINALS = {
    word: n
    for n, words in {
        1: "first 1st 1. eerste erste ersten erstes",
        2: "second 2nd 2. tweede zweite zweiten zweites",
        3: "third 3rd 3. derde dritte dritten drittes",
        4: "fourth 4th 4. vierde vierte vierten viertes",
    }.items()
    for word in words.split()
}
HALF_UNITS = phrase_list("half", "helft", "hälfte, jahreshälfte, halbjahr, halbjahres")
QUARTER_UNITS = [word for word, unit in PERIOD_UNITS.items() if unit == "quarter"]
