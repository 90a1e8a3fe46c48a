"""A scheduled message Slack refuses because Salesbot is not in the channel tells the team's
managers, once per channel, how to invite it; a channel the bot is in tells nobody anything."""

import pytest

from models import outbox as outbox_store
from scheduler import outbox
from services.users import set_language
from tests.nudging import setup_team

FIX = (
    "Salesbot is not in <#C0ELSE>, so the weekly digest could not be posted. "
    "Invite it there with `/invite @Salesbot`."
)


def enqueue(bench, key, channel, kind="digest"):
    with bench.db.write() as s:
        outbox_store.enqueue(s, "T0LOCAL", key, kind, channel, {"text": f"digest {key}"}, bench.now())


async def test_the_managers_are_told_once_after_two_failed_sends(bench):
    setup_team(bench, manager_ids="UADMIN,UBOB")
    bench.slack.add_channel("C0ELSE", "elsewhere", members=["UALICE"])  # the bot was never invited
    enqueue(bench, "digest:1", "C0ELSE")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    enqueue(bench, "digest:2", "C0ELSE")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    assert [m.text for m in bench.slack.dms("UADMIN")] == [FIX]
    assert [m.text for m in bench.slack.dms("UBOB")] == [FIX]
    assert bench.slack.dms("UALICE") == []
    assert bench.slack.channel_messages("C0ELSE") == []
    by_key = {r.key: (r.status, r.last_error) for r in outbox_store.rows(bench.db)}
    assert by_key == {
        "digest:1": ("dead", "not_in_channel"),
        "digest:2": ("dead", "not_in_channel"),
        "not_in_channel:C0ELSE:UADMIN": ("sent", None),
        "not_in_channel:C0ELSE:UBOB": ("sent", None),
    }


async def test_a_channel_the_bot_is_in_tells_the_managers_nothing(bench):
    setup_team(bench, manager_ids="UADMIN")
    bench.slack.add_channel("C0SALES", "sales")
    enqueue(bench, "digest:1", "C0SALES")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    assert [m.text for m in bench.slack.channel_messages("C0SALES")] == ["digest digest:1"]
    assert bench.slack.dms("UADMIN") == []
    assert [r.status for r in outbox_store.rows(bench.db)] == ["sent"]


@pytest.mark.parametrize(
    "kind, what", [("nudge", "a reminder"), ("digest_chart", "the weekly digest"), ("other", "a message")]
)
async def test_a_channel_slack_cannot_find_names_what_could_not_be_posted(bench, kind, what):
    setup_team(bench, manager_ids="UADMIN")
    bench.slack.add_channel("C0GONE", "gone")
    bench.slack.inject("chat.postMessage", error="channel_not_found")
    enqueue(bench, "k1", "C0GONE", kind)
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    assert [m.text for m in bench.slack.dms("UADMIN")] == [
        f"Salesbot is not in <#C0GONE>, so {what} could not be posted. "
        "Invite it there with `/invite @Salesbot`."
    ]


async def test_a_team_in_german_formal_reads_the_fix_in_german(bench):
    setup_team(bench, manager_ids="UADMIN", language="de", formal=True)
    bench.slack.add_channel("C0ELSE", "elsewhere", members=["UALICE"])
    enqueue(bench, "digest:1", "C0ELSE")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    assert [m.text for m in bench.slack.dms("UADMIN")] == [
        "Salesbot ist nicht in <#C0ELSE>, deshalb konnte die Wochenübersicht dort nicht gepostet "
        "werden. Laden Sie Salesbot dort mit `/invite @Salesbot` ein."
    ]


async def test_each_manager_reads_the_fix_in_their_own_language(bench):
    setup_team(bench, manager_ids="UADMIN,UBOB")  # an English team
    set_language(bench.db, "T0LOCAL", "UBOB", "nl", bench.now())  # Bob chose Dutch (`/deal language nl`)
    bench.slack.add_channel("C0ELSE", "elsewhere", members=["UALICE"])
    enqueue(bench, "digest:1", "C0ELSE")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    assert [m.text for m in bench.slack.dms("UADMIN")] == [FIX]
    assert [m.text for m in bench.slack.dms("UBOB")] == [
        "Salesbot zit niet in <#C0ELSE>, dus het weekoverzicht kon daar niet worden geplaatst. "
        "Nodig Salesbot daar uit met `/invite @Salesbot`."
    ]


async def test_a_team_without_managers_is_told_nothing(bench):
    setup_team(bench, manager_ids="")
    bench.slack.add_channel("C0ELSE", "elsewhere", members=["UALICE"])
    enqueue(bench, "digest:1", "C0ELSE")
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)

    assert [(r.key, r.status) for r in outbox_store.rows(bench.db)] == [("digest:1", "dead")]
    assert bench.slack.dms("UADMIN") == []
