"""End to end: someone leaves (Slack deactivates them, or a DM to them fails because they are gone);
each manager gets one DM with the leaver's open deals and pickers, and a pick gives the deal away
through the same checks as `/deal reassign`; the deal's card shows its owner history."""

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from models import outbox as outbox_store
from models.tables import Deal, OwnerChange, SlackUser
from scheduler import outbox
from services.erase import erase_users
from tests.helpers import text_of
from tests.nudging import setup_team

PICKER = "users_select"
TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


async def say(bench, user, text):
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


def owners(db) -> dict[int, str]:
    with db.read() as s:
        return {d.number: d.owner_id for d in s.exec(select(Deal).order_by(col(Deal.number)))}


def deactivation(user: str, deleted: bool = True) -> dict:
    """The event as Slack sends it (docs.slack.dev/reference/events/user_change), trimmed."""
    return {
        "type": "user_change",
        "user": {
            "id": user,
            "team_id": "T0LOCAL",
            "name": user.lower(),
            "deleted": deleted,
            "real_name": user.title(),
            "tz": "Europe/Amsterdam",
            "profile": {"real_name": user.title(), "display_name": ""},
        },
        "cache_ts": 1764583200,
        "event_ts": "1764583200.000100",
    }


def gone_in_cache(db, user: str) -> bool:
    with db.read() as s:
        row = s.get(SlackUser, ("T0LOCAL", user))
        return row is not None and row.deleted


async def leave(bench, user: str) -> None:
    bench.slack.users[user].deleted = True
    await bench.client.event(deactivation(user))
    await bench.slack.wait_for(lambda: any(r.kind == "leaver" for r in outbox_store.rows(bench.db)))


async def updated_dm(bench, manager: str):
    """The manager's DM once the bot has replaced it (chat.update keeps the earlier version)."""
    return await bench.slack.wait_for(lambda: next((m for m in bench.slack.dms(manager) if m.history), None))


async def three_deals_and_a_leaver(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("UDAN", "dan")
    setup_team(bench, manager_ids="UADMIN,UBOB")
    await say(bench, "UDAN", 'add "Acme renewal" 50k')
    await say(bench, "UDAN", "add Globex 20k")
    await say(bench, "UDAN", "add Initech 5k")
    await say(bench, "UDAN", "won #3")
    bench.fixed_now = TUESDAY_10 + timedelta(hours=1)
    await leave(bench, "UDAN")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)


async def test_each_manager_gets_one_dm_listing_the_leavers_open_deals(bench):
    await three_deals_and_a_leaver(bench)
    await bench.client.event(deactivation("UDAN"))  # Slack sends it again: nobody is told twice
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    for manager in ("UADMIN", "UBOB"):
        [dm] = bench.slack.dms(manager)
        assert "<@UDAN> has left the workspace and still owns 2 open deals." in dm.text
        pickers = [b["block_id"] for b in dm.blocks if (b.get("accessory") or {}).get("type") == PICKER]
        assert pickers == ["leaver_deal:UDAN:1", "leaver_deal:UDAN:2", "leaver_all:UDAN"]  # not won #3
    keys = sorted(r.key for r in outbox_store.rows(bench.db) if r.kind == "leaver")
    assert keys == ["leaver:UDAN:UADMIN", "leaver:UDAN:UBOB"]


async def test_a_pick_reassigns_the_deal_updates_the_dm_and_tells_the_new_owner(bench):
    await three_deals_and_a_leaver(bench)
    [dm] = bench.slack.dms("UADMIN")
    await bench.client.click("UADMIN", dm, "leaver_deal", block_id="leaver_deal:UDAN:1", pick="UALICE")
    await bench.slack.wait_for(lambda: owners(bench.db)[1] == "UALICE")
    assert owners(bench.db) == {1: "UALICE", 2: "UDAN", 3: "UDAN"}
    updated = await updated_dm(bench, "UADMIN")
    assert "Deal #1 Acme renewal is now <@UALICE>'s." in text_of(updated)
    assert [b["block_id"] for b in updated.blocks if b.get("accessory")] == ["leaver_deal:UDAN:2"]

    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    [told] = bench.slack.dms("UALICE")
    assert "<@UADMIN> gave you deal #1 Acme renewal." in told.text

    card = await say(bench, "UALICE", "#1")
    assert "Reassigned from <@UDAN> to <@UALICE>" in card
    with bench.db.read() as s:
        [change] = s.exec(select(OwnerChange)).all()
    assert (change.from_user, change.to_user, change.by_user) == ("UDAN", "UALICE", "UADMIN")


async def test_all_to_one_person_gives_every_open_deal_away(bench):
    await three_deals_and_a_leaver(bench)
    [dm] = bench.slack.dms("UBOB")
    await bench.client.click("UBOB", dm, "leaver_all", pick="UALICE")
    await bench.slack.wait_for(lambda: owners(bench.db) == {1: "UALICE", 2: "UALICE", 3: "UDAN"})
    updated = await updated_dm(bench, "UBOB")
    assert "Every open deal of <@UDAN> has a new owner." in text_of(updated)
    assert not [b for b in updated.blocks if b.get("accessory")]
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert len(bench.slack.dms("UALICE")) == 2  # one DM per deal, as /deal reassign sends


async def test_a_bot_or_a_deactivated_pick_is_refused_and_changes_nothing(bench):
    await three_deals_and_a_leaver(bench)
    bench.slack.add_user("UROBOT", "robot", is_bot=True)
    bench.slack.add_user("UGONE", "gone", deleted=True)
    [dm] = bench.slack.dms("UADMIN")
    for picked, said in [("UROBOT", "<@UROBOT> is a bot."), ("UGONE", "<@UGONE> has been deactivated.")]:
        sent = await bench.client.click("UADMIN", dm, "leaver_all", pick=picked)
        assert said in text_of(await bench.client.reply(sent))
    assert owners(bench.db) == {1: "UDAN", 2: "UDAN", 3: "UDAN"}
    assert not [m for m in bench.slack.dms("UADMIN") if m.history]  # the DM is as it was


async def test_a_rep_who_is_not_a_manager_cannot_use_the_pickers(bench):
    await three_deals_and_a_leaver(bench)
    [dm] = bench.slack.dms("UBOB")
    setup_team(bench, manager_ids="UADMIN")  # Bob is no longer a manager
    sent = await bench.client.click("UBOB", dm, "leaver_all", pick="UALICE")
    assert "Only workspace admins and the team's managers" in text_of(await bench.client.reply(sent))
    assert owners(bench.db) == {1: "UDAN", 2: "UDAN", 3: "UDAN"}


async def test_a_dm_that_fails_because_its_reader_left_offers_their_deals(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("UDAN", "dan")
    setup_team(bench, manager_ids="UADMIN")
    await say(bench, "UALICE", "add Globex 20k")
    await say(bench, "UADMIN", "reassign #1 <@UDAN>")  # queues a DM to Dan ...
    bench.slack.inject("chat.postMessage", error="account_inactive")  # ... who is gone when it is sent
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    [dm] = bench.slack.dms("UADMIN")
    assert "<@UDAN> has left the workspace and still owns 1 open deal." in dm.text


async def test_no_open_deals_no_dm_and_a_profile_change_is_not_a_leaver(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("UDAN", "dan")
    setup_team(bench, manager_ids="UADMIN")
    await say(bench, "UDAN", "add Globex 20k")
    sent = await bench.client.event(deactivation("UDAN", deleted=False))  # a new display name, say
    assert sent.status == 200
    await say(bench, "UDAN", "won #1")
    await bench.client.event(deactivation("UDAN"))
    await bench.slack.wait_for(lambda: gone_in_cache(bench.db, "UDAN"))  # the event was handled
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    assert bench.slack.dms("UADMIN") == []
    assert not [r for r in outbox_store.rows(bench.db) if r.kind == "leaver"]


async def test_after_erase_user_the_card_shows_a_label_not_a_broken_mention(bench):
    bench.fixed_now = TUESDAY_10
    bench.slack.add_user("UDAN", "dan")
    await say(bench, "UDAN", "add Globex 20k")
    await say(bench, "UDAN", "note #1 Called their CFO")
    await say(bench, "UDAN", "reassign #1 <@UALICE>")
    assert erase_users(bench.db, "T0LOCAL", ["UDAN"], dry_run=False)

    card = await say(bench, "UALICE", "#1")
    assert "(erased user) · " in card  # the note's author
    assert "Reassigned from (erased user) to <@UALICE>" in card
    assert "<@erased>" not in card
