"""The demo's insights step: the forecast in the team currency once a rate is set, and each rep's
conversion beside the team's."""

from __future__ import annotations

from datetime import timedelta

from bot.demo_tour import Tour


async def insights_tour(t: Tour) -> None:
    _ = t._
    t.say(_("With a rate set, the forecast adds every currency up in euros, at the rate of each deal's day"))
    close = (t.bench.now() + timedelta(days=3)).date().isoformat()
    # TRANSLATORS: a deal in dollars in the demo; keep `add`, `stage:` and `close:`, a stage as
    # your reps write it.
    await t.command("UBOB", _('add "Wayne renewal" USD 25k stage:negotiation close:{day}', day=close))
    # The forecast counts what happened before its moment; the demo's clock stands still otherwise.
    t.bench.fixed_now = t.bench.now() + timedelta(minutes=5)
    await t.command("UCAROL", "forecast", command="/pipeline")
    t.say(_("Per rep: how their deals move on from each stage, beside the team"))
    await t.command("UCAROL", "team", command="/pipeline")
