"""Genuine ack latency while forged 6 MB requests flood the bot, and what the flood writes to the log.

    python benchmarks/forged_flood.py [--forged 100] [--size-mb 6] [--connections 3] [--acks 200]

The bot and the local Slack run in this process (a Bench on SQLite, real HTTP); the forger runs
in a process of its own, so its uploads do not share the bot's event loop. Genuine commands are
sent one after another for as long as the flood lasts (at least --acks of them) and timed to
their HTTP answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db import Database  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from localslack.bench import Bench  # noqa: E402
from tests.forgery import MB, Flood, captured_log, genuine, percentile  # noqa: E402

FORGER = """
import asyncio, sys
from tests.forgery import Flood, forge, forged_body
flood = Flood()
asyncio.run(forge(sys.argv[1], forged_body(int(sys.argv[2])), int(sys.argv[3]), int(sys.argv[4]), flood))
print(sorted(set(map(str, flood.statuses))))
"""


async def run(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/flood.db"
        upgrade(url)
        async with Bench(Database(url)) as bench:
            assert bench.server is not None
            bench.slack.add_user("UALICE", "alice")
            await genuine(bench, 20, Flood())  # warm: caches, connections
            with captured_log(logging.INFO) as log:
                forger = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-c",
                    FORGER,
                    bench.server.url + "/slack/events",
                    str(args.size_mb * MB),
                    str(args.connections),
                    str(args.forged),
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                )
                flood, started = Flood(), time.perf_counter()
                while forger.returncode is None or len(flood.acks) < args.acks:
                    await genuine(bench, 10, flood)
                    if forger.returncode is None:
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(asyncio.shield(forger.wait()), 0.001)
                out, _ = await forger.communicate()
                took = time.perf_counter() - started
            ms = [a * 1000 for a in flood.acks]
            answered = out.decode().strip()
            print(f"forged: {args.forged} x {args.size_mb} MB, {args.connections} connections: {answered}")
            print(f"genuine acks: {len(ms)} in {took:.1f} s, all 200: {set(flood.ack_statuses) == {200}}")
            print(f"ack ms: p50 {percentile(ms, 50):.1f}  p99 {percentile(ms, 99):.1f}  max {max(ms):.1f}")
            print(f"log written during the flood (INFO): {len(log.getvalue().encode())} bytes")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forged", type=int, default=100)
    parser.add_argument("--size-mb", type=int, default=6)
    parser.add_argument("--connections", type=int, default=3)
    parser.add_argument("--acks", type=int, default=200)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
