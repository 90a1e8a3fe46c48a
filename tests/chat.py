"""A rep's DM with the bot, driven through the local Slack: say, click, read the questions."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from models.tables import Deal
from tests.helpers import text_of


class Chat:
    """A rep's DM with the bot: what they type or click, and the bot's next message."""

    def __init__(self, bench, user="UALICE"):
        self.bench, self.user = bench, user

    def dms(self):
        return self.bench.slack.dms(self.user)

    def last(self):
        return self.dms()[-1]

    async def _next(self, before: int):
        return await self.bench.slack.wait_for(lambda: len(self.dms()) > before and self.dms()[-1])

    async def say(self, words: str, **extra):
        before = len(self.dms())
        await self.bench.client.dm(self.user, words, **extra)
        return await self._next(before)

    async def click(self, action_id: str, message=None, **kw):
        before = len(self.dms())
        await self.bench.client.click(self.user, message or self.last(), action_id, **kw)
        return await self._next(before)

    async def command(self, words: str):
        """A /deal command; returns the ephemeral reply (the DM turn, if any, lands in dms())."""
        return await self.bench.client.reply(await self.bench.client.command(self.user, words))

    async def quiet(self, send):
        """Run `send`, and check that the bot says nothing in the DM: a message sent after it is
        answered, and nothing else came in between."""
        before = len(self.dms())
        await send()
        await asyncio.sleep(0.2)
        reply = await self.say("hello there")  # no answer to anything: a re-prompt or the hint
        assert len(self.dms()) == before + 1, [text_of(m) for m in self.dms()[before:]]
        return reply


def buttons(message) -> set[str]:
    return {e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]}


def deal(db, number=1) -> Deal:
    with db.read() as s:
        return s.exec(select(Deal).where(Deal.team_id == "T0LOCAL", Deal.number == number)).one()


async def add(bench, words, user="UALICE"):
    return await bench.client.reply(await bench.client.command(user, "add " + words))
