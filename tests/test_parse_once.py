"""A `/deal` text is parsed once per request, however many features' words of `/deal` are tried."""

from datetime import UTC, datetime

import handlers.common
from domain import commands
from tests.helpers import text_of

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


def counted(monkeypatch) -> list[str]:
    seen: list[str] = []

    def parse(text, today):
        seen.append(text)
        return commands.parse_deal_command(text, today)

    monkeypatch.setattr(handlers.common, "parse_deal_command", parse)
    return seen


async def test_a_deal_command_is_parsed_once_though_three_features_try_its_words(bench, monkeypatch):
    bench.fixed_now = TUESDAY_10
    seen = counted(monkeypatch)
    reply = await bench.client.reply(await bench.client.command("UALICE", 'add "Acme renewal" 50k'))
    assert "Added deal #1" in text_of(reply)
    assert seen == ['add "Acme renewal" 50k']  # qualify, find and notify asked too


async def test_a_text_that_does_not_parse_is_parsed_once_and_told_once(bench, monkeypatch):
    bench.fixed_now = TUESDAY_10
    seen = counted(monkeypatch)
    reply = await bench.client.reply(await bench.client.command("UALICE", "move"))
    assert "Give the deal's number, like #12." in text_of(reply)
    assert seen == ["move"]
