"""The deals open now, read once per digest (digest_queries.open_now), give every figure exactly as
the queries that rebuild the pipeline from the history do (SQLite and PostgreSQL): on the
hand-computed pipeline (moves forward and back, a skipped stage, a reopened deal, a deal without an
amount), with an archived deal, next steps missing, empty, overdue and due, and activity logged
after the digest's moment. A back-dated digest has no such read and keeps the history's queries."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from sqlmodel import col, select

from domain import digest_schedule as schedule
from domain import open_deals
from domain.metrics import OPEN
from models import digest_queries, insight_queries
from models.qualification_tables import Qualification, QualificationAnswer
from models.tables import Deal, Team, saved_id
from services import digest, insights
from services import forecast as forecasting
from tests.digest_pipeline import TEAM, E, load

LATER = E + timedelta(days=7)  # after every change of the pipeline: the deals open then are those open now


def edit(db) -> None:
    """An archived deal, next steps of each kind, and activity after LATER (the idle time is then the
    time since the stage was entered)."""
    steps = {1: ("Call", date(2026, 12, 1)), 2: ("", None), 6: ("Send quote", date(2026, 12, 30))}
    with db.write() as s:
        for deal in s.exec(select(Deal).where(Deal.team_id == TEAM)):
            if deal.number == 3:
                deal.archived_at = E
            if deal.number in steps:
                deal.next_step, deal.next_step_due = steps[deal.number]
            if deal.number == 11:
                deal.last_activity_at = LATER + timedelta(hours=1)
            s.add(deal)


def qualify(db, answers: dict[int, str]) -> None:
    """A BANT qualification per deal number, every question with the given status."""
    with db.write() as s:
        for deal in s.exec(select(Deal).where(Deal.team_id == TEAM, col(Deal.number).in_(answers))):
            qual = Qualification(
                team_id=TEAM,
                deal_id=deal.id,
                deal_number=deal.number,
                owner_id=deal.owner_id,
                status="done",
                started_by=deal.owner_id,
                started_at=E,
                updated_at=E,
            )
            s.add(qual)
            s.flush()
            for question in ("budget", "authority", "need", "timeline"):
                s.add(
                    QualificationAnswer(
                        team_id=TEAM,
                        qualification_id=saved_id(qual),
                        question=question,
                        status=answers[deal.number],
                        answered_by=deal.owner_id,
                        answered_at=E,
                    )
                )


def sorted_rows(rows):
    return sorted(rows, key=repr)


def test_the_deals_open_now_give_the_figures_the_history_gives(db):
    load(db)
    edit(db)
    qualify(db, {1: "yes", 2: "skipped", 11: "yes"})  # #11 is in Prospecting: not past Qualification
    with db.read() as s:
        team = s.get(Team, TEAM)
        assert team is not None
        window = schedule.window(LATER, team.timezone)
        stages = digest_queries.stage_infos(s, TEAM)
        now = digest_queries.open_now(s, TEAM, stages, LATER)
        assert now is not None and sorted(d.number for d in now) == [1, 2, 6, 7, 10, 11, 14]  # #3 archived
        read_once = digest.facts(s, TEAM, window, None, now)
        rebuilt = digest.facts(s, TEAM, window)
        assert sorted_rows(read_once.open_now) == sorted_rows(rebuilt.open_now)
        assert read_once.stalled_top == rebuilt.stalled_top and read_once.stalled_top
        assert read_once.next_steps == rebuilt.next_steps
        # Past Qualification: #1 Pr, #2 Pr, #6 F, #7 F, #10 Ne; #1 complete (#2 skipped every question)
        assert read_once.coverage == rebuilt.coverage == Fraction(1, 5)
        assert (rebuilt.next_steps.missing, rebuilt.next_steps.overdue) == (
            5,
            1,
        )  # #2's is empty; #1's overdue
        mine = digest.facts(s, TEAM, window, "UBOB", now).stalled_top
        assert mine == digest.facts(s, TEAM, window, "UBOB").stalled_top
        assert all(d.owner_id == "UBOB" for d in mine)
        assert forecasting.in_session(s, team, LATER, now) == forecasting.in_session(s, team, LATER)
        with_now, without = insights.in_session(s, TEAM, LATER, now), insights.in_session(s, TEAM, LATER)
        assert (with_now.flows, with_now.standouts) == (without.flows, without.standouts)
        assert with_now.behind == without.behind
        for stage in (st for st in stages if st.kind == OPEN):  # every open stage's, not only the standouts'
            assert open_deals.oldest_in_stage(now, stage.id, LATER) == insight_queries.oldest_in_stage(
                s, TEAM, stage.id, LATER
            )
        assert open_deals.ages(now, LATER)  # the deals in a stage since they entered it


def test_a_back_dated_digest_rebuilds_the_pipeline_from_the_history(db):
    load(db)
    with db.read() as s:
        # #1 moved two days after E: the deals open now are not those open just before E.
        assert digest_queries.open_now(s, TEAM, digest_queries.stage_infos(s, TEAM), E) is None
    later, back_dated = digest.compute(db, TEAM, LATER).digest, digest.compute(db, TEAM, E).digest
    assert (back_dated.headline.count, later.headline.count) == (7, 8)  # by hand in test_digest_metrics
