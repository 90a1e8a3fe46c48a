"""Slack posts, then its answer is lost (a 500, or the connection dropped): every scheduled message
still arrives exactly once. The outbox looks for a message it may have sent before sending it again,
instead of letting slack_sdk resend at once."""

from datetime import UTC, datetime, timedelta

import pytest

from models import outbox as outbox_store
from models.tables import Team
from scheduler import runner
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC, nudge_dms, outbox_rows, run_sweep, seed, setup_team

LOST = [dict(status=500), dict(drop=True)]
IDS = ["500 after posting", "dropped after posting"]


def lose_answers(bench, method: str, fault: dict) -> None:
    bench.slack.inject(method, act_first=True, times=1000, **fault)


@pytest.mark.parametrize("fault", LOST, ids=IDS)
async def test_nudges_escalations_and_reminders_arrive_once_when_the_answer_is_lost(bench, fault):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", manager_ids="UADMIN", escalation="managers")
    seed(bench, "UALICE", "Acme renewal", "proposal", idle_days=20)  # past 14 days: nudged
    seed(bench, "UBOB", "Gamma", "proposal", idle_days=30)  # past 2 x 14: nudged and escalated
    lose_answers(bench, "chat.postMessage", fault)

    for minute in range(3):  # the sweep, then the scheduler's next ticks
        bench.fixed_now = TUESDAY_10_UTC + timedelta(minutes=minute)
        await run_sweep(bench)

    assert len(nudge_dms(bench, "UALICE")) == 1
    assert len(nudge_dms(bench, "UBOB")) == 1
    escalations = [m for m in bench.slack.dms("UADMIN") if "Gamma" in text_of(m)]
    assert len(escalations) == 1
    assert len(bench.slack.channel_messages("C0SALES")) == 1  # the team reminder
    assert sorted(r.kind for r in outbox_rows(bench)) == ["escalation", "nudge", "nudge", "reminder"]
    assert {r.status for r in outbox_rows(bench)} == {"sent"}
    # Each went to Slack once: the later ticks found it there instead of posting it again.
    assert len([c for c in bench.slack.calls_to("chat.postMessage") if c.ok]) == 4


# Monday 30 November 2026, 09:00 in Amsterdam: the team's digest time.
MONDAY_9_AMSTERDAM = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("fault", LOST, ids=IDS)
async def test_the_digest_and_its_chart_arrive_once_when_the_answer_is_lost(bench, fault):
    bench.fixed_now = MONDAY_9_AMSTERDAM - timedelta(days=10)
    setup_team(bench, channel_id="C0SALES", manager_ids="UADMIN")
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.created_at = bench.now() - timedelta(days=60)
        s.add(team)
    seed(bench, "UALICE", "Acme renewal", idle_days=3)
    lose_answers(bench, "chat.postMessage", fault)
    lose_answers(bench, "files.completeUploadExternal", fault)

    for minutes in (30, 31, 32, 33):  # the digest is due; then the next ticks
        bench.fixed_now = MONDAY_9_AMSTERDAM + timedelta(minutes=minutes)
        await runner.tick(bench.deps, bench.bolt.client, worker="test")

    for channel in ("C0SALES", "DUADMIN"):
        texts = [m for m in bench.slack.channel_messages(channel) if "Weekly pipeline digest" in text_of(m)]
        charts = [m for m in bench.slack.messages if m.kind == "file" and m.channel == channel]
        assert (len(texts), len(charts)) == (1, 1), channel
    rows = [r for r in outbox_store.rows(bench.db) if r.kind.startswith("digest")]
    assert sorted(r.kind for r in rows) == ["digest", "digest", "digest_chart", "digest_chart"]
    assert {r.status for r in rows} == {"sent"}
