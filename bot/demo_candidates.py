"""The demo's part for disqualify candidates: the owner's nudge lists the deals worth marking lost."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.demo_tour import USERS, Tour
from scheduler.runner import tick

# A Monday in working hours, 48 days after the new deal's expected close.
LATER = datetime(2027, 1, 18, 10, tzinfo=UTC)


async def candidates_tour(t: Tour) -> None:
    _ = t._
    t.say(_("A deal that nobody touches after its expected close date"))
    # TRANSLATORS: a new deal in the demo; keep `add`, `stage:` and `close:`, the stage as your reps write it.
    await t.command("UALICE", _('add "Soylent trial" 15k stage:proposal close:2026-12-01'))
    t.say(
        _(
            "Two months on, its close date is more than a month past: the nudge lists it as worth "
            "disqualifying, with a Mark lost that prefills the reason"
        )
    )
    t.bench.fixed_now = LATER
    await tick(t.bench.deps, t.bench.deps.client_for)
    nudge = next(m for m in reversed(t.slack.dms("UALICE")) if "nudge_candidate:" in str(m.blocks))
    t.show(_("salesbot, in {user}'s DM", user=USERS["UALICE"]), nudge)
    first = next(b for b in nudge.blocks if str(b.get("block_id", "")).startswith("nudge_candidate:"))
    await t.click("UALICE", nudge, "nudge_candidate_lost", _("Mark lost"), value=first["accessory"]["value"])
    await t.modal("UALICE", "nudge_lost")  # shown as it opens: the reason is prefilled
