"""The scheduler loop: every tick, run each job, then send what the outbox holds.

Jobs are idempotent: each derives what is due from the database (a deal's stall state, the last
digest sent) and enqueues it under a unique key, so a tick missed while the bot was down is
caught up once on the next, and two replicas ticking together enqueue each message once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot import metrics
from bot.deps import Deps
from scheduler.announce import announce_job
from scheduler.digest import digest_job
from scheduler.goals import goal_job
from scheduler.housekeeping import empty_sent_messages, prune_deliveries, purge_uninstalled
from scheduler.nudges import nudge_job
from scheduler.outbox import dispatch
from scheduler.rates import refresh_rates

log = logging.getLogger(__name__)

# A job: async (deps, client, now) -> None. Every tick runs them all, in this order.
Job = Callable[[Deps, Any, datetime], Awaitable[None]]
JOBS: list[Job] = [
    refresh_rates,
    nudge_job,
    digest_job,
    goal_job,
    announce_job,
    prune_deliveries,
    empty_sent_messages,
    purge_uninstalled,
]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def tick(deps: Deps, client, worker: str | None = None) -> None:
    """client: one Web API client, or a factory team id -> client (many workspaces)."""
    now = deps.clock()
    for job in JOBS:
        module, name = getattr(job, "__module__", ""), getattr(job, "__name__", "job")
        name = f"{module}.{name}".removeprefix("scheduler.")
        try:
            await job(deps, client, now)
        except Exception:
            log.exception("scheduler job %s failed", name)
            metrics.job_ran(name, ok=False)
        else:
            metrics.job_ran(name, ok=True)
    try:
        await dispatch(deps.db, client, worker or worker_name(), deps.clock)
    except Exception:
        metrics.job_ran("outbox.dispatch", ok=False)
        raise
    metrics.job_ran("outbox.dispatch", ok=True)


async def run_forever(
    deps: Deps,
    client,
    interval: float = 60.0,
    stop: asyncio.Event | None = None,
    heartbeat: Callable[[], None] | None = None,
) -> None:
    """Tick until `stop` is set; a tick under way when it is set finishes first (its outbox claim
    is sent and recorded), so a shutdown leaves no claim to wait out its lease. `heartbeat` is called
    after every tick (readiness checks it)."""
    worker = worker_name()
    stop = stop or asyncio.Event()
    log.info("scheduler running every %ss as %s", interval, worker)
    while not stop.is_set():
        try:
            await tick(deps, client, worker)
        except Exception:
            log.exception("scheduler tick failed")
        if heartbeat:
            heartbeat()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
