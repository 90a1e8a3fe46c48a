"""Disqualify candidates: open deals that are unlikely to close and may be worth marking lost, each
with the lost reason to prefill. Pure: rows from models/candidate_queries.py, `today` passed in
(docs/metrics.md, "Disqualify candidates")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PAST_CLOSE_DAYS = 30  # expected close more than this many days ago
OVERDUE, BANT = "overdue", "bant"
REASONS = {BANT: "not_qualified", OVERDUE: "no_decision"}  # default lost reason keys to prefill


@dataclass(frozen=True)
class OpenDeal:
    number: int
    name: str
    owner_id: str
    cents: int | None
    currency: str
    close_date: date | None


@dataclass(frozen=True)
class Candidate:
    deal: OpenDeal
    why: str  # BANT (its BANT verdict is "disqualify") or OVERDUE
    days_past_close: int | None

    @property
    def reason_key(self) -> str:
        return REASONS[self.why]


@dataclass(frozen=True)
class LostRef:
    """A Mark lost button's value: the deal, and the lost reason key to prefill."""

    number: int
    reason: str

    def encode(self) -> str:
        return f"{self.number}:{self.reason}"

    @classmethod
    def parse(cls, value: str) -> LostRef | None:
        number, _, reason = (value or "").partition(":")
        if not number.isdigit() or len(number) > 9 or len(reason) > 40:
            return None
        return cls(int(number), reason)


def overdue_cutoff(today: date) -> date:
    """Close dates before this are more than PAST_CLOSE_DAYS days past."""
    return today - timedelta(days=PAST_CLOSE_DAYS)


def candidates(overdue: list[OpenDeal], disqualified: list[OpenDeal], today: date) -> list[Candidate]:
    """BANT verdicts first (the rep's own answers say no), then the longest past their close date;
    a deal that is both is listed once, for its BANT verdict."""
    found = [Candidate(d, BANT, _past(d, today)) for d in sorted(disqualified, key=lambda d: d.number)]
    seen = {c.deal.number for c in found}
    late = sorted(
        (d for d in overdue if d.number not in seen),
        key=lambda d: (d.close_date or today, d.number),
    )
    found.extend(Candidate(d, OVERDUE, _past(d, today)) for d in late)
    return found


def _past(deal: OpenDeal, today: date) -> int | None:
    return (today - deal.close_date).days if deal.close_date and deal.close_date < today else None
