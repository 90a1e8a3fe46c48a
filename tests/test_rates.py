"""Exchange rates: the ECB file read, conversions worked out by hand, a team's own rates, and the
converted totals of `/pipeline` and of goals, through the local Slack.

The sample file (tests/fixtures/eurofxref-hist-sample.xml, the shape of the ECB's 90-day history)
has 1 EUR = 1.10 USD, 0.88 GBP from 2 November 2026, and 1.05 USD, 0.875 GBP from 20 November."""

import logging
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from bot.deps import RatesFeed
from domain.rates import Rate, RateError, Rates, parse_ecb
from models.settings_tables import ExchangeRate
from scheduler.rates import refresh_rates
from services.rates import load_feed
from tests.nudging import setup_team

SAMPLE = Path(__file__).parent / "fixtures" / "eurofxref-hist-sample.xml"


def feed() -> Rates:
    return Rates(feed=parse_ecb(SAMPLE.read_bytes()))


@pytest.mark.parametrize(
    "cents, currency, to, day, expected",
    [
        (1_000_000, "USD", "EUR", date(2026, 11, 10), 909_091),  # 10,000 / 1.10 = 9,090.909…
        (2_100_000, "USD", "EUR", date(2026, 11, 24), 2_000_000),  # 21,000 / 1.05
        (875_000, "GBP", "EUR", date(2026, 11, 20), 1_000_000),  # 8,750 / 0.875, from that day on
        (1_000_000, "EUR", "USD", date(2026, 11, 19), 1_100_000),  # the 2 November rate still holds
        (1_000_000, "USD", "GBP", date(2026, 11, 2), 800_000),  # across the euro: 10,000 × 0.88 / 1.10
        (500, "EUR", "EUR", date(2020, 1, 1), 500),
        (1_000_000, "USD", "EUR", date(2026, 11, 1), None),  # before the first rate
        (1_000_000, "JPY", "EUR", date(2026, 11, 24), None),  # a currency the file does not have
    ],
)
def test_conversions_match_the_hand_worked_figures(cents, currency, to, day, expected):
    assert feed().convert(cents, currency, to, day) == expected


def test_a_teams_own_rate_wins_over_the_feed_and_holds_until_the_next():
    own = [Rate("USD", "EUR", date(2026, 11, 15), Decimal("0.9"))]  # 1 USD = 0.90 EUR
    rates = Rates(own=own, feed=parse_ecb(SAMPLE.read_bytes()))
    assert rates.convert(1_000_000, "USD", "EUR", date(2026, 11, 14)) == 909_091  # the feed's, before
    assert rates.convert(1_000_000, "USD", "EUR", date(2026, 11, 24)) == 900_000  # the team's
    assert rates.convert(900_000, "EUR", "USD", date(2026, 11, 24)) == 1_000_000  # and back
    assert rates.latest(date(2026, 11, 24)) == date(2026, 11, 20)


@pytest.mark.parametrize(
    "data, why",
    [
        (b"<html>not rates</html>", "no rates"),
        (b"<<<", "not XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
        (SAMPLE.read_bytes().replace(b'rate="1.0500"', b'rate="-1"'), "-1"),
        (SAMPLE.read_bytes().replace(b'currency="USD"', b'currency="US"'), "currency code"),
        (SAMPLE.read_bytes().replace(b"2026-11-20", b"2026-13-20"), "not a day"),
    ],
)
def test_a_file_that_is_not_an_ecb_rate_file_says_why(data, why):
    with pytest.raises(RateError, match=why):
        parse_ecb(data)


def test_loading_the_feed_twice_stores_each_rate_once(db):
    now = date(2026, 11, 24)
    assert load_feed(db, SAMPLE.read_bytes(), _moment(now)) == 6
    assert load_feed(db, SAMPLE.read_bytes(), _moment(now)) == 0
    with db.read() as s:
        assert len(list(s.exec(select(ExchangeRate)))) == 6


def _moment(day):
    from datetime import UTC, datetime

    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


async def run(bench, text: str, user: str = "UADMIN", command: str = "/pipeline") -> str:
    return (await bench.client.reply(await bench.client.command(user, text, command=command))).text


async def test_the_scheduler_reads_the_feed_from_a_file_and_a_bad_source_logs_one_line(
    bench, caplog, tmp_path
):
    bench.deps.rates_feed = RatesFeed(str(tmp_path / "missing.xml"))
    with caplog.at_level(logging.WARNING, logger="scheduler.rates"):
        await refresh_rates(bench.deps, None, bench.now())
        await refresh_rates(bench.deps, None, bench.now() + timedelta(minutes=1))  # not again so soon
    assert len([r for r in caplog.records if "could not be read" in r.getMessage()]) == 1
    bench.deps.rates_feed = RatesFeed("file://" + str(SAMPLE))
    await refresh_rates(bench.deps, None, bench.now())
    reply = await run(bench, "rates")
    assert "ECB reference rates up to Nov 20, 2026" in " ".join(
        e["text"]
        for b in (await _reply(bench, "rates")).blocks
        if b["type"] == "context"
        for e in b["elements"]
    )
    assert reply == "Exchange rates"


async def _reply(bench, text, user="UADMIN"):
    return await bench.client.reply(await bench.client.command(user, text, command="/pipeline"))


async def test_an_admin_sets_a_rate_and_bad_input_changes_nothing(bench):
    setup_team(bench, manager_ids="UADMIN")
    assert (
        await run(bench, "rates set usd 0,92 from:2026-11-01")
        == "Rate saved: 1 USD = 0.92 EUR from Nov 1, 2026."
    )
    for text, why in [
        ("rates set", "Set a rate like"),
        ("rates set dollars 0.92", "`dollars` is not a currency code"),
        ("rates set USD -1", "`-1` is not a rate"),
        ("rates set USD lots", "`lots` is not a rate"),
        ("rates set EUR 1", "EUR is the team currency"),
        ("rates set USD 0.9 from:someday", "I can't read the date `someday`"),
    ]:
        assert why in await run(bench, text), text
    assert (
        await run(bench, "rates set USD 0.5", "UBOB")
        == "Only workspace admins and the team's managers can do that."
    )
    with bench.db.read() as s:
        assert [(r.currency, r.rate, r.day) for r in s.exec(select(ExchangeRate))] == [
            ("USD", "0.92", date(2026, 11, 1))
        ]
    reply = await _reply(bench, "rates", "UBOB")  # anyone may read them
    assert "1 USD = 0.92 EUR from Nov 1, 2026" in reply.blocks[1]["text"]["text"]


async def test_pipeline_adds_up_currencies_at_todays_rate(bench):
    load_feed(bench.db, SAMPLE.read_bytes(), bench.now())
    for text in ("add Acme 10000 proposal", "add Globex USD 21000 proposal", "add Brit GBP 8750 negotiation"):
        await bench.client.reply(await bench.client.command("UALICE", text))
    reply = await _reply(bench, "", "UALICE")
    lines = [e["text"] for b in reply.blocks if b["type"] == "context" for e in b["elements"]]
    # 10,000 + 21,000 / 1.05 + 8,750 / 0.875 = 40,000; weighted by the default stages' probabilities
    assert lines[0].startswith("All currencies in EUR: €40,000 · weighted ")
    assert lines[0].endswith("(converted at rates of Nov 20, 2026)")


async def test_a_goal_counts_a_deal_won_in_dollars_at_the_rate_of_the_day_it_closed(bench):
    from scheduler import outbox
    from scheduler.goals import goal_job

    setup_team(bench, manager_ids="UADMIN")
    load_feed(bench.db, SAMPLE.read_bytes(), bench.now())
    now = bench.fixed_now
    bench.fixed_now = now.replace(day=10)  # 10 November: 1 EUR = 1.10 USD
    await bench.client.reply(await bench.client.command("UALICE", "add Globex USD 11000 proposal"))
    await bench.client.reply(await bench.client.command("UALICE", "won #1"))
    bench.fixed_now = now
    await bench.client.reply(await bench.client.command("UALICE", "add Acme 5000 proposal"))
    await bench.client.reply(await bench.client.command("UALICE", "won #2"))
    await run(bench, "goals set <@UALICE> 20k month")
    await goal_job(bench.deps, bench.bolt.client, bench.now())
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    reply = await _reply(bench, "goals", "UALICE")
    # 11,000 / 1.10 = 10,000 (not today's 1.05), + 5,000 = 15,000 of 20,000
    assert reply.blocks[1]["text"]["text"] == (
        "*<@UALICE>* · November 2026: ▰▰▰▰▰▰▰▱▱▱ €15,000 of €20,000 (75%) · 6 days left"
    )
    assert "converted at the rates of the day they closed" in reply.blocks[2]["elements"][0]["text"]
    assert [m.text for m in bench.slack.dms("UALICE")] == [
        "You've reached 50% of your goal for November 2026."
    ]
