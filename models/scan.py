"""How a long stretch of history is read: on SQLite, the whole stage_change table in its stored
order (`NOT INDEXED`) when a query aggregates months of it.

SQLite otherwise walks an index on (team_id, ...) and reads each matching row from the table by
rowid: a random read wherever the table is not in time order (an imported team's history is written
deal by deal, as is the benchmark's). At 1,000,000 changes, 309,000 of them read that way took
1.9 s, and the whole table in order 0.18 s (benchmarks/README.md, "Speed at 100,000 deals").
PostgreSQL is left to its planner, which weighs the same choice with statistics."""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Alias

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


def scanned_changes(name: str = "scanned_change") -> type[StageChange]:
    """StageChange under an alias that SQLite reads without an index."""
    table = StageChange.metadata.tables["stage_change"]
    return aliased(StageChange, _Scanned._construct(table, name=name))
