"""Ack latency of `salesbot serve` against a bare Bolt app that only acks, side by side in one run.

    python benchmarks/ack_latency.py [--requests 1000] [--concurrency 1 10 50] [--rates 100 300]
                                     [--kinds "/deal add" "/deal list" button "view submission"]

Both apps run as their own processes behind the same aiohttp server code, on SQLite, and get the
same signed requests over real HTTP from this process; the local Slack the bot calls after it
has acked runs as a process of its own. Reported: p50, p99 and max of the time to the HTTP answer
(the ack), per request kind and load, and the ratio salesbot/bare. The load is closed loop
(--concurrency: that many requests in flight, the next sent as soon as one is answered, so the
faster an app acks the more it is sent) or open loop (--rates: requests sent at a fixed pace,
as users click, whatever the answers). Also reported: the CPU each app spent
per request (the ack and the work after it, until the process is idle again: each run waits for
that before the next starts, so one app's leftover work never lands on the other's run); and how
long that work went on after the last ack. Also: start-up time to a healthy /healthz, and peak
RSS of the bot at idle and after the load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from localslack.client import SlackClient  # noqa: E402
from localslack.server import LocalSlack  # noqa: E402
from localslack.state import Message  # noqa: E402
from tests.serving import free_port, wait_healthy  # noqa: E402

SECRET = "bench-secret"
TOKEN = "xoxb-bench"
BARE_APP = """
import asyncio, os
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from bot.server import Server
from bot.db import Database

web = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
app = AsyncApp(client=web,
               signing_secret=os.environ["SLACK_SIGNING_SECRET"])

async def just_ack(ack):
    await ack()

app.command("/deal")(just_ack)
app.action("deal_note")(just_ack)
app.view("deal_note")(just_ack)
db = Database(os.environ["DATABASE_URL"])
server = Server(app, db, os.environ["SLACK_SIGNING_SECRET"], host="127.0.0.1", port=int(os.environ["PORT"]))
asyncio.run(server.serve_forever())
"""


def rss_peak_kb(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) in kB, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def start(kind: str, slack: LocalSlack, tmp: Path) -> tuple[subprocess.Popen, SlackClient, float]:
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
    args = (
        [sys.executable, "-m", "bot.cli", "serve"] if kind == "salesbot" else [sys.executable, "-c", BARE_APP]
    )
    started = time.perf_counter()
    # The log goes to a file: a pipe nobody reads fills after about 600 access lines, and then the
    # bot's next log write blocks its event loop (every run past that point timed out).
    log = (tmp / f"{kind}.log").open("wb")
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc, timeout=60)
    return (
        proc,
        SlackClient(slack, f"http://127.0.0.1:{port}/slack/events", SECRET),
        time.perf_counter() - started,
    )


async def fixtures(client: SlackClient):
    """A card to click and a note modal to submit, as the bot makes them (built here, so that the
    emulator can live in its own process)."""
    from datetime import UTC, datetime

    from bot.i18n import translator
    from models.tables import Deal
    from views.modals import note_form

    await client.command("UALICE", "add Benchmark 10k")
    card = Message(
        "D",
        "1.1",
        "",
        [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "deal_note",
                        "value": "1:1",
                        "text": {"type": "plain_text", "text": "N"},
                    }
                ],
            }
        ],
    )
    at = datetime(2026, 11, 24, 10, tzinfo=UTC)  # the modal shows no date: any fixed one does
    deal = Deal(
        team_id="T0LOCAL",
        number=1,
        name="Benchmark",
        currency="EUR",
        stage_id=1,
        owner_id="UALICE",
        created_by="UALICE",
        created_at=at,
        updated_at=at,
        last_activity_at=at,
    )
    view = note_form(translator("en"), deal, '{"o":"msg","n":1}')
    return card, dict(view, id="V1")


async def send(client: SlackClient, kind: str, i: int, card, view):
    """The i-th request of a kind, signed and sent over HTTP; returns when it is acked."""
    if kind == "/deal add":
        return await client.command("UALICE", f"add Bench{i} {i % 90 + 1}k stage:proposal")
    if kind == "/deal list":
        return await client.command("UALICE", "list")
    if kind == "button":
        return await client.click("UALICE", card, "deal_note")
    return await client.submit("UALICE", view, {"note": f"note {i}"})


async def measure(
    client: SlackClient,
    kind: str,
    requests: int,
    concurrency: int | None,
    card,
    view,
    rate: float | None = None,
) -> list[float]:
    """Ack latencies in ms: `concurrency` requests in flight at once (closed loop: the next goes as
    one is answered), or with `rate`, one every 1/rate seconds whatever the answers (open loop)."""
    latencies: list[float] = []
    failed: list[int] = []
    sem = asyncio.Semaphore(concurrency or requests)
    begin = time.perf_counter()

    async def one(i: int):
        if rate:
            await asyncio.sleep(max(0.0, begin + i / rate - time.perf_counter()))
        async with sem:
            started = time.perf_counter()
            sent = await send(client, kind, i, card, view)
            latencies.append((time.perf_counter() - started) * 1000)
            if sent.status != 200:  # Bolt answers 404 when no listener acked within 3 seconds
                failed.append(sent.status)

    await asyncio.gather(*(one(i) for i in range(requests)))
    if failed:
        print(
            f"  {len(failed)} of {requests} {kind} requests answered {sorted(set(failed))}, not 200 "
            "(Bolt's 404: not acked within 3 s)"
        )
    return latencies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settle(pid: int, timeout: float = 60.0) -> float:
    """Wait until a process is idle (under 2 % of a CPU over 0.25 s); seconds waited."""
    started = time.perf_counter()
    before = cpu_seconds(pid)
    while time.perf_counter() - started < timeout:
        await asyncio.sleep(0.25)
        now = cpu_seconds(pid)
        if now - before < 0.005:
            break
        before = now
    return time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


KINDS = ["/deal add", "/deal list", "button", "view submission"]


async def main(
    requests: int, levels: list[int], kinds: list[str] = KINDS, rates: Sequence[float] = ()
) -> int:
    # The local Slack runs in a process of its own: the calls the bot makes after acking must not
    # load the process that measures.
    port = free_port()
    emulator = subprocess.Popen(
        [sys.executable, "-m", "localslack", "--port", str(port), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    started = [emulator]  # stopped however the run ends
    try:
        assert emulator.stdout is not None  # stdout=PIPE
        emulator.stdout.readline()
        slack = LocalSlack(token=TOKEN).remote("127.0.0.1", port)
        slack.add_user("UALICE", "alice")
        with tempfile.TemporaryDirectory() as tmp:
            bot, bot_client, bot_start = await start("salesbot", slack, Path(tmp))
            started.append(bot)
            bare, bare_client, bare_start = await start("bare", slack, Path(tmp))
            started.append(bare)
            idle_rss, _ = rss_peak_kb(bot.pid)
            card, view = await fixtures(bot_client)
            print(f"start-up to healthy: salesbot {bot_start:.2f} s, bare Bolt {bare_start:.2f} s")
            print(
                f"{'request':<16}{'load':>6} | {'salesbot p50':>12}"
                f"{'p99':>8}{'max':>8}{'CPU/req':>9}{'after':>7} | "
                f"{'bare p50':>9}{'p99':>8}{'max':>8}{'CPU/req':>9} | {'p50 ratio':>9}"
            )
            await settle(bot.pid)
            failures = []
            steps: list[int | str] = [*levels, *(f"{r:g}/s" for r in rates)]
            for level in steps:
                concurrency, rate = (level, None) if isinstance(level, int) else (None, float(level[:-2]))
                for kind in kinds:
                    # Interleave the two so drift on a noisy machine hits both alike; each starts idle.
                    cpu = cpu_seconds(bot.pid)
                    ours = await measure(bot_client, kind, requests, concurrency, card, view, rate)
                    after = await settle(bot.pid)
                    our_cpu = (cpu_seconds(bot.pid) - cpu) / requests * 1000
                    cpu = cpu_seconds(bare.pid)
                    theirs = await measure(bare_client, kind, requests, concurrency, card, view, rate)
                    await settle(bare.pid)
                    their_cpu = (cpu_seconds(bare.pid) - cpu) / requests * 1000
                    ratio = statistics.median(ours) / statistics.median(theirs)
                    print(
                        f"{kind:<16}{level!s:>6} | {pct(ours, 50):>10.1f}ms{pct(ours, 99):>6.1f}ms"
                        f"{max(ours):>6.0f}ms{our_cpu:>7.2f}ms{after:>6.1f}s | {pct(theirs, 50):>7.1f}ms"
                        f"{pct(theirs, 99):>6.1f}ms{max(theirs):>6.0f}ms{their_cpu:>7.2f}ms | {ratio:>8.2f}x",
                        flush=True,
                    )
                    if level == 10 and pct(ours, 99) >= 100:
                        failures.append(
                            f"{kind} p99 at concurrency 10 is {pct(ours, 99):.0f} ms (target < 100)"
                        )
                    if ratio > 1.5 and rate is None:
                        failures.append(
                            f"{kind} at concurrency {level}: p50 {ratio:.2f}x the bare app (target ≤ 1.5x)"
                        )
            await asyncio.sleep(2)  # let the work after the acks finish
            now_rss, peak_rss = rss_peak_kb(bot.pid)
            print(
                f"salesbot RSS: idle {idle_rss / 1024:.0f} MB, after load {now_rss / 1024:.0f} MB, "
                f"peak {peak_rss / 1024:.0f} MB"
            )
            await bot_client.close()
            await bare_client.close()
    finally:
        for proc in started:
            proc.terminate()
        for proc in started:  # a loaded machine may take longer to stop: never leave one behind
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    print("targets met" if not failures else "targets missed:\n  " + "\n  ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="*",
        default=[1, 10, 50],
        help="closed loop: this many requests in flight, the next sent as one is answered",
    )
    parser.add_argument(
        "--rates",
        type=float,
        nargs="*",
        default=[],
        help="open loop: requests sent at this many per second, whatever the answers",
    )
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=KINDS,
        choices=KINDS,
        metavar="KIND",
        help=f"request kinds to send (default: all of {', '.join(KINDS)})",
    )
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.requests, args.concurrency, args.kinds, args.rates)))
