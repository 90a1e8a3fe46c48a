"""/healthz, /readyz and /metrics: on the bot's own server in HTTP mode, and on HEALTH_PORT in Socket
Mode and in `salesbot scheduler`.

Liveness reads nothing. Readiness asks the database in a thread of its own, bounded by a timeout, and
never queues a second probe behind one that hangs: a hanging database costs one thread, and every
probe still answers within a second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime

from aiohttp import web
from sqlalchemy import func, select, text

from bot import metrics
from bot.db import Database
from models.delivery_tables import Outbox

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 0.8  # seconds: under the one second every probe must answer in


class Health:
    """What readiness checks: the database, its migrations, and the scheduler's heartbeat."""

    def __init__(
        self, db: Database, scheduler_interval: float | None = None, clock=None, head: str | None = None
    ):
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))  # the outbox's ages are in the bot's time
        self.scheduler_interval = scheduler_interval  # None: this process runs no scheduler
        self.started = time.monotonic()
        self.last_tick: float | None = None
        # `serve` knows the head from its migration child; elsewhere it is read from the scripts.
        self.head = head or _migrations_head()
        self._probes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="probe")
        self._pending: Future | None = None
        self.stopping = False
        # Socket Mode: whether the link to Slack is up; ready only while it says so.
        self.socket_connected: Callable[[], Awaitable[bool]] | None = None

    def ticked(self) -> None:
        self.last_tick = time.monotonic()

    async def _in_probe_thread(self, fn):
        """fn() in the probe thread, at most PROBE_TIMEOUT; a probe still stuck fails the next at once."""
        if self._pending is not None and not self._pending.done():
            raise TimeoutError("the previous probe has not returned")
        self._pending = self._probes.submit(fn)
        return await asyncio.wait_for(asyncio.wrap_future(self._pending), PROBE_TIMEOUT)

    async def problems(self) -> list[str]:
        found = []
        if self.stopping:
            found.append("shutting down")
        if self.socket_connected is not None and not await self.socket_connected():
            found.append("not connected to Slack (Socket Mode)")
        try:
            revision = await self._in_probe_thread(self._revision)
            if revision != self.head:
                found.append(f"migrations at {revision}, not at head {self.head}")
        except TimeoutError:
            found.append(f"database did not answer within {PROBE_TIMEOUT}s")
        except Exception as exc:
            found.append(f"database: {type(exc).__name__}")
        if self.scheduler_interval is not None:
            # A tick can take a while (a sweep of many teams); three intervals without one is a stall.
            allowed = max(3 * self.scheduler_interval, 30.0)
            since = time.monotonic() - (self.last_tick or self.started)
            if since > allowed:
                found.append(f"scheduler has not ticked for {since:.0f}s")
        return found

    def _revision(self) -> str | None:
        with self.db.read() as s:
            return s.exec(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()  # type: ignore[call-overload]

    def _backlog(self) -> tuple[int, float]:
        with self.db.read() as s:
            count, oldest = s.exec(  # type: ignore[call-overload]
                select(func.count(), func.min(Outbox.created_at)).where(
                    Outbox.status.in_(("pending", "sending"))  # type: ignore[attr-defined]
                )
            ).one()
        if oldest is None:
            return count, 0.0
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        return count, (self.clock() - oldest).total_seconds()

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(self, _request: web.Request) -> web.Response:
        found = await self.problems()
        if found:
            return web.json_response({"ok": False, "problems": found}, status=503)
        return web.json_response({"ok": True})

    async def metrics(self, _request: web.Request) -> web.Response:
        metrics.DB_POOL_IN_USE.set(self.db.pool_in_use())
        try:
            metrics.set_outbox(*await self._in_probe_thread(self._backlog))
        except Exception as exc:  # the rest of the metrics are still worth scraping
            log.warning("outbox metrics unavailable: %s", type(exc).__name__)
        body, content_type = metrics.scrape()
        return web.Response(body=body, headers={"Content-Type": content_type})

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)

    def close(self) -> None:
        self._probes.shutdown(wait=False, cancel_futures=True)


def _migrations_head() -> str | None:
    from bot.migrate import head

    return head()


async def listen(health: Health, host: str, port: int) -> web.AppRunner:
    """The health and metrics endpoints alone, for processes that serve no Slack HTTP."""
    app = web.Application()
    health.add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
