"""Fuzzing every deal entry point: the bot always answers in time, never fails, never stores junk.

Hypothesis drives slash-command text, modal values, button values and event payloads, including
right-to-left text, emoji, NUL and 100,000-character strings. Bounded by max_examples so CI runs
it every time; raise SALESBOT_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bot.verify import MAX_BODY
from domain.amounts import MAX_AMOUNT_CENTS
from models.tables import Deal, Stage, StageChange
from tests.conftest import empty
from tests.fuzz_bench import ThreadedBench

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations

EXAMPLES = int(os.environ.get("SALESBOT_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("אבג مرحبا 😀🚀 \u200f\u202e\x00<>&*_~`\"'#:@"), max_size=200),
    st.builds(lambda s, n: s * n, st.sampled_from(["x", "é", "😀", "\x00"]), st.integers(1000, 100_000)),
    st.builds(
        lambda verb, rest: f"{verb} {rest}",
        st.sampled_from(
            ["add", "list", "move", "won", "lost", "note", "edit", "show", "#1", "help", "qualify"]
        ),
        st.text(max_size=200),
    ),
)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live(request, migrated):
    from tests.conftest import PG_OK

    if request.param == "postgres" and not PG_OK:
        pytest.skip("PostgreSQL unreachable")
    db = migrated(request.param)
    empty(db)
    bench = ThreadedBench(db)
    seed = bench.run(bench.bench.client.command("UALICE", "add Seed 10k"))  # deal #1, for verbs to act on
    bench.run(bench.bench.client.reply(seed))
    yield bench
    bench.close()
    assert not bench.bench.slack.violations, bench.bench.slack.violations


def assert_sane(db) -> None:
    """Every stored deal is whole: valid fields, a stage of its team, a history that ends where it is.
    Read in one snapshot: the work after an ack may still be committing while this looks."""
    with db.read() as s:
        if not db.is_sqlite:
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        stages = {st_.id: st_ for st_ in s.exec(select(Stage))}
        for deal in s.exec(select(Deal)):
            assert (
                deal.name
                and deal.name == deal.name.strip()
                and len(deal.name) <= 200
                and "\x00" not in deal.name
            )
            assert deal.amount_cents is None or 0 <= deal.amount_cents <= MAX_AMOUNT_CENTS
            assert stages[deal.stage_id].team_id == deal.team_id
            changes = list(
                s.exec(select(StageChange).where(StageChange.deal_id == deal.id).order_by(StageChange.id))
            )
            assert changes and changes[0].from_stage_id is None and changes[-1].to_stage_id == deal.stage_id


def check_answer(live, sent, started):
    # Slack sends nothing near MAX_BODY; a body past it is refused unread, with 413.
    assert sent.status == (413 if sent.size > MAX_BODY else 200), sent
    assert time.monotonic() - started < 3, "Slack gives up after three seconds"
    assert not live.errors.records, [r.getMessage() for r in live.errors.records]


@FUZZ
@given(text=nasty_text)
def test_slash_command_text(live, text):
    started = time.monotonic()
    sent = live.run(live.bench.client.command("UALICE", text))
    check_answer(live, sent, started)
    assert_sane(live.bench.db)


@FUZZ
@given(
    values=st.dictionaries(
        st.sampled_from(["name", "company", "amount", "stage", "close", "owner", "notes", "currency"]),
        st.one_of(st.none(), nasty_text, st.sampled_from(["2026-02-30", "-1", "1e99", "0"])),
    )
)
def test_new_deal_modal_values(live, values):
    client, slack = live.bench.client, live.bench.slack
    live.run(client.command("UALICE", ""))
    view = list(slack.views.values())[-1]
    started = time.monotonic()
    sent = live.run(client.submit("UALICE", view, values))
    check_answer(live, sent, started)
    if sent.body and sent.status == 200:
        assert json.loads(sent.body)["response_action"] == "errors"
    assert_sane(live.bench.db)


@FUZZ
@given(
    action=st.sampled_from(["deal_won", "deal_lost", "deal_edit", "deal_note", "deal_move"]), value=nasty_text
)
def test_button_values(live, action, value):
    client, _slack = live.bench.client, live.bench.slack
    card = live.run(client.reply(live.run(client.command("UALICE", "#1"))))
    for block in card.blocks:
        for element in block.get("elements", []):
            element["value"] = value[:2000]
            for option in element.get("options", []):
                option["value"] = value[:150] or "x"
    started = time.monotonic()
    kwargs = {"option": (value[:150] or "x")} if action == "deal_move" else {}
    sent = live.run(client.click("UALICE", card, action, **kwargs))
    check_answer(live, sent, started)
    assert_sane(live.bench.db)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), nasty_text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(
    event=st.fixed_dictionaries(
        {"type": st.sampled_from(["app_home_opened", "message", "bogus", ""])},
        optional={
            "user": json_values,
            "tab": json_values,
            "channel": json_values,
            "text": json_values,
            "subtype": json_values,
        },
    ),
    team=st.one_of(st.just("T0LOCAL"), nasty_text),
)
def test_event_payloads(live, event, team):
    started = time.monotonic()
    sent = live.run(live.bench.client.event(event, team=team if isinstance(team, str) else None))
    # 400: ids not Slack-shaped; 401: another workspace than the token's (by design); 404: not subscribed
    assert sent.status in ((413,) if sent.size > MAX_BODY else (200, 400, 401, 404)), sent
    assert time.monotonic() - started < 3
    assert not live.errors.records, [r.getMessage() for r in live.errors.records]


@FUZZ
@given(payload=json_values)
def test_interaction_payloads_of_any_shape(live, payload):
    started = time.monotonic()
    sent = live.run(live.bench.client.interaction(payload if isinstance(payload, dict) else {"x": payload}))
    assert sent.status in ((413,) if sent.size > MAX_BODY else (200, 400, 404)), sent
    assert time.monotonic() - started < 3
    assert not live.errors.records, [r.getMessage() for r in live.errors.records]
