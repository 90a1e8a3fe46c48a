"""Goals: set by a manager (`/pipeline goals set`), shown beside the pipeline, and told once per
threshold (50, 90, 100 %) to the rep and the managers through the outbox.

Won deals count in the goal's currency only: without exchange rates a deal won in another currency
is not converted (said on the goals view)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.db import Database
from bot.i18n import Translator
from domain.digest_schedule import local_date
from domain.goals import (
    PERIODS,
    TEAM,
    Attainment,
    GoalCommand,
    attainment,
    highest_new,
    period_end,
    period_start,
)
from domain.months import local_midnight
from domain.rates import Rates
from models import goals as goal_queries
from models import rates as rate_queries
from models.outbox import enqueue
from models.settings_tables import Goal
from models.tables import Team
from services.teams import ensure
from services.users import writing_to

KIND = "goal"


@dataclass(frozen=True)
class Standing:
    goal: Goal
    attained: Attainment
    deals_won: int
    converted_at: date | None = None  # the rates' day, when deals in other currencies were converted
    unconverted: tuple[str, ...] = ()  # currencies won in that no rate covers: not counted


# (the standing, the threshold reached, who is told, their translator) -> the DM {"text", "blocks"}
GoalDmView = Callable[[Standing, int, str, Translator], dict]


def set_goal(db: Database, team_id: str, by: str, command: GoalCommand, now: datetime) -> Standing:
    """One transaction. The caller has checked that `by` may (a manager or an admin)."""
    ensure(db, team_id, now)
    with db.write() as s:
        team = _team(s, team_id)
        goal = put_goal(s, team, by, command, now)
        return _standing(s, team, goal, now, rate_queries.rates_for(s, team_id, since=goal.starts))


def put_goal(s: Session, team: Team, by: str, command: GoalCommand, now: datetime) -> Goal:
    """The goal for this month or quarter, set or replaced in the caller's transaction (the
    settings form's too)."""
    return goal_queries.set_goal(
        s,
        Goal(
            team_id=team.id,
            user_id=command.who,
            period=command.period,
            starts=period_start(command.period, local_date(now, team.timezone)),
            amount_cents=command.amount.cents,
            currency=command.amount.currency or team.currency,
            deal_count=command.deal_count,
            set_by=by,
            set_at=now,
        ),
    )


def standings(db: Database, team_id: str, now: datetime, only: str | None = None) -> list[Standing]:
    """This month's and this quarter's goals with their attainment: all of them, or `only` one
    rep's and the team's. One read transaction; a team without goals costs one query (the Home tab
    and `/pipeline` ask on every request)."""
    ensure(db, team_id, now)
    with db.read() as s:
        return in_session(s, team_id, now, only)


def in_session(s: Session, team_id: str, now: datetime, only: str | None = None) -> list[Standing]:
    """`standings` inside a transaction of the caller's (the digest's)."""
    near = goal_queries.goals_from(s, team_id, _near_starts(now))
    if not near:
        return []
    team = _team(s, team_id)
    current = set(_current_starts(team, now))
    rates = rate_queries.rates_for(s, team_id, since=min(g.starts for g in near))
    return [
        _standing(s, team, goal, now, rates)
        for goal in near
        if goal.starts in current and (only is None or goal.user_id in (only, TEAM))
    ]


def announce(db: Database, team_id: str, now: datetime, dm: GoalDmView) -> int:
    """Tell each goal's newly reached threshold once: the rep (for a rep's goal) and the managers.
    The goal row's `announced`, raised in the same transaction as the enqueue (keyed by goal and
    threshold as well), is what makes it once, even with two schedulers. Returns the DMs added."""
    with db.write() as s:
        team = s.get(Team, team_id)
        if team is None:
            return 0
        added = 0
        goals = goal_queries.goals_from(s, team_id, _current_starts(team, now))
        rates = rate_queries.rates_for(s, team_id, since=min((g.starts for g in goals), default=None))
        for goal in goals:
            standing = _standing(s, team, goal, now, rates)
            threshold = highest_new(standing.attained.percent, goal.announced)
            if threshold is None:
                continue
            told = ([goal.user_id] if goal.user_id != TEAM else []) + team.managers
            for user in dict.fromkeys(told):
                key = f"{KIND}:{goal.id}:{threshold}:{user}"
                rendered = dm(standing, threshold, user, writing_to(s, team, user))
                added += enqueue(s, team_id, key, KIND, user, rendered, now)
            goal.announced = threshold
            s.add(goal)
        return added


def _near_starts(now: datetime) -> list:
    """The period starts the team's current ones are among, whatever its timezone: a wall clock
    is at most 14 hours from UTC, so its date is the UTC date or a day beside it."""
    days = [(now + timedelta(days=k)).date() for k in (-1, 0, 1)]
    return sorted({period_start(p, d) for p in PERIODS for d in days})


def _current_starts(team: Team, now: datetime) -> list:
    today = local_date(now, team.timezone)
    return sorted({period_start(p, today) for p in PERIODS})


def _standing(s: Session, team: Team, goal: Goal, now: datetime, rates: Rates) -> Standing:
    """Won in the goal's currency; with rates, deals won in others too, each converted at the rate
    of the day it closed (docs/metrics.md)."""
    start = local_midnight(goal.starts, team.timezone)
    end = local_midnight(period_end(goal.period, goal.starts) + timedelta(days=1), team.timezone)
    owner = None if goal.user_id == TEAM else goal.user_id
    today = local_date(now, team.timezone)
    last = period_end(goal.period, goal.starts)
    if not rates:
        won = goal_queries.won_between(s, team.id, owner, goal.currency, start, end)
        return Standing(goal, attainment(won.cents, goal.amount_cents, today, last), won.deals)
    cents, count, missing = 0, 0, set()
    for amount, currency, closed_at in goal_queries.won_deals_between(s, team.id, owner, start, end):
        converted = rates.convert(amount, currency, goal.currency, local_date(closed_at, team.timezone))
        if converted is None:
            missing.add(currency)
            continue
        cents, count = cents + converted, count + 1
    attained = attainment(cents, goal.amount_cents, today, last)
    return Standing(goal, attained, count, rates.latest(min(today, last)), tuple(sorted(missing)))


def _team(s: Session, team_id: str) -> Team:
    team = s.get(Team, team_id)
    assert team is not None  # ensure() made it
    return team


def teams_to_check(db: Database, now: datetime) -> list[str]:
    with db.read() as s:
        return goal_queries.teams_with_goals(s, (now - timedelta(days=100)).date())
