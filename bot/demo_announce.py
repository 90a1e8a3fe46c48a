"""The tour's step for the team channel's celebrations: a won deal, and a big new deal in another
currency, told with the converted amount that made it big (issue 18, and 19's currencies)."""

from __future__ import annotations

from bot.demo_tour import Tour, newest_deal
from views.ids import View


async def announce_tour(t: Tour) -> None:
    from scheduler.announce import announce_job
    from scheduler.outbox import dispatch

    _ = t._
    stark = newest_deal(t)  # bob's deal in dollars, from the currencies step
    t.say(_("Celebrations: a manager has #sales told of each won deal and of each big new deal"))
    t.types("UCAROL", "/pipeline settings")
    await t.client.command("UCAROL", "settings", command="/pipeline")
    view = await t.modal("UCAROL", View.SETTINGS, show=False)  # the tour showed the form in an earlier step
    t.does(_("{user} turns on won deals and new deals over 40,000, and saves", user="carol"))
    ack = await t.client.submit("UCAROL", view, {"announce_won": ["won"], "announce_over": "40k"})
    assert ack.body == "", ack.body
    # TRANSLATORS: a deal in dollars in the demo; keep `add` and `stage:`, a stage as your reps write it.
    await t.command("UBOB", _('add "Wayne expansion" USD 60k stage:proposal'))
    await t.command("UBOB", f"won #{stark}")
    told = len(t.slack.channel_messages("C0SALES"))
    await announce_job(t.bench.deps, t.bench.deps.client_for, t.bench.now())
    await dispatch(t.bench.db, t.bench.deps.client_for, "demo", t.bench.now)
    for message in t.slack.channel_messages("C0SALES")[told:]:
        t.show(_("salesbot, in #sales"), message)
