"""The request path before any listener: what a forger, a flood or a misshapen header costs."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import aiohttp

from bot.verify import MAX_BODY, RefusalLog, refusal
from localslack.client import sign
from tests.forgery import MB, captured_log, flood_while_acking, forged_body

SECRET = "local-signing-secret"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # the bot's clock; signatures use the real one


async def test_a_hundred_forged_6_mb_requests_add_almost_nothing_to_the_log_and_reps_are_answered(bench):
    bench.fixed_now = NOW
    with captured_log(logging.INFO) as log:  # what a deployment logs by default (bot/cli.py)
        flood = await flood_while_acking(bench, forged=100, size=6 * MB, connections=3, acks=30)
    written = log.getvalue()
    assert len(flood.statuses) == 100
    assert 200 not in flood.statuses and 401 not in flood.statuses  # refused on its size, unread
    assert len(written.encode()) < 100 * 1024, f"{len(written)} characters of log"
    assert "forged" not in written and "AAAA" not in written
    assert flood.ack_statuses == [200] * 30


async def test_a_forged_body_is_never_written_to_the_log_at_any_level(bench):
    bench.fixed_now = NOW
    body = forged_body(4096).decode()
    now = int(time.time())
    with captured_log(logging.DEBUG) as log:
        bad = await bench.client.post(body, "application/x-www-form-urlencoded", signature="v0=" + "1" * 64)
        stale = await bench.client.post(
            body,
            "application/x-www-form-urlencoded",
            timestamp=now - 600,
            signature=sign(SECRET, body, now - 600),
        )
    assert (bad.status, stale.status) == (401, 401)
    assert "CRITICAL forged" not in log.getvalue() and "forged+line" not in log.getvalue()
    assert bench.slack.calls == []


async def test_a_timestamp_that_is_not_a_number_gets_401_without_a_traceback(bench):
    bench.fixed_now = NOW
    body, _key = bench.client.command_body("UALICE", "add Forged 10k")
    with captured_log() as log:
        sent = await bench.client.post(
            body, "application/x-www-form-urlencoded", headers={"X-Slack-Request-Timestamp": "12.5e9"}
        )
    assert sent.status == 401
    assert "Traceback" not in log.getvalue() and "ERROR" not in log.getvalue()
    assert bench.slack.calls == []


async def test_a_body_over_the_cap_is_refused_unread_and_one_under_it_is_checked(bench):
    bench.fixed_now = NOW
    url = bench.server.url + "/slack/events"
    body = b"x" * (MAX_BODY + 1)
    ts = str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(SECRET, body.decode(), int(ts))}
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as resp:
        assert resp.status == 413  # even correctly signed: no Slack request is this large
    command, _key = bench.client.command_body("UALICE", "help")
    assert (await bench.client.post(command, "application/x-www-form-urlencoded")).status == 200


def test_refusals_are_decided_from_the_raw_bytes():
    now = 1_800_000_000
    body = b"token=x&text=hi"
    good = sign(SECRET, body.decode(), now)
    table = [
        (str(now), good, body, None),
        (str(now), good, body + b"!", "bad signature"),
        (str(now - 301), sign(SECRET, body.decode(), now - 301), body, "stale timestamp"),
        (str(now + 301), sign(SECRET, body.decode(), now + 301), body, "stale timestamp"),
        ("1.8e9", good, body, "unreadable timestamp"),
        ("", good, body, "unsigned"),
        (str(now), None, body, "unsigned"),
    ]
    for timestamp, signature, sent, expected in table:
        assert refusal(SECRET, timestamp, signature, sent, now) == expected, (timestamp, expected)


def test_refusals_are_logged_once_per_interval_with_their_counts(caplog):
    clock = [1000.0]
    refusals = RefusalLog(interval=60.0, clock=lambda: clock[0])
    with caplog.at_level(logging.WARNING, logger="bot.verify"):
        for _ in range(500):
            refusals.refused("bad signature")
        clock[0] += 61
        refusals.refused("too large")
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.verify"]
    assert len(lines) == 2
    assert lines[0].endswith("1 bad signature")
    assert lines[1].endswith("499 bad signature, 1 too large")


async def test_a_command_is_acked_before_slack_says_who_the_rep_is_and_answered_in_her_language(bench):
    bench.fixed_now = NOW
    bench.slack.add_user("UGRETA", "greta", locale="de-DE")  # not seen before: no profile cached
    bench.slack.inject("users.info", delay=1.5)
    started = time.perf_counter()
    sent = await bench.client.command("UGRETA", "help")
    acked_after = time.perf_counter() - started
    assert sent.status == 200 and acked_after < 1.5  # the ack did not wait for users.info
    reply = await bench.client.reply(sent, timeout=10)
    assert reply.text == "Was ich kann"  # German, though Slack took longer than an ack may wait
