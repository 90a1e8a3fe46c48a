"""The nudge sweep's decisions, one transaction per team (the nudge's buttons are services/nudges.py).

The sweep decides, records and enqueues in one transaction: each deal's nudge state is updated in
the same commit as the outbox rows that tell of it, so a crash leaves either both or neither, and
a second sweep finds the deals already nudged. Outbox keys are digests of the deals and their clock
starts, so even the same decision taken twice enqueues once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, overload

from bot.db import Database
from bot.i18n import Translator, translator
from domain.disqualify import Candidate, nudges_after
from domain.next_steps import step_gap
from domain.nudges import (
    NudgeState,
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
from services import candidates
from services.users import Profile, speaks

log = logging.getLogger(__name__)


# A row of models.nudges.stalled_deals: a deal's columns (as a Deal has them) and its nudge state.
Stalled = Any


@dataclass
class IdleDeal:
    """A deal as a nudge shows it: its stage and how many whole days it has been idle."""

    deal: Deal
    stage: Stage
    days: int
    step_gap: str | None = None  # MISSING or OVERDUE (domain/next_steps.py): the nudge says so


class Items(Sequence[IdleDeal]):
    """A message's deals, made into IdleDeals only as a view reads them: a message lists a hundred of
    a big team's thousands and counts the rest, and making all 41,681 of the benchmark's first sweep
    (three times: the DMs, the reminder, the escalation) was a fifth of its time. Slices stay lazy."""

    def __init__(self, rows: Sequence[Stalled], make: Callable[[Stalled], IdleDeal]) -> None:
        self._rows, self._make = rows, make

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> IdleDeal: ...

    @overload
    def __getitem__(self, index: slice) -> Items: ...

    def __getitem__(self, index: int | slice) -> IdleDeal | Items:
        if isinstance(index, slice):
            return Items(self._rows[index], self._make)
        return self._make(self._rows[index])


class NudgeViews(Protocol):
    """The messages the sweep enqueues, rendered by the caller (views/nudges.py): the sweep decides
    and records in one transaction, so it renders inside it, but a service imports no views."""

    def owner_nudge(
        self, _: Translator, items: Sequence[IdleDeal], stages: list[Stage], candidates: list[Candidate]
    ) -> dict: ...

    def team_reminder(self, _: Translator, items: Sequence[IdleDeal]) -> dict: ...

    def escalation(self, _: Translator, items: Sequence[IdleDeal]) -> dict: ...

    def orphan_report(self, _: Translator, owner_id: str, items: Sequence[IdleDeal]) -> dict: ...


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
    states: dict[int, NudgeState]  # by deal id: made once, read by every decision


def _load(session, team: Team, now: datetime, lock: bool, full: bool = True) -> _Loaded:
    deals = nudge_queries.stalled_deals(session, team.id, now, lock=lock, full=full)
    return _Loaded(
        team,
        {saved_id(s): s for s in stages(session, team.id)},
        deals,
        {d.id: nudge_queries.state_of(d) for d in deals if d.nudge_row is not None},
    )


def _due(loaded: _Loaded, now: datetime) -> tuple[list[Stalled], list[Stalled]]:
    """The deals whose owner is to be nudged, and those to escalate. A deal never nudged nor snoozed
    (most of a first sweep's) is due once idle past its stage's threshold and escalated past twice
    that: domain.nudges' rules for an empty state, with each stage's cut-off worked out once."""
    nudge, escalate = [], []
    escalating = loaded.team.escalation in ("channel", "managers")
    limits = {stage_id: stage.stall_days for stage_id, stage in loaded.stages.items()}
    idle_since = {k: now - timedelta(days=d) for k, d in limits.items() if d}
    twice_since = {k: now - timedelta(days=2 * d) for k, d in limits.items() if d}
    states = loaded.states
    for deal in loaded.deals:
        state = states.get(deal.id)
        if state is None:
            if deal.stage_id in idle_since and deal.last_activity_at < idle_since[deal.stage_id]:
                nudge.append(deal)
                if escalating and deal.last_activity_at < twice_since[deal.stage_id]:
                    escalate.append(deal)
            continue
        days = limits[deal.stage_id]
        if nudge_due(deal.last_activity_at, days, state, now):
            nudge.append(deal)
        if escalating and escalation_due(deal.last_activity_at, days, state, now):
            escalate.append(deal)
    return nudge, escalate


def lookups(db: Database, now: datetime, team_id: str | None = None) -> list[tuple[str, list[str]]]:
    """Per team with something due, the users whose profiles (timezone, still there) the sweep needs.
    Read without locks: the sweep decides again, locked, once it has the profiles."""
    found = []
    with db.read() as s:
        for team in nudge_queries.teams(s, team_id):
            loaded = _load(s, team, now, lock=False, full=False)
            nudge, escalate = _due(loaded, now)
            people = {d.owner_id for d in nudge}
            if escalate and team.escalation == "managers":
                people.update(team.managers)
            if people:
                found.append((team.id, sorted(people)))
    return found


def owners_due(db: Database, team_id: str | None, due_rows) -> list[tuple[str, list[str]]]:
    """Per team (every team, or `team_id`) with rows due (`due_rows(session, team_id)`, each with an
    `owner_id`), the owners whose profiles the sweep needs: the reminders' and nurture's lookups."""
    found = []
    with db.read() as s:
        for team in nudge_queries.teams(s, team_id):
            owners = {r.owner_id for r in due_rows(s, team.id)}
            if owners:
                found.append((team.id, sorted(owners)))
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
                _plan(s, _load(s, team, now, lock=False), profiles, now, views)[0]
                if team
                else TeamSweep(team_id)
            )
    with db.write() as s:
        team = nudge_queries.lock_team(s, team_id)
        if team is None:
            return TeamSweep(team_id, busy=True)
        loaded = _load(s, team, now, lock=True)
        result, nudged_at, escalated, counts = _plan(s, loaded, profiles, now, views)
        nudge_queries.save_states(
            s,
            team_id,
            loaded.deals,
            nudged_at,
            dict.fromkeys(escalated, now),
            {d: counts[d] for d in nudged_at},
        )
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


def _plan(session, loaded: _Loaded, profiles: dict[str, Profile], now: datetime, v: NudgeViews):
    """The messages to send, when each deal's owner will see its nudge, the deals escalated, and the
    nudged deals' counts of nudges without progress (domain/disqualify.nudges_after). Each owner's
    nudge lists their disqualify candidates, read in the caller's transaction."""
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

    # Rows of stalled_deals always carry their id: read it directly, once per deal per use.
    def item(deal: Stalled) -> IdleDeal:
        key = deal.id
        if key not in made:
            made[key] = IdleDeal(
                deal,
                loaded.stages[deal.stage_id],
                days_idle(deal.last_activity_at, now),
                step_gap(deal.next_step, deal.next_step_due, today),
            )
        return made[key]

    def episode(deals: list[Stalled]) -> str:
        for d in deals:
            key = d.id
            if key not in clocks:
                state = loaded.states.get(key, nudge_queries.NEVER)
                clocks[key] = f"{key}@{clock_start(d.last_activity_at, state).isoformat()}"
        return episode_key([clocks[d.id] for d in deals])

    due, escalate = _due(loaded, now)
    by_owner: dict[str, list[Stalled]] = {}
    for deal in due:
        by_owner.setdefault(deal.owner_id, []).append(deal)
    counts = {d.id: nudges_after(d.nudges or 0, d.nudged_at, d.last_activity_at) for d in due}
    listed = candidates.for_nudges(
        session,
        team.id,
        today,
        sorted(o for o in by_owner if o in profiles and not profiles[o].deleted),
        counts,
    )
    nudged_at: dict[int, datetime] = {}
    for owner, owned in by_owner.items():
        profile = profiles.get(owner)
        if profile is None:
            result.waiting.append(owner)
            continue
        items, key = Items(owned, item), episode(owned)
        report = v.orphan_report(team_, owner, items) if profile.deleted or team.channel_id else {}
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
                    v.owner_nudge(owner_, items, stage_list, listed.get(owner, [])),
                    when,
                    fallback,
                )
            )
        for deal in owned:
            nudged_at[deal.id] = when
            result.nudged.append(deal.number)
    nudged = [d for d in due if d.id in nudged_at]
    if nudged and team.channel_id:
        result.messages.append(
            Outgoing(
                "reminder",
                f"reminder:{episode(nudged)}",
                team.channel_id,
                v.team_reminder(team_, Items(nudged, item)),
                team_when,
            )
        )
    escalated = _escalate(team, escalate, profiles, now, hours, team_when, item, result, v)
    return result, nudged_at, escalated, counts


def _escalate(
    team: Team,
    deals: list[Stalled],
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
    channel_message = v.escalation(team_, Items(deals, item))
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
                        translator(speaks(profile, team.language), team.formal), Items(theirs, item)
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
    return [d.id for d in deals]
