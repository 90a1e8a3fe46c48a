"""End to end: `/deal reassign #N @user` gives a deal to another person, who hears of it by DM;
`salesbot reassign` moves all of a rep's open deals when they leave."""

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.cli import main
from models.delivery_tables import Outbox
from models.tables import Deal, OwnerChange
from scheduler import outbox
from tests.helpers import text_of

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


async def say(bench, user, text):
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


def owners(db) -> dict[int, tuple[str, int]]:
    with db.read() as s:
        return {d.number: (d.owner_id, d.version) for d in s.exec(select(Deal).order_by(col(Deal.number)))}


def outbox_rows(db) -> list[Outbox]:
    with db.read() as s:
        return list(s.exec(select(Outbox).order_by(col(Outbox.id))))


async def test_the_owner_gives_a_deal_away_and_the_new_owner_is_told_by_dm(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Acme renewal" 50k')
    added_at = TUESDAY_10
    bench.fixed_now = later = TUESDAY_10 + timedelta(hours=2)
    reply = await say(bench, "UALICE", "reassign #1 <@UBOB|bob>")
    assert "Deal #1 is now <@UBOB>'s." in reply
    with bench.db.read() as s:
        row = s.exec(select(Deal).where(Deal.number == 1)).one()
    assert (row.owner_id, row.version, row.updated_at) == ("UBOB", 2, later)
    assert row.last_activity_at == added_at  # a new owner is not work on the deal: nudges keep counting
    [queued] = outbox_rows(bench.db)
    assert (queued.kind, queued.channel, queued.key) == ("reassigned", "UBOB", f"reassign:{row.id}:2")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    [dm] = bench.slack.dms("UBOB")
    assert "<@UALICE> gave you deal #1 Acme renewal. Open it with `/deal #1`." in text_of(dm)
    # Bob owns it now: Alice no longer may change it, Bob may.
    assert "Deal #1 is <@UBOB>'s" in await say(bench, "UALICE", "note #1 Still mine?")
    assert "Note logged on deal #1" in await say(bench, "UBOB", "note #1 Taking over")


async def test_a_manager_or_admin_reassigns_anyones_deal(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", "add Alpha 10k")
    assert "Deal #1 is now <@UBOB>'s." in await say(bench, "UADMIN", "reassign #1 <@UBOB>")
    assert owners(bench.db) == {1: ("UBOB", 2)}
    assert "Deal #1 is now <@UALICE>'s." in await say(bench, "UADMIN", "reassign #1 UALICE")
    assert owners(bench.db) == {1: ("UALICE", 3)}


async def test_the_answer_and_the_dm_are_each_in_their_readers_language(bench):
    bench.slack.users["UALICE"].locale = "de-DE"
    bench.slack.users["UBOB"].locale = "nl-NL"
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", "add Alpha 10k")
    assert "Deal #1 gehört jetzt <@UBOB>." in await say(bench, "UALICE", "reassign #1 <@UBOB>")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    [dm] = bench.slack.dms("UBOB")
    assert "<@UALICE> heeft deal #1 Alpha aan je overgedragen." in text_of(dm)


async def test_bad_reassignments_get_a_clear_answer_and_change_nothing(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("UROBOT", "robot", is_bot=True)
    bench.slack.add_user("UGONE", "gone", deleted=True)
    await say(bench, "UALICE", "add Alpha 10k")
    await say(bench, "UBOB", "add Beta 20k")
    before = owners(bench.db)
    cases = [
        ("reassign #99 <@UBOB>", "There is no deal #99"),
        ("reassign #2 <@UALICE>", "Deal #2 is <@UBOB>'s. Only its owner, the team's managers and admins"),
        ("reassign #1 bob", "Name the new owner as a Slack mention"),
        ("reassign #1", "Name the new owner as a Slack mention"),
        ("reassign #1 <@UBOB> and more", "Name the new owner as a Slack mention"),
        ("reassign Alpha <@UBOB>", "Give the deal's number, like #12."),
        ("reassign #1 <@UALICE>", "Deal #1 is already <@UALICE>'s."),
        ("reassign #1 <@UROBOT>", "<@UROBOT> is a bot. Give the deal to a person."),
        ("reassign #1 <@UGONE>", "<@UGONE> has been deactivated. Give the deal to someone still here."),
        ("reassign #1 <@UNOBODY>", "I can't find <@UNOBODY> in this workspace."),
    ]
    for text, expected in cases:
        reply = await say(bench, "UALICE", text)
        assert expected in reply, (text, reply)
    assert owners(bench.db) == before
    assert outbox_rows(bench.db) == []


async def test_the_cli_moves_every_open_deal_of_a_rep_who_left(bench, monkeypatch, capsys):
    bench.fixed_now = TUESDAY_10
    for name in ("Alpha", "Beta", "Gamma"):
        await say(bench, "UALICE", f"add {name} 10k")
    await say(bench, "UBOB", "add Bobdeal 10k")
    await say(bench, "UALICE", "won #2")  # a closed deal stays with the rep who closed it
    before = owners(bench.db)
    monkeypatch.setenv("DATABASE_URL", bench.db.url)
    assert main(["reassign", "--team", "T0LOCAL", "--from", "UALICE", "--to", "UBOB"]) == 0
    assert "Moved 2 open deals from UALICE to UBOB." in capsys.readouterr().out
    after = owners(bench.db)
    assert after[1] == ("UBOB", before[1][1] + 1) and after[3] == ("UBOB", before[3][1] + 1)
    assert after[2] == before[2] and after[4] == before[4]
    with bench.db.read() as s:  # the owner history says who gave them: the command line
        history = [(c.from_user, c.to_user, c.by_user) for c in s.exec(select(OwnerChange))]
    assert history == [("UALICE", "UBOB", "cli")] * 2
    # Again: nothing left to move.
    assert main(["reassign", "--team", "T0LOCAL", "--from", "UALICE", "--to", "UBOB"]) == 0
    assert "Moved 0 open deals" in capsys.readouterr().out
    assert main(["reassign", "--team", "T0LOCAL", "--from", "UBOB", "--to", "UBOB"]) == 2
    assert owners(bench.db) == after


async def open_edit_form(bench, user: str, number: int) -> dict:
    await bench.client.command(user, f"edit #{number}")
    return await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_edit"), None)
    )


async def test_the_edit_forms_owner_changes_the_owner_for_managers_only_and_tells_them(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", "add Alpha 10k")
    view = await open_edit_form(bench, "UALICE", 1)
    refused = await bench.client.submit("UALICE", view, {"owner": "UBOB"})
    assert refused.json["errors"] == {"owner": "Only managers can give a deal to someone else."}
    assert owners(bench.db) == {1: ("UALICE", 1)}
    saved = await bench.client.submit("UALICE", view, {"name": "Alpha renamed"})  # the owner unchanged
    assert saved.body == "" and owners(bench.db) == {1: ("UALICE", 2)}
    assert outbox_rows(bench.db) == []  # nobody to tell
    bench.slack.views.clear()
    view = await open_edit_form(bench, "UADMIN", 1)
    saved = await bench.client.submit("UADMIN", view, {"owner": "UBOB"})
    assert saved.status == 200 and saved.body == ""
    assert owners(bench.db) == {1: ("UBOB", 3)}
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    [dm] = bench.slack.dms("UBOB")
    assert "<@UADMIN> gave you deal #1 Alpha renamed." in text_of(dm)
