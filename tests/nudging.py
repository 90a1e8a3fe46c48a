"""Helpers for the nudge tests: deals idle for a given time, team settings, one sweep + dispatch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from domain.amounts import Amount
from domain.deal_form import NewDeal
from models.delivery_tables import Outbox
from models.tables import Team, saved_id
from models.teams import ensure_team, stages
from scheduler import outbox
from scheduler.nudges import sweep
from services import deals

TEAM = "T0LOCAL"
# A Tuesday: 11:00 in Amsterdam, 05:00 in New York.
TUESDAY_10_UTC = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def setup_team(bench, **fields) -> None:
    """The team's row with these settings (channel_id, manager_ids, escalation, work hours ...)."""
    with bench.db.write() as s:
        team = ensure_team(s, TEAM, bench.now())
        for name, value in fields.items():
            setattr(team, name, value)
        s.add(team)


def stage_id(bench, key: str) -> int:
    with bench.db.write() as s:
        ensure_team(s, TEAM, bench.now())
        return next(saved_id(st) for st in stages(s, TEAM) if st.key == key)


def seed(
    bench,
    owner: str,
    name: str,
    stage: str = "proposal",
    idle_days: float = 20,
    cents: int | None = 5_000_000,
) -> int:
    """A deal whose last activity was idle_days before bench.now(); returns its number."""
    created = bench.now() - timedelta(days=idle_days)
    new = NewDeal(
        name=name,
        owner_id=owner,
        amount=Amount(cents, "EUR") if cents is not None else None,
        stage_id=stage_id(bench, stage),
    )
    return deals.create(bench.db, TEAM, owner, new, created).deal.number


async def run_sweep(bench, worker: str = "w1", **kwargs):
    """One sweep and one dispatch, as the scheduler's tick does them."""
    results = await sweep(bench.deps, bench.bolt.client, bench.now(), **kwargs)
    await outbox.dispatch(bench.db, bench.bolt.client, worker, bench.now)
    return results


def queued(results) -> list:
    return [m for r in results for m in r.messages]


def outbox_rows(bench, kind: str | None = None) -> list[Outbox]:
    with bench.db.read() as s:
        query = select(Outbox).order_by(col(Outbox.id))
        if kind:
            query = query.where(Outbox.kind == kind)
        return list(s.exec(query))


def team(bench) -> Team:
    with bench.db.read() as s:
        return s.get(Team, TEAM)


def nudge_dms(bench, user: str) -> list:
    """The DMs a user got that are nudges (they carry the nudge's action rows)."""
    return [
        m
        for m in bench.slack.dms(user)
        if any(str(b.get("block_id", "")).startswith(("nudge_actions:", "nudge_done:")) for b in m.blocks)
    ]


def deal_numbers(message) -> list[int]:
    return sorted(
        int(b["block_id"].split(":")[1])
        for b in message.blocks
        if str(b.get("block_id", "")).startswith("nudge_deal:")
    )
