"""The digest and the forecast in the team currency, through the local Slack: open deals at
today's rate, the won deal at the rate of the day it closed, a currency without a rate left out and
named. Every figure is worked out by hand below; every moment is derived from the bench's clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from domain.rates import Rate
from tests.helpers import text_of
from tests.nudging import setup_team

DAY = timedelta(days=1)
TEAM = "T0LOCAL"  # the local Slack's workspace


async def _say(bench, user: str, text: str, command: str = "/deal") -> str:
    return text_of(await bench.client.reply(await bench.client.command(user, text, command=command)))


async def _pipeline_with_dollars_and_pounds(bench):
    """USD 0.80 from 20 days ago, 0.90 from 3 days ago; no rate for GBP. Globex ($10,000) was won
    five days ago; Acme (€20,000, Proposal), Initech ($5,000, Negotiation) and Brit (£3,000,
    Proposal) are open, due two days from now."""
    now = bench.fixed_now
    setup_team(bench, manager_ids="UADMIN")
    await _say(bench, "UADMIN", f"rates set USD 0.80 from:{(now - 20 * DAY).date()}", "/pipeline")
    await _say(bench, "UADMIN", f"rates set USD 0.90 from:{(now - 3 * DAY).date()}", "/pipeline")
    bench.fixed_now = now - 5 * DAY
    await _say(bench, "UALICE", "add Globex USD 10000 proposal")
    await _say(bench, "UALICE", "won #1")
    bench.fixed_now = now - DAY
    close = (now + 2 * DAY).date()
    for deal in ("Acme 20000 proposal", "Initech USD 5000 negotiation", "Brit GBP 3000 proposal"):
        await _say(bench, "UALICE", f"add {deal} close:{close}")
    bench.fixed_now = now
    return now


async def test_the_digest_adds_currencies_up_at_each_deals_rate_and_names_the_one_without(bench):
    now = await _pipeline_with_dollars_and_pounds(bench)
    text = await _say(bench, "UADMIN", "digest", "/pipeline")
    # Open: €20,000 + $5,000 × 0.90 = €24,500 (the pounds are left out, the deal still counts).
    assert "3 deals · €24,500" in text
    # Weighted: 20,000 × 60 % + 4,500 × 80 % = 12,000 + 3,600.
    assert "€15,600" in text
    # Globex was won at 0.80, five days ago: 10,000 × 0.80 = €8,000 (not today's €9,000).
    assert "Won: 1 · €8,000" in text
    assert "Average won deal: €8,000" in text
    # New this week at today's rate: 9,000 + 20,000 + 4,500 = €33,500.
    assert "New deals: 4 · €33,500" in text
    # Velocity: 3 open deals × €8,000 × 100 % × 30 ÷ 1 day (a cycle under a day counts as one).
    assert "Sales velocity: €720,000 per 30 days" in text
    assert "<@UALICE> — open: 3 (€24,500) · won this week: 1 (€8,000)" in text
    day = (now - 3 * DAY).date()
    assert f"Amounts in EUR, converted at rates of {day:%b} {day.day}, {day.year}" in text
    assert "Left out of the sums, no rate: GBP." in text
    assert "$" not in text and "£3,000" not in text


async def test_the_forecast_converts_its_months_and_won_so_far(bench):
    now = await _pipeline_with_dollars_and_pounds(bench)
    text = await _say(bench, "UALICE", "forecast", "/pipeline")
    # This month: the three open deals; no history yet, so from history = weighted.
    assert "3 open deals · €24,500 open · weighted €15,600 · from history €15,600" in text
    assert (now - 5 * DAY).month == now.month  # Globex was won this month, at 0.80
    assert "*Won so far this month*\n€8,000" in text
    assert "Left out of the sums, no rate: GBP." in text
    assert "$" not in text


async def test_without_rates_the_digest_stays_per_currency(bench):
    setup_team(bench, manager_ids="UADMIN")
    now = bench.fixed_now
    bench.fixed_now = now - DAY  # the digest counts what happened before its moment
    await _say(bench, "UALICE", "add Globex USD 10000 proposal")
    await _say(bench, "UALICE", "add Acme 20000 proposal")
    bench.fixed_now = now
    text = await _say(bench, "UADMIN", "digest", "/pipeline")
    assert "€20,000 + $10,000" in text
    assert "no exchange rates are configured" in text


async def test_an_empty_team_with_rates_shows_zeros(bench):
    setup_team(bench, manager_ids="UADMIN")
    await _say(bench, "UADMIN", "rates set USD 0.80", "/pipeline")
    text = await _say(bench, "UADMIN", "digest", "/pipeline")
    assert "0 deals · €0" in text
    forecast = await _say(bench, "UADMIN", "forecast", "/pipeline")
    assert "0 open deals · €0 open" in forecast
    # Nothing in another currency: nothing converted, and no word about rates that would be untrue.
    for shown in (text, forecast):
        assert "converted at rates" not in shown and "no exchange rates" not in shown


async def test_the_forecast_of_the_hand_computed_team_in_euros(bench):
    """tests/forecast_fixture.py's team (worked out per currency in tests/test_forecast.py), with
    1 USD = 0.80 EUR from the first of last month, 0.90 from the 10th of this month, and
    1 GBP = 1.15 EUR from the 15th of this month."""
    from models import rates as rate_queries
    from tests.forecast_fixture import NOW, M, day, load

    load(bench.db, team_id=TEAM)
    with bench.db.write() as s:
        for currency, first, rate in (
            ("USD", M(-1), "0.80"),
            ("USD", day(0, 10), "0.90"),
            ("GBP", day(0, 15), "1.15"),
        ):
            rate_queries.put(s, TEAM, Rate(currency, "EUR", first, Decimal(rate)), "UADMIN", NOW)
    bench.fixed_now = NOW
    text = await _say(bench, "UALICE", "forecast", "/pipeline")
    # Overdue: E, in euros: as before.
    assert "*Overdue*: 1 open deal · €30,000 open · weighted €24,000 · from history €20,769.23" in text
    # The month after next: H, £12,000 × 1.15 (today's rate) = €13,800; weighted 60 %: €8,280;
    # from history × Proposal's rate 7/11 (£7,636.36 of £12,000 in tests/test_forecast.py): €8,781.82.
    assert "1 open deal · €13,800 open · weighted €8,280 · from history €8,781.82" in text
    # Won this quarter: A €10,000 and I €7,000, and C $5,000 won on the 9th of last month at 0.80:
    # €4,000, not today's €4,500. This month: I alone.
    assert "*Won so far this quarter*\n€21,000" in text
    assert "*Won so far this month*\n€7,000" in text
    # Last month: the forecast at its start was €46,000 (nothing in dollars was due then); won
    # €10,000 + €4,000 = €14,000; off by +€32,000.
    assert "forecast at its start weighted €46,000 (off by +€32,000)" in text and "won €14,000" in text
    assert "$" not in text and "£" not in text and "Left out" not in text


async def test_pipeline_team_shows_each_reps_open_value_in_euros(bench):
    await _pipeline_with_dollars_and_pounds(bench)
    text = await _say(bench, "UADMIN", "team", "/pipeline")
    # Alice's open deals: €20,000 + $5,000 × 0.90 (today's rate); the pounds left out and named.
    assert "<@UALICE> — 3 open (€24,500)" in text
    assert "Left out of the sums, no rate: GBP." in text and "$" not in text
