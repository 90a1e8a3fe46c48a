"""Slack's request signature, checked on the raw bytes before anything parses them.

Bolt's own check runs after it has parsed the whole body, and logs every refused request with its
body; so the server reads at most MAX_BODY bytes, checks the timestamp and the HMAC here, and only a
request that passes reaches Bolt (whose check is then turned off, see bot/app.py). Refusals are
counted and logged at most once per REFUSAL_LOG_INTERVAL, never with a body or a header.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections import Counter
from collections.abc import Callable

from aiohttp import web

log = logging.getLogger(__name__)

# Slack documents no request size limit, so this is measured: the largest interaction payloads in
# slack_sdk's and Bolt's own test fixtures are 9-11 kB (14-20 blocks, 550-650 bytes per block
# form-encoded), about 65 kB at Slack's 100-block view limit; an event with a 40,000-character
# message in a non-Latin script is about 240 kB of JSON. 1 MiB keeps four times that.
MAX_BODY = 1024 * 1024
MAX_AGE = 5 * 60  # seconds either way, as Slack's own verifiers allow
REFUSAL_LOG_INTERVAL = 60.0  # seconds


def refusal(secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float) -> str | None:
    """Why a request is not Slack's (None when it is): a pure function of the raw request."""
    if not timestamp or not signature:
        return "unsigned"
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "unreadable timestamp"
    if abs(now - sent_at) > MAX_AGE:
        return "stale timestamp"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "bad signature"
    return None


class RefusalLog:
    """One line per interval for every refused request in it: a flood of forged requests costs the
    log a line a minute, and a forger cannot write into it."""

    def __init__(self, interval: float = REFUSAL_LOG_INTERVAL, clock: Callable[[], float] = time.monotonic):
        self.interval, self.clock = interval, clock
        self.counts: Counter[str] = Counter()
        self._next = 0.0

    def refused(self, reason: str) -> None:
        self.counts[reason] += 1
        now = self.clock()
        if now >= self._next:
            summary = ", ".join(f"{n} {why}" for why, n in sorted(self.counts.items()))
            log.warning("refused requests not signed by Slack (since the last such line): %s", summary)
            self.counts.clear()
            self._next = now + self.interval


class Verifier:
    """Reads a request's body, capped, and tells whether Slack signed it."""

    def __init__(
        self, secret: str, clock: Callable[[], float] = time.time, refusals: RefusalLog | None = None
    ):
        self.secret, self.clock = secret, clock
        self.refusals = refusals or RefusalLog()

    async def refuse(self, request: web.Request) -> web.Response | None:
        """The answer for a request that is not Slack's, or None: then its body has been read (and
        aiohttp keeps it for whoever reads it next)."""
        if request.content_length is not None and request.content_length > MAX_BODY:
            return self._refuse("too large", 413)
        try:
            body = await request.read()  # client_max_size stops a chunked body at MAX_BODY too
        except web.HTTPRequestEntityTooLarge:
            return self._refuse("too large", 413)
        headers = request.headers
        why = refusal(
            self.secret,
            headers.get("X-Slack-Request-Timestamp"),
            headers.get("X-Slack-Signature"),
            body,
            self.clock(),
        )
        return self._refuse(why, 401) if why else None

    def _refuse(self, why: str, status: int) -> web.Response:
        self.refusals.refused(why)
        response = web.json_response({"error": why}, status=status)
        if status == 413:
            response.force_close()  # rather than reading the rest of a body we will never use
        return response
