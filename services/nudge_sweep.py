"""The nudge sweep's decisions, one transaction per team (the nudge's buttons are services/nudges.py).

The sweep decides, records and enqueues in one transaction: each deal's nudge state is updated in
the same commit as the outbox rows that tell of it, so a crash leaves either both or neither, and
a second sweep finds the deals already nudged. Outbox keys are digests of the deals and their clock
starts, so even the same decision taken twice enqueues once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Protocol, overload

from bot.db import Database
from bot.i18n import Translator, translator
from domain.disqualify import Candidate
from domain.next_steps import step_gap
from domain.nudges import (
    ACTIVITY,
    ID,
    NUMBER,
    OWNER,
    STAGE,
    Decided,
    WorkingHours,
    days_idle,
    decide,
    episode_key,
    next_working_moment,
    working_hours,
)
from domain.zones import zone
from models import nudges as nudge_queries
from models import preferences as pref_queries
from models.outbox import enqueue
from models.tables import Stage, Team, saved_id
from models.teams import stages
from services import candidates
from services.users import Profile, speaks

log = logging.getLogger(__name__)


# A row of models.nudges.stalled_deals: domain.nudges' tuple (ID, NUMBER, STAGE, OWNER, ...).
Stalled = Any


@dataclass
class IdleDeal:
    """A deal as a nudge shows it: its stage and how many whole days it has been idle."""

    deal: Any  # a row of models.nudges.shown_deals: a deal's columns, as a Deal has them
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

    def __iter__(self) -> Iterator[IdleDeal]:  # Sequence's own goes through __getitem__ per item
        return map(self._make, self._rows)

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

    SHOWN: int  # a message shows at most its first SHOWN deals: only theirs are read in full

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
    deals: list  # rows from models.nudges.stalled_deals, in no order


def _load(session, team: Team, now: datetime, lock: bool) -> _Loaded:
    return _Loaded(
        team,
        {saved_id(s): s for s in stages(session, team.id)},
        nudge_queries.stalled_deals(session, team.id, now, lock=lock),
    )


def _decide(loaded: _Loaded, now: datetime, listing: bool = True) -> Decided:
    """The deals whose owner is to be nudged and those to escalate; for `listing` messages, each
    owner's oldest stall first, with the parts of the keys. Sorted here, not by the database: SQLite
    took 0.17 s of 0.28 to sort the benchmark's 41,681 with their names, Python 0.04 s."""
    if listing:
        loaded.deals.sort(key=itemgetter(OWNER, ACTIVITY, NUMBER))
    escalating = loaded.team.escalation in ("channel", "managers")
    limits = {stage_id: stage.stall_days for stage_id, stage in loaded.stages.items()}
    return decide(loaded.deals, limits, now, escalating, keys=listing)


def lookups(db: Database, now: datetime, team_id: str | None = None) -> list[tuple[str, list[str]]]:
    """Per team with something due, the users whose profiles (timezone, still there) the sweep needs.
    Read without locks: the sweep decides again, locked, once it has the profiles."""
    found = []
    with db.read() as s:
        for team in nudge_queries.teams(s, team_id):
            decided = _decide(_load(s, team, now, lock=False), now, listing=False)
            people = {d[OWNER] for d in decided.due}
            if decided.escalate and team.escalation == "managers":
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
            if team is None:
                return TeamSweep(team_id)
            plan = _plan(s, _load(s, team, now, lock=False), profiles, now)
            return plan.compose(nudge_queries.shown_deals(s, team_id, plan.shown(views.SHOWN)), views)
    with db.write() as s:
        team = nudge_queries.lock_team(s, team_id)
        if team is None:
            return TeamSweep(team_id, busy=True)
        loaded = _load(s, team, now, lock=True)
        plan = _plan(s, loaded, profiles, now)
        shown = nudge_queries.shown_deals(s, team_id, plan.shown(views.SHOWN))
        escalated = dict.fromkeys(plan.escalated, now)
        counts = {d: plan.decided.nudges[d] for d in plan.nudged_at}
        with nudge_queries.states_saved(s, team_id, loaded.deals, plan.nudged_at, escalated, counts):
            result = plan.compose(shown, views)  # while PostgreSQL takes in the states
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


@dataclass
class _Message:
    """A message decided on: rendered, and keyed, once the states are on their way."""

    kind: str  # nudge, orphan, reminder, escalation
    to: str  # whom its key names: the owner, the manager or the channel ("" for the reminder)
    channel: str
    rows: list  # the deals it lists
    when: datetime
    reader: Translator
    direct: bool = False  # a DM, with the team channel's message as its fallback when there is one
    keyed: list | None = None  # the deals its key is made of, when not `rows`: an escalation's all


@dataclass
class _Plan:
    loaded: _Loaded
    now: datetime
    today: date  # the team's date: a step is overdue by it, as in the digest
    decided: Decided
    team_: Translator
    result: TeamSweep
    messages: list[_Message] = field(default_factory=list)
    nudged_at: dict[int, datetime] = field(default_factory=dict)  # when each deal's owner sees it
    escalated: list[int] = field(default_factory=list)  # deal ids
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)

    def shown(self, limit: int) -> set[int]:
        """The deals whose lines the messages show (the first `limit` of each list)."""
        return {d[ID] for m in self.messages for rows in (m.rows, m.keyed or []) for d in rows[:limit]}

    def compose(self, shown: dict, v: NudgeViews) -> TeamSweep:
        """The result with its messages rendered and keyed: outbox keys are digests of the deals and
        their clock starts (an escalation's: their last activities), so a decision taken twice
        enqueues once. `shown`: models.nudges.shown_deals of self.shown()."""
        team, loaded, made = self.loaded.team, self.loaded, {}
        stage_list = sorted(loaded.stages.values(), key=lambda s: s.position)

        def item(row: Stalled) -> IdleDeal:  # made once per deal, whichever messages list it
            deal_id = row[ID]
            if deal_id not in made:
                deal = shown[deal_id]
                made[deal_id] = IdleDeal(
                    deal,
                    loaded.stages[row[STAGE]],
                    days_idle(row[ACTIVITY], self.now),
                    step_gap(deal.next_step, deal.next_step_due, self.today),
                )
            return made[deal_id]

        def episode(rows: list, parts: dict[int, str]) -> str:
            return episode_key([parts[d[ID]] for d in rows])

        channel_escalation: list[dict] = []  # rendered once: the channel's message and every fallback

        def to_channel(m: _Message) -> dict:
            if not channel_escalation:
                channel_escalation.append(v.escalation(self.team_, Items(m.keyed or m.rows, item)))
            return channel_escalation[0]

        escalation_key = ""
        for m in self.messages:
            items, fallback = Items(m.rows, item), None
            if m.kind == "escalation":
                escalation_key = escalation_key or episode(m.keyed or m.rows, self.decided.episodes)
                key = f"escalation:{m.to}:{escalation_key}"
                message = v.escalation(m.reader, items) if m.direct else to_channel(m)
                if m.direct and team.channel_id:
                    fallback = dict(to_channel(m), channel=team.channel_id)
            elif m.kind == "reminder":
                key = f"reminder:{episode(m.rows, self.decided.clocks)}"
                message = v.team_reminder(m.reader, items)
            else:
                key = f"{m.kind}:{m.to}:{episode(m.rows, self.decided.clocks)}"
                report = v.orphan_report(self.team_, m.to, items) if not m.direct or team.channel_id else {}
                if m.kind == "orphan":
                    message = report
                else:
                    message = v.owner_nudge(m.reader, items, stage_list, self.candidates.get(m.to, []))
                    fallback = dict(report, channel=team.channel_id) if team.channel_id else None
            self.result.messages.append(Outgoing(m.kind, key, m.channel, message, m.when, fallback))
        return self.result


def _plan(session, loaded: _Loaded, profiles: dict[str, Profile], now: datetime) -> _Plan:
    """Who is told of which deals and when, when each deal's owner will see its nudge, the deals
    escalated; and each nudged owner's disqualify candidates, read in the caller's transaction."""
    team = loaded.team
    hours = working_hours(team.work_days, team.work_start, team.work_end)
    team_tz = zone(team.timezone, "Europe/Amsterdam")
    team_when = next_working_moment(now, team_tz, hours)
    team_ = translator(team.language, team.formal)
    plan = _Plan(loaded, now, now.astimezone(team_tz).date(), _decide(loaded, now), team_, TeamSweep(team.id))
    result = plan.result
    by_owner: dict[str, list[Stalled]] = {}
    for deal in plan.decided.due:
        by_owner.setdefault(deal[OWNER], []).append(deal)
    plan.candidates = candidates.for_nudges(
        session,
        team.id,
        plan.today,
        sorted(o for o in by_owner if o in profiles and not profiles[o].deleted),
        plan.decided.nudges,
    )
    for owner, owned in by_owner.items():
        profile = profiles.get(owner)
        if profile is None:
            result.waiting.append(owner)
            continue
        if profile.deleted:
            if not team.channel_id:
                log.warning(
                    "team %s: %s left, and there is no team channel to report their deals to", team.id, owner
                )
                continue
            plan.messages.append(_Message("orphan", owner, team.channel_id, owned, team_when, team_))
            when = team_when
        else:
            when = next_working_moment(now, zone(profile.tz, team.timezone), hours)
            owner_ = translator(speaks(profile, team.language), team.formal)
            plan.messages.append(_Message("nudge", owner, owner, owned, when, owner_, direct=True))
        plan.nudged_at.update(dict.fromkeys((d[ID] for d in owned), when))
        result.nudged.extend(d[NUMBER] for d in owned)
    nudged = [d for d in plan.decided.due if d[ID] in plan.nudged_at]
    if nudged and team.channel_id:
        plan.messages.append(_Message("reminder", "", team.channel_id, nudged, team_when, team_))
    _escalate(plan, profiles, hours, team_when)
    return plan


def _escalate(plan: _Plan, profiles: dict[str, Profile], hours: WorkingHours, team_when: datetime) -> None:
    """Managers by DM (each in their own working hours), else the team's channel. None escalated
    when there is nobody to tell, so they are escalated once there is."""
    deals, team, result = plan.decided.escalate, plan.loaded.team, plan.result
    if not deals:
        return
    listed = team.managers if team.escalation == "managers" else []
    if any(m not in profiles for m in listed):
        result.waiting.extend(m for m in listed if m not in profiles)
        return  # Slack did not say who they are: try the whole escalation next sweep
    present = [m for m in listed if not profiles[m].deleted]
    if present:
        for manager in present:
            theirs = [d for d in deals if d[OWNER] != manager]  # they were nudged about their own
            if not theirs:
                continue
            profile = profiles[manager]
            plan.messages.append(
                _Message(
                    "escalation",
                    manager,
                    manager,
                    theirs,
                    next_working_moment(plan.now, zone(profile.tz, team.timezone), hours),
                    translator(speaks(profile, team.language), team.formal),
                    direct=True,
                    keyed=deals,
                )
            )
    elif team.channel_id:
        plan.messages.append(
            _Message(
                "escalation", team.channel_id, team.channel_id, deals, team_when, plan.team_, keyed=deals
            )
        )
    else:
        return
    result.escalated.extend(d[NUMBER] for d in deals)
    plan.escalated = [d[ID] for d in deals]
