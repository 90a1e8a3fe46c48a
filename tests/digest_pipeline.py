"""A team's pipeline with its history, written by hand, and the moment its digest is computed for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from models.tables import Deal, StageChange, Team, saved_id
from models.teams import ensure_team, stages

TEAM = "T0LOCAL"
E = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def D(days: float) -> datetime:
    return E - timedelta(days=days)


# number: name, owner, currency, whole units (None: no amount), close date, lost reason key,
#         stage history [(at, to stage)] (the first entry is the creation),
#         last activity if not the last change
PIPELINE = {
    1: (
        "Alpha",
        "UALICE",
        "EUR",
        10_000,
        date(2026, 12, 20),
        None,
        [(D(100), "P"), (D(40), "Q"), (D(30), "F"), (D(3), "N"), (E + timedelta(days=2), "Pr")],
        None,
    ),
    2: (
        "Bravo",
        "UALICE",
        "EUR",
        20_000,
        date(2026, 11, 25),
        None,
        [(D(20), "P"), (D(15), "Ne"), (D(5), "Pr")],
        None,
    ),  # skips Q-N, then moves back this week
    3: ("Charlie", "UBOB", "EUR", 5_000, date(2026, 10, 31), None, [(D(60), "P"), (D(50), "Q")], None),
    4: (
        "Delta",
        "UBOB",
        "EUR",
        30_000,
        date(2026, 11, 28),
        None,
        [(D(50), "P"), (D(45), "F"), (D(35), "Pr"), (D(2), "W")],
        None,
    ),
    5: (
        "Echo",
        "UALICE",
        "USD",
        8_000,
        date(2026, 12, 31),
        "price",
        [(D(80), "P"), (D(70), "Q"), (D(60), "N"), (D(10), "Q"), (D(4), "L")],
        None,
    ),
    6: (
        "Foxtrot",
        "UBOB",
        "EUR",
        12_000,
        None,
        None,
        [(D(6), "P"), (D(1), "Q"), (E, "F")],
        None,
    ),  # the move at exactly E belongs to next week
    7: (
        "Golf",
        "UALICE",
        "EUR",
        None,
        date(2026, 11, 29),
        None,
        [(D(30), "Pr"), (D(25), "F")],
        None,
    ),  # created in Proposal, no amount
    8: ("Hotel", "UBOB", "USD", 40_000, None, None, [(D(120), "P"), (D(100), "Ne"), (D(20), "W")], None),
    9: (
        "India",
        "UALICE",
        "EUR",
        15_000,
        None,
        "competitor",
        [(D(40), "P"), (D(30), "Q"), (D(6), "L")],
        None,
    ),
    10: (
        "Juliet",
        "UBOB",
        "EUR",
        25_000,
        date(2026, 12, 15),
        None,
        [(D(30), "P"), (D(28), "Ne"), (D(26), "W"), (D(3), "Ne")],
        None,
    ),  # won, reopened this week
    11: (
        "Kilo",
        "UALICE",
        "EUR",
        7_000,
        date(2026, 11, 30),
        None,
        [(D(7), "P")],
        None,
    ),  # created at exactly S
    12: ("Lima", "UBOB", "EUR", 9_000, None, None, [(D(10), "W")], None),  # logged when already won
    13: ("Mike", "UALICE", "EUR", 3_000, None, "price", [(D(8), "P"), (D(1), "L")], None),
    14: (
        "November",
        "UALICE",
        "EUR",
        50_000,
        None,
        None,
        [(E + timedelta(hours=1), "P")],
        None,
    ),  # after the digest's moment
}
KEYS = {
    "P": "prospecting",
    "Q": "qualification",
    "F": "first_contact",
    "N": "needs_assessment",
    "Pr": "proposal",
    "Ne": "negotiation",
    "W": "won",
    "L": "lost",
}


def load(db, pipeline=PIPELINE, team_id=TEAM):
    with db.write() as s:
        ensure_team(s, team_id, D(400))
        team = s.get(Team, team_id)
        team.timezone = "Europe/Amsterdam"
        s.add(team)
        by_key = {st.key: st for st in stages(s, team_id)}
        for number, (name, owner, currency, units, close, reason, history, activity) in pipeline.items():
            last = by_key[KEYS[history[-1][1]]]
            deal = Deal(
                team_id=team_id,
                number=number,
                name=name,
                owner_id=owner,
                created_by=owner,
                currency=currency,
                amount_cents=None if units is None else units * 100,
                close_date=close,
                stage_id=saved_id(last),
                lost_reason_key=reason,
                created_at=history[0][0],
                updated_at=history[-1][0],
                last_activity_at=activity or history[-1][0],
                closed_at=history[-1][0] if last.kind != "open" else None,
            )
            s.add(deal)
            s.flush()
            previous = None
            for at, key in history:
                stage = by_key[KEYS[key]]
                s.add(
                    StageChange(
                        team_id=team_id,
                        deal_id=saved_id(deal),
                        from_stage_id=previous,
                        to_stage_id=saved_id(stage),
                        user_id=owner,
                        at=at,
                    )
                )
                previous = stage.id
        team.next_deal_number = max(pipeline, default=0) + 1
    return by_key


def setup(bench, channel="C0SALES", managers="UADMIN", digest_channel=None):
    load(bench.db)
    with bench.db.write() as s:
        team = s.get(Team, TEAM)
        team.channel_id, team.manager_ids, team.digest_channel_id = channel, managers, digest_channel
        s.add(team)
        ensure_team(s, "T0QUIET", D(400))  # a team with nobody to send to: skipped, no error
