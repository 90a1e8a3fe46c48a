"""Finding a team's deals by folded words: the search columns (models/tables.py) filtered with LIKE
and ranked in SQL by domain.search's rule, so that only one page of deals leaves the database."""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, literal, or_
from sqlmodel import Session, col, select

from domain.search import COMPANY, NAME, NOTES, PAGE
from models.tables import Deal, not_archived


def _has(column, word: str):
    # A folded word is letters and digits only (domain.search.fold), so it holds no LIKE wildcard.
    return col(column).like(f"%{word}%")


def find_deals(
    session: Session, team_id: str, words: tuple[str, ...], owner_id: str | None = None, limit: int = PAGE
) -> tuple[list[Deal], int]:
    """The team's deals (only `owner_id`'s when given) holding any of the words, best first as
    domain.search.score ranks them, then by recent activity; at most `limit`, and how many in all."""
    zero: ColumnElement[int] = literal(0)
    matched = sum((case((_has(Deal.search_text, w), 1), else_=0) for w in words), start=zero)
    weight = sum(
        (
            case(
                (_has(Deal.search_name, w), NAME),
                (_has(Deal.search_company, w), COMPANY),
                (_has(Deal.search_text, w), NOTES),
                else_=0,
            )
            for w in words
        ),
        start=zero,
    )
    total = func.count().over()  # counted in the same pass as the page, not in a second query
    query = select(Deal, total).where(
        Deal.team_id == team_id, not_archived(), or_(*(_has(Deal.search_text, w) for w in words))
    )
    if owner_id:
        query = query.where(Deal.owner_id == owner_id)
    query = query.order_by(
        matched.desc(), weight.desc(), col(Deal.last_activity_at).desc(), col(Deal.number).desc()
    ).limit(limit)
    rows = list(session.exec(query))
    return [deal for deal, _ in rows], (rows[0][1] if rows else 0)


def numbered(session: Session, team_id: str, number: int, owner_id: str | None = None) -> list[Deal]:
    """Deal #number as a search result: the deal, or nothing when it is not there or not `owner_id`'s."""
    query = select(Deal).where(Deal.team_id == team_id, Deal.number == number, not_archived())
    if owner_id:
        query = query.where(Deal.owner_id == owner_id)
    return list(session.exec(query))
