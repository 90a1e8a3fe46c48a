"""What each Web API failure does to a scheduled message: retried, rerouted, or dropped with a log
line, and never sent twice or lost silently; and a failing call never crashes a handler."""

import logging

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.http import retry_handlers
from models import outbox as outbox_store
from scheduler import outbox
from tests.helpers import text_of

FALLBACK = {"channel": "C0SALES", "text": "Alice's deals need an owner"}


def enqueue(bench, channel="UALICE"):
    with bench.db.write() as s:
        outbox_store.enqueue(
            s, "T0LOCAL", "k1", "nudge", channel, {"text": "hello"}, bench.now(), fallback=FALLBACK
        )


async def dispatch_all(bench, client=None, rounds=3):
    done = []
    for _ in range(rounds):  # the scheduler's next ticks
        done += await outbox.dispatch(bench.db, client or bench.bolt.client, "w1", bench.now)
    return done


@pytest.mark.parametrize(
    "fault, expected",
    [
        (dict(status=429, retry_after=1), "sent"),
        (dict(status=500), "sent"),
        # A 5xx is tried again at the next tick, not at once (Slack may have posted: see the outbox).
        (dict(status=503, times=8), "sent"),
    ],
)
async def test_passing_failures_are_retried_and_the_message_arrives_once(bench, fault, expected):
    enqueue(bench)
    bench.slack.inject("chat.postMessage", **fault)
    await dispatch_all(bench, rounds=fault.get("times", 1) + 1)
    assert [r.status for r in outbox_store.rows(bench.db)] == [expected]
    assert [m.text for m in bench.slack.dms("UALICE")] == ["hello"]


async def test_a_timeout_leaves_the_message_pending_and_it_arrives_once(bench):
    enqueue(bench)
    bench.slack.inject("chat.postMessage", delay=1.5)
    impatient = AsyncWebClient(
        token="xoxb-local-token", base_url=bench.slack.api_url, timeout=1, retry_handlers=retry_handlers()
    )
    await dispatch_all(bench, impatient)
    # The slow call may still have landed in Slack: the lease and the metadata look-up keep it once.
    assert len(bench.slack.dms("UALICE")) <= 1
    await dispatch_all(bench)
    bench.fixed_now = bench.now() + outbox_store.LEASE * 2
    await dispatch_all(bench)
    assert [m.text for m in bench.slack.dms("UALICE")] == ["hello"]
    assert [r.status for r in outbox_store.rows(bench.db)] == ["sent"]


@pytest.mark.parametrize(
    "error, channel, rerouted",
    [
        ("user_not_found", "UALICE", True),
        ("account_inactive", "UALICE", True),
        ("channel_not_found", "C0GONE", True),
        ("not_in_channel", "C0PRIVATE", True),
        ("is_archived", "C0OLD", True),
        ("token_revoked", "UALICE", False),
        ("invalid_blocks", "UALICE", False),
    ],
)
async def test_permanent_failures_are_rerouted_or_dropped_with_a_log_line(
    bench, caplog, error, channel, rerouted
):
    enqueue(bench, channel)
    bench.slack.inject("chat.postMessage", error=error)
    with caplog.at_level(logging.WARNING, logger="scheduler.outbox"):
        await dispatch_all(bench)
    rows = outbox_store.rows(bench.db)
    assert rows[0].status == "dead" and rows[0].last_error == error
    assert any(error in r.getMessage() for r in caplog.records)
    assert [m.text for m in bench.slack.channel_messages("C0SALES")] == (
        [FALLBACK["text"]] if rerouted else []
    )
    assert bench.slack.dms("UALICE") == []


@pytest.mark.parametrize(
    "error", ["internal_error", "ratelimited", "expired_trigger_id", "invalid_arguments"]
)
async def test_a_failing_call_inside_a_handler_answers_the_rep_and_crashes_nothing(bench, error):
    bench.slack.inject("views.open", error=error)
    sent = await bench.client.command("UALICE", "")
    assert sent.status == 200
    reply = await bench.client.reply(sent)
    assert "went wrong on my side" in text_of(reply)
    # The next command works as ever.
    assert "Added deal #1" in text_of(
        await bench.client.reply(await bench.client.command("UALICE", "add A 1k"))
    )
