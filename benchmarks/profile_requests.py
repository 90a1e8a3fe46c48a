"""Where a `salesbot serve` process spends its CPU per request kind, sampled from outside by py-spy.

    python benchmarks/profile_requests.py [--requests 400] [--kinds "/deal add" button ...]
                                          [--rate 250] [--out /tmp/profiles]

The bot runs as `salesbot serve` on SQLite (the local Slack in a process of its own, as in
ack_latency.py), gets `--requests` of one kind at a time, one at a time, and py-spy
(`pip install py-spy`; needs ptrace, so root or CAP_SYS_PTRACE) samples whichever of its threads
holds the GIL (the event loop or a database thread), from the first request until the work after
the last ack is done; C code that releases the GIL (SQLite's own engine, socket calls) is not
sampled, so the table is the Python side of the CPU column. Each
sample is charged to the first frame on its stack (from the leaf up) whose file falls into a
bucket below, so the table reads "of the process's busy samples, this share was in SQLAlchemy",
and the collapsed stacks are written to --out for a flame graph.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ack_latency import (  # noqa: E402
    KINDS,
    TOKEN,
    cpu_seconds,
    fixtures,
    measure,
    settle,
    start,
)
from localslack.server import LocalSlack  # noqa: E402
from tests.serving import free_port  # noqa: E402

# First match from the leaf up wins, so the order goes from the most specific to the broadest.
BUCKETS = [
    ("logging", ("logging/", "bot/logs.py", "bot/access.py")),
    ("json", ("json/",)),
    ("babel / i18n", ("babel/", "bot/i18n.py", "gettext.py")),
    ("sqlite driver", ("sqlite3/",)),
    ("psycopg", ("psycopg/",)),
    ("SQLAlchemy / SQLModel", ("sqlalchemy", "sqlmodel/")),
    ("pydantic", ("pydantic/", "pydantic_core/")),
    ("Block Kit views", ("views/",)),
    ("domain", ("domain/",)),
    ("models (queries)", ("models/",)),
    ("services", ("services/",)),
    ("handlers", ("handlers/",)),
    ("slack_sdk (Web API, webhook)", ("slack_sdk/",)),
    ("Bolt dispatch", ("slack_bolt/",)),
    ("aiohttp", ("aiohttp/", "multidict/", "yarl/")),
    ("prometheus_client", ("prometheus_client/",)),
    ("bot/ (server, verify, db)", ("bot/",)),
    ("asyncio / threads", ("asyncio/", "threading.py", "concurrent/", "selectors.py")),
]


def bucket_of(stack: str) -> str:
    frames = stack.split(";")
    for frame in reversed(frames):  # the leaf is last in py-spy's collapsed format
        where = frame.rpartition(" (")[2]  # "name (path/to/file.py:line)"
        for name, patterns in BUCKETS:
            if any(where.startswith(p) for p in patterns):
                return name
    return "other"


# Leaves where a thread waits, which py-spy (with --nonblocking) does not always know to be idle:
# the event loop's epoll, a database thread waiting for work.
WAITING = ("EpollSelector.select (", "_worker (concurrent/futures/thread.py:81)", "Condition.wait (")


def read_collapsed(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and not stack.rpartition(";")[2].startswith(WAITING):
            counts[bucket_of(stack)] += int(n)
    return counts


async def main(requests: int, kinds: list[str], rate: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    emulator = subprocess.Popen(
        [sys.executable, "-m", "localslack", "--port", str(port), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    procs = [emulator]
    try:
        assert emulator.stdout is not None
        emulator.stdout.readline()
        slack = LocalSlack(token=TOKEN).remote("127.0.0.1", port)
        slack.add_user("UALICE", "alice")
        with tempfile.TemporaryDirectory() as tmp:
            bot, client, _ = await start("salesbot", slack, Path(tmp))
            procs.append(bot)
            card, view = await fixtures(client)
            await measure(client, "/deal add", 50, 1, card, view)  # warm: caches, pools, the JIT-less paths
            await measure(client, "button", 20, 1, card, view)
            await settle(bot.pid)
            tables = {}
            for kind in kinds:
                stacks = out / f"{kind.strip('/').replace(' ', '_')}.txt"
                spy = subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "py-spy"),
                        "record",
                        "--pid",
                        str(bot.pid),
                        "--rate",
                        str(rate),
                        "--format",
                        "raw",
                        "--output",
                        str(stacks),
                        "--threads",
                        "--gil",  # only the thread holding the GIL: Python's own work, not its waits
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                await asyncio.sleep(1.0)  # py-spy attaches
                cpu = cpu_seconds(bot.pid)
                await measure(client, kind, requests, 1, card, view)
                await settle(bot.pid)
                used = (cpu_seconds(bot.pid) - cpu) / requests * 1000
                spy.send_signal(2)  # SIGINT: py-spy writes what it has
                spy.wait(30)
                counts = read_collapsed(stacks)
                tables[kind] = (used, counts)
            await client.close()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    for kind, (used, counts) in tables.items():
        total = sum(counts.values()) or 1
        print(f"\n{kind}: {used:.2f} ms CPU per request, {total} busy samples")
        for name, n in counts.most_common():
            print(f"  {name:<38}{100 * n / total:5.1f} %  {used * n / total:6.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS, metavar="KIND")
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "salesbot-profiles")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.kinds, args.rate, args.out))
