"""Reading a Slack message into a draft deal: what the "Create deal from message" shortcut prefills.

Pure, and conservative: every field is a guess the rep checks in the form before anything is saved,
so a field is left empty rather than filled with a wrong guess (two different amounts, a stage word
that fits two stages, a capitalised word that might just start a sentence).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.amounts import CODES, MULTIPLIERS, SYMBOLS, Amount, AmountError, parse_amount
from domain.commands import MAX_COMPANY, MAX_NAME
from domain.dates import DateError, parse_date
from domain.errors import clean
from domain.stages import STAGE_ALIASES, StageRef

# Slack's markup in a message's text: <@U123>, <#C123|sales>, <https://x|label>, <!here>.
_MARKUP = re.compile(r"<([^>|]*)(?:\|([^>]*))?>")
_MONTHS = {
    name: number
    for language in (
        "january february march april may june july august september october november december",
        "januari februari maart april mei juni juli augustus september oktober november december",
        "januar februar märz april mai juni juli august september oktober november dezember",
    )
    for number, name in enumerate(language.split(), start=1)
} | {"jänner": 1}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
# "end of March", "eind maart", "einde maart", "Ende Mai": the month's last day.
_END_OF = re.compile(r"\b(?:end\s+of|eind(?:e)?|ende)\s+" + _MONTH + r"\b", re.IGNORECASE)
# Relative phrases the date reader knows, in our three languages.
_RELATIVE = re.compile(
    r"\b(next\s+week|next\s+month|volgende\s+week|volgende\s+maand|komende\s+week|"
    r"n(?:ä|ae)chste\s+woche|n(?:ä|ae)chsten\s+monat|kommende\s+woche)\b",
    re.IGNORECASE,
)
# Written dates: 2027-03-31, 31.03.2027, 31/3, 15 March (2027), March 15.
_WRITTEN = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|\d{1,2}\.?\s+"
    + _MONTH
    + r"(?:\s+\d{4})?|"
    + _MONTH
    + r"\s+\d{1,2}(?:,?\s+\d{4})?)\b",
    re.IGNORECASE,
)
# A company's legal form after its name: "Jansen BV", "Müller GmbH", "Acme Ltd".
_COMPANY = re.compile(
    r"\b((?:[A-ZÄÖÜ][\w&'.-]*\s+){1,3}(?:B\.?V\.?|N\.?V\.?|GmbH|AG|KG|Ltd\.?|Inc\.?|LLC|plc|SE|SA))(?=[\s,.:;!?)]|$)"
)
# Channels named for a customer: #deal-acme, #client-acme, #klant-jansen, #kunde-mueller.
_CHANNEL = re.compile(r"^(?:deal|deals|client|customer|account|acct|klant|kunde|kunden)[-_](.+)$")
# mrkdwn's *bold*, _italic_ and ~strike~ marks, not the underscores inside a word.
_EMPHASIS = re.compile(r"(?<!\w)[*_~]+|[*_~]+(?!\w)")
_PUNCT = ",;:!?()[]\"'“”„"


@dataclass(frozen=True)
class Captured:
    """A draft deal read from a message: each field None where the message did not say it."""

    name: str | None = None
    company: str | None = None
    amount: Amount | None = None
    close: date | None = None
    stage_id: int | None = None


def capture(text: str, today: date, stages: Sequence[StageRef], channel_name: str | None = None) -> Captured:
    """The draft deal in a message's text (Slack's markup read as what it shows)."""
    plain = _unmarked(clean(text or ""))
    return Captured(
        name=_name(plain),
        company=_company(plain, channel_name),
        amount=_amount(plain),
        close=_close(plain, today),
        stage_id=_stage(plain, stages),
    )


def _unmarked(text: str) -> str:
    return _MARKUP.sub(lambda m: m.group(2) or m.group(1).lstrip("@#!"), text)


def _name(text: str) -> str | None:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = _EMPHASIS.sub("", " ".join(line.split())).strip()
    if len(line) > MAX_NAME:  # cut at a word, as a person would
        line = line[: MAX_NAME - 1].rsplit(" ", 1)[0] + "…"
    return line or None


def _company(text: str, channel_name: str | None) -> str | None:
    m = _CHANNEL.match((channel_name or "").lower())
    if m:
        return " ".join(w.capitalize() for w in re.split(r"[-_]+", m.group(1)) if w)[:MAX_COMPANY] or None
    found = {f.strip() for f in _COMPANY.findall(text)}
    return found.pop()[:MAX_COMPANY] if len(found) == 1 else None


def _amount(text: str) -> Amount | None:
    """The one amount the text names with a currency, a multiplier or thousands grouped: a bare
    number is as likely a year, a day or a quantity. Two different amounts: none."""
    words = [w.strip(_PUNCT).rstrip(".") or w for w in text.split()]
    found: set[Amount] = set()
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            chunk = " ".join(words[i : i + size])
            if not re.search(r"\d", words[i]) and not _is_currency(words[i]):
                break
            amount = _read_amount(chunk)
            if amount is not None:
                found.add(amount)
                i += size - 1
                break
        i += 1
    return found.pop() if len(found) == 1 else None


def _is_currency(word: str) -> bool:
    return word.lower() in SYMBOLS or word.upper() in CODES


def _read_amount(chunk: str) -> Amount | None:
    try:
        amount = parse_amount(chunk)
    except AmountError:
        return None
    low = chunk.lower()
    marked = (
        amount.currency is not None
        or any(re.search(r"\d\s*" + re.escape(m) + r"$", low) for m in MULTIPLIERS)
        or re.search(r"\d[.,' ]\d{3}\b", chunk)
    )
    return amount if marked and amount.cents > 0 else None


def _close(text: str, today: date) -> date | None:
    """The first date phrase; "end of March" is the last day of the next March not yet past."""
    phrases = []
    for pattern in (_END_OF, _RELATIVE, _WRITTEN):
        m = pattern.search(text)
        if m:
            phrases.append((m.start(), pattern is _END_OF, m.group(1) if pattern is _END_OF else m.group(0)))
    for _start, end_of, phrase in sorted(phrases):
        if end_of:  # this month's end while it lasts, else the next year's
            month = _MONTHS[phrase.lower()]
            year = today.year if month >= today.month else today.year + 1
            return date(year, month, calendar.monthrange(year, month)[1])
        try:
            return parse_date(phrase, today)
        except DateError:
            continue
    return None


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def _stage(text: str, stages: Sequence[StageRef]) -> int | None:
    """The open stage whose name, key or alias stands in the text as whole words; none if several."""
    folded = " " + " ".join(re.findall(r"[\wäöüß]+", text.lower())) + " "
    hits = set()
    for stage in stages:
        if stage.kind != "open":
            continue
        words = {stage.name, stage.key, *STAGE_ALIASES.get(stage.key, ())}
        if any(f" {_fold(w)} " in folded for w in words if _fold(w)):
            hits.add(stage.id)
    return hits.pop() if len(hits) == 1 else None
