"""The forecast's fast queries give the plain answers on a generated history (SQLite and PostgreSQL).

The history is the benchmarks' synthetic team (benchmarks/synthetic.py) at 1,500 deals: deals
moving forward, skipping, going back, won, lost and reopened over two years. Each fast query is
checked against what the plain one says (one query per month, one per window) or, for the months'
stage changes, against the rows themselves, placed in their months in Python.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select
from sqlmodel import col

from benchmarks.synthetic import AS_OF, CHANGE_COLUMNS, DEAL_COLUMNS, SPAN, TEAM, generate
from domain.metrics import LOST, OPEN, WON
from domain.months import add_months, local_midnight, quarter_start
from models import digest_queries
from models import forecast_queries as fq
from models.scan import history_changes
from models.tables import Deal, StageChange, Team
from models.teams import ensure_team, stages
from services import forecast

MONTHS = 26  # month starts back from AS_OF's month: all of the history but its first weeks


@pytest.fixture
def history(db):
    """The synthetic team, its stage infos and the month starts, ends and timezone of the check."""
    with db.write() as s:
        ensure_team(s, TEAM, AS_OF - SPAN)
        stage_rows = stages(s, TEAM, include_inactive=True)
    deals, changes = generate(stage_rows, 1_500, 15_000, seed=19)
    with db.write() as s:
        s.execute(insert(Deal), [dict(zip(DEAL_COLUMNS, row, strict=True)) | {"version": 1} for row in deals])
        s.execute(insert(StageChange), [dict(zip(CHANGE_COLUMNS, row, strict=True)) for row in changes])
        team = s.get(Team, TEAM)
        assert team is not None  # made above
        timezone = team.timezone
    with db.read() as s:
        infos = digest_queries.stage_infos(s, TEAM)
    first = AS_OF.date().replace(day=1)
    firsts = [add_months(first, k) for k in range(-MONTHS, 0)]
    starts = [local_midnight(f, timezone) for f in [*firsts, first]]
    ends = [add_months(f, 1) for f in firsts]
    return infos, starts, ends, timezone


def ids(infos, *kinds):
    return digest_queries.ids(infos, *kinds)


def utc(moment: datetime) -> datetime:
    """SQLite gives back naive UTC, PostgreSQL aware."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_the_months_stage_changes_are_the_rows_placed_in_their_months(db, history):
    infos, starts, ends, _ = history
    with db.read() as s:
        fast = fq.changes_since(s, TEAM, starts, ends)
        rows = s.execute(
            select(
                col(StageChange.at),
                col(StageChange.from_stage_id),
                col(StageChange.to_stage_id),
                col(Deal.currency),
                col(Deal.close_date),
                col(Deal.amount_cents),
            ).join(Deal, col(Deal.id) == col(StageChange.deal_id))
        ).all()
    bounds = [utc(b) for b in starts[1:]]
    expected: Counter = Counter()
    for at, a, b, currency, close, cents in rows:
        if utc(at) < utc(starts[0]):
            continue
        close_k = len(ends) if close is None else bisect_right(ends, close)
        key = (bisect_right(bounds, utc(at)), a, b, currency, close_k)
        expected[key + ("n",)] += 1
        expected[key + ("cents",)] += cents or 0
    found: Counter = Counter()
    for g in fast:
        key = (g.at_k, g.from_stage_id, g.to_stage_id, g.currency, g.close_k)
        found[key + ("n",)] += g.count
        found[key + ("cents",)] += g.cents
    assert +found == +expected
    assert sum(g.count for g in fast) > 10_000  # the check covered most of the history


def test_the_wins_of_every_month_in_one_query_are_those_of_one_query_per_month(db, history):
    infos, starts, ends, _ = history
    won, closed = ids(infos, WON), ids(infos, WON, LOST)
    with db.read() as s:
        fast = fq.won_by_month(s, TEAM, starts, ends, won, closed)
        plain = [
            g
            for k in range(len(ends))
            for g in fq.won_in(s, TEAM, k, starts[k], starts[k + 1], ends[k], won, closed)
        ]
    assert sorted(fast, key=repr) == sorted(plain, key=repr)
    assert sum(g.count for g in plain) > 300 and len({g.k for g in plain}) > 20


def test_the_won_month_and_quarter_in_one_query_are_the_digest_s_closed_deals(db, history):
    infos, _, _, timezone = history
    today = date(2026, 11, 30)
    since = [local_midnight(today.replace(day=1), timezone), local_midnight(quarter_start(today), timezone)]
    with db.read() as s:
        fast = fq.won_since(s, TEAM, since, AS_OF, ids(infos, WON), ids(infos, WON, LOST))
        plain = []
        for start in since:
            won: dict[str, int] = {}
            for g in digest_queries.closed_between(s, TEAM, infos, start, AS_OF):
                if g.kind == WON and g.cents:
                    won[g.currency] = won.get(g.currency, 0) + g.cents
            plain.append(dict(sorted(won.items())))
    assert fast == plain
    assert fast[0] and fast[1] != fast[0]  # something won this month, more this quarter


def test_the_forecast_at_a_moment_with_no_later_change_is_the_one_rebuilt_from_history(db, history):
    infos, _, _, _ = history
    bounds = [date(2026, 11, 30), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    with db.read() as s:
        for moment in (AS_OF, datetime(2026, 10, 7, 9, 30, tzinfo=UTC)):
            fast = fq.pipeline_at(s, TEAM, moment, ids(infos, OPEN), bounds)
            plain = fq.pipeline_rebuilt_at(s, TEAM, moment, ids(infos, OPEN), bounds)
            assert sorted(fast, key=repr) == sorted(plain, key=repr)
            assert sum(g.count for g in plain) > 100


def test_the_backtest_of_the_generated_history_is_stable(db, history):
    replayed = forecast.backtest(db, TEAM, AS_OF, 12).backtest
    assert len(replayed.months) == 12 and replayed.currencies == ["EUR", "GBP", "USD"]
    assert all(m.actual for m in replayed.months)


def test_sqlite_reads_the_table_in_order_only_for_a_team_that_holds_a_good_share_of_it(db, history):
    with db.read() as s:
        sqlite = s.get_bind().dialect.name == "sqlite"
        compiled = {
            team: str(select(col(history_changes(s, team, AS_OF - SPAN).id)).compile(s.get_bind()))
            for team in (TEAM, "T0SMALL")
        }
    assert ("NOT INDEXED" in compiled[TEAM]) is sqlite  # all of the table is this team's
    assert "NOT INDEXED" not in compiled["T0SMALL"]  # a team with no history: through the index
