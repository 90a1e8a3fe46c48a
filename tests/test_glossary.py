"""The Dutch and German catalogs keep to the glossary in docs/i18n.md: where the English msgid has a
term, its translation uses the glossary's word and none of the words the glossary rejects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "i18n.md"
LOCALES = ROOT / "bot" / "locales"
SECTIONS = {"nl": "#### Dutch", "de": "#### German"}
# Left out on both sides: code spans, {placeholders}, mentions, `key:value` examples.
_NOISE = re.compile(r"`[^`]*`|\{[^}]*\}|<[@#!][^>]*>|\b\w+:[^\s*]+")
# A command example in the demo (`move #9 proposal`) is typed, not read.
_COMMAND = re.compile(r"^(add|move|list|lost|note|won) ")


@dataclass(frozen=True)
class Term:
    english: re.Pattern
    uses: tuple[str, ...]
    rejected: tuple[re.Pattern, ...]
    row: str


def _english(cell: str) -> re.Pattern:
    if cell.startswith("`") and cell.endswith("`"):
        return re.compile(cell[1:-1].replace("\\|", "|"), re.IGNORECASE)
    if cell.endswith("*"):
        return re.compile(r"\b" + re.escape(cell[:-1]), re.IGNORECASE)
    return re.compile(r"\b" + re.escape(cell) + r"s?\b", re.IGNORECASE)


def _words(cell: str) -> list[str]:
    return [w.strip().lower() for w in cell.split(",") if w.strip()]


def glossary(lang: str) -> list[Term]:
    lines = DOC.read_text().splitlines()
    start = lines.index(SECTIONS[lang])
    terms = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if not line.startswith("|") or line.startswith("|---") or line.startswith("| English"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        english, _word, uses, rejected = cells
        terms.append(
            Term(
                _english(english),
                tuple(_words(uses)),
                tuple(re.compile(r"\b" + re.escape(w) + r"\b", re.IGNORECASE) for w in _words(rejected)),
                line,
            )
        )
    return terms


def entries(lang: str, catalog: str = "messages") -> list[tuple[str, str]]:
    """(English, translation) pairs, each plural form with its own English form."""
    with (LOCALES / lang / "LC_MESSAGES" / f"{catalog}.po").open("rb") as fh:
        found = read_po(fh, locale=lang)
    pairs = []
    for m in found:
        if not m.id or not m.string:
            continue
        if isinstance(m.id, (tuple, list)):
            forms = list(m.string)
            pairs.extend((m.id[min(i, 1)], form) for i, form in enumerate(forms))
        else:
            pairs.append((m.id, m.string))
    return [(en, tr) for en, tr in pairs if not _COMMAND.match(en)]


def breaches(lang: str, catalog: str = "messages") -> list[str]:
    out = []
    terms = glossary(lang)
    for english, translated in entries(lang, catalog):
        en, tr = _NOISE.sub(" ", english), _NOISE.sub(" ", translated)
        for term in terms:
            if not term.english.search(en):
                continue
            if not any(u in tr.lower() for u in term.uses):
                out.append(f"{english!r} -> {translated!r}: wants one of {term.uses} ({term.row})")
            for bad in term.rejected:
                if bad.search(tr):
                    out.append(f"{english!r} -> {translated!r}: {bad.pattern} is rejected ({term.row})")
    return out


def test_the_glossary_is_read():
    for lang in SECTIONS:
        terms = glossary(lang)
        assert len(terms) > 30
        assert any(t.english.search("Stop") for t in terms)


@pytest.mark.parametrize("catalog", ["messages", "formal"])
@pytest.mark.parametrize("lang", list(SECTIONS))
def test_the_catalog_keeps_to_its_glossary(lang, catalog):
    found = breaches(lang, catalog)
    assert not found, "\n".join(found)


def test_a_breach_is_found():
    """A translation with a rejected word, or without the glossary's, is reported."""
    terms = glossary("de")
    stop = next(t for t in terms if t.english.search("Stop"))
    assert not any(u in "abbrechen" for u in stop.uses)
    assert any(bad.search("Abbrechen") for bad in stop.rejected)
