"""A message that may answer several BANT questions: split into clauses, each sent to its readers."""

from __future__ import annotations

import re
from datetime import date

from domain.bant.lexicon import (
    ABBREVIATIONS,
    APPROVAL_RX,
    ASAP_RX,
    AVAIL_BEFORE_RX,
    BUDGET_NO_RX,
    BUDGET_TOPIC_RX,
    DECIDE_RX,
    DM_NOUN_RX,
    NEED_SIGNAL_RX,
    NO_RUSH_RX,
    NO_RX,
    VAGUE_TIME_RX,
    YES_RX,
    alternation,
)
from domain.bant.periods import find_periods
from domain.bant.readers import amounts_in, read_authority, read_budget, read_need, read_timeline, roles_in
from domain.bant.readings import QUESTIONS, Reading
from domain.bant.text import clean, is_only, non_answer

# ---- Several answers in one message ------------------------------------------------------------------


def _topics(clause: str, today: date) -> set[str]:
    """The questions a clause answers by its own words, whatever was asked."""
    t = clean(clause)
    periods = find_periods(t, today, "end")
    topics = set()
    if BUDGET_TOPIC_RX.search(t) or any(
        a.typed or a.amount.cents >= 1_000_000 for a in amounts_in(t, periods)
    ):
        topics.add("budget")
    # "pending approval" alone may be the budget's or the signer's: it answers what was asked
    approval = APPROVAL_RX.search(BUDGET_NO_RX.sub(" ", t))
    if roles_in(t) or DECIDE_RX.search(t) or DM_NOUN_RX.search(t) or approval:
        topics.add("authority")
    if "budget" in topics:  # "no budget until Q3": that date belongs to the budget
        periods = [p for p in periods if not AVAIL_BEFORE_RX.search(p.before)]
    if periods or NO_RUSH_RX.search(t) or ASAP_RX.search(t) or VAGUE_TIME_RX.search(t):
        topics.add("timeline")
    return topics


def _clauses(text: str, today: date) -> list[str]:
    """Split on , ; newlines and sentence ends; on and/en/und only when every part is an answer."""
    protected = re.sub(rf"(?<!\w)({alternation(ABBREVIATIONS)})\.", "\\1\x00", text, flags=re.I)  # "ca. 50k"
    out = []
    for part in re.split(r"[;\n]+|,(?!\d)|(?<=[^\d\s])[.!?]+(?=\s|$)", protected):
        part = part.replace("\x00", ".").strip()
        pieces = [p.strip() for p in re.split(r"\s+(?:and|en|und)\s+", part, flags=re.I)]
        if len(pieces) > 1 and all(
            _topics(p, today) or NEED_SIGNAL_RX.search(p) or is_only(YES_RX, p) or is_only(NO_RX, p)
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
    if non_answer(text):
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
