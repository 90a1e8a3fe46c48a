"""Disqualify candidates: open deals that are unlikely to close and may be worth marking lost, each
with the lost reason to prefill. Pure: rows from models/candidate_queries.py, `today` passed in
(docs/metrics.md, "Disqualify candidates").

Three kinds: the BANT verdict is "disqualify"; the owner was nudged NUDGED_TIMES or more times and
did nothing on the deal in between (progress is any activity, the rule the nudges run on); the
expected close is more than PAST_CLOSE_DAYS days past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

PAST_CLOSE_DAYS = 30  # expected close more than this many days ago
NUDGED_TIMES = 3  # owner nudges without progress in between
OVERDUE, BANT, NUDGED = "overdue", "bant", "nudged"
# default lost reason keys to prefill (domain/stages.py's defaults)
REASONS = {BANT: "not_qualified", NUDGED: "no_decision", OVERDUE: "no_decision"}


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
    why: str  # BANT (its BANT verdict is "disqualify"), NUDGED or OVERDUE
    days_past_close: int | None
    nudges: int = 0  # owner nudges since its last activity

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


def nudges_after(nudges: int, nudged_at: datetime | None, last_activity_at: datetime) -> int:
    """The deal's count of nudges once one more is recorded: the streak goes on while the last nudge
    came at or after the last activity (nothing was done since), else this nudge starts a new one.
    A snooze is activity (domain/nudges.py), so it ends the streak too."""
    if nudged_at is not None and nudged_at >= last_activity_at:
        return nudges + 1
    return 1


def candidates(
    overdue: list[OpenDeal],
    disqualified: list[OpenDeal],
    today: date,
    nudged: list[tuple[OpenDeal, int]] | None = None,
) -> list[Candidate]:
    """BANT verdicts first (the rep's own answers say no), then the deals nudged NUDGED_TIMES or more
    without progress (most nudges first), then the longest past their close date; a deal of two
    kinds is listed once, for the first. `nudged`: open deals with their nudges without progress."""
    found = [Candidate(d, BANT, _past(d, today)) for d in sorted(disqualified, key=lambda d: d.number)]
    seen = {c.deal.number for c in found}
    ignored = sorted(
        ((d, n) for d, n in nudged or [] if n >= NUDGED_TIMES and d.number not in seen),
        key=lambda dn: (-dn[1], dn[0].number),
    )
    found.extend(Candidate(d, NUDGED, _past(d, today), n) for d, n in ignored)
    seen.update(d.number for d, _n in ignored)
    late = sorted(
        (d for d in overdue if d.number not in seen),
        key=lambda d: (d.close_date or today, d.number),
    )
    found.extend(Candidate(d, OVERDUE, _past(d, today)) for d in late)
    return found


def by_owner(found: list[Candidate], limit: int) -> dict[str, list[Candidate]]:
    """Each owner's first `limit` candidates, in the order given."""
    owners: dict[str, list[Candidate]] = {}
    for c in found:
        mine = owners.setdefault(c.deal.owner_id, [])
        if len(mine) < limit:
            mine.append(c)
    return owners


def _past(deal: OpenDeal, today: date) -> int | None:
    return (today - deal.close_date).days if deal.close_date and deal.close_date < today else None
