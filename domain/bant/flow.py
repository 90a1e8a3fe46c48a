"""The qualification conversation as a state machine. Pure: the service loads the state from the
database, calls one of the `on_*` functions, and stores the Step it returns.

State: the question being asked (`asking`), an optional follow-up about it (`follow_up`: an
Ambiguous reason from domain.bant.readers, or "when_budget" / "who_signs" after an answer that would
disqualify on its own), and the answers so far. Questions go in the order budget, authority,
need, timeline; the next one asked is the first without an answer (a skipped one counts as
answered, or skip would loop).

Inputs and what they do:
- text: control words first (skip, back, stop, restart); else read with read_message, so one
  message may answer several questions. Readings are stored; an Ambiguous one is asked back
  (the asked question's first); then a follow-up for a disqualifying answer; then the asked
  question again if this message did not answer it; then the first unanswered; else done.
  Text that answers nothing gets a re-prompt and changes nothing.
- a quick button (yes / no / unsure) on the question being asked: the same, via read_quick.
- skip: records "skipped" unless the question already has an answer (re-asked by back or edit:
  skip keeps it). back: from a follow-up, the question itself; else the previous question.
  stop: status stopped, the place is kept. restart: every answer dropped, budget asked.
- edit: asks one question again, answered or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.bant.message import read_message
from domain.bant.readers import read_authority, read_budget, read_control, read_need, read_quick
from domain.bant.readings import QUESTIONS, Ambiguous, Authority, Budget, Reading
from domain.bant.score import Answer, answer_from, follow_up_for, merge_follow_up, skipped
from domain.bant.text import MAX_CHARS

ACTIVE, STOPPED, DONE = "active", "stopped", "done"
FLOW_FOLLOW_UPS = ("when_budget", "who_signs")
QUICK_VALUES = ("yes", "no", "unsure")


@dataclass(frozen=True)
class Flow:
    asking: str | None
    follow_up: str | None
    answers: dict[str, Answer]


@dataclass(frozen=True)
class Step:
    """What to store and where the conversation goes next."""

    status: str = ACTIVE
    asking: str | None = None
    follow_up: str | None = None
    store: dict[str, Answer] = field(default_factory=dict)  # answers to write, replacing older ones
    clear: bool = False  # restart: drop every answer first
    reprompt: str | None = None  # the message was no answer; nothing changes
    note: str | None = None  # first_question, restarted, kept


def next_question(answered) -> str | None:
    return next((q for q in QUESTIONS if q not in answered), None)


def previous_question(question: str) -> str | None:
    i = QUESTIONS.index(question)
    return QUESTIONS[i - 1] if i else None


def resume(flow: Flow) -> Step:
    """Where a stopped, paused or interrupted conversation picks up."""
    asking = flow.asking or next_question(flow.answers)
    if asking is None:
        return Step(DONE)
    return Step(ACTIVE, asking, flow.follow_up if flow.asking else None)


def is_no_answer(text: str) -> bool:
    # read_need returns None exactly when the parser sees no answer at all (emoji, "lol", a paste).
    return read_need(text) is None


def on_text(flow: Flow, text: str, today: date) -> Step:
    if flow.asking is None:
        return resume(flow)
    if len(text) > MAX_CHARS:
        return Step(ACTIVE, flow.asking, flow.follow_up, reprompt="too_long")
    command = read_control(text)
    if command:
        return on_control(flow, command)
    readings = read_message(text, today, flow.asking)
    if flow.follow_up in FLOW_FOLLOW_UPS and flow.asking not in readings and not is_no_answer(text):
        reading = _read_follow_up(flow.follow_up, text, today)
        if reading is not None:  # "Q3" answers "when does the budget come?", not the timeline
            readings = {flow.asking: reading}
    if not readings:
        return Step(ACTIVE, flow.asking, flow.follow_up, reprompt="no_answer")
    return _take(flow, readings)


def _read_follow_up(follow_up: str, text: str, today: date) -> Reading | None:
    """Short replies to a follow-up, read in its context: "Q3" after "when does the budget come?",
    "Jan" or "she" after "who signs?"."""
    if follow_up == "when_budget":
        found = read_budget("from " + text, today)
        return found if isinstance(found, Budget) and found.available_from else None
    words = text.split()
    if 1 <= len(words) <= 4 and not re.search(r"\d", text):
        signer = read_authority(text + " signs")
        # A name is written with a capital; "hello" is no signer, but "she" is the contact.
        if isinstance(signer, Authority) and (
            signer.status == "decision_maker" or text.strip()[:1].isupper()
        ):
            return Authority(signer.status, signer.who, text.strip())
    return None


def on_quick(flow: Flow, question: str, value: str) -> Step:
    if value not in QUICK_VALUES or question not in QUESTIONS:
        raise ValueError(f"no such quick answer {question}:{value}")
    if question != flow.asking:  # a button on an older question
        return Step(ACTIVE, flow.asking, flow.follow_up, reprompt="stale") if flow.asking else resume(flow)
    return _take(flow, {question: read_quick(question, value)})


def on_control(flow: Flow, command: str) -> Step:
    asking = flow.asking
    if command == "stop":
        return Step(STOPPED, asking, None)
    if command == "restart":
        return Step(ACTIVE, QUESTIONS[0], None, clear=True, note="restarted")
    if asking is None:
        return resume(flow)
    if command == "back":
        if flow.follow_up:
            return Step(ACTIVE, asking, None)
        before = previous_question(asking)
        return Step(ACTIVE, before, None) if before else Step(ACTIVE, asking, None, note="first_question")
    if command == "skip":
        store = {} if asking in flow.answers else {asking: skipped(asking)}
        answered = {**flow.answers, **store}
        following = next((q for q in QUESTIONS[QUESTIONS.index(asking) + 1 :] if q not in answered), None)
        nxt = following or next_question(answered)
        return Step(ACTIVE, nxt, None, store) if nxt else Step(DONE, None, None, store)
    raise ValueError(f"unknown command {command!r}")


def on_edit(flow: Flow, question: str) -> Step:
    if question not in QUESTIONS:
        raise ValueError(f"unknown question {question!r}")
    return Step(ACTIVE, question, None)


def _take(flow: Flow, readings: dict[str, Reading]) -> Step:
    store: dict[str, Answer] = {}
    unclear: list[Ambiguous] = []
    for question, reading in readings.items():
        if isinstance(reading, Ambiguous):
            unclear.append(reading)
            continue
        answer = answer_from(reading)
        if question == flow.asking and flow.follow_up in FLOW_FOLLOW_UPS and question in flow.answers:
            answer = merge_follow_up(flow.answers[question], answer)
        store[question] = answer
    answers = {**flow.answers, **store}
    if unclear:  # ask back rather than guess, the asked question first
        first = min(unclear, key=lambda r: (r.question != flow.asking, QUESTIONS.index(r.question)))
        return Step(ACTIVE, first.question, first.reason, store)
    for question in QUESTIONS:
        asked_already = question == flow.asking and flow.follow_up in FLOW_FOLLOW_UPS
        if question in store and not asked_already and (follow_up := follow_up_for(store[question])):
            return Step(ACTIVE, question, follow_up, store)
    if flow.asking and flow.asking not in store:  # they answered something else: ask this one again
        return Step(ACTIVE, flow.asking, flow.follow_up, store)
    nxt = next_question(answers)
    return Step(ACTIVE, nxt, None, store) if nxt else Step(DONE, None, None, store)
