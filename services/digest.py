"""The weekly digest's use cases: compute it for a team and a moment (one read transaction), and
put it in the outbox for the team's channel and managers (one write transaction).

The channel gets the digest in the team's language; each manager's DM is in that manager's own
language (their `/deal language`, else their Slack locale, else the team's), which the job asks
Slack for before enqueueing (`recipient_languages`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import col, select

from bot.db import Database
from bot.i18n import Translator, translator
from domain import digest_schedule as schedule
from domain import open_deals
from domain.digest import Digest, build_digest, own_view
from domain.forecast import Forecast
from domain.metrics import Facts, StageInfo, per_stage
from models import digest_queries, flow_queries
from models import next_steps as step_queries
from models import nurture as nurture_queries
from models.access import restricted_to
from models.delivery_tables import Outbox
from models.nurture import NurtureCounts
from models.outbox import enqueue
from models.qualify import qualified_deal_ids
from models.tables import LostReason, Team
from services import conversion, users
from services import forecast as forecasting
from services import goals as goal_standings
from services import insights as bottlenecks
from services.goals import Standing
from services.insights import Insights
from services.teams import ensure

log = logging.getLogger(__name__)

OpenNow = list[open_deals.OpenDeal] | None

KIND, CHART_KIND = "digest", "digest_chart"


@dataclass
class Computed:
    digest: Digest
    stages: list[StageInfo]
    reasons: dict[str, str]  # lost reason key -> its text (untranslated)
    timezone: str
    language: str
    forecast: Forecast | None = None  # the forecast by month (services/forecast.py)
    insights: Insights | None = None  # the stages that hold deals up (services/insights.py)
    goals: list[Standing] = field(default_factory=list)  # this month's and quarter's (services/goals.py)
    nurture: NurtureCounts | None = None  # deals in nurture, and back this week (models/nurture.py)


def facts(
    session, team_id: str, window: schedule.Window, owner_id: str | None = None, now: OpenNow = None
) -> Facts:
    """The digest's facts at the window's moment; `now` is the deals open now when no stage changed
    since that moment (digest_queries.open_now), which then give the open figures in one read."""
    as_of, start, first = window.as_of, window.week_start, window.window_start
    digest_queries.jit_off(session)
    stages = digest_queries.stage_infos(session, team_id)
    entered = flow_queries.entered_by_owner(session, team_id, stages, first, as_of)
    if now is None:
        open_now = digest_queries.open_groups(
            session, team_id, stages, as_of, window.today, window.week_first_day
        )
        stalled = digest_queries.stalled_deals(session, team_id, stages, as_of, owner_id=owner_id)
        steps = step_queries.step_counts(session, team_id, window.today)
        coverage = digest_queries.qualification_coverage(session, team_id, as_of)
    else:
        open_now = open_deals.open_groups(now, stages, as_of, window.today, window.week_first_day)
        stalled = open_deals.stalled_deals(now, stages, as_of, owner_id=owner_id)
        steps = open_deals.step_counts(now, window.today)
        coverage = open_deals.coverage(now, stages, qualified_deal_ids(session, team_id))
    return Facts(
        as_of=as_of,
        week_start=start,
        window_start=first,
        window_days=schedule.WINDOW_DAYS,
        stages=stages,
        open_now=open_now,
        open_before=digest_queries.pipeline_at(session, team_id, stages, start),
        closed_week=digest_queries.closed_between(session, team_id, stages, start, as_of),
        closed_window=digest_queries.closed_between(session, team_id, stages, first, as_of),
        new_week=flow_queries.new_between(session, team_id, start, as_of),
        moves_week=flow_queries.moves_between(session, team_id, start, as_of),
        reasons_week=digest_queries.lost_reasons_between(session, team_id, stages, start, as_of),
        entered_window=per_stage(entered),
        entered_by_owner=entered,
        stalled_top=stalled,
        coverage=coverage,
        next_steps=steps,
    )


def compute(db: Database, team_id: str, as_of: datetime, owner_id: str | None = None) -> Computed:
    """The whole team's digest, or with `owner_id` the one that rep may see (own_view)."""
    with db.read() as s:
        team = s.get(Team, team_id)
        if team is None:
            raise LookupError(f"no team {team_id}")
        window = schedule.window(as_of, team.timezone)
        # The deals open now, read once for the digest's, the forecast's and the bottlenecks' figures
        # (None for a back-dated digest: each rebuilds its own from the history).
        digest_queries.jit_off(s)
        now = digest_queries.open_now(s, team_id, digest_queries.stage_infos(s, team_id), as_of)
        found = facts(s, team_id, window, owner_id, now)
        converted = conversion.digest_facts(s, team, window, found)
        reasons = {r.key: r.text for r in s.exec(select(LostReason).where(LostReason.team_id == team_id))}
        by_month = forecasting.in_session(s, team, as_of, now)
        held_up = bottlenecks.in_session(s, team_id, as_of, now)
        goals = goal_standings.in_session(s, team_id, as_of, owner_id)
        nurtured = nurture_queries.counts(s, team_id, window.week_start, as_of)
    digest = (
        build_digest(found)
        if converted is None
        else replace(build_digest(converted[0]), converted=converted[1])
    )
    if owner_id is not None:
        digest = own_view(digest, owner_id)
        # The stages that hold deals up are the team's figures; the deals named behind them, the rep's own.
        held_up.behind = {
            stage: [d for d in deals if d.owner_id == owner_id] for stage, deals in held_up.behind.items()
        }
    return Computed(
        digest, found.stages, reasons, team.timezone, team.language, by_month, held_up, goals, nurtured
    )


def preview(db: Database, team_id: str, now: datetime) -> Computed:
    """The digest for the week ending now, for `/pipeline digest`: a rep gets the team's totals and
    only their own deals; managers and admins, all of it (models/access.py)."""
    ensure(db, team_id, now)
    with db.read() as s:
        owner = restricted_to(s, team_id)
    return compute(db, team_id, now, owner)


def teams(db: Database, team_id: str | None = None) -> list[tuple[str, str]]:
    """(id, timezone) of one team or of all."""
    with db.read() as s:
        query = select(Team.id, Team.timezone).order_by(Team.id)
        if team_id:
            query = query.where(Team.id == team_id)
        return [(t, tz) for t, tz in s.exec(query)]


@dataclass
class Plan:
    """Where a team's digest goes, and under which week."""

    team_id: str
    week: str  # the Monday of the week it is due in, ISO
    recipients: list[str]  # the digest channel, then each manager (a user id: a DM)

    def key(self, recipient: str, kind: str = KIND) -> str:
        return f"{kind}:{self.week}:{recipient}"


def recipients(team: Team) -> list[str]:
    found = []
    channel = team.digest_channel_id or team.channel_id
    for who in [channel, *team.managers]:
        who = (who or "").strip()
        if who and who not in found:
            found.append(who)
    return found


def plan(team: Team, as_of: datetime) -> Plan:
    return Plan(team.id, schedule.week_of(as_of, team.timezone).isoformat(), recipients(team))


def already_queued(db: Database, p: Plan) -> bool:
    """Cheap check before the expensive part: every recipient's digest of that week is in the outbox."""
    keys = [p.key(r) for r in p.recipients]
    with db.read() as s:
        found = set(s.exec(select(Outbox.key).where(Outbox.team_id == p.team_id, col(Outbox.key).in_(keys))))
    return set(keys) <= found


async def recipient_languages(
    db: Database, client, team_id: str, as_of: datetime, now: datetime
) -> dict[str, str | None]:
    """Each manager's language for their digest DM, from their profile (cached a day). Nothing is
    asked when the week's digest is queued already; a manager Slack does not answer for gets the
    team's language."""
    with db.read() as s:
        team = s.get(Team, team_id)
    if team is None or client is None or not team.managers or already_queued(db, plan(team, as_of)):
        return {}
    found = {}
    for manager in team.managers:
        try:
            found[manager] = users.speaks(
                await users.profile(db, client, team_id, manager, now), team.language
            )
        except Exception as exc:
            log.warning(
                "team %s: could not look up manager %s (%r); their digest is in the team's language",
                team_id,
                manager,
                exc,
            )
    return found


# The digest's views, handed in by the caller (scheduler/digest.py): a service renders nothing itself.
MessageView = Callable[[Computed, Translator, datetime], dict]  # (digest, _, sent_at) -> message
ChartView = Callable[[Computed, Translator, str, datetime], dict]  # (digest, _, week, expires) -> upload


def enqueue_digest(
    db: Database,
    team_id: str,
    as_of: datetime,
    now: datetime,
    languages: dict[str, str | None] | None = None,
    *,
    message: MessageView,
    chart: ChartView | None,
) -> int:
    """Put the team's digest for the week ending `as_of` in the outbox, once per recipient and week;
    returns how many messages were added (0: already there, or nobody to send it to).

    `languages` names a recipient's own language (a manager's); the others get the team's.
    The chart goes in rows of its own (kind digest_chart, the PNG as base64) after the text rows,
    so the text is sent first and never waits on, or fails with, the upload."""
    with db.read() as s:
        team = s.get(Team, team_id)
    if team is None:
        return 0
    p = plan(team, as_of)
    if not p.recipients or already_queued(db, p):
        return 0
    computed = compute(db, team_id, as_of)
    language = {who: translator((languages or {}).get(who) or team.language).language for who in p.recipients}
    messages, uploads = {}, {}
    # The chart lives until the team's next digest is due after it was queued: a scheduled digest's
    # chart until next week's, one posted late for an older week (`salesbot digest --as-of`) still
    # gets its week.
    expires = schedule.next_due(max(as_of, now), team.timezone, team.digest_weekday, team.digest_time)
    for lang in dict.fromkeys(language.values()):  # each language once, the team's first
        _ = translator(lang, team.formal)
        messages[lang] = message(computed, _, now)
        if chart is not None:
            try:
                uploads[lang] = chart(computed, _, p.week, expires)
            except Exception:
                log.exception("digest chart for %s could not be drawn", team_id)
    added = 0
    with db.write() as s:
        for who in p.recipients:
            added += enqueue(s, team_id, p.key(who), KIND, who, messages[language[who]], now)
        for who in p.recipients:
            if language[who] in uploads:
                added += enqueue(
                    s, team_id, p.key(who, CHART_KIND), CHART_KIND, who, uploads[language[who]], now
                )
    return added
