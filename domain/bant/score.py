"""A BANT qualification's answers as stored, and their score and verdict. Pure: no I/O, no clock.

Each letter scores 0–25 points, 100 in all; the table of points per answer is in docs/bant.md.

A skipped or missing answer scores 0. "Months out" counts from the day the rep answered, so the
score of a stored qualification never changes with the calendar.

Verdict, after the sales rule that a lead lacking budget or decision authority is better
disqualified early than worked on for months:
- disqualify: budget "no" with no date it becomes available, or authority "needs approval" with
  nobody identified who can sign. This holds as soon as that answer is in, whatever is missing.
- qualified: complete (all four answered, none skipped), budget yes, a signer identified (the
  contact, or someone named), a clear need, and a timeline that is a date or "no rush". Those
  answers score at least 20 + 15 + 25 + 10 = 70 points (PASS_MARK), so a qualified lead has >= 70.
- needs work: everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.i18n import N_
from domain.bant.lexicon import UNKNOWN_RX
from domain.bant.readings import QUESTIONS, Authority, Budget, Need, Reading, Timeline

SKIPPED = "skipped"
QUALIFIED, NEEDS_WORK, DISQUALIFY = "qualified", "needs_work", "disqualify"
PASS_MARK = 70  # the least a qualified lead scores (see the module docstring)
MAX_EVIDENCE = 2000
MAX_WHO = 200
# Words that name no one: "nobody signs" identifies no signer.
NOBODY = {"nobody", "no one", "noone", "none", "niemand", "geen", "keiner", "keine", "niemanden"}


@dataclass(frozen=True)
class Answer:
    """One stored answer. Statuses per question:
    budget yes | no | unknown; authority decision_maker | needs_approval | unknown;
    need clear | vague | none | unknown; timeline date | no_rush | unknown; any of them skipped.
    `on_date` is when a missing budget comes (budget) or the target date (timeline)."""

    question: str
    status: str
    min_cents: int | None = None
    max_cents: int | None = None
    currency: str | None = None
    on_date: date | None = None
    who: str | None = None
    evidence: str = ""
    answered_on: date | None = None
    answered_by: str | None = None  # shown, never scored

    @property
    def skipped(self) -> bool:
        return self.status == SKIPPED


def clean_text(text: str, limit: int) -> str:
    """Rep-typed text as stored: no NUL (PostgreSQL refuses it), within the column."""
    text = text.replace("\x00", "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_from(reading: Reading) -> Answer:
    """The stored form of a parser reading (not an Ambiguous one)."""
    evidence = clean_text(reading.evidence, MAX_EVIDENCE)
    if isinstance(reading, Budget):
        return Answer(
            "budget",
            reading.status,
            reading.min_cents,
            reading.max_cents,
            reading.currency,
            reading.available_from,
            evidence=evidence,
        )
    if isinstance(reading, Authority):
        who = clean_text(reading.who, MAX_WHO) if reading.who else None
        if who and who.lower() in NOBODY:
            who = None
        return Answer("authority", reading.status, who=who, evidence=evidence)
    if isinstance(reading, Need):
        if reading.clear:
            status = "clear"
        elif reading.evidence == "unsure" or UNKNOWN_RX.search(reading.evidence):
            status = "unknown"
        elif not reading.text:  # a bare "no": they need nothing
            status = "none"
        else:
            status = "vague"
        return Answer("need", status, evidence=evidence)
    if isinstance(reading, Timeline):
        return Answer("timeline", reading.status, on_date=reading.target, evidence=evidence)
    raise TypeError(f"not an answer: {reading!r}")


def skipped(question: str) -> Answer:
    return Answer(question, SKIPPED)


def merge_follow_up(previous: Answer, new: Answer) -> Answer:
    """The answer to "when does the budget come?" or "who signs?" completes the earlier one.

    "Not sure" keeps what was said before (no budget now; the contact cannot sign); anything
    else replaces it. The evidence keeps both, so the summary shows the whole story."""
    joined = (
        f"{previous.evidence} / {new.evidence}"
        if previous.evidence not in ("", new.evidence)
        else new.evidence
    )
    evidence = clean_text(joined, MAX_EVIDENCE)
    if new.status == "unknown":
        return replace(previous, evidence=evidence)
    if new.question == "budget" and new.status == "no" and new.min_cents is None:
        return replace(
            new,
            min_cents=previous.min_cents,
            max_cents=previous.max_cents,
            currency=previous.currency,
            evidence=evidence,
        )
    return replace(new, evidence=evidence)


def follow_up_for(answer: Answer) -> str | None:
    """A question the bot asks after an answer that would disqualify on its own, so one click on
    No does not disqualify a lead whose budget comes later or whose signer the rep knows."""
    if answer.question == "budget" and answer.status == "no" and answer.on_date is None:
        return "when_budget"
    if answer.question == "authority" and answer.status == "needs_approval" and not answer.who:
        return "who_signs"
    return None


# ---- Scoring -----------------------------------------------------------------------------------------


def points(answer: Answer | None) -> int:
    if answer is None or answer.skipped:
        return 0
    s = answer.status
    if answer.question == "budget":
        if s == "yes":
            return 25 if answer.min_cents is not None or answer.max_cents is not None else 20
        if s == "no":
            return 10 if answer.on_date else 0
        return 5
    if answer.question == "authority":
        if s == "decision_maker":
            return 25
        if s == "needs_approval":
            return 15 if answer.who else 0
        return 5
    if answer.question == "need":
        return {"clear": 25, "vague": 10, "unknown": 5}.get(s, 0)
    if answer.question == "timeline":
        if s == "date":
            far = (
                answer.on_date
                and answer.answered_on
                and (answer.on_date.year - answer.answered_on.year) * 12
                + answer.on_date.month
                - answer.answered_on.month
                > 12
            )
            return 15 if far else 25
        return 10 if s == "no_rush" else 5
    return 0


@dataclass(frozen=True)
class Score:
    points: dict[str, int]
    total: int
    verdict: str  # qualified | needs_work | disqualify
    complete: bool  # all four answered, none skipped
    answered: int  # how many questions have an answer (skipped ones too)
    reasons: tuple[str, ...]  # catalog message ids that explain the verdict


def is_complete(answers: dict[str, Answer]) -> bool:
    return all(q in answers and not answers[q].skipped for q in QUESTIONS)


def score(answers: dict[str, Answer]) -> Score:
    pts = {q: points(answers.get(q)) for q in QUESTIONS}
    total = sum(pts.values())
    budget, authority, need = (answers.get(q) for q in ("budget", "authority", "need"))
    timeline = answers.get("timeline")
    complete = is_complete(answers)
    out: list[str] = []
    if budget and budget.status == "no" and budget.on_date is None:
        out.append(N_("No budget, and none expected: better disqualified early."))
    if authority and authority.status == "needs_approval" and not authority.who:
        out.append(
            N_("Nobody identified who can sign: better disqualified early, unless you find the signer.")
        )
    if out:
        return Score(pts, total, DISQUALIFY, complete, len(answers), tuple(out))
    if not complete:
        out.append(N_("Not every question has an answer yet."))
    if budget and budget.status == "no":
        out.append(N_("The budget only comes later."))
    elif budget and budget.status == "unknown":
        out.append(N_("The budget is not known yet."))
    if authority and authority.status == "unknown":
        out.append(N_("It is not known who signs."))
    if need and need.status in ("vague", "unknown", "none"):
        out.append(N_("The need is not clear yet."))
    if timeline and timeline.status == "unknown":
        out.append(N_("There is no timeline yet."))
    if out:
        return Score(pts, total, NEEDS_WORK, complete, len(answers), tuple(out))
    return Score(
        pts,
        total,
        QUALIFIED,
        complete,
        len(answers),
        (N_("Budget, a signer, a clear need and a timeline: ready for the next stage."),),
    )
