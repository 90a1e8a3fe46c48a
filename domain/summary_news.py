"""What a daily summary still tells. A DM held for the summary can be overtaken before the summary
comes (a nudge decided at noon waits for tomorrow's 09:00): the nudged deal acted on since, the step
done or moved to another day, the nurtured deal reopened or dropped, the deal given to someone else,
closed or archived. Such a line would send the rep after news that is gone, so the summary leaves it
out. Pure.

When the deals behind a nudge cannot be found (nudged again since, or all given away), the line stays:
a line too many costs a rep a look, a line lost costs a deal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.metrics import LOST, OPEN
from domain.nurture import WAITING

NUDGE, STEP_REMINDER, NURTURE = "nudge", "step_reminder", "nurture"  # the outbox kinds a summary holds


@dataclass(frozen=True)
class DealNow:
    """A held DM's deal as it is when the summary is made."""

    id: int
    owner_id: str
    kind: str  # its stage's kind: open, won or lost
    archived: bool
    last_activity_at: datetime
    next_step: str | None
    next_step_due: date | None
    next_step_seq: int
    nurture_on: date | None
    nurture_state: str | None


@dataclass(frozen=True)
class HeldRef:
    """The deal and day a held reminder or nurture DM is about, from its outbox key
    (domain.reminders.reminder_key, domain.nurture.nurture_key)."""

    deal_id: int
    on: date
    seq: int | None  # a step reminder's step number; None: any (a key from before steps were numbered)


def held_ref(kind: str, key: str) -> HeldRef | None:
    """None for a nudge, and for a key of another shape (an owner's list of overdue steps)."""
    parts = key.split(":")
    prefix = {STEP_REMINDER: "reminder", NURTURE: "nurture"}.get(kind)
    if prefix is None or parts[0] != prefix or len(parts) not in (4, 5):
        return None
    try:
        deal_id, on = int(parts[2]), date.fromisoformat(parts[3])
        seq = int(parts[4]) if len(parts) == 5 else None
    except ValueError:
        return None
    if kind == NURTURE and seq is not None:
        return None
    return HeldRef(deal_id, on, seq)


def still_news(kind: str, key: str, held_at: datetime, person: str, deals: list[DealNow]) -> bool:
    """Whether the DM held at `held_at` for `person` still says something true. `deals`: for a nudge,
    the deals it nudged that are still the person's; for a reminder or a nurture, its deal if it exists."""
    if kind == NUDGE:
        if not deals:
            return True
        return any(_untouched_open(d, person, held_at) for d in deals)
    ref = held_ref(kind, key)
    if ref is None:
        return True
    deal = next((d for d in deals if d.id == ref.deal_id), None)
    if deal is None or deal.archived or deal.owner_id != person:
        return False
    if kind == STEP_REMINDER:
        return (
            deal.kind == OPEN
            and deal.next_step is not None
            and deal.next_step_due == ref.on
            and (ref.seq is None or deal.next_step_seq == ref.seq)
        )
    return deal.kind == LOST and deal.nurture_state == WAITING and deal.nurture_on == ref.on


def _untouched_open(deal: DealNow, person: str, held_at: datetime) -> bool:
    return (
        deal.owner_id == person
        and deal.kind == OPEN
        and not deal.archived
        and deal.last_activity_at <= held_at
    )
