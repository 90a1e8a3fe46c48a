"""The Block Kit builders stay inside Slack's limits, whatever the data."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk.models.views import View

from bot.i18n import translator
from localslack.checks import check_blocks
from models.tables import Deal, DealNote, LostReason, Stage
from services.deals import Card, PipelineRow
from views.deals import card_message, deal_list, help_text, pipeline
from views.home import home
from views.modals import deal_form, lost_form, note_form

_ = translator("en")
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
STAGES = [
    Stage(
        id=i,
        team_id="T",
        key=f"s{i}",
        name=f"Stage {i} " + "x" * 50,
        position=i,
        kind="open",
        probability=10,
        stall_days=7,
    )
    for i in range(1, 120)
]


def deal(number: int, **kw) -> Deal:
    values: dict[str, Any] = dict(
        id=number,
        team_id="T",
        number=number,
        name="N" * 200,
        company="C" * 200,
        amount_cents=123_456_789_00,
        currency="EUR",
        stage_id=1,
        owner_id="U1",
        created_by="U1",
        close_date=date(2026, 12, 1),
        notes="z" * 3000,
        created_at=NOW - timedelta(days=3),
        updated_at=NOW,
        last_activity_at=NOW - timedelta(days=2),
        version=1,
    )
    values.update(kw)
    return Deal(**values)


def test_a_card_with_everything_at_its_longest_is_valid():
    notes = [DealNote(team_id="T", deal_id=1, user_id="U1", text="<@U2> & <#C1> " + "n" * 2990, at=NOW)] * 3
    message = card_message(Card(deal(7, lost_reason="r" * 300), STAGES[0], STAGES, notes), _, NOW, "headline")
    assert check_blocks(message["blocks"], 50) is None
    select = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "deal_move"
    )
    assert len(select["options"]) == 100  # Slack's cap, though the team has 119 stages


def test_rep_text_cannot_mention_or_link():
    message = card_message(Card(deal(1, name="<!channel> <@U9> & co"), STAGES[0], STAGES[:3]), _, NOW)
    text = message["blocks"][0]["text"]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "&amp; co" in text


def test_a_long_list_is_packed_into_valid_sections():
    rows = [(deal(i), STAGES[0]) for i in range(1, 21)]
    blocks = deal_list("Title", rows, total=500, _=_, now=NOW, empty="none")
    assert check_blocks(blocks, 50) is None
    assert "…and 480 more" in str(blocks)


def test_home_with_hundreds_of_deals_is_valid():
    view = home(_, "U1", STAGES[:6], [deal(i, stage_id=1 + i % 6) for i in range(1, 201)], 200, NOW)
    assert check_blocks(view["blocks"], 100) is None
    View(**view).to_dict()


def test_modals_are_valid_with_long_values():
    meta = '{"o":"cmd","u":"http://x/' + "u" * 2000 + '"}'
    for view in (
        deal_form(_, STAGES, "EUR", "U1", meta),
        deal_form(_, STAGES, "EUR", "U1", meta, deal=deal(123456)),
        note_form(_, deal(1), meta),
        lost_form(
            _,
            deal(1),
            [LostReason(team_id="T", key=f"k{i}", text="t" * 100, position=i) for i in range(150)],
            meta,
        ),
    ):
        View(**view).to_dict()
        assert check_blocks(view["blocks"], 100) is None
        assert len(view["title"]["text"]) <= 24


def test_pipeline_and_help_are_valid():
    rows = [PipelineRow(s, 3, {"EUR": 100_00, "USD": 5_00}) for s in STAGES[:6]]
    assert check_blocks(pipeline("T", rows, {"EUR": 1}, _), 50) is None
    assert check_blocks(pipeline("T", [], {}, _), 50) is None
    assert check_blocks(help_text(_), 50) is None


def test_money_is_written_as_babel_writes_it():
    """format_money's fast path (a shape read off babel's own output) writes what babel would."""
    import random

    from bot.i18n import _babel_money, format_money

    rng = random.Random(3)
    for language in ("en", "nl", "de"):
        for currency in ("EUR", "USD", "GBP", "JPY", "CHF", "SEK"):
            for _ in range(500):
                cents = rng.choice(
                    [
                        rng.randrange(0, 10**6),
                        rng.randrange(0, 10**13),
                        rng.randrange(0, 10**4) * 100,
                        -rng.randrange(1, 10**6),
                    ]
                )
                assert format_money(cents, currency, language) == _babel_money(cents, currency, language)
