"""Deals: create, read, move, close, note, edit and change hands. Every query is scoped by team; lists
and totals are in models/deal_lists.py.

Each function runs inside the caller's session; the caller owns the transaction. Changes that
must not race (numbering, stage moves) lock the row they depend on first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, bindparam, func, insert, update
from sqlmodel import Session, col, select

from bot.i18n import N_
from domain.deal_form import NewDeal
from domain.errors import UserError
from domain.nurture import BACK, WAITING
from domain.search import logged
from domain.stages import match_stage, stage_name
from models import owner_history
from models.access import check_deal, check_owner
from models.tables import (
    LOST,
    OPEN,
    WON,
    Deal,
    DealNote,
    Stage,
    StageChange,
    Team,
    not_archived,
    saved_id,
    search_columns,
)
from models.teams import stage_refs, stages


def resolve_stage(
    session: Session,
    team_id: str,
    text: str,
    shown: dict[int, str] | None = None,
    rows: list[Stage] | None = None,
) -> Stage:
    """The team's stage that the rep's words name (among `rows`, else the team's active stages), or a
    UserError that lists the choices."""
    rows = stages(session, team_id) if rows is None else rows
    match = match_stage(text, stage_refs(rows), shown)
    if match.stage:
        return next(s for s in rows if s.id == match.stage.id)
    names = ", ".join((shown or {}).get(s.id, s.name) for s in (match.candidates or stage_refs(rows)))
    if match.candidates:
        raise UserError(
            N_("`{stage}` could be several stages: {names}. Type more of the name."),
            stage=text[:40],
            names=names,
        )
    raise UserError(N_("There is no stage `{stage}`. The stages are: {names}."), stage=text[:40], names=names)


def first_open_stage(session: Session, team_id: str) -> Stage:
    return next(s for s in stages(session, team_id) if s.kind == OPEN)


def stage_of_kind(session: Session, team_id: str, kind: str) -> Stage:
    return next(s for s in stages(session, team_id) if s.kind == kind)


def create_deal(session: Session, team_id: str, user_id: str, new: NewDeal, now: datetime) -> Deal:
    """The new deal and its first stage change, written as two Core INSERTs on the session's
    connection, the deal's with RETURNING, which loads it into the session as if read (a later change to
    it is flushed as usual): the ORM's unit of work (a flush for the deal's id, another at commit)
    cost more than the SQL."""
    check_owner(session, team_id, new.owner_id)
    conn = session.connection()
    # The UPDATE takes the team row's lock, so concurrent creations queue here and the numbers come
    # out unique and, since a rollback undoes the bump, without gaps. RETURNING (SQLite 3.35+,
    # PostgreSQL) reads the bumped number back, and the team's currency with it: no read of the team.
    bumped, team_currency = conn.execute(NEXT_NUMBER, {"team": team_id}).one()
    stage = session.get(Stage, new.stage_id) if new.stage_id else first_open_stage(session, team_id)
    if stage is None or stage.team_id != team_id or not stage.active:
        raise UserError(N_("That stage no longer exists. Pick another."))
    # The caller shows this stage on the new deal's card (services.deals): kept referenced while the
    # session lives, so its get() comes from the identity map (which holds objects weakly), not SQL.
    session.info.setdefault("kept", []).append(stage)
    currency = (
        (new.amount.currency if new.amount and new.amount.currency else None) or new.currency or team_currency
    )
    values = dict(
        team_id=team_id,
        number=bumped - 1,
        name=new.name,
        company=new.company or None,
        amount_cents=new.amount.cents if new.amount else None,
        currency=currency,
        stage_id=saved_id(stage),
        owner_id=new.owner_id,
        created_by=user_id,
        close_date=new.close_date,
        notes=new.notes or None,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        closed_at=now if stage.kind != OPEN else None,
        # What the ORM's before_insert event (models.tables._fold_for_search) would have written.
        **search_columns(new.name, new.company or None, new.notes or None),
    )
    deal = session.scalars(INSERT_DEAL, values).one()  # the row as inserted, loaded as if read
    conn.execute(
        FIRST_CHANGE,
        {"team_id": team_id, "deal_id": deal.id, "to_stage_id": deal.stage_id, "user_id": user_id, "at": now},
    )
    return deal


DEAL, TEAM = Deal.__table__, Team.__table__  # type: ignore[attr-defined]  # SQLModel's tables
NEXT_NUMBER = (
    update(TEAM)
    .where(TEAM.c.id == bindparam("team"))
    .values(next_deal_number=TEAM.c.next_deal_number + 1)
    .returning(TEAM.c.next_deal_number, TEAM.c.currency)
)
# Columns not given take their defaults (version 1, no next step, ...), as the model's would.
INSERT_DEAL = select(Deal).from_statement(insert(DEAL).returning(*DEAL.c))
FIRST_CHANGE = insert(StageChange.__table__).values(from_stage_id=None)  # type: ignore[attr-defined]


def get_deal(
    session: Session,
    team_id: str,
    number: int,
    lock: bool = False,
    check_access: bool = True,
    archived_ok: bool = False,
) -> Deal:
    """The team's deal #number, if the request's actor may see it (see models.access). Callers that
    check something stricter themselves (a nudge acts only for the deal's owner) pass check_access=False.
    An archived deal can be shown, not changed (a lock is taken to change): only unarchive passes
    archived_ok."""
    params = {"team": team_id, "number": number}
    deal = session.exec(LOCKED_DEAL if lock else DEAL_BY_NUMBER, params=params).first()
    if deal is None:
        raise UserError(N_("There is no deal #{number} in this workspace."), number=number)
    if check_access:
        check_deal(session, deal)
    if lock and deal.archived_at is not None and not archived_ok:
        raise UserError(
            N_("Deal #{number} is archived. A manager can bring it back with `/deal unarchive #{number}`."),
            number=number,
        )
    return deal


# Built once: building a statement costs about as much as running it through the ORM's cache.
DEAL_BY_NUMBER = select(Deal).where(
    col(Deal.team_id) == bindparam("team"), col(Deal.number) == bindparam("number")
)
LOCKED_DEAL = DEAL_BY_NUMBER.with_for_update()


def move_deal(
    session: Session,
    deal: Deal,
    stage: Stage,
    user_id: str,
    now: datetime,
    lost_reason: str | None = None,
    lost_reason_key: str | None = None,
) -> bool:
    """Move a (locked) deal to a stage and record it; False when it is already there."""
    if deal.stage_id == stage.id:
        return False
    # The change takes effect now, under the deal's lock: never before the change it follows. `now`
    # was read before the lock was granted, so a move that waited for another's could carry the
    # earlier moment, and the history read in time order would no longer chain (the digest rebuilds
    # "stage at T" from that order; equal times go by id, which follows the lock too).
    previous = session.exec(
        select(func.max(col(StageChange.at))).where(col(StageChange.deal_id) == saved_id(deal))
    ).one()
    at = max(now, previous) if previous is not None else now
    session.add(
        StageChange(
            team_id=deal.team_id,
            deal_id=saved_id(deal),
            from_stage_id=deal.stage_id,
            to_stage_id=saved_id(stage),
            user_id=user_id,
            at=at,
        )
    )
    deal.stage_id = saved_id(stage)
    deal.closed_at = now if stage.kind != OPEN else None
    deal.lost_reason = lost_reason if stage.kind == LOST else None
    deal.lost_reason_key = lost_reason_key if stage.kind == LOST else None
    if deal.nurture_state == WAITING and stage.kind != LOST:  # reopened by any path: it came back
        deal.nurture_state, deal.nurture_at = BACK, now
    _touch(session, deal, now)
    return True


def reopen_stage(session: Session, deal: Deal, active: list[Stage]) -> Stage:
    """The open stage a closed deal left last, if still active; else the first open stage."""
    came_from = session.exec(
        select(StageChange.from_stage_id)
        .where(col(StageChange.deal_id) == saved_id(deal), col(StageChange.to_stage_id) == deal.stage_id)
        .order_by(col(StageChange.at).desc(), col(StageChange.id).desc())
        .limit(1)
    ).first()
    open_stages = [st for st in active if st.kind == OPEN]
    assert open_stages  # the settings keep at least one open stage
    return next((st for st in open_stages if st.id == came_from), open_stages[0])


def close_deal(
    session: Session,
    team_id: str,
    number: int,
    kind: str,
    user_id: str,
    now: datetime,
    reason: str | None = None,
    reason_key: str | None = None,
    expected_stage_id: int | None = None,
) -> Deal:
    """Mark a deal won or lost."""
    deal = get_deal(session, team_id, number, lock=True)
    check_unchanged(session, deal, expected_stage_id)
    current = session.get(Stage, deal.stage_id)
    assert current is not None  # deal.stage_id is a foreign key, and stages are never deleted
    if current.kind == kind:
        if kind == WON:
            raise UserError(N_("Deal #{number} is already won."), number=number)
        raise UserError(N_("Deal #{number} is already lost."), number=number)
    move_deal(
        session,
        deal,
        stage_of_kind(session, team_id, kind),
        user_id,
        now,
        lost_reason=reason,
        lost_reason_key=reason_key,
    )
    return deal


def check_unchanged(session: Session, deal: Deal, expected_stage_id: int | None) -> None:
    """A button on an old card must not act on a deal that has moved on since."""
    if expected_stage_id is not None and deal.stage_id != expected_stage_id:
        stage = session.get(Stage, deal.stage_id)
        assert stage is not None  # deal.stage_id is a foreign key, and stages are never deleted
        raise UserError(
            N_(
                "Deal #{number} changed meanwhile: it is now in {stage}. I changed nothing; "
                "here is the current card."
            ),
            number=deal.number,
            stage=stage_name(stage.key, stage.name),
        ).stale()


def add_note(session: Session, team_id: str, number: int, user_id: str, text: str, now: datetime) -> Deal:
    """The note and the deal's touch as two Core statements on the session's connection, not the ORM's
    unit of work; the deal's UPDATE ... RETURNING refreshes the session's deal from the row."""
    deal = get_deal(session, team_id, number, lock=True)
    conn = session.connection()
    conn.execute(
        INSERT_NOTE, {"team_id": team_id, "deal_id": deal.id, "user_id": user_id, "text": text, "at": now}
    )
    # /deal find reads logged notes too; a note is activity (nudges) and a change (cards' version).
    touched = {"deal": deal.id, "now": now, "log": logged(deal.search_log, text)}
    return session.scalars(NOTE_TOUCH, touched, execution_options={"populate_existing": True}).one()


INSERT_NOTE = insert(DealNote.__table__)  # type: ignore[attr-defined]  # SQLModel's table
NOTE_TOUCH = select(Deal).from_statement(
    update(DEAL)
    .where(DEAL.c.id == bindparam("deal"))
    .values(
        version=DEAL.c.version + 1,
        updated_at=bindparam("now"),
        last_activity_at=bindparam("now"),
        search_log=bindparam("log"),
    )
    .returning(*DEAL.c)
)


def update_deal(
    session: Session, team_id: str, number: int, user_id: str, new: NewDeal, now: datetime
) -> Deal:
    deal = get_deal(session, team_id, number, lock=True)
    if new.owner_id != deal.owner_id:
        check_owner(session, team_id, new.owner_id)
    if new.stage_id and new.stage_id != deal.stage_id:
        stage = session.get(Stage, new.stage_id)
        if stage is None or stage.team_id != team_id or not stage.active:
            raise UserError(N_("That stage no longer exists. Pick another."))
        move_deal(session, deal, stage, user_id, now)
    deal.name = new.name
    deal.company = new.company or None
    deal.amount_cents = new.amount.cents if new.amount else None
    deal.currency = (
        (new.amount.currency if new.amount and new.amount.currency else None) or new.currency or deal.currency
    )
    deal.close_date = new.close_date
    if new.owner_id != deal.owner_id:
        previous, deal.owner_id = deal.owner_id, new.owner_id
        owner_history.record(session, deal, previous, user_id, now)
    deal.notes = new.notes or None
    _touch(session, deal, now)
    return deal


def record_activity(session: Session, deal: Deal, now: datetime) -> None:
    """Work on a (locked) deal kept elsewhere, like a qualification answer: it counts as activity
    (nudges read last_activity_at) and as a change (cards compare the version)."""
    _touch(session, deal, now)


def _touch(session: Session, deal: Deal, now: datetime) -> None:
    deal.updated_at = now
    deal.last_activity_at = now
    deal.version += 1
    session.add(deal)


def recent_notes(session: Session, deal: Deal, limit: int = 3) -> list[DealNote]:
    if deal.version == 1:  # a note bumps the version (add_note), so a deal at its first has none
        return []
    return list(session.exec(RECENT_NOTES, params={"deal": deal.id, "limit": limit}))


RECENT_NOTES = (
    select(DealNote)
    .where(col(DealNote.deal_id) == bindparam("deal"))
    .order_by(col(DealNote.at).desc(), col(DealNote.id).desc())
    .limit(bindparam("limit", type_=Integer))
)


def give_to(session: Session, deal: Deal, owner_id: str, now: datetime, by: str) -> None:
    """A new owner, recorded in the owner history: the deal changes (updated_at, version), but
    last_activity_at does not, since a new owner is not work on the deal and the nudge clock keeps running."""
    previous, deal.owner_id = deal.owner_id, owner_id
    owner_history.record(session, deal, previous, by, now)
    deal.updated_at = now
    deal.version += 1
    session.add(deal)


def open_deals_of(session: Session, team_id: str, owner_id: str) -> list[Deal]:
    """A rep's open deals, locked for a change of hands (archived ones wait to be unarchived)."""
    query = (
        select(Deal)
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(Deal.team_id == team_id, not_archived(), Deal.owner_id == owner_id, Stage.kind == OPEN)
        .with_for_update(of=Deal)
    )
    return list(session.exec(query))
