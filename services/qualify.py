"""BANT qualification use cases: start or resume, answer (typed or clicked), skip/back/stop/restart,
switch between deals, and the summary. One transaction each, returning a Turn: what the bot
says next, to whom. The conversation's rules are in domain/bant/flow.py; its state is in the
qualification row, so any replica, or the bot after a restart, carries on where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from bot.db import Database
from bot.i18n import N_
from domain.bant import Answer, Score, clean_text, flow, score
from domain.errors import UserError
from models import deals as deal_queries
from models import qualify as qualify_queries
from models.qualification_tables import Qualification
from models.tables import OPEN, Deal, Stage, saved_id
from models.teams import ensure_team, stages

ACTIVE, PAUSED, ENDED = "active", "paused", "ended"
MAX_TEXT = 40_000  # Slack's own cap on a message; the parser looks at the first 2,000


@dataclass
class DealRef:
    number: int
    name: str
    stage: Stage | None  # None: the deal is gone
    next_stage: Stage | None = None  # the open stage after this one, for the summary's Move button
    currency: str = "EUR"  # for budget amounts given without one
    owner_id: str = ""

    @property
    def open(self) -> bool:
        return self.stage is not None and self.stage.kind == OPEN


@dataclass
class Turn:
    """What the bot says next in the rep's DM (or nothing: kind none / ignore)."""

    kind: str  # ask, reprompt, summary, stopped, switch, ended, none, ignore
    owner_id: str = ""
    qid: int | None = None
    deal: DealRef | None = None
    asking: str | None = None
    follow_up: str | None = None
    answers: dict[str, Answer] = field(default_factory=dict)
    noted: list[Answer] = field(default_factory=list)  # stored by this turn, to confirm
    reprompt: str | None = None  # no_answer, too_long, thread, file, stale
    note: str | None = None  # started, resumed, restarted, first_question
    score: Score | None = None
    ended: str | None = None  # deleted, won, lost
    target: DealRef | None = None  # switch: the deal the rep asked for
    edit: str | None = None  # switch: the question to re-ask there
    close_ts: str | None = None  # the open question's message, to close (remove its buttons)
    closed: tuple[str | None, str | None] = (None, None)  # what that message asked: question, follow-up
    channel: str | None = None
    turn: int = 0  # the conversation's step counter when this turn was taken


def _deal_ref(session: Session, deal: Deal | None, number: int) -> DealRef:
    if deal is None:
        return DealRef(number, "", None)
    stage = session.get(Stage, deal.stage_id)
    assert stage is not None  # deal.stage_id is a foreign key, and stages are never deleted
    later = [s for s in stages(session, deal.team_id) if s.kind == OPEN and s.position > stage.position]
    return DealRef(deal.number, deal.name, stage, later[0] if later else None, deal.currency, deal.owner_id)


def _deal(session: Session, qual: Qualification, lock: bool = False) -> Deal | None:
    if qual.deal_id is None:
        return None
    query = select(Deal).where(Deal.team_id == qual.team_id, Deal.id == qual.deal_id)
    return session.exec(qualify_queries.locked(query) if lock else query).first()


def _turn(session: Session, qual: Qualification, kind: str, deal: Deal | None = None, **kw) -> Turn:
    given = qualify_queries.answers(session, saved_id(qual))
    deal = deal or _deal(session, qual)
    return Turn(
        kind,
        qual.owner_id,
        qual.id,
        _deal_ref(session, deal, qual.deal_number),
        qual.asking,
        qual.follow_up,
        given,
        score=score(given),
        channel=qual.channel_id,
        turn=qual.turn,
        **kw,
    )


def _end_if_gone(session: Session, qual: Qualification, now: datetime) -> Turn | None:
    """A qualification whose deal was deleted, won or lost meanwhile ends here."""
    deal = _deal(session, qual, lock=True)
    stage = session.get(Stage, deal.stage_id) if deal else None
    if stage is not None and stage.kind == OPEN:
        return None
    close = (qual.question_ts, (qual.asking, qual.follow_up))
    qual.status, qual.asking, qual.follow_up, qual.question_ts, qual.updated_at = ENDED, None, None, None, now
    qual.turn += 1
    session.add(qual)
    return _turn(
        session,
        qual,
        "ended",
        deal,
        ended="deleted" if stage is None else stage.kind,  # no stage: no deal (a foreign key)
        close_ts=close[0],
        closed=close[1],
    )


def _apply(session: Session, qual: Qualification, step: flow.Step, user_id: str, now: datetime) -> Turn:
    """Store a step of the conversation, and say what comes next."""
    if step.reprompt:
        return _turn(session, qual, "reprompt", reprompt=step.reprompt)
    close = (qual.question_ts, (qual.asking, qual.follow_up))
    if step.clear:
        qualify_queries.clear(session, qual)
    for answer in step.store.values():
        qualify_queries.store(session, qual, answer, user_id, now)
    if any(
        not answer.skipped for answer in step.store.values()
    ):  # an answer is work on the deal; a skip is not
        deal = _deal(session, qual, lock=True)
        if deal is not None:
            deal_queries.record_activity(session, deal, now)
    qual.status, qual.asking, qual.follow_up, qual.updated_at = step.status, step.asking, step.follow_up, now
    qual.turn += 1
    if step.status != ACTIVE:
        qual.question_ts = None
    session.add(qual)
    session.flush()
    kind = {flow.DONE: "summary", flow.STOPPED: "stopped"}.get(step.status, "ask")
    return _turn(
        session,
        qual,
        kind,
        noted=list(step.store.values()),
        note=step.note,
        close_ts=close[0],
        closed=close[1],
    )


def _owned(session: Session, team_id: str, user_id: str, qid: int) -> Qualification:
    """The rep's own running qualification, for a button on one of its messages."""
    qual = qualify_queries.get(session, team_id, qid, lock=True)
    if qual is None:
        raise UserError(N_("That qualification no longer exists."))
    if qual.owner_id != user_id:
        raise UserError(N_("Only <@{owner}> can answer this qualification."), owner=qual.owner_id)
    if qual.status != ACTIVE:
        raise UserError(
            N_("That qualification is not running. Pick it up with `/deal qualify #{number}`."),
            number=qual.deal_number,
        )
    return qual


# ---- Use cases -------------------------------------------------------------------------------------


def start(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    now: datetime,
    edit: str | None = None,
    switch: bool = False,
) -> Turn:
    """Start, resume or edit the qualification of a deal; its owner is asked. When the owner is in
    the middle of another one, ask whether to switch first (unless `switch`)."""
    with db.write() as s:
        ensure_team(s, team_id, now)
        deal = deal_queries.get_deal(s, team_id, number)
        ref = _deal_ref(s, deal, number)
        if not ref.open:
            raise UserError(N_("Deal #{number} is closed, so there is nothing to qualify."), number=number)
        owner = deal.owner_id
        qual = qualify_queries.for_deal(s, team_id, saved_id(deal), lock=True)
        active = qualify_queries.active_for(s, team_id, owner, lock=True)
        if (
            active is not None
            and (qual is None or active.id != qual.id)
            and _end_if_gone(s, active, now) is None
        ):
            if not switch:
                return _turn(s, active, "switch", target=ref, edit=edit)
            active.status, active.updated_at = PAUSED, now
            s.add(active)
            s.flush()  # before another row becomes active: one active per rep
        if qual is None:
            qual = Qualification(
                team_id=team_id,
                deal_id=deal.id,
                deal_number=deal.number,
                owner_id=owner,
                status=PAUSED,
                started_by=user_id,
                started_at=now,
                updated_at=now,
            )
            s.add(qual)
            s.flush()
        elif qual.owner_id != owner:  # the deal changed hands: its new owner is asked, in their DM
            qual.owner_id, qual.channel_id, qual.question_ts = owner, None, None
        state = flow.Flow(qual.asking, qual.follow_up, qualify_queries.answers(s, saved_id(qual)))
        if edit:
            step = flow.on_edit(state, edit)
        elif qual.status == flow.DONE:
            return _turn(s, qual, "summary")
        else:
            step = flow.resume(state)
        note = "resumed" if state.answers or qual.asking else "started"
        close = (qual.question_ts, (qual.asking, qual.follow_up))
        qual.status, qual.asking, qual.follow_up, qual.updated_at = (
            step.status,
            step.asking,
            step.follow_up,
            now,
        )
        qual.turn += 1
        s.add(qual)
        s.flush()
        if step.status == flow.DONE:
            return _turn(s, qual, "summary", deal)
        return _turn(s, qual, "ask", deal, note=note, close_ts=close[0], closed=close[1])


def answer_text(
    db: Database,
    team_id: str,
    user_id: str,
    channel: str | None,
    text: str,
    problem: str | None,
    now: datetime,
) -> Turn:
    """A message the rep typed in their DM with the bot. `problem`: thread or file, which get a re-prompt."""
    with db.write() as s:
        if channel:
            there = qualify_queries.active_in_channel(s, team_id, channel)
            if there is not None and there.owner_id != user_id:
                return Turn("ignore")  # someone else's conversation
        qual = qualify_queries.active_for(s, team_id, user_id, lock=True)
        if qual is None:
            return Turn("none", user_id)
        if qual.channel_id and channel and channel != qual.channel_id:
            return Turn("ignore")
        ended = _end_if_gone(s, qual, now)
        if ended:
            return ended
        if problem:
            return _turn(s, qual, "reprompt", reprompt=problem)
        # Slack escapes &, < and > in message text; the rep typed the characters.
        plain = (
            text[:MAX_TEXT]
            .replace("\x00", "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
        )
        state = flow.Flow(qual.asking, qual.follow_up, qualify_queries.answers(s, saved_id(qual)))
        return _apply(s, qual, flow.on_text(state, plain, now.date()), user_id, now)


def quick(
    db: Database, team_id: str, user_id: str, qid: int, question: str, value: str, now: datetime
) -> Turn:
    """A Yes / No / Not sure button."""
    with db.write() as s:
        qual = _owned(s, team_id, user_id, qid)
        ended = _end_if_gone(s, qual, now)
        if ended:
            return ended
        state = flow.Flow(qual.asking, qual.follow_up, qualify_queries.answers(s, saved_id(qual)))
        return _apply(s, qual, flow.on_quick(state, question, value), user_id, now)


def control(db: Database, team_id: str, user_id: str, qid: int, command: str, now: datetime) -> Turn:
    """A Skip / Back / Stop button."""
    with db.write() as s:
        qual = _owned(s, team_id, user_id, qid)
        ended = _end_if_gone(s, qual, now)
        if ended:
            return ended
        state = flow.Flow(qual.asking, qual.follow_up, qualify_queries.answers(s, saved_id(qual)))
        return _apply(s, qual, flow.on_control(state, command), user_id, now)


def number_of(db: Database, team_id: str, qid: int) -> int:
    with db.read() as s:
        qual = qualify_queries.get(s, team_id, qid)
        if qual is None:
            raise UserError(N_("That qualification no longer exists."))
        return qual.deal_number


def remember(db: Database, team_id: str, qid: int, channel: str, ts: str, turn: int) -> bool:
    """The message that asks the open question, to close (remove its buttons) when the next is
    asked. False when the conversation moved on while it was being posted: close it now."""
    with db.write() as s:
        qual = qualify_queries.get(s, team_id, qid, lock=True)
        if qual is None or qual.status != ACTIVE or qual.turn != turn:
            return False
        qual.channel_id, qual.question_ts = clean_text(channel, 32), clean_text(ts, 32)
        s.add(qual)
        return True


def offer(db: Database, team_id: str, number: int) -> DealRef | None:
    """The deal to offer a qualification for, after it entered the Qualification stage; None when
    it has a running or finished one already."""
    with db.read() as s:
        deal = deal_queries.get_deal(s, team_id, number)
        qual = qualify_queries.for_deal(s, team_id, saved_id(deal))
        if qual is not None and (
            qual.status in (ACTIVE, flow.DONE) or qualify_queries.answers(s, saved_id(qual))
        ):
            return None
        return _deal_ref(s, deal, number)


def summary(db: Database, team_id: str, number: int) -> Turn:
    """The summary card of a deal's qualification, as it is now."""
    with db.read() as s:
        deal = deal_queries.get_deal(s, team_id, number)
        qual = qualify_queries.for_deal(s, team_id, saved_id(deal))
        if qual is None:
            raise UserError(
                N_("Deal #{number} has no qualification yet. Start one with `/deal qualify #{number}`."),
                number=number,
            )
        return _turn(s, qual, "summary", deal)
