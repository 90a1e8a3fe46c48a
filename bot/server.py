"""The HTTP server: Slack posts to /slack/events; /healthz says whether the database answers."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from sqlalchemy import text

from bot.db import Database
from bot.verify import MAX_BODY, Verifier

log = logging.getLogger(__name__)


def web_app(bolt: AsyncApp, db: Database, verifier: Verifier) -> web.Application:
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

    async def healthz(_request: web.Request) -> web.Response:
        try:
            await db.run(_ping, db)
        except Exception as exc:
            log.warning("health check failed: %s", exc)
            return web.json_response({"ok": False, "database": "unreachable"}, status=503)
        return web.json_response({"ok": True})

    async def oauth(request: web.Request) -> web.Response:
        flow, bolt_request = bolt.oauth_flow, await to_bolt_request(request)
        assert flow is not None  # these routes exist only with an OAuth flow (below)
        if request.path == flow.install_path:
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    if bolt.oauth_flow is not None:  # many workspaces: the install page and Slack's redirect back
        app.router.add_get(bolt.oauth_flow.install_path, oauth)
        app.router.add_get(bolt.oauth_flow.redirect_uri_path, oauth)
    return app


def _ping(db: Database) -> None:
    with db.read() as s:
        s.execute(text("SELECT 1"))


class Server:
    """The bot's HTTP server on a host and port; port 0 picks a free one (tests, the demo)."""

    def __init__(
        self, bolt: AsyncApp, db: Database, signing_secret: str, host: str = "0.0.0.0", port: int = 3000
    ):
        self.app, self.host, self.port = web_app(bolt, db, Verifier(signing_secret)), host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> Server:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port the one site listens on
        return self

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def serve_forever(self) -> None:
        await self.start()
        log.info("salesbot listening on %s", self.url)
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
