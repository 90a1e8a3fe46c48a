"""The HTTP server: Slack posts to /slack/events; /healthz, /readyz and /metrics (bot/health.py) for
the orchestrator and Prometheus."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.access import access_log
from bot.db import Database
from bot.health import Health
from bot.verify import MAX_BODY, Verifier

log = logging.getLogger(__name__)


def web_app(
    bolt: AsyncApp, db: Database, verifier: Verifier, health: Health | None = None
) -> web.Application:
    async def slack_events(request: web.Request) -> web.Response:
        refused = await verifier.refuse(request)
        if refused is not None:
            return refused
        try:
            bolt_request = await to_bolt_request(request)
        except Exception as exc:
            log.warning("unreadable request refused: %r", exc)
            return web.json_response({"error": "malformed request"}, status=400)
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    async def oauth(request: web.Request) -> web.Response:
        flow, bolt_request = bolt.oauth_flow, await to_bolt_request(request)
        assert flow is not None  # these routes exist only with an OAuth flow (below)
        if request.path == flow.install_path:
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    app = web.Application(client_max_size=MAX_BODY, middlewares=[access_log(verifier.secret)])
    app.router.add_post("/slack/events", slack_events)
    (health or Health(db)).add_routes(app)
    if bolt.oauth_flow is not None:  # many workspaces: the install page and Slack's redirect back
        app.router.add_get(bolt.oauth_flow.install_path, oauth)
        app.router.add_get(bolt.oauth_flow.redirect_uri_path, oauth)
    return app


class Server:
    """The bot's HTTP server on a host and port; port 0 picks a free one (tests, the demo)."""

    # In-flight requests get this long to finish when the server stops (SIGTERM allows ten seconds).
    SHUTDOWN_GRACE = 5.0

    def __init__(
        self,
        bolt: AsyncApp,
        db: Database,
        signing_secret: str,
        host: str = "0.0.0.0",
        port: int = 3000,
        health: Health | None = None,
    ):
        self.app, self.host, self.port = web_app(bolt, db, Verifier(signing_secret), health), host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> Server:
        """Bind and listen; an OSError (the port is taken, the host is not ours) reaches the caller."""
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=self.SHUTDOWN_GRACE)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise
        self.port = self._runner.addresses[0][1]  # the port the one site listens on
        return self

    @property
    def url(self) -> str:
        """Where a client on this machine reaches the server (what it binds is `bound`)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    @property
    def bound(self) -> str:
        return f"{self.host or '0.0.0.0'}:{self.port}"

    async def stop(self) -> None:
        """Stop listening, let in-flight requests finish (up to SHUTDOWN_GRACE), close connections."""
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def serve_forever(self) -> None:
        """Until cancelled (the ack benchmark's bare app); `salesbot serve` uses bot.runtime instead."""
        await self.start()
        log.info("listening on %s", self.bound)
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
