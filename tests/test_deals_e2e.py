"""End to end: /deal and its buttons and modals, driven through the local Slack over HTTP."""

from datetime import date

import pytest
from sqlmodel import col, select

from models.tables import Deal, DealNote, Stage, StageChange
from tests.helpers import move_option, text_of

pytestmark = pytest.mark.transports  # each test over HTTP and over Socket Mode


def deals_in(db):
    with db.read() as s:
        return list(s.exec(select(Deal).order_by(col(Deal.number))))


def history(db, number):
    with db.read() as s:
        deal = s.exec(select(Deal).where(Deal.number == number)).one()
        rows = s.exec(select(StageChange).where(StageChange.deal_id == deal.id).order_by(col(StageChange.id)))
        names = {st.id: st.key for st in s.exec(select(Stage))}
        return [(names.get(r.from_stage_id), names[r.to_stage_id], r.user_id) for r in rows]


async def add(bench, text, user="UALICE"):
    sent = await bench.client.command(user, "add " + text)
    assert sent.status == 200
    return await bench.client.reply(sent)


async def test_add_reads_every_part_of_the_line(bench):
    reply = await add(bench, '"Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme')
    assert "Added deal #1" in text_of(reply)
    [deal] = deals_in(bench.db)
    assert (deal.name, deal.amount_cents, deal.currency, deal.company) == (
        "Acme renewal",
        5_000_000,
        "EUR",
        "Acme",
    )
    assert deal.close_date == date(2026, 12, 15)
    assert history(bench.db, 1) == [(None, "proposal", "UALICE")]
    assert deal.owner_id == "UALICE"


async def test_amount_forms_and_stage_prefixes(bench):
    cases = [
        ("Alpha 50000", 5_000_000, None),
        ("Beta 1.2m", 120_000_000, None),
        ("Gamma €50.000", 5_000_000, "EUR"),
        ("Delta 50,000 USD", 5_000_000, "USD"),
        ("Eps 1,2 Mio €", 120_000_000, "EUR"),
        ("Zeta 50k stage:NEG", 5_000_000, None),
        ("Eta 10k stage:needs", 1_000_000, None),
    ]
    for text, _, _ in cases:
        await add(bench, text)
    deals = deals_in(bench.db)
    assert [d.amount_cents for d in deals] == [c for _, c, _ in cases]
    assert [d.currency for d in deals] == [cur or "EUR" for _, _, cur in cases]
    assert [d.number for d in deals] == list(range(1, len(cases) + 1))
    assert history(bench.db, 6)[0][1] == "negotiation"
    assert history(bench.db, 7)[0][1] == "needs_assessment"


async def test_written_close_dates(bench):
    await add(bench, 'Acme close:"15 Dec 2026"')
    await add(bench, "Beta close:15/01/2027")
    assert [d.close_date for d in deals_in(bench.db)] == [date(2026, 12, 15), date(2027, 1, 15)]


async def test_bad_input_gets_a_specific_reply_and_changes_nothing(bench):
    await add(bench, "Existing 10k")
    cases = {
        "add Acme abc50k stage:proposal close:someday": "can't read the date",
        "add Acme -5000": "can't be negative",
        "add Acme 99999999999": "more than I believe",
        "add Acme 10k stage:bogus": "There is no stage `bogus`",
        "add Acme 10k stage:n": "could be several stages",
        "add " + "x" * 5000: "too long",
        "add": "Give the deal a name",
        "frobnicate #1": "I don't know `frobnicate`",
        "#99": "There is no deal #99",
        "move #99 proposal": "There is no deal #99",
        "move #1": "Say which stage",
        "won abc": "Give the deal's number",
        "note #1": "Write the note",
    }
    for text, expected in cases.items():
        sent = await bench.client.command("UALICE", text)
        reply = await bench.client.reply(sent)
        assert expected in text_of(reply), (text, text_of(reply))
    assert [(d.number, d.name) for d in deals_in(bench.db)] == [(1, "Existing")]
    assert history(bench.db, 1) == [(None, "prospecting", "UALICE")]


async def test_sql_looking_text_is_stored_as_text(bench):
    name = "Robert'); DROP TABLE deal;--"
    await add(bench, f'"{name}" 10k company:"x\' OR 1=1 --"')
    [deal] = deals_in(bench.db)
    assert deal.name == name and deal.company == "x' OR 1=1 --"


async def test_empty_text_opens_the_new_deal_modal_and_submitting_it_adds_the_deal(bench):
    # An admin, so that she may give the deal to Bob.
    sent = await bench.client.command("UADMIN", "")
    assert sent.status == 200
    [opened] = await bench.slack.wait_for(lambda: bench.slack.calls_to("views.open"))
    view = next(iter(bench.slack.views.values()))
    assert view["callback_id"] == "deal_new"
    stage_ids = {
        o["text"]["text"]: o["value"]
        for o in next(b for b in view["blocks"] if b["block_id"] == "stage")["element"]["options"]
    }
    ack = await bench.client.submit(
        "UADMIN",
        view,
        {
            "name": "Initech",
            "amount": "€ 12.500",
            "company": "Initech",
            "stage": stage_ids["Proposal"],
            "close": "2026-12-31",
            "owner": "UBOB",
            "notes": "Met at the fair",
        },
    )
    assert ack.status == 200 and ack.body == ""
    reply = await bench.client.reply(sent)
    assert "Added deal #1" in text_of(reply)
    [deal] = deals_in(bench.db)
    assert (deal.name, deal.amount_cents, deal.owner_id, deal.created_by) == (
        "Initech",
        1_250_000,
        "UBOB",
        "UADMIN",
    )
    assert deal.close_date == date(2026, 12, 31) and deal.notes == "Met at the fair"


async def test_modal_field_errors_come_back_into_the_modal(bench):
    await bench.client.command("UALICE", "")
    await bench.slack.wait_for(lambda: bench.slack.views)
    view = next(iter(bench.slack.views.values()))
    ack = await bench.client.submit("UALICE", view, {"name": "", "amount": "lots"})
    assert ack.json["response_action"] == "errors"
    assert set(ack.json["errors"]) == {"name", "amount"}
    assert "can't read the amount" in ack.json["errors"]["amount"]
    ack = await bench.client.submit("UALICE", view, {"name": "A", "amount": "-3"})
    assert "negative" in ack.json["errors"]["amount"]
    ack = await bench.client.submit("UALICE", view, {"name": "A", "stage": "999999"})
    assert ack.json["errors"] == {"stage": "That stage no longer exists. Pick another."}
    assert deals_in(bench.db) == []


async def test_card_buttons_act_and_update_the_card_in_place(bench):
    await add(bench, '"Acme" 50k stage:proposal')
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "Acme" in text_of(card)
    # Move with the select on the card.
    with bench.db.read() as s:
        negotiation = s.exec(select(Stage).where(Stage.key == "negotiation")).one()
    option = move_option(card, negotiation.id)
    sent = await bench.client.click("UALICE", card, "deal_move", option=option)
    assert sent.status == 200
    await bench.slack.wait_for(lambda: card.history)
    assert "moved to Negotiation" in text_of(card)
    # Won.
    await bench.client.click("UALICE", card, "deal_won")
    await bench.slack.wait_for(lambda: len(card.history) == 2)
    assert "is won" in text_of(card)
    assert history(bench.db, 1) == [
        (None, "proposal", "UALICE"),
        ("proposal", "negotiation", "UALICE"),
        ("negotiation", "won", "UALICE"),
    ]
    # A won deal offers no Won/Lost buttons any more.
    assert "deal_won" not in str(card.blocks)


async def test_note_and_edit_buttons_open_modals_that_update_the_card(bench):
    await add(bench, '"Acme" 50k')
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    await bench.client.click("UALICE", card, "deal_note")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_note"), None)
    )
    empty = await bench.client.submit("UALICE", view, {"note": "   "})
    assert "note" in empty.json["errors"]
    ack = await bench.client.submit("UALICE", view, {"note": "Called the CFO"})
    assert ack.status == 200 and ack.body == ""
    await bench.slack.wait_for(lambda: card.history)
    assert "Called the CFO" in text_of(card)
    await bench.client.click("UALICE", card, "deal_edit")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_edit"), None)
    )
    ack = await bench.client.submit("UALICE", view, {"name": "Acme Corp renewal", "amount": "60k"})
    assert ack.body == ""
    await bench.slack.wait_for(lambda: len(card.history) == 2)
    [deal] = deals_in(bench.db)
    assert (deal.name, deal.amount_cents, deal.company) == ("Acme Corp renewal", 6_000_000, None)
    with bench.db.read() as s:
        assert [n.text for n in s.exec(select(DealNote))] == ["Called the CFO"]
    assert "Acme Corp renewal" in text_of(card)


async def test_lost_button_asks_for_a_reason(bench):
    await add(bench, '"Acme" 50k')
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    await bench.client.click("UALICE", card, "deal_lost")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_lost"), None)
    )
    nothing = await bench.client.submit("UALICE", view, {})
    assert "reason" in nothing.json["errors"]
    await bench.client.submit("UALICE", view, {"reason": "competitor", "details": "went with Globex"})
    await bench.slack.wait_for(lambda: card.history)
    [deal] = deals_in(bench.db)
    assert deal.lost_reason_key == "competitor"
    assert deal.lost_reason == "Lost to a competitor — went with Globex"
    assert "marked lost" in text_of(card)


async def test_typed_commands_move_win_lose_and_note(bench):
    for name in ("A", "B", "C"):
        await add(bench, f"{name} 10k")
    reply = await bench.client.reply(await bench.client.command("UALICE", "move #1 prop"))
    assert "moved to Proposal" in text_of(reply)
    reply = await bench.client.reply(await bench.client.command("UALICE", "move #1 proposal"))
    assert "already in Proposal" in text_of(reply)
    reply = await bench.client.reply(await bench.client.command("UALICE", "won #1"))
    assert "is won" in text_of(reply)
    reply = await bench.client.reply(await bench.client.command("UALICE", "won #1"))
    assert "already won" in text_of(reply)
    reply = await bench.client.reply(await bench.client.command("UALICE", "lost #2 price"))
    assert "marked lost" in text_of(reply)
    reply = await bench.client.reply(await bench.client.command("UALICE", "note #3 Sent the proposal"))
    assert "Sent the proposal" in text_of(reply)
    deals = deals_in(bench.db)
    assert deals[1].lost_reason_key == "price"
    assert history(bench.db, 1)[-1] == ("proposal", "won", "UALICE")


async def test_lost_without_reason_opens_the_reason_modal(bench):
    await add(bench, "A 10k")
    sent = await bench.client.command("UALICE", "lost #1")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_lost"), None)
    )
    await bench.client.submit("UALICE", view, {"details": "They froze all spending"})
    reply = await bench.client.reply(sent)
    assert "marked lost" in text_of(reply)
    assert deals_in(bench.db)[0].lost_reason == "They froze all spending"


async def test_list_filters(bench):
    await add(bench, "Mine1 10k stage:proposal")
    await add(bench, "Mine2 20k")
    await add(bench, "Bobs 30k stage:proposal", user="UBOB")
    await bench.client.reply(await bench.client.command("UALICE", "won #2"))
    mine = text_of(await bench.client.reply(await bench.client.command("UALICE", "list")))
    assert "Mine1" in mine and "Mine2" not in mine and "Bobs" not in mine
    everyone = text_of(await bench.client.reply(await bench.client.command("UADMIN", "list all")))
    assert "Mine1" in everyone and "Bobs" in everyone and "(2)" in everyone
    proposal = text_of(await bench.client.reply(await bench.client.command("UADMIN", "list prop")))
    assert "Deals in Proposal (2)" in proposal
    stalled = text_of(await bench.client.reply(await bench.client.command("UALICE", "list stalled")))
    assert "No deal is stalled" in stalled


async def test_long_lists_end_with_and_n_more(bench):
    for i in range(25):
        await add(bench, f"Deal{i} {i + 1}k")
    reply = await bench.client.reply(await bench.client.command("UALICE", "list"))
    assert "…and 5 more" in text_of(reply)
    assert "(25)" in text_of(reply)


async def test_help(bench):
    reply = await bench.client.reply(await bench.client.command("UALICE", "help"))
    assert "/deal add" in text_of(reply) and "/pipeline" in text_of(reply)


@pytest.mark.http_only  # asserts the HTTP status
async def test_a_request_naming_another_workspace_is_refused(bench):
    """With one workspace's token, a (validly signed) request for another workspace reads nothing."""
    await add(bench, "Secret 99k")
    bench.slack.add_user("UEVE", "eve", team_id="T0OTHER")
    for text in ("#1", "won #1", "add Other 5k"):
        sent = await bench.client.command("UEVE", text)
        assert sent.status == 401
    assert [(d.team_id, d.number, d.name, d.closed_at) for d in deals_in(bench.db)] == [
        ("T0LOCAL", 1, "Secret", None)
    ]
    assert bench.slack.calls_to("response_url") == [
        c for c in bench.slack.calls_to("response_url") if c.args["key"] != sent.response_key
    ]
