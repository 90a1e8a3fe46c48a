"""How long the forecast, its 24-month backtest and the digest that includes it take for a big
team, on SQLite and on PostgreSQL.

    python benchmarks/forecast_bench.py [--deals 100000] [--changes 1000000] [--backends sqlite,postgres]

Loads the synthetic pipeline of benchmarks/synthetic.py (the digest benchmark's) and times
services.forecast.compute (`/pipeline forecast`), services.forecast.backtest over 24 months
(`salesbot forecast --backtest --months 24`) and services.digest.compute (the digest with its
forecast section), then prints the backtest's MAPE on the synthetic history.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import AS_OF, TEAM, best_median, database, fill, machine, timed
from domain.forecast import METHODS
from services import digest, forecast


def run_backend(name: str, url: str, deals: int, changes: int, repeat: int, loader) -> dict:
    filled = fill(url, loader, deals, changes)
    db = filled.db
    try:
        result = {
            "backend": name,
            "deals": filled.deals,
            "changes": filled.changes,
            "forecast": timed(lambda: forecast.compute(db, TEAM, AS_OF), repeat),
            "backtest": timed(lambda: forecast.backtest(db, TEAM, AS_OF, 24), repeat),
            "digest": timed(lambda: digest.compute(db, TEAM, AS_OF), repeat),
        }
        replayed = forecast.backtest(db, TEAM, AS_OF, 24).backtest
        result["mape"] = {(m, c): replayed.mape(m, c) for m in METHODS for c in replayed.currencies}
        return result
    finally:
        db.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    results = []
    for backend in args.backends.split(","):
        with database(backend) as (name, url, loader):
            results.append(run_backend(name, url, args.deals, args.changes, args.repeat, loader))
    print(f"\nmachine: {machine()}, load average {os.getloadavg()[0]:.1f}")
    print(f"as of {AS_OF.isoformat()}; seconds, best / median of {args.repeat}\n")
    header = ("backend", "deals", "changes", "forecast", "backtest (24 months)", "digest with forecast")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in results:
        cells = [r["backend"], f"{r['deals']:,}", f"{r['changes']:,}"]
        cells += [best_median(r[k]) for k in ("forecast", "backtest", "digest")]
        print(" | ".join(cells))
    for r in results:
        scores = ", ".join(
            f"{m} {c} {float(v):.0%}" for (m, c), v in sorted(r["mape"].items()) if v is not None
        )
        print(f"\n{r['backend']}: 24-month backtest MAPE: {scores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
