"""Slack (or the network) delivering the same command, click, submission or event 1 to 3 times, with
Slack's retry headers: each has exactly one effect."""

import json
from urllib.parse import parse_qs

import pytest
from sqlmodel import func, select

from models.tables import Deal, DealNote
from tests.helpers import text_of

RETRY = lambda n: {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}  # noqa: E731


async def deliver(bench, body: str, content_type: str, times: int):
    statuses = []
    for attempt in range(times):
        sent = await bench.client.post(body, content_type, headers=RETRY(attempt) if attempt else None)
        statuses.append(sent.status)
    return statuses


def count(db, model):
    with db.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("times", [1, 2, 3])
async def test_a_command_delivered_again_adds_one_deal(bench, times):
    body, key = bench.client.command_body("UALICE", "add Acme 10k")
    assert await deliver(bench, body, "application/x-www-form-urlencoded", times) == [200] * times
    await bench.slack.wait_for(lambda: bench.slack.responses[key])
    assert count(bench.db, Deal) == 1
    assert len(bench.slack.responses[key]) == 1


@pytest.mark.parametrize("times", [2, 3])
async def test_a_click_and_a_submission_delivered_again_act_once(bench, times):
    await bench.client.reply(await bench.client.command("UALICE", "add Acme 10k"))
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    # Capture the click's body by sending it once, then deliver the very same bytes again.
    sent_bodies = []
    original = bench.client.post

    async def recording(body, content_type, **kw):
        sent_bodies.append(body)
        return await original(body, content_type, **kw)

    bench.client.post = recording
    await bench.client.click("UALICE", card, "deal_note")
    bench.client.post = original
    assert await deliver(bench, sent_bodies[-1], "application/x-www-form-urlencoded", times - 1) == [200] * (
        times - 1
    )
    await bench.slack.wait_for(lambda: bench.slack.calls_to("views.open"))
    assert len(bench.slack.calls_to("views.open")) == 1
    view = next(iter(bench.slack.views.values()))
    bench.client.post = recording
    await bench.client.submit("UALICE", view, {"note": "Called the CFO"})
    bench.client.post = original
    assert await deliver(bench, sent_bodies[-1], "application/x-www-form-urlencoded", times - 1) == [200] * (
        times - 1
    )
    await bench.slack.wait_for(lambda: card.history)
    assert count(bench.db, DealNote) == 1
    payload = json.loads(parse_qs(sent_bodies[-1])["payload"][0])
    assert payload["type"] == "view_submission"


@pytest.mark.parametrize("times", [2, 3])
async def test_an_event_delivered_again_acts_once(bench, times):
    body = bench.client.event_body({"type": "app_home_opened", "user": "UALICE", "tab": "home"})
    assert await deliver(bench, body, "application/json", times) == [200] * times
    await bench.slack.wait_for(lambda: bench.slack.calls_to("views.publish"))
    assert len(bench.slack.calls_to("views.publish")) == 1
    assert "Your pipeline" in text_of(bench.slack.home["UALICE"])
