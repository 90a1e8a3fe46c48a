"""Finding a team's deals by folded words: the search columns (models/tables.py) filtered with LIKE
and ranked in SQL by domain.search's rule, so that only one page of deals leaves the database."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, literal, or_
from sqlmodel import Session, col, select

from domain.search import COMPANY, NAME, NOTES, PAGE
from models.tables import Deal, not_archived


def _has(column, word: str):
    # A folded word is letters and digits only (domain.search.fold), so it holds no LIKE wildcard.
    return col(column).like(f"%{word}%")


def find_deals(
    session: Session, team_id: str, words: tuple[str, ...], owner_id: str | None = None, limit: int = PAGE
) -> tuple[list[Deal], int]:
    """The team's deals (only `owner_id`'s when given) holding any of the words in their name,
    company, notes or logged notes, best first as domain.search.score ranks them, then by recent
    activity; at most `limit`, and how many in all."""
    zero: ColumnElement[int] = literal(0)
    found = {w: or_(_has(Deal.search_text, w), _has(Deal.search_log, w)) for w in words}
    matched = sum((case((found[w], 1), else_=0) for w in words), start=zero)
    weight = sum(
        (
            case(
                (_has(Deal.search_name, w), NAME),
                (_has(Deal.search_company, w), COMPANY),
                (found[w], NOTES),  # the deal's notes, or a note logged on it
                else_=0,
            )
            for w in words
        ),
        start=zero,
    )
    where = [_of(session, team_id, owner_id), not_archived(), or_(*found.values())]
    total = session.exec(select(func.count()).select_from(Deal).where(*where)).one()
    if not total:
        return [], 0
    # Counted apart: a count over the window made SQLite keep every match for the sort, where
    # ORDER BY … LIMIT alone keeps ten (5x slower at 23,000 matches).
    query = (
        select(Deal)
        .where(*where)
        .order_by(matched.desc(), weight.desc(), col(Deal.last_activity_at).desc(), col(Deal.number).desc())
        .limit(limit)
    )
    return list(session.exec(query)), total


def _of(session: Session, team_id: str, owner_id: str | None):
    """The team's deals (a rep's own: ix_deal_team_owner finds them). For a whole team, SQLite is
    kept from walking an index on team_id, which it would, reading every deal in index order from
    all over the table (4-6x slower at 100,000 deals than reading the table through): `team_id || ''`
    is the same test that no index serves. PostgreSQL plans it well as it is (the trigram index)."""
    if owner_id:
        return and_(col(Deal.team_id) == team_id, col(Deal.owner_id) == owner_id)
    if session.get_bind().dialect.name == "sqlite":
        return col(Deal.team_id).concat("") == team_id
    return col(Deal.team_id) == team_id


def numbered(session: Session, team_id: str, number: int, owner_id: str | None = None) -> list[Deal]:
    """Deal #number as a search result: the deal, or nothing when it is not there or not `owner_id`'s."""
    query = select(Deal).where(Deal.team_id == team_id, Deal.number == number, not_archived())
    if owner_id:
        query = query.where(Deal.owner_id == owner_id)
    return list(session.exec(query))
