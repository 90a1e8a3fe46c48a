"""The nudge sweep's decisions, one transaction per team (the nudge's buttons are services/nudges.py).

The sweep decides, records and enqueues in one transaction: each deal's nudge state is updated in
the same commit as the outbox rows that tell of it, so a crash leaves either both or neither, and
a second sweep finds the deals already nudged. Outbox keys are digests of the deals and their clock
starts, so even the same decision taken twice enqueues once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.db import Database
from bot.i18n import Translator, translator
from domain.next_steps import step_gap
from domain.nudges import (
    WorkingHours,
    clock_start,
    days_idle,
    episode_key,
    escalation_due,
    next_working_moment,
    nudge_due,
    working_hours,
)
from domain.zones import zone
from models import nudges as nudge_queries
from models import preferences as pref_queries
from models.outbox import enqueue
from models.tables import Deal, Stage, Team, saved_id
from models.teams import stages
from services.users import Profile, speaks

log = logging.getLogger(__name__)


@dataclass
class IdleDeal:
    """A deal as a nudge shows it: its stage and how many whole days it has been idle."""

    deal: Deal
    stage: Stage
    days: int
    step_gap: str | None = None  # MISSING or OVERDUE (domain/next_steps.py): the nudge says so


class NudgeViews(Protocol):
    """The messages the sweep enqueues, rendered by the caller (views/nudges.py): the sweep decides
    and records in one transaction, so it renders inside it, but a service imports no views."""

    def owner_nudge(self, _: Translator, items: list[IdleDeal], stages: list[Stage]) -> dict: ...

    def team_reminder(self, _: Translator, items: list[IdleDeal]) -> dict: ...

    def escalation(self, _: Translator, items: list[IdleDeal]) -> dict: ...

    def orphan_report(self, _: Translator, owner_id: str, items: list[IdleDeal]) -> dict: ...


@dataclass
class Outgoing:
    """A message the sweep sends, through the outbox."""

    kind: str  # nudge, orphan, reminder, escalation
    key: str
    channel: str  # a user id for a DM, or a channel id
    message: dict
    not_before: datetime
    fallback: dict | None = None


@dataclass
class TeamSweep:
    team_id: str
    messages: list[Outgoing] = field(default_factory=list)
    nudged: list[int] = field(default_factory=list)  # deal numbers
    escalated: list[int] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # users whose profile could not be read: next sweep
    busy: bool = False  # another sweep held the team


@dataclass
class _Loaded:
    team: Team
    stages: dict[int, Stage]
    deals: list  # rows from models.nudges.stalled_deals: a deal's columns and its nudge state


def _load(session, team: Team, now: datetime, lock: bool) -> _Loaded:
    return _Loaded(
        team,
        {saved_id(s): s for s in stages(session, team.id)},
        nudge_queries.stalled_deals(session, team.id, now, lock=lock),
    )


def _due(loaded: _Loaded, now: datetime) -> tuple[list[Deal], list[Deal]]:
    """The deals whose owner is to be nudged, and those to escalate."""
    nudge, escalate = [], []
    for deal in loaded.deals:
        days, state = loaded.stages[deal.stage_id].stall_days, nudge_queries.state_of(deal)
        if nudge_due(deal.last_activity_at, days, state, now):
            nudge.append(deal)
        if loaded.team.escalation in ("channel", "managers") and escalation_due(
            deal.last_activity_at, days, state, now
        ):
            escalate.append(deal)
    return nudge, escalate


def lookups(db: Database, now: datetime, team_id: str | None = None) -> list[tuple[str, list[str]]]:
    """Per team with something due, the users whose profiles (timezone, still there) the sweep needs.
    Read without locks: the sweep decides again, locked, once it has the profiles."""
    found = []
    with db.read() as s:
        for team in nudge_queries.teams(s, team_id):
            nudge, escalate = _due(_load(s, team, now, lock=False), now)
            people = {d.owner_id for d in nudge}
            if escalate and team.escalation == "managers":
                people.update(team.managers)
            if people:
                found.append((team.id, sorted(people)))
    return found


def record(
    db: Database,
    team_id: str,
    profiles: dict[str, Profile],
    now: datetime,
    views: NudgeViews,
    dry_run: bool = False,
) -> TeamSweep:
    """Decide what is due in one team, and (unless dry_run) record it and enqueue its messages."""
    if dry_run:
        with db.read() as s:
            team = s.get(Team, team_id)
            return (
                _plan(_load(s, team, now, lock=False), profiles, now, views)[0]
                if team
                else TeamSweep(team_id)
            )
    with db.write() as s:
        team = nudge_queries.lock_team(s, team_id)
        if team is None:
            return TeamSweep(team_id, busy=True)
        loaded = _load(s, team, now, lock=True)
        result, nudged_at, escalated = _plan(loaded, profiles, now, views)
        nudge_queries.save_states(s, team_id, loaded.deals, nudged_at, dict.fromkeys(escalated, now))
        for out in result.messages:
            enqueue(
                s,
                team_id,
                out.key,
                out.kind,
                out.channel,
                out.message,
                now,
                not_before=out.not_before,
                fallback=out.fallback,
            )
        # Each owner's choice of DMs (held for their summary, or off), in the enqueue's commit; the
        # result lists what is sent as it comes.
        later = pref_queries.route(s, team_id, [(o.key, o.kind, o.channel) for o in result.messages])
        result.messages = [o for o in result.messages if o.key not in later]
        return result


def _plan(loaded: _Loaded, profiles: dict[str, Profile], now: datetime, v: NudgeViews):
    """The messages to send, when each deal's owner will see its nudge, and the deals escalated."""
    team = loaded.team
    result = TeamSweep(team.id)
    hours = working_hours(team.work_days, team.work_start, team.work_end)
    team_tz = zone(team.timezone, "Europe/Amsterdam")
    team_when = next_working_moment(now, team_tz, hours)
    team_ = translator(team.language, team.formal)
    stage_list = sorted(loaded.stages.values(), key=lambda s: s.position)

    # A deal appears in its owner's nudge, the team reminder and the escalation: made once each.
    made: dict[int, IdleDeal] = {}
    clocks: dict[int, str] = {}
    # A step is overdue by the team's date when the sweep decides, as in the digest.
    today = now.astimezone(team_tz).date()

    def item(deal: Deal) -> IdleDeal:
        key = saved_id(deal)
        if key not in made:
            made[key] = IdleDeal(
                deal,
                loaded.stages[deal.stage_id],
                days_idle(deal.last_activity_at, now),
                step_gap(deal.next_step, deal.next_step_due, today),
            )
        return made[key]

    def episode(deals: list[Deal]) -> str:
        for d in deals:
            key = saved_id(d)
            if key not in clocks:
                clocks[key] = (
                    f"{key}@{clock_start(d.last_activity_at, nudge_queries.state_of(d)).isoformat()}"
                )
        return episode_key([clocks[saved_id(d)] for d in deals])

    due, escalate = _due(loaded, now)
    by_owner: dict[str, list[Deal]] = {}
    for deal in due:
        by_owner.setdefault(deal.owner_id, []).append(deal)
    nudged_at: dict[int, datetime] = {}
    for owner, owned in by_owner.items():
        profile = profiles.get(owner)
        if profile is None:
            result.waiting.append(owner)
            continue
        items, key = [item(d) for d in owned], episode(owned)
        report = v.orphan_report(team_, owner, items)
        if profile.deleted:
            if not team.channel_id:
                log.warning(
                    "team %s: %s left, and there is no team channel to report their deals to", team.id, owner
                )
                continue
            result.messages.append(
                Outgoing("orphan", f"orphan:{owner}:{key}", team.channel_id, report, team_when)
            )
            when = team_when
        else:
            owner_ = translator(speaks(profile, team.language), team.formal)
            when = next_working_moment(now, zone(profile.tz, team.timezone), hours)
            fallback = dict(report, channel=team.channel_id) if team.channel_id else None
            result.messages.append(
                Outgoing(
                    "nudge",
                    f"nudge:{owner}:{key}",
                    owner,
                    v.owner_nudge(owner_, items, stage_list),
                    when,
                    fallback,
                )
            )
        for deal in owned:
            nudged_at[saved_id(deal)] = when
            result.nudged.append(deal.number)
    nudged = [d for d in due if d.id in nudged_at]
    if nudged and team.channel_id:
        result.messages.append(
            Outgoing(
                "reminder",
                f"reminder:{episode(nudged)}",
                team.channel_id,
                v.team_reminder(team_, [item(d) for d in nudged]),
                team_when,
            )
        )
    escalated = _escalate(team, escalate, profiles, now, hours, team_when, item, result, v)
    return result, nudged_at, escalated


def _escalate(
    team: Team,
    deals: list[Deal],
    profiles: dict[str, Profile],
    now: datetime,
    hours: WorkingHours,
    team_when: datetime,
    item,
    result: TeamSweep,
    v: NudgeViews,
) -> list[int]:
    """Managers by DM (each in their own working hours), else the team's channel. Returns the deal ids
    escalated; none when there is nobody to tell, so they are escalated once there is."""
    if not deals:
        return []
    team_ = translator(team.language, team.formal)
    # The episode is the deal's last activity: a new one can be escalated again.
    key = episode_key([f"{d.id}@{d.last_activity_at.isoformat()}" for d in deals])
    channel_message = v.escalation(team_, [item(d) for d in deals])
    listed = team.managers if team.escalation == "managers" else []
    if any(m not in profiles for m in listed):
        result.waiting.extend(m for m in listed if m not in profiles)
        return []  # Slack did not say who they are: try the whole escalation next sweep
    present = [m for m in listed if not profiles[m].deleted]
    if present:
        for manager in present:
            theirs = [d for d in deals if d.owner_id != manager]  # they were nudged about their own
            if not theirs:
                continue
            profile = profiles[manager]
            fallback = dict(channel_message, channel=team.channel_id) if team.channel_id else None
            result.messages.append(
                Outgoing(
                    "escalation",
                    f"escalation:{manager}:{key}",
                    manager,
                    v.escalation(
                        translator(speaks(profile, team.language), team.formal), [item(d) for d in theirs]
                    ),
                    next_working_moment(now, zone(profile.tz, team.timezone), hours),
                    fallback,
                )
            )
    elif team.channel_id:
        result.messages.append(
            Outgoing(
                "escalation",
                f"escalation:{team.channel_id}:{key}",
                team.channel_id,
                channel_message,
                team_when,
            )
        )
    else:
        return []
    result.escalated.extend(d.number for d in deals)
    return [saved_id(d) for d in deals]
