"""A stalled-deal sweep that must nudge 1,000 owners, through a local Slack that rate-limits as Slack does.

    python benchmarks/fanout_bench.py [--owners 1000] [--ratios 0,0.02] [--lanes 1,8]

One team with --owners reps and --deals-per-owner synthetic deals each (benchmarks/synthetic.py), on
SQLite; the sweep runs as `salesbot nudge` runs it: look every owner up (users.info), decide and
record each owner's DM plus the team channel's reminder and escalation in the outbox, then dispatch
the outbox (rounds again, as the next scheduler ticks would, until nothing is pending). The local
Slack runs as its own process and takes about one message per second per channel (each owner's DM
is a channel of its own), answering 429 with Retry-After beyond that, and answers a share of all
calls (--ratios) 429 at random; slack_sdk's retry handler waits each Retry-After out.

Each combination of --lanes (how many lookups and sends are in flight at once: 1 is how the sweep
worked before) and --ratios runs on a fresh database and a fresh local Slack. Reported: the time
to decide and to deliver, the 429s answered (each one a retry), dispatch rounds, and whether every
owner due got exactly one DM (none lost, none doubled) and the channel each of its messages once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402

from benchmarks.synthetic import AS_OF, TEAM, database, fill, machine  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.http import (  # noqa: E402
    close_shared_session,
    retry_handlers,
    shared_session,
)
from models import outbox as outbox_store  # noqa: E402
from scheduler import nudges as sweeping  # noqa: E402
from scheduler import outbox  # noqa: E402
from services import nudge_sweep as nudges  # noqa: E402
from tests.serving import free_port  # noqa: E402

TOKEN = "xoxb-fanout"


def start_slack(owners: int, ratio: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "localslack",
            "--port",
            str(port),
            "--token",
            TOKEN,
            "--numbered-users",
            str(owners),
            "--per-channel-rate",
            "1",
            "--rate-limit-ratio",
            str(ratio),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None  # stdout=PIPE
    proc.stdout.readline()  # "local Slack on ..." once it listens
    return proc, f"http://127.0.0.1:{port}"


async def stats(base_url: str) -> dict:
    async with aiohttp.ClientSession() as http, http.get(base_url + "/_local/stats") as resp:
        return json.loads(await resp.text())


async def one_run(owners: int, per_owner: int, ratio: float, lanes: int) -> dict:
    sweeping.LOOKUPS = outbox.SENDERS = lanes
    reps = [f"U{n:08d}" for n in range(owners)]
    slack, base_url = start_slack(owners, ratio)
    try:
        with database("sqlite") as (_name, url, loader):
            filled = fill(url, loader, owners * per_owner, owners * per_owner * 10, reps=reps)
            db = filled.db
            try:
                due = {user for _team, people in nudges.lookups(db, AS_OF, TEAM) for user in people}
                client = AsyncWebClient(
                    token=TOKEN,
                    base_url=base_url + "/api/",
                    retry_handlers=retry_handlers(),
                    session=shared_session(),
                )
                clock = lambda: AS_OF  # noqa: E731 - the moment the sweep runs at, Monday 09:00 in Amsterdam
                started = time.perf_counter()
                [result] = await sweeping.sweep(Deps(db=db, clock=clock), client, AS_OF, team_id=TEAM)
                decided = time.perf_counter()
                rounds, deliveries = 0, []
                while rounds < 10:
                    rounds += 1
                    deliveries += await outbox.dispatch(db, client, "fanout", clock, team_id=TEAM)
                    if not [r for r in outbox_store.rows(db, TEAM) if r.status == "pending"]:
                        break
                delivered = time.perf_counter()
                seen = await stats(base_url)
                rows = outbox_store.rows(db, TEAM)
            finally:
                await close_shared_session()
                db.dispose()
    finally:
        slack.terminate()
        slack.wait(10)
    per_channel = seen["messages_per_channel"]
    dms = [per_channel.get("D" + owner, 0) for owner in sorted(due)]
    expected_channel = sum(1 for m in result.messages if m.channel == "C0SALES")
    return {
        "lanes": lanes,
        "ratio": ratio,
        "owners_due": len(due),
        "nudged_deals": len(result.nudged),
        "messages": len(result.messages),
        "decide_s": decided - started,
        "deliver_s": delivered - decided,
        "random_429": seen["rate_limited"],
        "channel_429": seen["channel_limited"],
        "rounds": rounds,
        "sent": sum(r.status == "sent" for r in rows),
        "outbox": len(rows),
        "lost": sum(1 for n in dms if n == 0),
        "doubled": sum(1 for n in dms if n > 1),
        "channel_ok": per_channel.get("C0SALES", 0) == expected_channel,
        "calls": {m: c for m, c in seen["calls"].items() if m in ("users.info", "chat.postMessage")},
    }


async def main(owners: int, per_owner: int, ratios: list[float], lanes: list[int]) -> int:
    results = []
    for ratio in ratios:
        for lane in lanes:
            results.append(await one_run(owners, per_owner, ratio, lane))
            r = results[-1]
            print(
                f"lanes {lane}, random 429 ratio {ratio}: decided in {r['decide_s']:.1f} s, delivered in "
                f"{r['deliver_s']:.1f} s; calls {r['calls']}",
                flush=True,
            )
    print(f"\nmachine: {machine()}")
    print(f"{owners:,} owners with {per_owner} deals each; seconds\n")
    header = (
        "in flight",
        "random 429s",
        "owners due",
        "messages",
        "look up + decide",
        "deliver",
        "total",
        "429s: random / per channel",
        "dispatch rounds",
        "sent / outbox",
        "DMs lost / doubled",
        "channel once",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    failed = False
    for r in results:
        ok = r["lost"] == 0 and r["doubled"] == 0 and r["channel_ok"] and r["sent"] == r["outbox"]
        failed |= not ok
        print(
            " | ".join(
                str(x)
                for x in (
                    r["lanes"],
                    f"{r['ratio']:.0%}",
                    f"{r['owners_due']:,}",
                    f"{r['messages']:,}",
                    f"{r['decide_s']:.1f}",
                    f"{r['deliver_s']:.1f}",
                    f"{r['decide_s'] + r['deliver_s']:.1f}",
                    f"{r['random_429']} / {r['channel_429']}",
                    r["rounds"],
                    f"{r['sent']:,} / {r['outbox']:,}",
                    f"{r['lost']} / {r['doubled']}",
                    "yes" if r["channel_ok"] else "NO",
                )
            )
        )
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--owners", type=int, default=1000)
    parser.add_argument("--deals-per-owner", type=int, default=20)
    parser.add_argument(
        "--ratios", default="0,0.02", help="shares of calls answered 429 at random, one run each"
    )
    parser.add_argument("--lanes", default="1,8", help="lookups and sends in flight at once, one run each")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    sys.exit(
        asyncio.run(
            main(
                args.owners,
                args.deals_per_owner,
                [float(r) for r in args.ratios.split(",")],
                [int(n) for n in args.lanes.split(",")],
            )
        )
    )
