"""The demo's search: a rep finds a deal by a word of its company, in any case and without accents."""

from __future__ import annotations

from bot.demo_tour import Tour


async def find_tour(t: Tour) -> None:
    _ = t._
    t.say(_("Find a deal by a word of its name, company or notes: case and accents do not matter"))
    await t.command("UALICE", "find ACME")
