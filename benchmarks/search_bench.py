"""`/deal find` at 100,000 deals: services.search.find on SQLite and PostgreSQL.

The synthetic pipeline (benchmarks/synthetic.py) names its deals "Deal N" and gives them no
company or notes, so this gives each deal a name, a company (with umlauts, ß and ø, and a city),
for 40 % of them a paragraph of notes and for 30 % a logged note, folded as every write folds
them; then it times searches a rep would type (a common word, a common word typed without
its umlaut, two words, a rare company, a number, a word nothing holds) as a manager (every deal of
the team) and as one rep (their own, as models.access restricts them).

    python benchmarks/search_bench.py                      # both backends, 100,000 deals, 5 runs
    python benchmarks/search_bench.py --backends sqlite --deals 10000
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from benchmarks.synthetic import (
    AS_OF,
    REPS,
    TEAM,
    database,
    fill,
    machine,
    postgres_version,
    timed,
)

PRODUCTS = ["Renewal", "Expansion", "Pilot", "Upgrade", "Rollout", "Licences", "Support", "Migration"]
FIRMS = ["Müller", "Schröder", "Acme", "Globex", "Initech", "Brandt", "Köhler", "Weiß", "Van Dijk"]
FIRMS += ["Janssen", "Bäcker", "Nordic", "Ørsted", "Straßenbau", "Dupont", "Łukasz"]
KINDS = ["GmbH", "AG", "BV", "Logistik", "Bau", "Software", "Holding", "& Söhne", "Group", "Systems"]
CITIES = ["München", "Köln", "Zürich", "Berlin", "Amsterdam", "Utrecht", "Düsseldorf", "Wien", ""]
WORDS = "called the cfo about budget next quarter proposal sent pricing review legal contract signed "
WORDS += "meeting demo follow up procurement timeline decision maker trial feedback competitor"
SEARCHES = ["renewal", "munchen", "köhler logistik", "orsted holding", "12345", "zzqx"]


def texts(deals: int, seed: int = 11) -> list[tuple[int, str, str, str | None]]:
    rng = random.Random(seed)
    words = WORDS.split()
    rows = []
    for n in range(1, deals + 1):
        name = f"{rng.choice(PRODUCTS)} {rng.choice(PRODUCTS).lower()} {n}"
        company = " ".join(p for p in (rng.choice(FIRMS), rng.choice(KINDS), rng.choice(CITIES)) if p)
        notes = " ".join(rng.choices(words, k=rng.randint(10, 60))) if rng.random() < 0.4 else None
        rows.append((n, name, company, notes))
    return rows


def give_texts(url: str, sqlite: bool, deals: int) -> float:
    """Write names, companies, notes and their search columns; the seconds it took."""
    from domain.search import logged
    from models.tables import search_columns

    started = time.perf_counter()
    rng = random.Random(13)
    params = []
    for n, name, company, notes in texts(deals):
        folded = search_columns(name, company, notes)
        note = " ".join(rng.choices(WORDS.split() + FIRMS, k=rng.randint(8, 30)))
        log = logged("", note) if rng.random() < 0.3 else ""  # a logged note, as /deal note keeps it
        params.append((name, company, notes, *folded.values(), log, n))
    statement = (
        "UPDATE deal SET name = {p}, company = {p}, notes = {p}, search_name = {p}, search_company = {p}, "
        "search_text = {p}, search_log = {p} WHERE id = {p}"
    )
    if sqlite:
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        with conn:
            conn.executemany(statement.format(p="?"), params)
        conn.close()
    else:
        with psycopg.connect(url) as pg, pg.cursor() as cur:
            cur.executemany(statement.format(p="%s"), params)
        with psycopg.connect(url, autocommit=True) as pg:
            pg.execute("VACUUM ANALYZE deal")  # what autovacuum does after a bulk change
    return time.perf_counter() - started


def run(backend: str, deals: int, repeat: int) -> None:
    from domain.search import read_search
    from models.access import Actor, current_actor
    from services.search import find

    with database(backend) as (label, url, loader):
        filled = fill(url, loader, deals, deals * 2)
        db = filled.db
        write_s = give_texts(url, backend == "sqlite", deals)
        print(
            f"\n{label}: {deals:,} deals; loaded in {filled.load_s:.1f} s, texts written in {write_s:.1f} s"
        )
        print("search | as | found | best / median of", repeat, "(ms)")
        print("--- | --- | --- | ---")
        for typed in SEARCHES:
            search = read_search(typed)
            for who, actor in (("manager", None), ("one rep", Actor(TEAM, REPS[0]))):
                token = current_actor.set(actor)
                try:
                    found = find(db, TEAM, search, AS_OF)
                    seconds = timed(lambda: find(db, TEAM, search, AS_OF), repeat)  # noqa: B023 - used at once
                finally:
                    current_actor.reset(token)
                ms = f"{min(seconds) * 1000:.1f} / {statistics.median(seconds) * 1000:.1f}"
                print(f"`{typed}` | {who} | {found.total:,} | {ms}")
        db.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(machine())
    if "postgres" in args.backends:
        print(postgres_version())
    for backend in args.backends:
        run(backend, args.deals, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
