"""Three real `salesbot serve` processes on one PostgreSQL database, each with its scheduler: they
start together on an empty database (one migration run, no race), take commands and clicks round-
robin, sweep and post the digest while they all run, and one is killed with SIGKILL half-way.
Every deal is created once, every nudge, reminder and digest is sent exactly once."""

from __future__ import annotations

import asyncio
import json
import signal
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.db import Database
from domain.amounts import Amount
from domain.deal_form import NewDeal
from localslack.client import SlackClient
from localslack.server import LocalSlack
from models.delivery_tables import Outbox
from models.tables import Deal, StageChange, saved_id
from models.teams import ensure_team, stages
from services import deals
from tests.conftest import PG_OK
from tests.databases import fresh_postgres
from tests.helpers import text_of
from tests.processes import SECRET, TOKEN, env_for, free_port, salesbot, stop, wait_ready

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PG_OK, reason="PostgreSQL unreachable")]

TEAM = "T0LOCAL"
OWNERS = [f"UOWNER{i}" for i in range(6)]
COMMANDS = 45


def noon_zone(now: datetime) -> tuple[str, int]:
    """A zone where it is about noon at `now`, so the owners are inside their working hours
    whenever the test runs: (Etc/GMT name, offset in seconds). Etc/GMT signs are inverted."""
    hours = (12 - now.hour + 12) % 24 - 12  # -12 .. 11
    return (f"Etc/GMT{-hours:+d}" if hours else "Etc/UTC"), hours * 3600


def seed(db: Database, now: datetime, zone: str) -> None:
    """A team a month old, with a channel and a manager, nudging every day; two deals per owner,
    idle 20 days in Proposal (stalled after 14, escalated after 28: not yet)."""
    with db.write() as s:
        team = ensure_team(s, TEAM, now - timedelta(days=30))
        team.channel_id, team.manager_ids, team.work_days = "C0SALES", "UADMIN", "1234567"
        team.timezone = zone  # the team's reminders keep its working hours too
        s.add(team)
        proposal = next(st.id for st in stages(s, TEAM) if st.key == "proposal")
    for owner in OWNERS:
        for n in range(2):
            new = NewDeal(
                name=f"Old {owner} {n}", owner_id=owner, amount=Amount(100_000, "EUR"), stage_id=proposal
            )
            deals.create(db, TEAM, owner, new, now - timedelta(days=20))


def outbox(db: Database) -> list[Outbox]:
    with db.read() as s:
        return list(s.exec(select(Outbox).order_by(col(Outbox.id))))


async def test_three_replicas_create_each_deal_once_and_send_each_message_once():
    now = datetime.now(UTC)  # the processes run on the real clock; everything below derives from it
    zone, offset = noon_zone(now)
    slack = await LocalSlack(token=TOKEN, team_id=TEAM).start()
    slack.add_channel("C0SALES", "sales")
    for user in [*OWNERS, "UALICE"]:
        slack.add_user(user, user.lower(), tz=zone, tz_offset=offset)
    slack.add_user("UADMIN", "carol", is_admin=True, tz=zone, tz_offset=offset)
    procs, clients = [], []
    with fresh_postgres("salesbot_replicas") as url:
        db = Database(url)
        try:
            ports = [free_port() for _ in range(3)]
            for port in ports:  # all three migrate the empty database at once
                env = env_for(slack, url, port, SALESBOT_SCHEDULER_INTERVAL="0.5")
                procs.append(salesbot("serve", env=env))
            for port, proc in zip(ports, procs, strict=True):
                await wait_ready(f"http://127.0.0.1:{port}/readyz", proc, timeout=60)
                clients.append(SlackClient(slack, f"http://127.0.0.1:{port}/slack/events", SECRET))
            with db.read() as s:
                versions = s.exec(text("SELECT version_num FROM alembic_version")).all()  # type: ignore[call-overload]
            assert len(versions) == 1  # one migration history, written once
            seed(db, now, zone)

            acked = await round_robin(clients, procs, slack)
            survivors = [clients[0], clients[2]]
            cards = []
            for i, number in enumerate((13, 14, 15)):  # Deal0..Deal2 (the seed made #1-#12)
                shown = await survivors[i % 2].command("UALICE", f"#{number}")
                cards.append(await survivors[i % 2].reply(shown))
            for i, card in enumerate(cards):  # each card shown by one replica, won on the other
                await survivors[(i + 1) % 2].click("UALICE", card, "deal_won")
            await slack.wait_for(lambda: all(card.history for card in cards), timeout=20)

            # A claim the killed replica held waits out its lease (five minutes): move it back that far.
            dead = f":{procs[1].pid}"
            with db.write() as s:
                s.execute(
                    text(
                        "UPDATE outbox SET claimed_at = claimed_at - interval '6 minutes' "
                        "WHERE status = 'sending' AND claimed_by LIKE :dead"
                    ).bindparams(dead="%" + dead)
                )

            rows = await settled(db, timeout=60)
            await asyncio.sleep(2)  # four more ticks of each survivor: nothing more may be sent
            rows = outbox(db)
        finally:
            for client in clients:
                await client.close()
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            errors = [proc.communicate(timeout=20)[1] for proc in procs]
            for proc in procs:
                stop(proc)
            await slack.stop()
        with db.read() as s:
            made = list(s.exec(select(Deal).where(Deal.team_id == TEAM)))
            wins = list(s.exec(select(StageChange).where(StageChange.to_stage_id == _won_id(s))))
        db.dispose()

    # No replica failed to start or migrate; the survivors stopped cleanly.
    assert procs[0].returncode == procs[2].returncode == 0, errors
    assert procs[1].returncode == -signal.SIGKILL
    assert not any("Traceback" in err for err in (errors[0], errors[2])), errors
    # Every deal once: numbers without duplicates, every confirmed command's deal there once.
    names = [d.name for d in made]
    assert len(names) == len(set(names)) and len({d.number for d in made}) == len(made)
    confirmed = {name for name in acked if name in names}
    assert acked and confirmed == set(acked)
    assert len(wins) == 3  # each card's Won pressed once, applied once
    # Every outbox row sent once: Slack holds exactly one message carrying its id (charts are file
    # shares, which carry no metadata: one file each, named for its row).
    sent = [r for r in rows if r.status == "sent"]
    assert [r for r in rows if r.status == "dead"] == []
    counts = {r.id: 0 for r in sent if r.kind != "digest_chart"}
    for message in slack.messages:
        payload = (message.metadata or {}).get("event_payload") or {}
        if payload.get("outbox_id") in counts:
            counts[payload["outbox_id"]] += 1
    assert set(counts.values()) == {1}, counts
    # Each stalled deal (#1-#12, two per owner) in exactly one nudge, to its owner. (A sweep may run
    # between an owner's two deals being seeded: then that owner gets two nudges of one deal each.)
    nudged = sorted((r.channel, n) for r in sent if r.kind == "nudge" for n in deal_numbers(r))
    assert nudged == sorted((owner, 2 * i + n + 1) for i, owner in enumerate(OWNERS) for n in range(2))
    assert {r.channel for r in sent if r.kind == "reminder"} == {"C0SALES"}
    assert sorted(r.channel for r in sent if r.kind == "digest") == ["C0SALES", "UADMIN"]
    file_names = [f["name"] for m in slack.messages if m.kind == "file" for f in m.files or []]
    charts = [r for r in sent if r.kind == "digest_chart"]
    assert len(charts) == 2 and sorted(file_names) == sorted({*file_names})  # no chart uploaded twice
    assert all(any(name.endswith(f"-{r.id}.png") for name in file_names) for r in charts)


async def settled(db: Database, timeout: float) -> list[Outbox]:
    """The outbox once every row is sent (or dead), with nudges, the reminder and the digest in it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        rows = outbox(db)
        kinds = {r.kind for r in rows}
        if {"nudge", "reminder", "digest"} <= kinds and all(r.status in ("sent", "dead") for r in rows):
            return rows
        await asyncio.sleep(0.2)
    raise TimeoutError(f"the outbox never settled: {[(r.id, r.kind, r.status) for r in outbox(db)]}")


def deal_numbers(row: Outbox) -> list[int]:
    blocks = json.loads(row.payload).get("blocks", [])
    return [
        int(b["block_id"].split(":")[1]) for b in blocks if str(b.get("block_id")).startswith("nudge_deal:")
    ]


def _won_id(s) -> int:
    return next(saved_id(st) for st in stages(s, TEAM, include_inactive=True) if st.kind == "won")


async def round_robin(clients, procs, slack) -> list[str]:
    """COMMANDS commands, one replica after the other; the second replica is killed half-way, and a
    command it no longer answers goes to the next one, as a load balancer retries. Returns the
    names of the deals whose "Added" reply came back."""
    confirmed = []
    for i in range(COMMANDS):
        if i == COMMANDS // 2:
            procs[1].send_signal(signal.SIGKILL)
            procs[1].wait(10)
        name = f"Deal{i}"
        for attempt in range(3):
            client = clients[(i + attempt) % 3]
            try:
                sent = await client.command("UALICE", f"add {name} {i + 1}k")
            except aiohttp.ClientError:
                continue
            if sent.status == 200:
                break
        else:
            raise AssertionError(f"no replica took {name}")
        try:
            reply = await client.reply(sent, timeout=10)
        except TimeoutError:
            continue  # acknowledged by the replica just killed, before its work was done
        if "Added deal" in text_of(reply):
            confirmed.append(name)
    return confirmed
