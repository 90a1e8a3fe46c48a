"""One access line per HTTP request, with its id, workspace, user, kind, duration and outcome; the
request metrics; and the request's log context for every line written while it is handled.

The kind, team and user are read from the body here, not from Bolt, so that a malformed request is
logged and counted like any other; and only from a body Slack signed, so that nothing a forger
wrote reaches a log line. Requests that are not Slack's are counted here (kind "unverified") but
get no access line: bot/verify.py sums them up once a minute. Nothing of a body is logged but
those three ids.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from urllib.parse import parse_qs

from aiohttp import web

from bot import metrics
from bot.logs import RequestContext, current
from bot.verify import MAX_BODY, refusal

log = logging.getLogger("salesbot.access")

QUIET_PATHS = ("/healthz", "/readyz", "/metrics")  # probes and scrapes: counted by their callers


def describe(raw: bytes, content_type: str) -> tuple[str, str, str]:
    """(kind, team, user) of a Slack request body: kind is 'command', 'block_actions',
    'view_submission', 'event_callback'...; empty strings where the body does not say."""
    try:
        if content_type == "application/json":
            body = json.loads(raw or b"{}")
        else:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            body = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, KeyError):
        return "unreadable", "", ""
    if not isinstance(body, dict):
        return "unreadable", "", ""
    kind = "command" if "command" in body else str(body.get("type") or "unknown")
    if kind == "event_callback" and isinstance(body.get("event"), dict):
        kind = f"event:{body['event'].get('type', '')}"
    team = body.get("team_id") or _field(body.get("team"), "id") or _field(body.get("user"), "team_id")
    user = body.get("user_id") or _field(body.get("user"), "id") or _field(body.get("event"), "user")
    return kind[:40], _id(team), _id(user)


def _field(value: object, key: str) -> object:
    return value.get(key) if isinstance(value, dict) else None


def _id(value: object) -> str:
    # Only Slack-shaped ids reach a log line: nothing a sender typed.
    return value if isinstance(value, str) and value.isalnum() and len(value) <= 32 else ""


def outcome_of(status: int) -> str:
    if status < 400:
        return "ok"
    return "refused" if status < 500 else "error"


def access_log(signing_secret: str):
    """The middleware; it checks Slack's signature itself (a microsecond of HMAC) before reading
    anything out of a body, since the server's own check runs later, in the handler."""

    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        if request.path in QUIET_PATHS:
            return await handler(request)
        started = time.perf_counter()
        given_id = request.headers.get("X-Request-Id", "")
        context = RequestContext(request_id=_id(given_id.replace("-", "")) or uuid.uuid4().hex[:16])
        signed = False
        if request.method == "POST" and request.path.startswith("/slack/"):
            signed = await _signed(request, signing_secret)
            if signed:
                context.kind, context.team, context.user = describe(
                    await request.read(), request.content_type
                )
        else:
            context.kind = (
                request.path.rsplit("/", 1)[-1][:40] or "root"
            )  # /slack/install, /slack/oauth_redirect
        token = current.set(context)
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            elapsed = time.perf_counter() - started
            kind, outcome = context.kind or ("unknown" if signed else "unverified"), outcome_of(status)
            metrics.REQUESTS.labels(kind, outcome).inc()
            metrics.ACK_SECONDS.labels(kind).observe(elapsed)
            if kind != "unverified":
                log.info(
                    "%s %s %s %s %.1fms",
                    request.method,
                    request.path,
                    status,
                    kind,
                    elapsed * 1000,
                    extra={"duration_ms": round(elapsed * 1000, 1), "outcome": outcome, "status": status},
                )
            current.reset(token)

    return middleware


async def _signed(request: web.Request, secret: str) -> bool:
    # A body without a length, or over the cap, is left for the handler to refuse unread.
    if request.content_length is None or request.content_length > MAX_BODY:
        return False
    headers = request.headers
    body = await request.read()
    timestamp, signature = headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature")
    return refusal(secret, timestamp, signature, body, time.time()) is None


async def socket_mode_access(body: dict, next) -> None:
    """The access line and request metrics in Socket Mode, where no HTTP request carries them: a Bolt
    middleware around each envelope's dispatch (the ack included; the work after it is timed by
    the listeners' own histogram)."""
    started = time.perf_counter()
    raw = json.dumps(body).encode()
    context = RequestContext(uuid.uuid4().hex[:16])
    context.kind, context.team, context.user = describe(raw, "application/json")
    token = current.set(context)
    outcome = "error"
    try:
        await next()
        outcome = "ok"
    finally:
        elapsed = time.perf_counter() - started
        metrics.REQUESTS.labels(context.kind, outcome).inc()
        metrics.ACK_SECONDS.labels(context.kind).observe(elapsed)
        log.info(
            "socket %s %s %.1fms",
            context.kind,
            outcome,
            elapsed * 1000,
            extra={"duration_ms": round(elapsed * 1000, 1), "outcome": outcome},
        )
        current.reset(token)
