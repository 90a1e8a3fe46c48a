"""The tour's step for each person's choice of DMs (`/deal notify`, issue 18)."""

from __future__ import annotations

from bot.demo_tour import Tour


async def notify_tour(t: Tour) -> None:
    _ = t._
    t.say(_("Each person chooses their own DMs: bob wants one summary a day instead of one DM per event"))
    await t.command("UBOB", "notify summary daily")
