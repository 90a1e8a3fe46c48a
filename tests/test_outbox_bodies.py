"""The outbox keeps every key for ever (it is what sends each message once) and a finished message's
text for 30 days (scheduler.housekeeping.empty_sent_messages); on SQLite and PostgreSQL."""

import json
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col

from domain.throttle import Throttle
from models import outbox as outbox_store
from models.delivery_tables import Outbox
from scheduler import outbox
from scheduler.housekeeping import MESSAGES_KEPT, empty_sent_messages
from tests.nudging import outbox_rows


def add(bench, key: str, now, status: str | None = None) -> None:
    with bench.db.write() as s:
        assert outbox_store.enqueue(s, "T0LOCAL", key, "test", "UALICE", {"text": f"about {key}"}, now)
        if status:
            s.exec(update(Outbox).where(col(Outbox.key) == key).values(status=status))


def bodies(bench) -> dict[str, dict]:
    return {r.key: json.loads(r.payload) for r in outbox_rows(bench)}


async def test_finished_messages_lose_their_text_after_30_days_and_keep_their_key(bench):
    sent_at = bench.now()
    for key in ("a", "b"):
        add(bench, key, sent_at)
    assert [d.status for d in await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)] == [
        "sent"
    ] * 2
    for key, status in (("dead", "dead"), ("folded", "folded"), ("muted", "muted"), ("stale", "stale")):
        add(bench, key, sent_at, status)
    add(bench, "held", sent_at, "held")  # still waiting for its summary
    with bench.db.write() as s:  # claimed and not yet recorded: a worker may be sending it now
        assert outbox_store.enqueue(
            s, "T0LOCAL", "sending", "test", "UALICE", {"text": "about sending"}, sent_at
        )
        s.exec(update(Outbox).where(col(Outbox.key) == "sending").values(status="sending"))

    await empty_sent_messages(bench.deps, None, sent_at + MESSAGES_KEPT)  # not yet older than 30 days
    assert all(body for body in bodies(bench).values())

    later = sent_at + MESSAGES_KEPT + timedelta(seconds=1)
    bench.deps.chores = Throttle(timedelta(hours=6))  # a fresh process
    await empty_sent_messages(bench.deps, None, later)
    found = bodies(bench)
    assert {k for k, body in found.items() if body == {}} == {"a", "b", "dead", "folded", "muted", "stale"}
    assert found["held"] == {"text": "about held"} and found["sending"] == {"text": "about sending"}
    with bench.db.write() as s:  # the key still refuses a repeat
        assert not outbox_store.enqueue(s, "T0LOCAL", "a", "test", "UALICE", {"text": "again"}, later)
    assert len(bench.slack.dms("UALICE")) == 2


async def test_it_runs_a_few_times_a_day_and_in_batches(bench):
    old = bench.now() - MESSAGES_KEPT - timedelta(days=1)
    for i in range(5):
        add(bench, f"m{i}", old, "sent")
    assert outbox_store.empty_finished(bench.db, bench.now() - MESSAGES_KEPT, batch=2) == 5  # 2 + 2 + 1
    add(bench, "late", old, "sent")
    now = bench.now()
    bench.deps.chores = Throttle(timedelta(hours=6))
    await empty_sent_messages(bench.deps, None, now)
    assert bodies(bench)["late"] == {}
    add(bench, "later", old, "sent")
    await empty_sent_messages(bench.deps, None, now + timedelta(hours=5))  # within six hours: not again
    assert bodies(bench)["later"] == {"text": "about later"}
    await empty_sent_messages(bench.deps, None, now + timedelta(hours=6))
    assert bodies(bench)["later"] == {}
