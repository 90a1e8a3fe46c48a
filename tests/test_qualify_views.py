"""The qualification's Block Kit stays inside Slack's limits, whatever the rep typed."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.i18n import translator
from domain.bant import QUESTIONS, Answer, score
from localslack.checks import check_blocks
from models.qualify import Snapshot
from models.tables import Deal, Stage
from services.deals import Card
from services.qualify import DealRef, Turn
from views.deals import card_message
from views.home import home
from views.qualify import FOLLOW_UPS, REPROMPTS, offer_message, turn_message

_ = translator("en")
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
STAGE = Stage(
    id=1,
    team_id="T",
    key="qualification",
    name="Q" * 60,
    position=1,
    kind="open",
    probability=20,
    stall_days=5,
)
NEXT = Stage(id=2, team_id="T", key="x", name="N" * 60, position=2, kind="open", probability=30, stall_days=5)
LONG = "<!channel> & *bold* _it_ `code` " + "w" * 2000


def answers() -> dict[str, Answer]:
    return {
        "budget": Answer(
            "budget",
            "yes",
            1,
            99_999_999_999_00,
            "EUR",
            evidence=LONG[:2000],
            answered_by="U1",
            answered_on=date(2026, 11, 24),
        ),
        "authority": Answer(
            "authority",
            "needs_approval",
            who="W" * 200,
            evidence=LONG[:2000],
            answered_by="U1",
            answered_on=date(2026, 11, 24),
        ),
        "need": Answer("need", "clear", evidence=LONG[:2000]),
        "timeline": Answer("timeline", "date", on_date=date(2099, 12, 31), evidence=LONG[:2000]),
    }


def turn(kind: str, **kw) -> Turn:
    given = answers()
    deal = DealRef(123456789, "D" * 200, STAGE, NEXT, "EUR", "U1")
    values: dict[str, Any] = dict(
        owner_id="U1",
        qid=987654321,
        deal=deal,
        asking="authority",
        answers=given,
        score=score(given),
        noted=list(given.values()),
        note="started",
        target=deal,
        edit="need",
        ended="deleted",
        closed=("budget", "when_budget"),
        reprompt="too_long",
    )
    values.update(kw)
    return Turn(kind, **values)


@pytest.mark.parametrize("kind", ["ask", "reprompt", "summary", "switch", "stopped", "ended"])
def test_every_turn_is_valid_with_everything_at_its_longest(kind):
    message = turn_message(turn(kind), _)
    assert check_blocks(message["blocks"], 50) is None
    assert message["text"] and len(message["text"]) < 40_000
    assert "<!channel>" not in str(message["blocks"])


@pytest.mark.parametrize("follow_up", sorted(FOLLOW_UPS) + [None, "made_up"])
def test_every_follow_up_has_a_question_and_valid_buttons(follow_up):
    question = {"when_budget": "budget", "who_signs": "authority"}.get(follow_up, "timeline")
    message = turn_message(turn("ask", asking=question, follow_up=follow_up), _)
    assert check_blocks(message["blocks"], 50) is None
    for reason in REPROMPTS:
        reply = turn_message(turn("reprompt", asking=question, follow_up=follow_up, reprompt=reason), _)
        assert check_blocks(reply["blocks"], 50) is None


def test_the_offer_and_the_card_with_a_qualification_are_valid():
    assert check_blocks(offer_message(turn("ask").deal, _)["blocks"], 50) is None
    deal = Deal(
        id=1,
        team_id="T",
        number=1,
        name="N" * 200,
        currency="EUR",
        stage_id=1,
        owner_id="U1",
        created_by="U1",
        created_at=NOW,
        updated_at=NOW,
        last_activity_at=NOW,
    )
    snap = Snapshot(1, "done", None, answers(), score(answers()))
    message = card_message(Card(deal, STAGE, [STAGE, NEXT], bant=snap), _, NOW, "headline")
    assert check_blocks(message["blocks"], 50) is None
    assert "qualify_start" in str(message["blocks"])


def test_home_with_hundreds_of_qualified_deals_is_valid():
    deals = [
        Deal(
            id=i,
            team_id="T",
            number=i,
            name="N" * 200,
            company="C" * 200,
            amount_cents=10**12,
            currency="EUR",
            stage_id=1,
            owner_id="U1",
            created_by="U1",
            created_at=NOW,
            updated_at=NOW,
            last_activity_at=NOW - timedelta(days=3),
        )
        for i in range(1, 201)
    ]
    partial = {q: a for q, a in answers().items() if q in QUESTIONS[:2]}
    bant = {
        i: Snapshot(
            i, "active", "need", partial if i % 2 else answers(), score(partial if i % 2 else answers())
        )
        for i in range(1, 201)
    }
    view = home(_, "U1", [STAGE], deals, 200, NOW, bant)
    assert check_blocks(view["blocks"], 100) is None
    View(**view).to_dict()
    assert "BANT 2/4" in str(view) and "BANT 90 :white_check_mark:" in str(view)
