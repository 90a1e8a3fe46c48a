"""End to end: where a BANT qualification starts and ends: the offer when a deal enters Qualification,
the card, the Home tab and the edit modal, someone else starting it, the summary's buttons, and a deal
closed or deleted meanwhile."""

import asyncio

import pytest
from sqlalchemy import text
from sqlmodel import select

from models.tables import Deal, Stage
from tests.chat import Chat, add, buttons, deal
from tests.helpers import move_option, text_of
from tests.qualifying import answers, closed_questions, make_manager, qualification

# Each test over HTTP and over Socket Mode; none may make a listener fail with an unexpected error.
pytestmark = [pytest.mark.transports, pytest.mark.usefixtures("nothing_went_wrong")]


async def test_entering_qualification_offers_a_qualification_once(bench):
    chat = Chat(bench)
    await add(bench, '"Acme" 50k stage:qualification')
    offer = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    assert "is now in Qualification" in text_of(offer) and "qualify_start" in buttons(offer)
    await add(bench, '"Globex" 10k')
    await bench.client.reply(await bench.client.command("UALICE", "move #2 qualification"))
    await bench.slack.wait_for(lambda: len(chat.dms()) == 2)
    assert "#2 Globex" in text_of(chat.last())
    first = await chat.click("qualify_start", offer)
    assert "#1 Acme" in text_of(first) and "Budget" in text_of(first)
    await bench.slack.wait_for(lambda: offer.history)
    assert "Qualifying deal #1" in text_of(offer) and not buttons(offer)
    # Out and back in while it runs: no second offer.
    await bench.client.reply(await bench.client.command("UALICE", "move #1 prospecting"))
    await bench.client.reply(await bench.client.command("UALICE", "move #1 qualification"))
    await asyncio.sleep(0.3)
    assert len(chat.dms()) == 3
    # Bob's deal moved by an admin: Bob, its owner, is offered it.
    await add(bench, '"Bobs" 5k', user="UBOB")
    await bench.client.reply(await bench.client.command("UADMIN", "move #3 qualif"))
    bob = await bench.slack.wait_for(lambda: bench.slack.dms("UBOB") and bench.slack.dms("UBOB")[-1])
    assert "#3 Bobs" in text_of(bob)


async def test_offer_from_the_card_select_and_the_edit_modal(bench):
    await add(bench, '"Acme" 50k')
    await add(bench, '"Globex" 10k')
    chat = Chat(bench)
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    with bench.db.read() as s:
        qualification_stage = s.exec(select(Stage).where(Stage.key == "qualification")).one()
    option = move_option(card, qualification_stage.id)
    await bench.client.click("UALICE", card, "deal_move", option=option)
    await bench.slack.wait_for(lambda: chat.dms())
    assert "#1 Acme" in text_of(chat.last())
    await bench.client.command("UALICE", "edit #2")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_edit"), None)
    )
    await bench.client.submit("UALICE", view, {"stage": str(qualification_stage.id)})
    await bench.slack.wait_for(lambda: len(chat.dms()) == 2)
    assert "#2 Globex" in text_of(chat.last())


async def test_card_and_home_show_the_result_and_their_buttons_start_it(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "qualify_start" in buttons(card) and "BANT" not in text_of(card)
    first = await chat.click("qualify_start", card)
    assert "Budget" in text_of(first)
    await chat.say("40k budget, she decides")
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "*BANT* in progress · 2 of 4 answered" in text_of(card)
    home = await bench.client.open_home("UALICE")
    assert "BANT 2/4" in text_of(home)
    await chat.say("they need to automate billing")
    await chat.say("no rush")
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "Qualified · score *85*/100" in text_of(card)  # 25 + 25 + 25 + 10 for no rush
    home = await bench.client.open_home("UALICE")
    assert "BANT 85 :white_check_mark:" in text_of(home)
    # The Home tab's Qualify on a finished qualification brings the summary, to edit it.
    summary = await chat.click("qualify_start", home)
    assert "BANT for" in text_of(summary) and "qualify_edit" in buttons(summary)


async def test_someone_else_starting_it_asks_the_owner(bench):
    await add(bench, '"Acme" 50k')
    make_manager(bench, "UBOB")  # a rep cannot touch Alice's deal; her manager can
    reply = await bench.client.reply(await bench.client.command("UBOB", "qualify #1"))
    assert "I've asked <@UALICE>" in text_of(reply)
    first = await bench.slack.wait_for(lambda: bench.slack.dms("UALICE") and bench.slack.dms("UALICE")[-1])
    assert "Budget" in text_of(first) and bench.slack.dms("UBOB") == []
    # Bob pressing Alice's buttons (a forged click) is refused and changes nothing.
    await bench.client.click("UBOB", first, "qualify_yes")
    refused = await bench.slack.wait_for(
        lambda: [m for msgs in bench.slack.responses.values() for m in msgs if "Only <@UALICE>" in text_of(m)]
    )
    assert refused and answers(bench.db) == {}
    # Bob typing in his own DM has no qualification: a hint.
    hint = await Chat(bench, "UBOB").say("yes 40k")
    assert "/deal qualify" in text_of(hint)
    # A message in Alice's DM from someone else is ignored.
    alice = Chat(bench)
    await alice.quiet(
        lambda: bench.client.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "DUALICE",
                "user": "UBOB",
                "text": "yes 40k",
                "ts": "1.1",
            }
        )
    )
    assert answers(bench.db) == {}


async def test_summary_buttons_move_lose_and_edit(bench):
    await add(bench, '"Acme" 50k stage:qualification')
    await add(bench, '"Globex" 20k')
    chat = Chat(bench)
    offer = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    await chat.click("qualify_start", offer)
    summary = await chat.say(
        f"50k approved, the CEO signs, they need faster quotes, live by May {bench.now().year + 1}"
    )
    assert "Qualified" in text_of(summary)
    edit = await chat.click("qualify_edit", summary, option="1:authority")
    assert "Authority" in text_of(edit) and "Now: Needs sign-off from CEO" in text_of(edit)
    summary = await chat.say("she decides")
    assert "score *100*/100" in text_of(summary)
    assert answers(bench.db)["authority"].status == "decision_maker"
    await bench.client.click("UALICE", summary, "qualify_advance")
    await bench.slack.wait_for(lambda: summary.history)
    assert "moved to First contact" in text_of(summary)
    with bench.db.read() as s:
        assert s.get(Stage, deal(bench.db).stage_id).key == "first_contact"
    # Globex: disqualified and marked lost from its summary.
    await chat.command("qualify #2")
    await bench.slack.wait_for(lambda: "#2 Globex" in text_of(chat.last()))
    await chat.click("qualify_no")
    await chat.click("qualify_no")  # no budget expected either
    summary = await chat.say("skip")
    summary = await chat.say("skip")
    summary = await chat.say("skip")
    assert "Disqualify" in text_of(summary)
    await bench.client.click("UALICE", summary, "qualify_lost")
    await bench.slack.wait_for(lambda: summary.history)
    assert "marked lost: not qualified" in text_of(summary) and "qualify_lost" not in buttons(summary)
    assert deal(bench.db, 2).lost_reason_key == "not_qualified"


async def test_a_deal_won_lost_or_deleted_meanwhile_ends_it_politely(bench):
    for name in ("Won", "Lost", "Gone"):
        await add(bench, f'"{name}" 10k')
    make_manager(bench, "UBOB")
    chat = Chat(bench)
    for number, close in ((1, "won #1"), (2, "lost #2 price")):
        await chat.command(f"qualify #{number}")
        await bench.slack.wait_for(
            lambda number=number: f"#{number}" in text_of(chat.last()) and "Budget" in text_of(chat.last())
        )
        await bench.client.reply(await bench.client.command("UBOB", close))
        ended = await chat.say("yes, 40k")
        assert "meanwhile, so I've ended its qualification" in text_of(ended)
        assert qualification(bench.db, number).status == "ended"
    await chat.command("qualify #3")
    question = await bench.slack.wait_for(lambda: "#3" in text_of(chat.last()) and chat.last())
    with bench.db.write() as s:  # no command deletes deals (yet); another feature or an admin might
        gone = s.exec(select(Deal).where(Deal.number == 3)).one()
        s.exec(text(f"DELETE FROM stage_change WHERE deal_id = {gone.id}"))
        s.exec(text(f"DELETE FROM deal WHERE id = {gone.id}"))
    ended = await chat.click("qualify_yes", question)
    assert "Deal #3 no longer exists" in text_of(ended)
    assert qualification(bench.db, 3).deal_id is None
    reply = await chat.command("qualify #1")
    assert "closed, so there is nothing to qualify" in text_of(reply)
    await closed_questions(chat)
