"""`/deal reassign #N @anna` as real Slack sends it (the manifest's should_escape is false, so a typed
@name arrives as text, not as <@U…|anna>): the name is looked up with users.list, by handle or display
name in any case; an unknown or shared name is answered with the choices and changes nothing."""

from datetime import UTC, datetime

from sqlmodel import col, select

from models.tables import Deal
from tests.helpers import text_of

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


async def say(bench, user, text):
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


def owner_of(db, number: int) -> str:
    with db.read() as s:
        return s.exec(select(Deal.owner_id).where(col(Deal.number) == number)).one()


async def test_a_typed_handle_or_display_name_finds_the_person(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("UANNA", "anna", display_name="Anna B")
    await say(bench, "UALICE", "add Alpha 10k")
    assert "Deal #1 is now <@UANNA>'s." in await say(bench, "UALICE", "reassign #1 @ANNA")
    assert owner_of(bench.db, 1) == "UANNA"
    assert "Deal #1 is now <@UBOB>'s." in await say(bench, "UANNA", "reassign #1 @bob")
    assert "Deal #1 is now <@UANNA>'s." in await say(bench, "UBOB", "reassign #1 @anna b")
    assert owner_of(bench.db, 1) == "UANNA"


async def test_an_unknown_or_shared_name_is_answered_with_the_choices(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("USAM1", "sam")
    bench.slack.add_user("USAM2", "samantha", display_name="Sam")
    bench.slack.add_user("UOLD", "zoe", deleted=True)  # a leaver's name is no one's
    await say(bench, "UALICE", "add Alpha 10k")
    shared = await say(bench, "UALICE", "reassign #1 @sam")
    assert "More than one person is called @sam: <@USAM1>, <@USAM2>. Mention the one you mean." in shared
    unknown = await say(bench, "UALICE", "reassign #1 @zoe")
    assert "Nobody in this workspace is called @zoe." in unknown
    assert owner_of(bench.db, 1) == "UALICE"


async def test_the_lookup_pages_through_a_big_workspace(bench):
    bench.fixed_now = TUESDAY_10
    for n in range(450):
        bench.slack.add_user(f"UFILL{n:04d}", f"filler{n}")
    bench.slack.add_user("UZED", "zed")
    await say(bench, "UALICE", "add Alpha 10k")
    assert "Deal #1 is now <@UZED>'s." in await say(bench, "UALICE", "reassign #1 @zed")
    assert len(bench.slack.calls_to("users.list")) == 3  # 200 a page
