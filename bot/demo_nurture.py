"""The demo's nurture step: a lost deal waits for the day its owner picked, the owner gets one DM
that day, and one click brings the deal back into the stage it was lost from."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.demo_tour import USERS, Tour
from scheduler import outbox
from scheduler.nudges import sweep
from views.ids import Action


async def nurture_tour(t: Tour) -> None:
    _ = t._
    t.say(_("A lost deal can wait for a better moment: its owner is reminded on the day they pick"))
    on = t.bench.now().date() + timedelta(days=7)
    while on.weekday() >= 5:  # a working day, so the DM goes out on it
        on += timedelta(days=1)
    await t.command("UALICE", f"nurture #3 {on.isoformat()}")
    then = datetime.combine(on, time(10), UTC)  # 11:00 in Amsterdam: alice's working hours
    # The sweep and the outbox as the scheduler's tick runs them that day.
    await sweep(t.bench.deps, t.bench.deps.client_for, then)
    await outbox.dispatch(t.bench.db, t.bench.deps.client_for, "demo", lambda: then)
    dm = next(m for m in reversed(t.slack.dms("UALICE")) if "nurture_actions:3" in str(m.blocks))
    t.show(_("salesbot, in {user}'s DM", user=USERS["UALICE"]), dm)
    await t.click("UALICE", dm, Action.NURTURE_REOPEN, _("Reopen"))
    await t.slack.wait_for(lambda: dm.history)
    t.show(_("the reminder, updated in place"), dm)
