"""A small team whose forecast and backtest are worked out by hand in tests/test_forecast.py.

The team's timezone is UTC, so months begin at midnight UTC. NOW is fixed; every moment below is
derived from it: M(k) is the first day of the month k months from NOW's, at(k, day) that month's
`day` at noon. Stages are the defaults (Prospecting 10 %, Qualification 20 %, First contact 30 %,
Needs assessment 40 %, Proposal 60 %, Negotiation 80 %).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from domain.months import add_months
from models.tables import Deal, StageChange, Team
from models.teams import ensure_team, stages

TEAM = "T0FORECAST"
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def M(k: int) -> date:
    return add_months(NOW.date().replace(day=1), k)


def day(k: int, d: int) -> date:
    return M(k).replace(day=d)


def at(k: int, d: int) -> datetime:
    return datetime.combine(day(k, d), time(12), tzinfo=UTC)


KEYS = {
    "P": "prospecting",
    "Q": "qualification",
    "N": "needs_assessment",
    "Pr": "proposal",
    "Ne": "negotiation",
    "W": "won",
    "L": "lost",
}

# number: (currency, whole units or None, close date or None, [(moment, stage)]: the first is the creation)
DEALS = {
    # A: in Proposal at the start of M(-1), due in it, won in it.
    1: ("EUR", 10_000, day(-1, 21), [(at(-2, 3), "P"), (at(-2, 10), "Pr"), (at(-1, 5), "W")]),
    # B: in Prospecting at M(-2) and due in it; in Negotiation at M(-1), due, lost in it.
    2: ("EUR", 20_000, day(-2, 26), [(at(-3, 2), "P"), (at(-2, 4), "Ne"), (at(-1, 10), "L")]),
    # C: created in M(-1) and won in it: in no month's forecast, in its actual.
    3: ("USD", 5_000, day(-1, 28), [(at(-1, 4), "Ne"), (at(-1, 9), "W")]),
    # D: open, due this month; in Qualification at M(-1) but not due then.
    4: ("EUR", 8_000, day(0, 25), [(at(-2, 6), "Q"), (at(0, 3), "Pr")]),
    # E: open in Negotiation since M(-4), due in M(-1): overdue now.
    5: ("EUR", 30_000, day(-1, 16), [(at(-4, 2), "Ne")]),
    # F: open, due next month.
    6: ("EUR", 4_000, day(1, 11), [(at(0, 2), "P")]),
    # G: open, no close date: in no bucket.
    7: ("EUR", 50_000, None, [(at(-1, 21), "Ne")]),
    # H: open, due the month after next, in pounds.
    8: ("GBP", 12_000, day(2, 4), [(at(-1, 25), "Pr")]),
    # I: won this month.
    9: ("EUR", 7_000, day(0, 28), [(at(0, 4), "N"), (at(0, 11), "W")]),
    # J: in Negotiation at M(-2), due in it, won in it.
    10: ("EUR", 6_000, day(-2, 28), [(at(-3, 6), "Ne"), (at(-2, 13), "W")]),
}


def load(db, deals=DEALS, team_id: str = TEAM) -> None:
    with db.write() as s:
        ensure_team(s, team_id, at(-12, 1))
        team = s.get(Team, team_id)
        team.timezone = "UTC"
        s.add(team)
        by_key = {st.key: st for st in stages(s, team_id)}
        for number, (currency, units, close, history) in deals.items():
            last = by_key[KEYS[history[-1][1]]]
            deal = Deal(
                team_id=team_id,
                number=number,
                name=f"Deal {number}",
                owner_id="UALICE",
                created_by="UALICE",
                currency=currency,
                amount_cents=None if units is None else units * 100,
                close_date=close,
                stage_id=last.id,
                created_at=history[0][0],
                updated_at=history[-1][0],
                last_activity_at=history[-1][0],
                closed_at=history[-1][0] if last.kind != "open" else None,
            )
            s.add(deal)
            s.flush()
            previous = None
            for moment, key in history:
                stage = by_key[KEYS[key]]
                s.add(
                    StageChange(
                        team_id=team_id,
                        deal_id=deal.id,
                        from_stage_id=previous,
                        to_stage_id=stage.id,
                        user_id="UALICE",
                        at=moment,
                    )
                )
                previous = stage.id
        team.next_deal_number = max(deals, default=0) + 1
