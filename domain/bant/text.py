"""Normalising one answer before it is read, and telling a non-answer (emoji, laughter, mash) apart."""

from __future__ import annotations

import re

MAX_CHARS = 2000
LAUGH_RX = re.compile(
    r"a?(?:ha)+h?|(?:he){2,}h?|(?:hi){2,}|l+o+l+|lmf?ao+|rofl|x+d+|hm+|huh|meh|ok(?:ay|e|ey)?|k+", re.I
)
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def clean(text: str) -> str:
    """Same words, tidier: one kind of quote, single spaces, contractions spelled out."""
    s = re.sub(r"\s+", " ", re.sub(r"[’‘`´]", "'", text)).strip()
    s = re.sub(r"(?<!\w)(she|he|it)'s(?!\w)", r"\1 is", s, flags=re.I)
    s = re.sub(r"(?<!\w)(they|we|you)'re(?!\w)", r"\1 are", s, flags=re.I)
    return re.sub(r"(?<!\w)i'm(?!\w)", "I am", s, flags=re.I)


def is_only(rx: re.Pattern, text: str) -> bool:
    """The whole text is one of the words (punctuation aside)."""
    return bool(rx.fullmatch(re.sub(r"[^\w\s'.-]|[.]+$", "", text).strip()))


def _gibberish(word: str) -> bool:
    w = word.lower()
    if any(row[i : i + 5] in w for row in KEYBOARD_ROWS for i in range(len(row) - 4)):
        return True  # "asdfgh", "qwerty"
    return re.search(r"[bcdfghjklmnpqrstvwxz]{6,}", w) is not None


def non_answer(text: str) -> bool:
    """Empty, too long, only emoji/punctuation, laughter or keyboard mash."""
    if len(text) > MAX_CHARS:
        return True
    words = re.findall(r"[^\W_]+", re.sub(r":[\w+-]+:", " ", text))  # drop Slack codes like :thumbsup:
    return all(LAUGH_RX.fullmatch(w) or _gibberish(w) for w in words)  # also True when no words
