"""How a long stretch of history is read: on SQLite, the whole stage_change table in its stored
order (`NOT INDEXED`) when a query aggregates months of it and the team holds a good share of it.

SQLite otherwise walks an index on (team_id, ...) and reads each matching row from the table by
rowid: a random read wherever the table is not in time order (an imported team's history is written
deal by deal, as is the benchmark's). At 1,000,000 changes, 309,000 of them read that way took
1.9 s, and the whole table in order 0.18 s (benchmarks/README.md, "Speed at 100,000 deals").
That is 6 µs a row found through the index against 0.18 µs a row of the whole table: the scan wins
while the rows wanted are more than about 3 % of the table. A workspace among many (OAuth installs)
may hold far less, so the share is counted first, from the index alone (a few ms).
PostgreSQL is left to its planner, which weighs the same choice with statistics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Alias
from sqlmodel import Session, col

from models.tables import StageChange


class _Scanned(Alias):
    inherit_cache = True


@compiles(_Scanned, "sqlite")
def _scanned_sqlite(element, compiler, **kw):
    text = compiler.visit_alias(element, **kw)
    return f"{text} NOT INDEXED" if kw.get("asfrom") else text


@compiles(_Scanned)
def _scanned_default(element, compiler, **kw):
    return compiler.visit_alias(element, **kw)


SCAN_SHARE = 0.05  # scan when the team's rows since the start are at least this share of the table


def history_changes(
    session: Session, team_id: str, since: datetime, name: str = "history_change"
) -> type[StageChange]:
    """StageChange under an alias for reading the team's changes at or after `since`: one that
    SQLite reads without an index when they are a good share of the table, a plain one otherwise."""
    table = StageChange.metadata.tables["stage_change"]
    if session.get_bind().dialect.name == "sqlite":
        wanted = session.execute(
            select(func.count()).where(col(StageChange.team_id) == team_id, col(StageChange.at) >= since)
        ).scalar_one()
        rows = session.execute(select(func.max(col(StageChange.id)))).scalar_one() or 0  # ids: about the rows
        if rows and wanted >= SCAN_SHARE * rows:
            return aliased(StageChange, _Scanned._construct(table, name=name))
    return aliased(StageChange, table.alias(name))


@contextmanager
def hashed_groups(session: Session) -> Iterator[None]:
    """PostgreSQL, for the statements inside: group by hashing, not by sorting. It cannot estimate
    how many groups a CASE ladder makes (it assumes about one per row), so it sorts every row to
    group them, on disk at a million rows: 3.0 s for the backtest's 1,006,527 changes into 25,013
    groups, against 1.2 s hashed in 6 MB. SQLite has one way to group."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SET LOCAL enable_sort = off"))
    try:
        yield
    finally:
        if postgres:
            session.execute(text("RESET enable_sort"))
