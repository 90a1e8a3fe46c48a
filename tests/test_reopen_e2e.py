"""End to end: `/deal reopen` brings a won or lost deal back into an open stage, and says no clearly."""

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from models.tables import Deal, Stage, StageChange
from tests.helpers import text_of

MONDAY_9 = datetime(2026, 11, 23, 9, tzinfo=UTC)


async def say(bench, user, text):
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


def state(db, number):
    """(stage key, lost reason, closed_at, number of stage changes) of one deal."""
    with db.read() as s:
        deal = s.exec(select(Deal).where(Deal.number == number)).one()
        stage = s.get(Stage, deal.stage_id)
        assert stage is not None
        changes = s.exec(select(StageChange).where(col(StageChange.deal_id) == deal.id)).all()
        return stage.key, deal.lost_reason, deal.closed_at, len(changes)


async def test_a_lost_deal_reopens_in_the_stage_it_was_lost_from(bench):
    bench.fixed_now = MONDAY_9
    await say(bench, "UALICE", 'add "Acme renewal" 50k stage:negotiation')
    await say(bench, "UALICE", "lost #1 Went with a competitor")
    assert state(bench.db, 1)[:2] == ("lost", "Went with a competitor")
    bench.fixed_now = later = MONDAY_9 + timedelta(days=3)
    reply = await say(bench, "UALICE", "reopen #1")
    assert "Deal #1 is reopened in Negotiation." in reply
    # created, lost, reopened: three changes; the reason and the close date are gone.
    assert state(bench.db, 1) == ("negotiation", None, None, 3)
    with bench.db.read() as s:
        last = s.exec(select(StageChange).order_by(col(StageChange.id).desc())).first()
        assert last is not None and last.at == later and last.user_id == "UALICE"


async def test_a_won_deal_reopens_in_the_stage_named(bench):
    bench.fixed_now = MONDAY_9
    await say(bench, "UALICE", "add Beta 10k stage:proposal")
    await say(bench, "UALICE", "won #1")
    before = len(bench.slack.dms("UALICE"))
    reply = await say(bench, "UALICE", "reopen #1 qualification")
    assert "Deal #1 is reopened in Qualification." in reply
    # Back in Qualification, the owner is offered BANT after the ack: wait for it, so that no
    # listener is still writing when the next test empties the database.
    await bench.slack.wait_for(lambda: len(bench.slack.dms("UALICE")) > before)
    assert state(bench.db, 1) == ("qualification", None, None, 3)


async def test_bad_reopens_get_a_clear_answer_and_change_nothing(bench):
    bench.fixed_now = MONDAY_9
    await say(bench, "UALICE", "add Alpha 10k")
    await say(bench, "UALICE", "add Open 10k")
    await say(bench, "UBOB", "add Beta 20k")
    await say(bench, "UALICE", "lost #1 Budget cut")
    await say(bench, "UBOB", "won #3")
    before = [state(bench.db, n) for n in (1, 2, 3)]
    cases = [
        ("reopen #99", "There is no deal #99"),
        ("reopen #3", "Deal #3 is <@UBOB>'s"),
        ("reopen #2", "Deal #2 is still open: there is nothing to reopen."),
        ("reopen #1 won", "Reopen a deal into an open stage, like `/deal reopen #1 proposal`."),
        ("reopen", "#"),
    ]
    for text, expected in cases:
        reply = await say(bench, "UALICE", text)
        assert expected in reply, (text, reply)
    assert [state(bench.db, n) for n in (1, 2, 3)] == before


async def test_the_reopen_button_on_a_lost_card_brings_it_back(bench):
    bench.fixed_now = MONDAY_9
    await say(bench, "UALICE", "add Gamma 30k stage:proposal")
    card = await bench.client.reply(await bench.client.command("UALICE", "lost #1 Too expensive"))
    assert "deal_won" not in str(card.blocks)
    await bench.client.click("UALICE", card, "deal_reopen")
    await bench.slack.wait_for(lambda: card.history)
    assert "Deal #1 is reopened in Proposal." in text_of(card)
    assert state(bench.db, 1) == ("proposal", None, None, 3)
    assert "deal_reopen" not in str(card.blocks)  # open again: Won and Lost, no Reopen
