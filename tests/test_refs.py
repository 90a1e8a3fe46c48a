"""Button values and modal metadata (domain/refs.py): what posted messages carry still parses."""

import json
from types import SimpleNamespace
from typing import cast

import pytest
from sqlmodel import select

from bot.deps import Deps
from bot.i18n import translator
from domain.errors import UserError
from domain.refs import BUTTON_OUT_OF_DATE, FORM_OUT_OF_DATE, CardRef, FormMeta, Origin, QuestionRef
from handlers import register_all
from handlers.routes import ANY_ID
from models.tables import Deal, DealNote, Stage
from views.ids import Action, Shortcut, View

# Values exactly as cards, nudges and the BANT summary have posted them since before domain/refs.py.
CARD_VALUES = [
    ("12", CardRef(12)),
    ("12:3", CardRef(12, 3)),
    ("12:3:4", CardRef(12, 3, 4)),
    ("12:3:4:extra", CardRef(12, 3, 4)),  # a fourth part was always ignored
    ("999999999:1", CardRef(999_999_999, 1)),
]
STALE_VALUES = ["", "new", "12:", ":3", "12:x", "12:3:x", "1234567890:1", "-1:3", "12:budget", " 12"]


@pytest.mark.parametrize(("value", "ref"), CARD_VALUES)
def test_a_card_value_posted_before_the_change_still_parses(value, ref):
    assert CardRef.parse(value) == ref


@pytest.mark.parametrize("value", STALE_VALUES + [None])
def test_a_value_the_bot_never_wrote_is_an_out_of_date_button(value):
    with pytest.raises(UserError) as err:
        CardRef.parse(value)
    assert err.value.message == BUTTON_OUT_OF_DATE
    assert (
        err.value.text(translator("en")) == "That button is out of date. Open the deal again with `/deal #N`."
    )


@pytest.mark.parametrize("value", ["12", "12:3", "x"])
def test_a_move_option_needs_its_stage(value):
    with pytest.raises(UserError) as err:
        CardRef.option(value)
    assert err.value.message == BUTTON_OUT_OF_DATE


def test_a_move_option_reads_back():
    assert CardRef.option(CardRef(12, 3, 4).encode()) == CardRef(12, 3, 4)


@pytest.mark.parametrize("ref", [CardRef(12), CardRef(12, 3), CardRef(12, 3, 4)])
def test_a_card_value_reads_back_as_it_was_written(ref):
    assert CardRef.parse(ref.encode()) == ref


def test_a_move_option_is_the_card_value_and_the_target_stage():
    assert CardRef(7, 2).to(5).encode() == "7:2:5"


# Qualification buttons as posted: a question's (qualification id:question), the summary's Edit
# options (deal:question), Switch (deal[:question]) and Keep (qualification id).
QUESTION_VALUES = [
    ("31:budget", True, QuestionRef(31, "budget")),
    ("4:timeline", True, QuestionRef(4, "timeline")),
    ("4", False, QuestionRef(4)),
    ("4:need", False, QuestionRef(4, "need")),
]


@pytest.mark.parametrize(("value", "required", "ref"), QUESTION_VALUES)
def test_a_qualification_value_posted_before_the_change_still_parses(value, required, ref):
    assert QuestionRef.parse(value, question_required=required) == ref
    assert QuestionRef.parse(ref.encode(), question_required=required) == ref


@pytest.mark.parametrize(
    ("value", "required"),
    [
        ("4", True),
        ("4:", True),
        ("4:price", False),
        ("x:budget", True),
        ("1234567890:budget", True),
        ("", False),
    ],
)
def test_a_qualification_value_the_bot_never_wrote_is_an_out_of_date_button(value, required):
    with pytest.raises(UserError) as err:
        QuestionRef.parse(value, question_required=required)
    assert err.value.message == BUTTON_OUT_OF_DATE


# Metadata exactly as the modals wrote it with views.common.metadata(**one-letter keys), nulls included.
OLD_METADATA = [
    ('{"o":"home"}', FormMeta(origin=Origin.HOME)),
    ('{"o":"home","n":4,"s":2}', FormMeta(4, 2, Origin.HOME)),
    ('{"o":"msg","u":null,"n":4,"s":null}', FormMeta(4, None, Origin.MESSAGE)),
    (
        '{"o":"cmd","u":"https://hooks.slack.com/actions/T1/1/abc","n":4}',
        FormMeta(4, origin=Origin.COMMAND, response_url="https://hooks.slack.com/actions/T1/1/abc"),
    ),
    (
        '{"n":4,"s":2,"u":"https://r","c":"D0ALICE","t":"1764748800.000100","z":"Europe/Amsterdam"}',
        FormMeta(4, 2, None, "https://r", "D0ALICE", "1764748800.000100", "Europe/Amsterdam"),
    ),
    (
        '{"n":4,"d":"2026-12-01","u":null,"z":"Europe/Berlin"}',
        FormMeta(4, zone="Europe/Berlin", day="2026-12-01"),
    ),
    ('{"u":"https://r"}', FormMeta(response_url="https://r")),
    ("{}", FormMeta()),
]


@pytest.mark.parametrize(("text", "meta"), OLD_METADATA)
def test_metadata_written_before_the_change_still_parses(text, meta):
    assert FormMeta.parse(text) == meta
    assert FormMeta.of({"private_metadata": text}) == meta


@pytest.mark.parametrize(("_text", "meta"), OLD_METADATA)
def test_metadata_reads_back_as_it_was_written_with_the_same_keys(_text, meta):
    encoded = FormMeta.parse(meta.encode())
    assert encoded == meta
    assert set(json.loads(meta.encode())) <= set("nsouctzd")


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not json",
        "[4]",
        '"4"',
        '{"n":"4"}',
        '{"n":0}',
        '{"n":1000000000}',
        '{"n":true}',
        '{"n":4.0}',
    ],
)
def test_metadata_that_names_no_deal_is_an_out_of_date_form(text):
    meta = FormMeta.parse(text)
    assert meta.deal is None
    with pytest.raises(UserError) as err:
        _ = meta.number
    assert err.value.message == FORM_OUT_OF_DATE


def test_values_of_the_wrong_type_read_as_absent_and_the_rest_is_kept():
    meta = FormMeta.parse('{"n":4,"s":"2","o":"elsewhere","u":5,"c":["D1"],"z":null}')
    assert meta == FormMeta(4)


def test_metadata_too_long_for_slack_drops_the_response_url_and_keeps_the_rest():
    url = "https://hooks.slack.com/actions/T0/1/" + "x" * 3000
    meta = json.loads(FormMeta(12, 3, Origin.COMMAND, url).encode())
    assert meta == {"o": "cmd", "n": 12, "s": 3}
    short = "https://hooks.slack.com/actions/T0/1/abc"
    assert json.loads(FormMeta(12, origin=Origin.COMMAND, response_url=short).encode()) == {
        "n": 12,
        "o": "cmd",
        "u": short,
    }


# End to end: a card and a modal as they were posted before, answered by today's bot.


async def card_of(bench, text):
    assert (await bench.client.command("UALICE", "add " + text)).status == 200
    await bench.client.reply(await bench.client.command("UALICE", "add placeholder 1k"))
    return await bench.client.reply(await bench.client.command("UALICE", "#1"))


def stage_ids(db):
    with db.read() as s:
        return {st.key: st.id for st in s.exec(select(Stage))}


async def test_a_card_posted_with_todays_literal_values_still_moves_its_deal(bench):
    card = await card_of(bench, '"Acme" 50k stage:prospecting')
    ids = stage_ids(bench.db)
    lead, proposal = ids["prospecting"], ids["proposal"]
    # The wire format did not change: the card's buttons carry "number:shown stage", its move
    # options "number:shown stage:target".
    values = [e.get("value") for b in card.blocks if b["type"] == "actions" for e in b["elements"]]
    assert f"1:{lead}" in values
    await bench.client.click("UALICE", card, "deal_move", option=f"1:{lead}:{proposal}")
    await bench.slack.wait_for(lambda: card.history)
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.number == 1)).one()
    assert deal.stage_id == proposal


async def test_a_modal_opened_before_the_change_still_saves_where_it_says(bench):
    card = await card_of(bench, '"Acme" 50k stage:prospecting')
    await bench.client.click("UALICE", card, "deal_note")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_note"), None)
    )
    # As views.common.metadata wrote it for a card's Log note: origin, response_url, deal, shown stage.
    new = json.loads(view["private_metadata"])
    old = json.dumps({"o": "msg", "u": new["u"], "n": 2, "s": None}, separators=(",", ":"))
    ack = await bench.client.submit("UALICE", dict(view, private_metadata=old), {"note": "Called the CFO"})
    assert ack.status == 200 and ack.body == ""
    with bench.db.read() as s:
        notes = [(n.deal_id, n.text) for n in s.exec(select(DealNote))]
        second = s.exec(select(Deal).where(Deal.number == 2)).one()
    assert notes == [(second.id, "Called the CFO")]


async def test_a_modal_whose_metadata_names_no_deal_says_so_and_changes_nothing(bench):
    card = await card_of(bench, '"Acme" 50k')
    await bench.client.click("UALICE", card, "deal_note")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_note"), None)
    )
    ack = await bench.client.submit(
        "UALICE", dict(view, private_metadata='{"o":"msg","n":"1"}'), {"note": "x"}
    )
    assert ack.json["errors"]["note"] == "That form is out of date. Open the deal again with `/deal #N`."
    with bench.db.read() as s:
        assert list(s.exec(select(DealNote))) == []


# Every id the views emit has its listener, and every listener is registered by its name in views.ids.


class Recorder:
    """Stands in for the Bolt app: records what each listener is registered for."""

    def __init__(self):
        self.registered: list[tuple[str, object]] = []

    def __getattr__(self, kind):
        def register(*args, **kwargs):
            if args:
                self.registered.append((kind, args[0]))
            return lambda listener: listener

        return register


def registered(kind: str) -> list:
    """What each listener of `kind` is registered for: with Bolt, or by its id behind the router
    (handlers.routes.Routes), whose own catch-all registration is not a listener's."""
    app = Recorder()
    # Registering runs no listener or middleware: the dependencies are only kept, so none are needed.
    listeners = register_all(
        app, cast(Deps, SimpleNamespace(db=None, clock=None, languages=None, post_ack=None))
    )
    routed = list(listeners.routes[kind].listeners) if kind in listeners.routes else []
    return [c for k, c in app.registered if k == kind and c is not ANY_ID] + routed


def answered_by(constraints: list, value: str) -> bool:
    return any(c == value if isinstance(c, str) else bool(c.fullmatch(value)) for c in constraints)


def test_every_action_a_view_emits_has_a_listener_and_every_listener_a_named_id():
    actions = registered("action")
    assert [a for a in Action if a != Action.VALUE and not answered_by(actions, a)] == []
    assert [c for c in actions if isinstance(c, str) and not isinstance(c, Action)] == []
    assert answered_by(registered("options"), Action.DEAL_PICK)


def test_every_modal_and_shortcut_has_its_listener_by_its_named_id():
    views = registered("view")
    assert sorted(views) == sorted(View) and all(isinstance(v, View) for v in views)
    shortcuts = registered("message_shortcut") + registered("global_shortcut")
    assert sorted(shortcuts) == sorted(Shortcut) and all(isinstance(s, Shortcut) for s in shortcuts)
