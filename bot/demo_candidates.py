"""The demo's part for disqualify candidates: the owner's nudge lists the deals worth marking lost."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.demo_tour import USERS, Tour
from scheduler.runner import tick
from views.ids import Action, Block, View, keyed

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
    nudge = next(
        m for m in reversed(t.slack.dms("UALICE")) if keyed(Block.NUDGE_CANDIDATE, "") in str(m.blocks)
    )
    t.show(_("salesbot, in {user}'s DM", user=USERS["UALICE"]), nudge)
    first = next(
        b for b in nudge.blocks if str(b.get("block_id", "")).startswith(keyed(Block.NUDGE_CANDIDATE, ""))
    )
    await t.click(
        "UALICE", nudge, Action.NUDGE_CANDIDATE_LOST, _("Mark lost"), value=first["accessory"]["value"]
    )
    await t.modal("UALICE", View.NUDGE_LOST)  # shown as it opens: the reason is prefilled
