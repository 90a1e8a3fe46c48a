"""An attacker's requests: large forged bodies sent at the bot while reps use it, and a log that
counts what the bot wrote meanwhile. Used by tests/test_request_path.py and
benchmarks/forged_flood.py."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import aiohttp

from localslack.bench import Bench

MB = 1024 * 1024


@contextlib.contextmanager
def captured_log(level: int = logging.DEBUG) -> Iterator[io.StringIO]:
    """Everything any logger writes at `level` or above while the block runs, as the text a
    deployment's log file would hold."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def forged_body(size: int) -> bytes:
    """A form body of `size` bytes that looks like a command, with a line that would forge a log
    entry if anything wrote the body out."""
    head = b"team_id=T0LOCAL&user_id=UALICE&command=%2Fdeal&text=add+x&junk=\nCRITICAL+forged+line\n"
    return head + b"A" * (size - len(head))


@dataclass
class Flood:
    statuses: list[int | str] = field(default_factory=list)  # per forged request: HTTP status or error
    acks: list[float] = field(default_factory=list)  # seconds to each genuine ack
    ack_statuses: list[int] = field(default_factory=list)


async def forge(url: str, body: bytes, connections: int, count: int, flood: Flood) -> None:
    """`count` forged requests over `connections` connections, each resent as soon as answered."""
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        remaining = iter(range(count))

        async def worker() -> None:
            for _ in remaining:
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": str(int(time.time())),
                    "X-Slack-Signature": "v0=" + "0" * 64,
                }
                try:
                    async with session.post(url, data=body, headers=headers) as resp:
                        flood.statuses.append(resp.status)
                except aiohttp.ClientError as exc:  # the bot hung up on a body it would not read
                    flood.statuses.append(type(exc).__name__)

        await asyncio.gather(*(worker() for _ in range(connections)))


async def genuine(bench: Bench, count: int, flood: Flood) -> None:
    """`count` real commands, one after another, each timed to its ack."""
    assert bench.client is not None
    for i in range(count):
        started = time.perf_counter()
        sent = await bench.client.command("UALICE", "list" if i % 2 else "help")
        flood.acks.append(time.perf_counter() - started)
        flood.ack_statuses.append(sent.status)


async def flood_while_acking(
    bench: Bench, *, forged: int = 100, size: int = 6 * MB, connections: int = 3, acks: int = 50
) -> Flood:
    """Forged requests and genuine commands at the same time, over real HTTP."""
    assert bench.server is not None
    flood = Flood()
    body = forged_body(size)
    await asyncio.gather(
        forge(bench.server.url + "/slack/events", body, connections, forged, flood),
        genuine(bench, acks, flood),
    )
    return flood


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
