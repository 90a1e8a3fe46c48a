"""One `salesbot serve` under an open-loop load: requests at a fixed rate, whatever the answers.

    python benchmarks/open_loop.py [--rate 200] [--seconds 30] [--kinds "/deal add" button ...]

Slack sends what people click, not one request after each answer, so this is the load a process
meets: `--rate` signed requests per second for `--seconds`, the kinds in turn (the four kinds of
ack_latency.py by default), each sent at its moment over real HTTP, on SQLite, with the local Slack
in a process of its own. Reported: ack p50 / p99 / max; drops (no 200 within the client's 30 s:
Bolt answers 404 when no listener acked within 3 s, or the request failed); requests refused
after their ack because the post-ack queue was full (the rep is told to try again:
salesbot_post_ack_refused on /metrics); how long the post-ack work took to drain after the last
request was sent (until /metrics shows none running or waiting); the process's RSS idle and after
the run; and the load average of the machine before and after, which is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ack_latency import KINDS, TOKEN, fixtures, pct, rss_peak_kb, send, settle, start  # noqa: E402
from localslack.server import LocalSlack  # noqa: E402
from tests.serving import free_port  # noqa: E402


def metric(text: str, name: str) -> float:
    """The value of an unlabelled metric in Prometheus' text format (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


async def scrape(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as resp:
        return await resp.text()


async def main(rate: float, seconds: float, kinds: list[str]) -> int:
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
            metrics_url = client.bot_url.replace("/slack/events", "/metrics")
            card, view = await fixtures(client)
            for kind in kinds:  # warm: first-use imports, caches, pools
                for i in range(5):
                    await send(client, kind, i, card, view)
            await settle(bot.pid)
            idle_rss, _ = rss_peak_kb(bot.pid)
            load_before = os.getloadavg()
            async with aiohttp.ClientSession() as session:
                refused_before = metric(await scrape(session, metrics_url), "salesbot_post_ack_refused_total")
                total = int(rate * seconds)
                latencies: list[float] = []
                dropped: list[str] = []
                begin = time.perf_counter()

                async def one(i: int) -> None:
                    await asyncio.sleep(max(0.0, begin + i / rate - time.perf_counter()))
                    started = time.perf_counter()
                    try:
                        sent = await send(client, kinds[i % len(kinds)], 1000 + i, card, view)
                    except Exception as exc:  # a timeout or a refused connection: dropped
                        dropped.append(type(exc).__name__)
                        return
                    latencies.append((time.perf_counter() - started) * 1000)
                    if sent.status != 200:
                        dropped.append(str(sent.status))

                tasks = [asyncio.create_task(one(i)) for i in range(total)]
                await asyncio.sleep(max(0.0, begin + total / rate - time.perf_counter()))
                sent_all = time.perf_counter()
                await asyncio.gather(*tasks)
                acked_all = time.perf_counter()
                while True:  # the post-ack work still running or waiting
                    page = await scrape(session, metrics_url)
                    busy = sum(metric(page, f"salesbot_post_ack_{g}") for g in ("running", "waiting"))
                    if busy == 0 or time.perf_counter() - sent_all > 300:
                        break
                    await asyncio.sleep(0.05)
                drained = time.perf_counter() - sent_all
                refused = metric(page, "salesbot_post_ack_refused_total") - refused_before
            load_after = os.getloadavg()
            await asyncio.sleep(1)
            now_rss, peak_rss = rss_peak_kb(bot.pid)
            await client.close()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"{total} requests at {rate:g}/s for {seconds:g} s ({', '.join(kinds)} in turn)")
    print(
        f"ack p50 {pct(latencies, 50):.1f} ms, p99 {pct(latencies, 99):.1f} ms, max {max(latencies):.0f} ms; "
        f"dropped {len(dropped)} {sorted(set(dropped))}; refused after the ack (queue full) {refused:.0f}"
    )
    print(
        f"last ack {acked_all - sent_all:.2f} s after the last request was sent; "
        f"post-ack work drained {drained:.2f} s after it"
    )
    print(
        f"RSS idle {idle_rss / 1024:.0f} MB, after the run {now_rss / 1024:.0f} MB "
        f"(peak {peak_rss / 1024:.0f} MB)"
    )
    before, after = (" ".join(f"{v:.1f}" for v in load) for load in (load_before, load_after))
    print(f"load average before {before}, after {after} (nproc {os.cpu_count()})")
    met = pct(latencies, 99) < 100 and not dropped and not refused and drained < 5
    print("targets met" if met else "targets missed (p99 < 100 ms, nothing dropped, drained within 5 s)")
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS, metavar="KIND")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.rate, args.seconds, args.kinds)))
