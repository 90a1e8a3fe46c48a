"""The demo team's earlier months, as if imported from its previous CRM with their stage history,
so that the tour's forecast has a track record to show (`salesbot demo`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.months import add_months
from models.tables import Deal, StageChange, Team
from models.teams import stages

# Per month: (stage at the month's start, whole euros, won?) for deals due in that month.
MONTH = [
    ("negotiation", 12_000, True),
    ("negotiation", 8_000, False),
    ("proposal", 15_000, True),
    ("proposal", 6_000, False),
    ("proposal", 9_000, False),
    ("needs_assessment", 4_000, False),
]


def add_history(db, team_id: str, now: datetime, months: int = 8) -> int:
    """Deals due in each of the `months` months before `now`'s; returns how many were added."""
    first = now.date().replace(day=1)
    added = 0
    with db.write() as s:
        team = s.get(Team, team_id)
        ids = {st.key: st.id for st in stages(s, team_id) if st.id is not None}
        for k in range(-months, 0):
            start = datetime.combine(add_months(first, k), datetime.min.time(), tzinfo=UTC)
            for i, (key, euros, won) in enumerate(MONTH):
                created, closed = start - timedelta(days=20), start + timedelta(days=5 + 3 * i)
                end = ids["won" if won else "lost"]
                deal = Deal(
                    team_id=team_id,
                    number=team.next_deal_number,
                    name=f"Earlier deal {team.next_deal_number}",
                    owner_id="UALICE" if i % 2 else "UBOB",
                    created_by="UALICE",
                    currency=team.currency,
                    amount_cents=(euros + 500 * (k % 3)) * 100,
                    close_date=(start + timedelta(days=20)).date(),
                    stage_id=end,
                    lost_reason_key=None if won else "price",
                    created_at=created,
                    updated_at=closed,
                    last_activity_at=closed,
                    closed_at=closed,
                )
                team.next_deal_number += 1
                s.add(deal)
                s.flush()
                assert deal.id is not None
                for frm, to, moment in ((None, ids[key], created), (ids[key], end, closed)):
                    s.add(
                        StageChange(
                            team_id=team_id,
                            deal_id=deal.id,
                            from_stage_id=frm,
                            to_stage_id=to,
                            user_id="UALICE",
                            at=moment,
                        )
                    )
                added += 1
        s.add(team)
    return added
