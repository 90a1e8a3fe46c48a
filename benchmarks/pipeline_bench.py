"""How the reads a rep waits for grow with the pipeline: 1,000, 10,000 and 100,000 deals.

    python benchmarks/pipeline_bench.py [--sizes 1000,10000,100000] [--backends sqlite,postgres]
                                        [--repeat 5] [--plans]

For each size, one team's synthetic pipeline (benchmarks/synthetic.py: about ten stage changes per
deal, 50 reps) in a freshly migrated database, and the time of each use case as the handlers call
it: /pipeline (services.deals.pipeline, the team's and one rep's), /deal list mine, all, stalled and
one stage (services.deals.listing), the Home tab's data (services.deals.home), the weekly digest
(services.digest.compute), and the stalled-deal sweep without Slack: finding the owners due a
nudge (services.nudge_sweep.lookups), deciding every message for them (services.nudge_sweep.record, dry
run, from profiles as the sweep would have them), and deciding and recording them (the first
sweep's nudge states and outbox rows in one transaction; undone before each run). Reported: best /
median seconds of --repeat runs, and the growth per 10x deals (time at 10x / time at 1x; linear is 10).

--plans prints each query's plan at the largest size: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
PostgreSQL, with the table scans that read a whole table marked. --baseline REVISION loads the same
data into a second database migrated only to that revision and times it alternately with the
first: what the later migrations' indexes change, side by side in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from benchmarks.synthetic import AS_OF, REPS, TEAM, best_median, database, fill, machine, timed
from bot.i18n import translator
from domain.commands import parse_deal_command
from services import deals, digest, nudge_sweep
from services.users import Profile
from views import nudges as nudge_views

REP = REPS[0]


def operations(db) -> dict:
    """name -> the call, as the handler makes it."""
    _ = translator("en")
    today = AS_OF.date()
    profiles = {rep: Profile(TEAM, rep, rep, "Europe/Amsterdam", "en-US", None, False, False) for rep in REPS}

    def listing(words: str):
        return lambda: deals.listing(db, TEAM, REP, parse_deal_command(words, today), _, AS_OF)

    return {
        "/pipeline (team)": lambda: deals.pipeline(db, TEAM, AS_OF),
        "/pipeline (one rep)": lambda: deals.pipeline(db, TEAM, AS_OF, owner_id=REP),
        "/deal list mine": listing("list mine"),
        "/deal list all": listing("list all"),
        "/deal list stalled": listing("list stalled"),
        "/deal list proposal": listing("list proposal"),
        "Home tab": lambda: deals.home(db, TEAM, REP, AS_OF),
        "digest": lambda: digest.compute(db, TEAM, AS_OF),
        "sweep: find owners due": lambda: nudge_sweep.lookups(db, AS_OF, TEAM),
        "sweep: decide messages": lambda: nudge_sweep.record(
            db, TEAM, profiles, AS_OF, nudge_views, dry_run=True
        ),
        "sweep: decide and record": lambda: nudge_sweep.record(db, TEAM, profiles, AS_OF, nudge_views),
    }


# The first sweep's record (nudge states and outbox rows), undone before each run of it.
RESETS = {"sweep: decide and record": ("DELETE FROM deal_nudge", "DELETE FROM outbox")}


def reset(db, op: str) -> None:
    with db.write() as s:
        for statement in RESETS.get(op, ()):
            s.exec(text(statement))


def sweep_size(db) -> str:
    result = nudge_sweep.record(
        db,
        TEAM,
        {rep: Profile(TEAM, rep, rep, "Europe/Amsterdam", "en-US", None, False, False) for rep in REPS},
        AS_OF,
        nudge_views,
        dry_run=True,
    )
    return f"{len(result.nudged):,} stalled deals, {len(result.messages)} messages"


# -- query plans ---------------------------------------------------------------------------------
def statements(db, fn) -> list[tuple[str, object]]:
    """The SQL statements (and parameters) one call of fn sends, in order, repeats left out."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and statement not in [
            s for s, _ in seen
        ]:
            seen.append((statement, parameters))

    engines = {db.engine, db.write_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)
    return seen


def plan(db, statement: str, parameters) -> list[str]:
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        cur = raw.cursor()
        if db.is_sqlite:
            cur.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return [row[3] for row in cur.fetchall()]
        cur.execute("SET jit = off")
        cur.execute("EXPLAIN " + statement, parameters)
        return [row[0] for row in cur.fetchall()]


def full_scans(lines: list[str], sqlite: bool) -> list[str]:
    """Plan lines that read a whole big table (deal, stage_change, deal_nudge) rather than a range."""
    big = ("deal", "stage_change", "deal_nudge", "deal_note")
    found = []
    for line in lines:
        words = line.replace("(", " ").split()
        if sqlite and line.startswith("SCAN ") and len(words) > 1 and words[1] in big:
            found.append(line)
        if not sqlite and "Seq Scan on" in line and line.split("Seq Scan on ")[1].split()[0] in big:
            found.append(line.strip())
    return found


def print_plans(db, ops: dict) -> None:
    for name, fn in ops.items():
        print(f"\n### {name}")
        for statement, parameters in statements(db, fn):
            lines = plan(db, statement, parameters)
            scans = full_scans(lines, db.is_sqlite)
            first = " ".join(statement.split())
            print(f"\n{first[:300]}{' ...' if len(first) > 300 else ''}")
            for line in lines:
                print(("  FULL SCAN " if any(line.strip() == s.strip() for s in scans) else "    ") + line)
    sys.stdout.flush()


# -- the run -------------------------------------------------------------------------------------
def run(backend: str, sizes: list[int], repeat: int, show_plans: bool, baseline: str | None):
    """Times per operation and size: {op: {size: [seconds]}}, and the same for a database migrated
    only to `baseline` (same data, same code, older indexes), timed alternately with it."""
    times: dict[str, dict[int, list[float]]] = {}
    base_times: dict[str, dict[int, list[float]]] = {}
    for size in sizes:
        with (
            database(backend) as (name, url, loader),
            database(backend) if baseline else contextlib.nullcontext((None, None, None)) as (
                _,
                b_url,
                b_loader,
            ),
        ):
            filled = fill(url, loader, size, size * 10)
            base = fill(b_url, b_loader, size, size * 10, revision=baseline) if baseline and b_url else None
            try:
                swept = sweep_size(filled.db)  # before the "decide and record" runs nudge them all
                ops, base_ops = operations(filled.db), (operations(base.db) if base else {})
                for op, fn in ops.items():
                    fn()  # once to warm caches (stages, the team), as a running bot has them
                    if base:
                        base_ops[op]()
                    for _ in range(repeat):
                        reset(filled.db, op)
                        times.setdefault(op, {}).setdefault(size, []).extend(timed(fn, 1))
                        if base:
                            reset(base.db, op)
                            base_times.setdefault(op, {}).setdefault(size, []).extend(timed(base_ops[op], 1))
                print(
                    f"{name} {size:,}: {filled.deals:,} deals, {filled.changes:,} stage changes (loaded in "
                    f"{filled.load_s:.1f} s); sweep: {swept}",
                    flush=True,
                )
                if show_plans and size == max(sizes):
                    print(f"\n## Query plans, {name}, {size:,} deals")
                    print_plans(filled.db, ops)
            finally:
                filled.db.dispose()
                if base:
                    base.db.dispose()
    return name, times, base_times


def table(
    name: str, times: dict, base_times: dict, sizes: list[int], repeat: int, baseline: str | None
) -> list[str]:
    steps = list(zip(sizes, sizes[1:], strict=False))
    header = ["operation", *[f"{s:,} deals" for s in sizes], *[f"growth x{b // a}" for a, b in steps]]
    if baseline:
        header += [f"vs {baseline} at {s:,}" for s in sizes]
    lines = [
        f"\n{name}: seconds, best / median of {repeat}; growth = median time ratio per step in size"
        + (
            f"; vs {baseline} = median time ratio to a database with revision {baseline}'s indexes"
            if baseline
            else ""
        )
        + "\n",
        " | ".join(header),
        " | ".join("---" for _ in header),
    ]
    for op, by_size in times.items():
        cells = [best_median(by_size[s]) for s in sizes]
        cells += [f"{statistics.median(by_size[b]) / statistics.median(by_size[a]):.1f}x" for a, b in steps]
        if baseline:
            cells += [
                f"{statistics.median(by_size[s]) / statistics.median(base_times[op][s]):.2f}" for s in sizes
            ]
        lines.append(" | ".join([op, *cells]))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print each query's plan at the largest size")
    parser.add_argument(
        "--baseline",
        default=None,
        metavar="REVISION",
        help="also time a database migrated only to this revision (its indexes), side by side",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    out = []
    for backend in args.backends.split(","):
        name, times, base_times = run(backend, sizes, args.repeat, args.plans, args.baseline)
        out += table(name, times, base_times, sizes, args.repeat, args.baseline)
    print(f"\nmachine: {machine()}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
