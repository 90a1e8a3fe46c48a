"""How long the weekly digest takes for a big team, on SQLite and on PostgreSQL.

    python benchmarks/digest_bench.py [--deals 100000] [--changes 1000000] [--backends sqlite,postgres]

Loads one team's synthetic pipeline (benchmarks/synthetic.py: deals walking through the default
stages over two years) into a freshly migrated database, and times services.digest.compute (every
query plus the arithmetic) for a digest due now and for one back-dated 30 days, then the Block Kit
and the chart.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import AS_OF, TEAM, best_median, database, fill, machine, timed
from bot.i18n import translator
from services import digest
from views.digest import digest_message
from views.digest_chart import render_png


def run_backend(name: str, url: str, deals: int, changes: int, repeat: int, loader) -> dict:
    filled = fill(url, loader, deals, changes)
    db = filled.db
    try:
        now = timed(lambda: digest.compute(db, TEAM, AS_OF), repeat)
        back = timed(lambda: digest.compute(db, TEAM, AS_OF - timedelta(days=30)), repeat)
        computed = digest.compute(db, TEAM, AS_OF)
        _ = translator("en")
        blocks = timed(lambda: digest_message(computed, _), repeat)
        chart = timed(lambda: render_png(computed, _), repeat)
        return {
            "backend": name,
            "deals": filled.deals,
            "changes": filled.changes,
            "generate": filled.generate_s,
            "load": filled.load_s,
            "now": now,
            "back": back,
            "blocks": blocks,
            "chart": chart,
            "open": computed.digest.headline.count,
        }
    finally:
        db.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results = []
    for backend in args.backends.split(","):
        with database(backend) as (name, url, loader):
            results.append(run_backend(name, url, args.deals, args.changes, args.repeat, loader))
    print(f"\nmachine: {machine()}")
    print(f"digest as of {AS_OF.isoformat()}; times in seconds, best / median of {args.repeat}\n")
    header = (
        "backend",
        "deals",
        "changes",
        "open",
        "generate",
        "load",
        "digest (now)",
        "digest (-30 d)",
        "blocks",
        "chart",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in results:
        print(
            " | ".join(
                [
                    r["backend"],
                    f"{r['deals']:,}",
                    f"{r['changes']:,}",
                    f"{r['open']:,}",
                    f"{r['generate']:.1f}",
                    f"{r['load']:.1f}",
                    best_median(r["now"]),
                    best_median(r["back"]),
                    best_median(r["blocks"]),
                    best_median(r["chart"]),
                ]
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
