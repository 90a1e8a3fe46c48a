"""Finding a deal by the words a rep types. Pure: folding text so that case and accents do not
matter, reading a search into words, and the ranking rule.

Both sides are folded the same way: a deal's name, company and notes when they are written (into
the deal's search columns, models/search.py) and the rep's words when they search, so the database
compares plain lower-case ASCII-like words with LIKE, and `munchen` finds "München".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.i18n import N_
from domain.errors import UserError

PAGE = 10  # deals shown for one search; the rest is a "more" hint
MAX_QUERY = 200  # characters: a search is a few words, not a paragraph
MAX_WORDS = 8
MAX_LOG = 10_000  # characters of a deal's logged notes kept searchable, the newest

# How much a word found in each field counts; a word counts once, in its best field.
NAME, COMPANY, NOTES = 4, 2, 1

# Letters NFKD leaves whole (they are letters of their own, not a letter plus an accent).
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"}
)
# German writes an umlaut as a following e when it cannot type it: München, Muenchen.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits
_REF = re.compile(r"^#(\d{1,9})$")


def fold(text: str | None) -> str:
    """The text's words, lower case, without accents, one space apart: "Müller & Söhne, Straße"
    is "muller sohne strasse". casefold() turns ß into ss; NFKD splits é into e and its accent."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_LETTERS)
    return " ".join(_WORD.findall(bare))


def searchable(text: str | None) -> str:
    """What a field is searched by: its folded words, and after them the German spelling of each
    word with an umlaut (München: "munchen muenchen"), so that either way of typing it finds it."""
    words = fold(text)
    if not text:
        return words
    german = fold(unicodedata.normalize("NFC", text.casefold()).translate(_UMLAUTS)).split()
    seen = set(words.split())
    extra = [w for w in dict.fromkeys(german) if w not in seen]
    return " ".join([words, *extra]) if extra else words


def logged(log: str | None, note: str) -> str:
    """A deal's searchable logged notes after one more: the new note's words first, then the older
    ones, cut at a word once they pass MAX_LOG (the oldest notes fall out of the search)."""
    text = " ".join(w for w in (searchable(note), log or "") if w)
    if len(text) <= MAX_LOG:
        return text
    return text[:MAX_LOG].rsplit(" ", 1)[0]


@dataclass(frozen=True)
class Search:
    """A rep's search: the folded words to look for, or the deal number of a `#N`."""

    words: tuple[str, ...] = ()
    number: int | None = None


def read_search(text: str | None) -> Search:
    """The rep's words as a search, or a UserError saying what is wrong with them."""
    typed = (text or "").strip()
    if not typed:
        raise UserError(N_("Say what to look for, like `/deal find acme`."))
    if len(typed) > MAX_QUERY:
        raise UserError(
            N_("That search is too long ({length} characters). Keep it under {limit}."),
            length=len(typed),
            limit=MAX_QUERY,
        )
    ref = _REF.match(typed)
    if ref:
        return Search(number=int(ref.group(1)))
    words = tuple(dict.fromkeys(fold(typed).split()))
    if not words:
        raise UserError(
            N_("There is nothing to search for in that. Use letters or digits: `/deal find acme`.")
        )
    if len(words) > MAX_WORDS:
        raise UserError(N_("Search with at most {limit} words."), limit=MAX_WORDS)
    return Search(words=words)


@dataclass(frozen=True, order=True)
class Score:
    """How well a deal matches: more of the words first, then where they were found (a name hit over
    a company hit over a notes hit). Ties go to the deal with the most recent activity."""

    matched: int
    weight: int


def score(words: tuple[str, ...], name: str, company: str, text: str) -> Score:
    """The rule models/search.py writes in SQL, given a deal's search columns (`text`: its
    search_text and search_log, which hold name, company, notes and logged notes)."""
    matched = weight = 0
    for word in words:
        if word in name:
            matched, weight = matched + 1, weight + NAME
        elif word in company:
            matched, weight = matched + 1, weight + COMPANY
        elif word in text:
            matched, weight = matched + 1, weight + NOTES
    return Score(matched, weight)
