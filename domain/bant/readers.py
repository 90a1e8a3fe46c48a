"""Reading one BANT answer: control words, budget, authority, need, timeline, quick buttons.

A reader returns None when the text is no answer at all (the bot re-prompts) and Ambiguous
when it is an answer we should not guess at (the bot asks a follow-up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.amounts import Amount, AmountError, parse_amount
from domain.bant.lexicon import (
    ABOVE_RX,
    AMOUNT_RX,
    APPROVAL_FROM_RX,
    APPROVAL_RX,
    ARTICLES,
    ASAP_RX,
    AT_LEAST_RX,
    AVAIL_BEFORE_RX,
    BUDGET_NO_RX,
    BUDGET_WORD_RX,
    BUDGET_YES_RX,
    CONTACT,
    CONTACT_AND_RX,
    CONTACT_DECIDES_RX,
    CONTROL,
    COUNTED_RX,
    DM_NOUN_RX,
    HEDGE_RX,
    NEED_SIGNAL_RX,
    NEEDS_OTHER_RX,
    NO,
    NO_RUSH_RX,
    NO_RX,
    NOT_THEIRS_RX,
    OR_JOIN,
    OR_RX,
    OTHER_DECIDES_RX,
    RANGE_JOIN,
    ROLE_RX,
    ROLES,
    SHARED_RX,
    THINK_RX,
    TIGHT_RX,
    UNKNOWN_RX,
    UP_TO_RX,
    VAGUE_NEED_RX,
    VAGUE_TIME_RX,
    YES,
    YES_RX,
    alternation,
)
from domain.bant.periods import FEW_UNITS_RX, Period, blank, find_periods
from domain.bant.readings import Ambiguous, Authority, Budget, Need, Reading, Timeline
from domain.bant.text import clean, is_only, non_answer

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


def amounts_in(text: str, periods: list[Period]) -> list[_Amount]:
    """The amounts in the text, outside its dates ("Q3 2027" is no amount)."""
    for p in periods:
        text = blank(text, p.start, p.end)
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
    if non_answer(text):
        return None
    t, ev = clean(text), text.strip()
    periods = find_periods(t, today, "start")
    negative = BUDGET_NO_RX.search(t) or NO_RX.search(t) and not UNKNOWN_RX.search(t)
    avail = next(
        (p.opening() for p in periods if AVAIL_BEFORE_RX.search(p.before) or negative and p.first >= today),
        None,
    )  # "not yet, maybe in Q2"
    found = amounts_in(t, periods)
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
    if HEDGE_RX.search(t) or TIGHT_RX.search(t):
        return Ambiguous("budget", "no_amount_or_yes_no", ev)  # "I think so", "budget is tight"
    if YES_RX.search(t) or BUDGET_YES_RX.search(t):
        return budget("yes")
    if BUDGET_WORD_RX.search(t):
        return Ambiguous("budget", "no_amount_or_yes_no", ev)  # "budget is being discussed"
    return None


# ---- Authority ---------------------------------------------------------------------------------------


def roles_in(t: str) -> list[str]:
    return list(dict.fromkeys(ROLES[re.sub(r"\s+", " ", m[0].lower())] for m in ROLE_RX.finditer(t)))


def _named_decider(t: str) -> str | None:
    """Someone not in the role list: "Jan decides", "needs approval from Maria"."""
    m = APPROVAL_FROM_RX.search(t) or OTHER_DECIDES_RX.search(re.split(r"[,;:]", t)[-1])
    if not m:
        return None
    who = re.sub(ARTICLES, "", THINK_RX.split(m[1])[-1].strip(" .,"), flags=re.I)  # "I think Jan decides"
    if (
        not who
        or re.fullmatch(alternation(CONTACT + YES + NO), who, re.I)
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
    if non_answer(text):
        return None
    t, ev = clean(text), text.strip()
    roles, named = roles_in(t), _named_decider(t)
    if len(roles) > 1 and named:  # "the VP is our champion, but the CFO signs": the one who signs
        roles = [r for r in roles if r in roles_in(named)] or roles
    who = ", ".join(roles) or None
    contact = bool(CONTACT_DECIDES_RX.search(t)) or (bool(DM_NOUN_RX.search(t)) and not roles)
    if UNKNOWN_RX.search(t):
        return Ambiguous("authority", "who_decides_unclear", ev) if roles else Authority("unknown", None, ev)
    if HEDGE_RX.search(t) or len(roles) > 1 and OR_RX.search(t):
        return Ambiguous(
            "authority", "who_decides_unclear", ev
        )  # "maybe the CFO", "CFO or CEO", "I think so"
    if roles and (contact and SHARED_RX.search(t) or CONTACT_AND_RX.search(t)):
        return Ambiguous("authority", "shared_decision", ev)  # "she decides together with the CFO"
    if not roles and (ABOVE_RX.search(t) or NOT_THEIRS_RX.search(t)):
        return Authority("needs_approval", None, ev)  # "it has to go higher up": the bot asks who signs
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
    if non_answer(text):
        return None
    t, ev = clean(text), text.strip()
    if is_only(YES_RX, t) or is_only(NO_RX, t):
        return Need("", is_only(YES_RX, t), ev)
    vague = VAGUE_NEED_RX.search(t) or HEDGE_RX.search(t) or UNKNOWN_RX.search(t)
    words = re.findall(r"[^\W\d_]+", t)
    return Need(ev, bool(NEED_SIGNAL_RX.search(t)) and len(words) >= 2 and not vague, ev)


# ---- Timeline ----------------------------------------------------------------------------------------


def read_timeline(text: str, today: date) -> Timeline | Ambiguous | None:
    """A target date, no rush, or unknown; the date rules are in the module docstring."""
    if non_answer(text):
        return None
    t, ev = clean(text), text.strip()
    if NO_RUSH_RX.search(t):
        return Timeline("no_rush", None, ev)
    periods = find_periods(t, today, "end")
    targets = sorted({p.target() for p in periods if not p.negated})
    if len(targets) > 1:
        return Ambiguous("timeline", "several_dates", ev)  # "March or April"
    if targets:
        if UNKNOWN_RX.search(t) or HEDGE_RX.search(t):
            return Ambiguous("timeline", "unsure", ev)  # "not sure, maybe March"
        return (
            Ambiguous("timeline", "in_past", ev) if targets[0] < today else Timeline("date", targets[0], ev)
        )
    if UNKNOWN_RX.search(t):
        return Timeline("unknown", None, ev)
    if ASAP_RX.search(t):
        return Ambiguous("timeline", "asap", ev)
    if periods or VAGUE_TIME_RX.search(t) or FEW_UNITS_RX.search(t):
        return Ambiguous("timeline", "vague", ev)  # "not this year", "soon"
    if HEDGE_RX.search(t):
        return Ambiguous("timeline", "unsure", ev)
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
