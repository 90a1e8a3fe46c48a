"""How `/deal add` tells a deal's name from its amount, and a stage named at the end without
`stage:` (`Acme renewal 50k proposal`), in the words left after its keys. Pure, as domain.commands."""

from __future__ import annotations

import re

from domain.amounts import Amount, AmountError, amount_error, parse_amount
from domain.stages import DEFAULT_STAGES, STAGE_ALIASES, StageRef, match_stage


def _fold(words: str) -> str:
    """Lower case, with spaces, dashes and underscores as one space (as match_stage compares)."""
    return re.sub(r"[\s_\-]+", " ", words.strip().lower())


# Every default open stage's English name and aliases (nl and de among them), folded as match_stage
# folds: the words a bare stage at the end of `/deal add` may be.
_STAGE_WORDS = {
    _fold(word)
    for key, name, kind, *_ in DEFAULT_STAGES
    if kind == "open"
    for word in (name, key, *STAGE_ALIASES.get(key, ()))
}


def trailing_stage(
    bare: list[str], quoted_name: bool, stages: list[StageRef] | None, shown: dict[int, str] | None
) -> tuple[list[str], str | None]:
    """`Acme renewal 50k proposal`: the last word (or two) is the stage when an amount stands right
    before it and it is, in full, an open stage's name or alias (the team's own, or a default one's in
    any of our languages). No unique start of a name here: in `iPhone 15 Pro` the Pro is the name's,
    not Proposal. Without the amount it stays part of the name, as in `Q3 proposal`; a closed stage
    never comes from a bare word (`Deal won`). After a quoted name there is no doubt where the name
    ends: see _after_quoted_amount."""
    if quoted_name:
        return _after_quoted_amount(bare)
    for size in (2, 1):
        if len(bare) <= size + 1:
            continue
        words = " ".join(bare[-size:])
        if not _names_open_stage(words, stages, shown):
            continue
        before = bare[:-size]
        if split_name_amount(before)[1] is not None:
            return before, words
    return bare, None


def _names_open_stage(words: str, stages: list[StageRef] | None, shown: dict[int, str] | None) -> bool:
    """A default open stage's word counts even when the team has no such stage, so that `Acme 50k
    proposal` is told there is no stage `proposal` rather than named "Acme 50k proposal"."""
    if _fold(words) in _STAGE_WORDS:
        return True
    open_stages = [st for st in stages or () if st.kind == "open"]
    return match_stage(words, open_stages, shown, prefixes=False).stage is not None


def _after_quoted_amount(bare: list[str]) -> tuple[list[str], str | None]:
    """`"Acme renewal" 50,000 EUR pilot`: after a quoted name the longest run of words that reads as
    an amount is the amount, and whatever follows it is the stage, matched later as `stage:` is (a
    unique start will do; an unknown one is told so). Nothing after the name but an amount: no stage."""
    tail = bare[1:]
    if len(tail) < 2 or _reads_as_amount(" ".join(tail)):
        return bare, None
    for end in range(len(tail) - 1, 0, -1):
        amount = " ".join(tail[:end])
        try:
            parse_amount(amount)
        except AmountError as exc:
            if exc.reason != "unreadable":
                raise amount_error(exc, amount) from exc
            continue
        return bare[: end + 1], " ".join(tail[end:])
    return bare, None


def _reads_as_amount(text: str) -> bool:
    try:
        parse_amount(text)
    except AmountError:
        return False
    return True


def split_name_amount(bare: list[str]) -> tuple[str, Amount | None]:
    """The longest tail of words that reads as an amount is the amount; the rest is the name."""
    for start in range(1, len(bare)):
        tail = " ".join(bare[start:])
        if len(bare) - start > 3:
            continue
        try:
            return " ".join(bare[:start]), parse_amount(tail)
        except AmountError as exc:
            if exc.reason != "unreadable" and re.search(r"\d", bare[start]):
                raise amount_error(exc, tail) from exc
    return " ".join(bare), None
