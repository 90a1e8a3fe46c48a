"""The outbox sends each message exactly once: repeats, 429s, crashes and two workers."""

import asyncio
import base64
from datetime import timedelta

import pytest

from models import outbox as outbox_store
from scheduler import outbox


def enqueue_many(db, now, count, channel="UALICE", prefix="m", fallback=None):
    with db.write() as s:
        return [
            outbox_store.enqueue(
                s, "T0LOCAL", f"{prefix}{i}", "test", channel, {"text": f"hello {i}"}, now, fallback=fallback
            )
            for i in range(count)
        ]


def texts(slack, user="UALICE"):
    return sorted(m.text for m in slack.dms(user))


async def test_a_key_is_enqueued_once_and_sent_once(bench):
    now = bench.now()
    assert enqueue_many(bench.db, now, 3) == [True, True, True]
    assert enqueue_many(bench.db, now, 3) == [False, False, False]
    client = bench.bolt.client
    sent = await outbox.dispatch(bench.db, client, "w1", bench.now)
    assert [d.status for d in sent] == ["sent"] * 3
    assert await outbox.dispatch(bench.db, client, "w1", bench.now) == []
    assert texts(bench.slack) == ["hello 0", "hello 1", "hello 2"]


async def test_conversations_are_sent_to_side_by_side_each_in_its_order(bench):
    """Several conversations at once (Slack's per-channel limit then costs one wait, not one per
    message), and one conversation's messages in the order they were enqueued."""
    bench.slack.per_channel_rate = 1.0
    now = bench.now()
    enqueue_many(bench.db, now, 3, channel="C0SALES", prefix="c")
    for user in ("UALICE", "UBOB", "UADMIN"):
        enqueue_many(bench.db, now, 1, channel=user, prefix=user)
    sent = await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert [d.status for d in sent] == ["sent"] * 6
    assert [m.text for m in bench.slack.channel_messages("C0SALES")] == ["hello 0", "hello 1", "hello 2"]
    assert bench.slack.channel_limited >= 2
    # Enqueued after the channel's three, the DMs went out while the channel waited out its limit.
    arrived = [m.channel for m in bench.slack.messages]
    assert arrived[-1] == "C0SALES" and arrived.index("C0SALES") == 0, arrived


async def test_not_before_holds_a_message_back(bench):
    now = bench.now()
    with bench.db.write() as s:
        outbox_store.enqueue(
            s,
            "T0LOCAL",
            "later",
            "test",
            "UALICE",
            {"text": "later"},
            now,
            not_before=now + timedelta(hours=2),
        )
    assert await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now) == []
    bench.fixed_now = now + timedelta(hours=2, seconds=1)
    assert [d.status for d in await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)] == ["sent"]


async def test_rate_limits_delay_but_never_lose_or_double(bench):
    bench.slack.rate_limit_ratio = 0.3
    enqueue_many(bench.db, bench.now(), 6)
    for _ in range(10):  # a message whose retries ran out stays pending for the next round
        await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
        if all(r.status == "sent" for r in outbox_store.rows(bench.db)):
            break
    assert bench.slack.rate_limited > 0
    assert texts(bench.slack) == [f"hello {i}" for i in range(6)]


async def test_server_errors_leave_the_message_pending(bench):
    enqueue_many(bench.db, bench.now(), 1)
    bench.slack.inject("chat.postMessage", status=500, times=10)
    result = await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now, rounds=1)
    assert result[0].status == "pending"
    bench.slack.faults.clear()
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert texts(bench.slack) == ["hello 0"]


async def test_a_crash_after_sending_does_not_send_again(bench):
    """Worker A claims two messages, sends one, and dies before recording anything."""
    client = bench.bolt.client
    enqueue_many(bench.db, bench.now(), 2)
    claimed = outbox_store.claim(bench.db, "worker-a", bench.now())
    first = claimed[0]
    await client.chat_postMessage(
        channel=first.channel,
        text=first.payload["text"],
        metadata={"event_type": outbox.METADATA_TYPE, "event_payload": {"outbox_id": first.id}},
    )
    # Before the lease runs out nobody else takes the claim.
    assert await outbox.dispatch(bench.db, client, "worker-b", bench.now) == []
    bench.fixed_now = bench.now() + outbox_store.LEASE + timedelta(seconds=1)
    done = await outbox.dispatch(bench.db, client, "worker-b", bench.now)
    assert sorted(d.status for d in done) == ["sent", "sent"]
    assert texts(bench.slack) == ["hello 0", "hello 1"]


async def test_a_gone_recipient_goes_to_the_fallback_channel(bench):
    bench.slack.users["UALICE"].deleted = True
    fallback = {"channel": "C0SALES", "text": "Alice's deals need an owner"}
    enqueue_many(bench.db, bench.now(), 1, fallback=fallback)
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert [r.status for r in outbox_store.rows(bench.db)] == ["dead", "sent"]
    assert [m.text for m in bench.slack.channel_messages("C0SALES")] == ["Alice's deals need an owner"]


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_two_workers_at_once_send_each_message_once(bench):
    enqueue_many(bench.db, bench.now(), 40)
    client = bench.bolt.client
    await asyncio.gather(*(outbox.dispatch(bench.db, client, f"w{i}", bench.now) for i in range(4)))
    assert texts(bench.slack) == sorted(f"hello {i}" for i in range(40))


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def enqueue_file(db, now, channel="UALICE", key="chart"):
    upload = {"content_b64": base64.b64encode(PNG).decode(), "filename": "chart.png", "title": "Chart"}
    with db.write() as s:
        outbox_store.enqueue(
            s, "T0LOCAL", key, "test_file", channel, {"text": "the chart", "file": upload}, now
        )


def shared(slack, channel):
    return [m for m in slack.messages if m.kind == "file" and m.channel == channel]


async def test_a_file_is_uploaded_once_to_a_dm(bench):
    enqueue_file(bench.db, bench.now())
    assert [d.status for d in await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)] == ["sent"]
    assert await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now) == []
    [message] = shared(bench.slack, "DUALICE")  # a user id is turned into the DM's id first
    assert message.text == "the chart"
    [stored] = bench.slack.files.values()
    assert stored["content"] == PNG and stored["name"].startswith("chart-") and stored["title"] == "Chart"


async def test_a_crash_after_uploading_does_not_upload_again(bench):
    client = bench.bolt.client
    enqueue_file(bench.db, bench.now(), channel="C0SALES")
    [row] = outbox_store.claim(bench.db, "worker-a", bench.now())
    upload = row.payload["file"]
    await client.files_upload_v2(
        channel="C0SALES",
        file=PNG,
        filename=outbox.upload_name(row, upload),
        title="Chart",
        initial_comment="the chart",
    )  # ... and worker A dies
    bench.fixed_now = bench.now() + outbox_store.LEASE + timedelta(seconds=1)
    assert [d.status for d in await outbox.dispatch(bench.db, client, "worker-b", bench.now)] == ["sent"]
    assert len(shared(bench.slack, "C0SALES")) == 1 and len(bench.slack.files) == 1


async def test_a_failing_message_is_tried_once_per_dispatch(bench):
    enqueue_many(bench.db, bench.now(), 1)
    bench.slack.inject("chat.postMessage", error="internal_error", times=1000)
    result = await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert [d.status for d in result] == ["pending"]
    assert len([c for c in bench.slack.calls if c.method == "chat.postMessage"]) == 1
