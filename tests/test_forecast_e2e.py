"""The forecast through the local Slack and the command line: `/pipeline forecast`, the digest's
section, and `salesbot forecast --backtest`, on the hand-computed team of tests/forecast_fixture.py."""

from __future__ import annotations

import io

from bot.config import Settings
from bot.forecast_cli import backtest_command
from tests.forecast_fixture import NOW, load
from tests.helpers import text_of

TEAM = "T0LOCAL"  # the local Slack's workspace


async def test_pipeline_forecast_shows_each_month_privately(bench):
    load(bench.db, team_id=TEAM)
    bench.fixed_now = NOW
    reply = await bench.client.reply(await bench.client.command("UALICE", "forecast", command="/pipeline"))
    assert reply.kind == "response"
    text = text_of(reply)
    assert "Forecast by month" in text
    # Worked out in tests/test_forecast.py: E overdue, D this month, F next, H the month after.
    assert "*Overdue*: 1 open deal · €30,000 open · weighted €24,000 · from history €20,769.23" in text
    assert "*November 2026*: 1 open deal · €8,000 open · weighted €4,800 · from history €5,090.91" in text
    assert "weighted £7,200 · from history £7,636.36" in text
    assert "€17,000 + $5,000" in text  # won this quarter
    assert "*October 2026*: forecast at its start weighted €46,000 (off by +€36,000 -$5,000)" in text


async def test_pipeline_forecast_in_german(bench):
    load(bench.db, team_id=TEAM)
    bench.fixed_now = NOW
    # The choice is saved after the ack: wait for its answer before the next command.
    await bench.client.reply(await bench.client.command("UALICE", "language de"))
    reply = await bench.client.reply(await bench.client.command("UALICE", "forecast", command="/pipeline"))
    text = text_of(reply)
    assert "Forecast nach Monat" in text and "Überfällig" in text and "Dezember 2026" in text


async def test_the_digest_has_the_forecast_section(bench):
    load(bench.db, team_id=TEAM)
    bench.fixed_now = NOW
    reply = await bench.client.reply(await bench.client.command("UALICE", "digest", command="/pipeline"))
    text = text_of(reply)
    assert "*Forecast by month*" in text
    assert "Won so far this month: €7,000" in text
    assert "*October 2026*: forecast at its start" in text


async def test_the_backtest_prints_each_month_and_the_mape(bench):
    load(bench.db, team_id=TEAM)
    settings = Settings(database_url=bench.db.url)
    out = io.StringIO()
    assert backtest_command(settings, 2, TEAM, None, out=out, clock=lambda: NOW) == 0
    lines = out.getvalue().splitlines()
    assert "September 2026 | EUR | €6,000 | €6,800 (+€800, 13%) | €6,800 (+€800, 13%)" in lines
    # (2/15 + 36/10) / 2 = 186.7 %; (2/15 + 3.690909) / 2 = 191.2 %
    assert "MAPE in EUR: weighted 187%, from history 191%" in lines
    assert "MAPE in USD: weighted 100%, from history 100%" in lines
    assert backtest_command(settings, 0, TEAM, None, out=out, clock=lambda: NOW) == 2
