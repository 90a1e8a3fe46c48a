"""Instructions per request of `salesbot serve` and of the bare Bolt app, counted by callgrind.

    python benchmarks/instructions.py [--requests 100] [--kinds "/deal add" button ...] [--keep DIR]

CPU time on a shared two-core machine moves with whatever else runs (caches, the other hyperthread,
frequency); an instruction count does not. Both apps of ack_latency.py run under
`valgrind --tool=callgrind` with instrumentation off until they are up and warm; then for each request
kind the counters are zeroed, `--requests` requests are sent one at a time, and once the process is
idle again the count (every thread: the event loop and the database threads) is dumped and divided
by the requests. Valgrind runs a process about fifty times slower, so the load is small; the count
includes the work after the ack, as the CPU column of ack_latency.py does. With --keep, each
count's dump is kept as DIR/<app>-<kind>.callgrind, for `callgrind_annotate` (by function, or
`--inclusive=yes`) to say where the instructions went.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ack_latency import BARE_APP, KINDS, SECRET, TOKEN, fixtures, measure, settle  # noqa: E402
from localslack.client import SlackClient  # noqa: E402
from localslack.server import LocalSlack  # noqa: E402
from tests.serving import free_port, wait_healthy  # noqa: E402


async def start(kind: str, slack: LocalSlack, tmp: Path) -> tuple[subprocess.Popen, SlackClient]:
    port = free_port()
    env = dict(
        os.environ,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite:///{tmp / (kind + '.db')}",
        PORT=str(port),
        SALESBOT_SCHEDULER="0",
        PYTHONPATH=str(ROOT),
    )
    app = ["-m", "bot.cli", "serve"] if kind == "salesbot" else ["-c", BARE_APP]
    valgrind = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={tmp / kind}.%p",
    ]
    log = (tmp / f"{kind}.log").open("wb")
    proc = subprocess.Popen(
        [*valgrind, sys.executable, *app], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
    )
    await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc, timeout=600)
    return proc, SlackClient(slack, f"http://127.0.0.1:{port}/slack/events", SECRET)


def control(pid: int, *args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)


def dumped(tmp: Path, kind: str, pid: int, before: set[Path]) -> tuple[Path, int]:
    """The dump callgrind_control -d just asked for, and its instruction count."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        new = set(tmp.glob(f"{kind}.{pid}.*")) - before
        for path in new:
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("summary:") or line.startswith("totals:"):
                    return path, int(line.split()[1])
        time.sleep(0.2)
    raise RuntimeError("callgrind wrote no dump")


async def count(app, tmp: Path, kind: str, request_kind: str, requests: int, card, view, keep) -> float:
    proc, client = app
    await settle(proc.pid)
    control(proc.pid, "-z")
    await measure(client, request_kind, requests, 1, card, view)
    await settle(proc.pid)
    before = set(tmp.glob(f"{kind}.{proc.pid}.*"))
    control(proc.pid, "-d")
    path, instructions = dumped(tmp, kind, proc.pid, before)
    if keep is not None:
        shutil.copy(path, keep / f"{kind}-{request_kind.strip('/').replace(' ', '_')}.callgrind")
    return instructions / requests


async def main(requests: int, kinds: list[str], keep: Path | None = None) -> None:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    port = free_port()
    emulator = subprocess.Popen(
        [sys.executable, "-m", "localslack", "--port", str(port), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    procs = [emulator]
    rows = []
    try:
        assert emulator.stdout is not None
        emulator.stdout.readline()
        slack = LocalSlack(token=TOKEN).remote("127.0.0.1", port)
        slack.add_user("UALICE", "alice")
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            apps = {}
            for kind in ("salesbot", "bare"):
                proc, client = await start(kind, slack, tmp)
                procs.append(proc)
                apps[kind] = (proc, client)
            card, view = await fixtures(apps["salesbot"][1])
            for proc, client in apps.values():
                for request_kind in kinds:  # warm: first-use imports, caches, pools
                    await measure(client, request_kind, 5, 1, card, view)
                control(proc.pid, "-i", "on")
            for request_kind in kinds:
                sent = (request_kind, requests, card, view, keep)
                ours = await count(apps["salesbot"], tmp, "salesbot", *sent)
                theirs = await count(apps["bare"], tmp, "bare", *sent)
                rows.append((request_kind, ours, theirs))
                print(
                    f"{request_kind:<16} salesbot {ours / 1e6:6.2f} M  bare {theirs / 1e6:5.2f} M  "
                    f"ratio {ours / theirs:5.1f}x",
                    flush=True,
                )
            for _, client in apps.values():
                await client.close()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS, metavar="KIND")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep each count's callgrind dump here")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.kinds, args.keep))
