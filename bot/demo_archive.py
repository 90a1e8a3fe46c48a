"""The demo's tidy-up step: a manager archives a deal (out of every list and total, kept in the history
and the export) and brings it back."""

from __future__ import annotations

from bot.demo_tour import Tour


async def archive_tour(t: Tour) -> None:
    _ = t._
    t.say(_("A manager tidies up: an archived deal leaves every list and total, and can come back"))
    await t.command("UCAROL", "archive #1")
    await t.command("UCAROL", "unarchive #1")
