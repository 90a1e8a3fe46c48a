"""The first nudge sweep at scale, and the reads that must grow linearly (issue 20).

    python benchmarks/sweep_bench.py [--sizes 10000,100000] [--backends sqlite,postgres] [--repeat 5]
    SALESBOT_ROOT=/path/to/another/checkout python benchmarks/sweep_bench.py ...   # its code, same data

For each size, one team's synthetic pipeline (benchmarks/synthetic.py) in a freshly migrated
database; timed: "find owners due" (services.nudge_sweep.lookups), the first sweep's "decide and
record" (services.nudge_sweep.record for every owner's profile: the nudge states and outbox rows of
all the newly stalled deals in one transaction, undone before each run) and `/pipeline` for one rep
(services.deals.pipeline). Each is reported as wall seconds and as this process's CPU seconds
(time.process_time: what the shared machine's load changes least; on PostgreSQL the server's work is
in the wall time only), median of --repeat, with the machine's load average. SALESBOT_ROOT runs
another checkout's code (the same generator and calls) for a before/after on the same machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("SALESBOT_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks.synthetic import AS_OF, REPS, TEAM, database, fill  # noqa: E402
from services import deals, nudge_sweep  # noqa: E402
from services.users import Profile  # noqa: E402
from views import nudges as nudge_views  # noqa: E402

UNDO = ("DELETE FROM deal_nudge", "DELETE FROM outbox")


def operations(db) -> dict:
    profiles = {rep: Profile(TEAM, rep, rep, "Europe/Amsterdam", "en-US", None, False, False) for rep in REPS}
    return {
        "find owners due": (lambda: nudge_sweep.lookups(db, AS_OF, TEAM), ()),
        "first sweep: decide and record": (
            lambda: nudge_sweep.record(db, TEAM, profiles, AS_OF, nudge_views),
            UNDO,
        ),
        "/pipeline (one rep)": (lambda: deals.pipeline(db, TEAM, AS_OF, owner_id=REPS[0]), ()),
    }


def measure(db, repeat: int) -> dict[str, tuple[float, float, int]]:
    """op -> (median wall s, median CPU s, messages or rows)"""
    found = {}
    for op, (fn, undo) in operations(db).items():
        walls, cpus, size = [], [], 0
        for i in range(
            repeat + 1
        ):  # the first run warms the caches (stages, the team), as a running bot has them
            with db.write() as s:
                for statement in undo:
                    s.exec(text(statement))
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if i:
                walls.append(wall)
                cpus.append(cpu)
            size = len(getattr(result, "nudged", None) or [])
        found[op] = (statistics.median(walls), statistics.median(cpus), size)
    with db.write() as s:
        for statement in UNDO:
            s.exec(text(statement))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"code: {ROOT}")
    for backend in args.backends.split(","):
        results = {}
        for size in sizes:
            with database(backend) as (name, url, loader):
                filled = fill(url, loader, size, size * 10)
                try:
                    results[size] = measure(filled.db, args.repeat)
                finally:
                    filled.db.dispose()
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"{name} {size:,} deals measured, load average {load}", flush=True)
        print(f"\n{name}: median of {args.repeat}; wall s / CPU s of this process")
        print(" | ".join(["operation", *[f"{s:,} deals" for s in sizes], "growth (wall, CPU)"]))
        for op in results[sizes[0]]:
            cells = [f"{results[s][op][0]:.3f} / {results[s][op][1]:.3f}" for s in sizes]
            a, b = results[sizes[0]][op], results[sizes[-1]][op]
            growth = f"{b[0] / a[0]:.1f}x, {b[1] / a[1]:.1f}x" if a[0] and a[1] else "-"
            nudged = f" ({b[2]:,} nudged)" if b[2] else ""
            print(" | ".join([op + nudged, *cells, growth]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
