"""The ECB rate feed: read from `SALESBOT_ECB_URL` (an http(s) URL, or a file path) every few
hours, stored for every team (services/rates.load_feed). A failed read logs one line and is tried
again at the next interval; the rates already stored stay in use."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp

from bot.deps import Deps
from domain.rates import MAX_FEED_BYTES, RateError
from services.rates import load_feed

log = logging.getLogger(__name__)

EVERY = timedelta(hours=6)  # the ECB publishes once a working day, around 16:00 CET
TIMEOUT = aiohttp.ClientTimeout(total=20)


async def read_source(source: str) -> bytes:
    """The feed's bytes, from a URL or a local file (tests and air-gapped installs use a file)."""
    if source.startswith(("http://", "https://")):
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.get(source) as response:
            response.raise_for_status()
            data = await response.content.read(MAX_FEED_BYTES + 1)
            return data
    path = Path(source.removeprefix("file://"))
    return await asyncio.to_thread(path.read_bytes)


async def refresh_rates(deps: Deps, client, now: datetime) -> None:
    """A scheduler job: a no-op without a feed, and between reads."""
    feed = deps.rates_feed
    if feed is None or (feed.read_at is not None and now - feed.read_at < EVERY):
        return
    feed.read_at = now  # tried, whether or not it works: one log line per interval, not per tick
    try:
        data = await read_source(feed.source)
        changed = await deps.db.run(load_feed, deps.db, data, now)
    except (TimeoutError, OSError, aiohttp.ClientError, RateError) as exc:
        log.warning("exchange rates from %s could not be read: %s", feed.source, exc)
        return
    log.info("exchange rates from %s: %d new or changed", feed.source, changed)
