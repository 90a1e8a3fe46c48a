"""The settings form checks the team and digest channels: a public one the bot is not in it joins
itself and says so; a private one is a field error asking to /invite it; a Slack that is slow to
answer leaves the form saved, with a warning, within the three seconds of the ack."""

import time

from models.tables import Team
from tests.helpers import open_settings


def channels_of(db):
    with db.read() as s:
        row = s.get(Team, "T0LOCAL")
        return (row.channel_id, row.digest_channel_id) if row else None


async def saved_text(bench) -> str:
    dm = await bench.slack.wait_for(
        lambda: [m for m in bench.slack.dms("UADMIN") if "Settings saved" in m.text]
    )
    return dm[-1].text


async def test_a_public_channel_the_bot_is_not_in_is_joined(bench):
    bench.slack.add_channel("C0WINS", "wins", members=["UADMIN"])
    view = await open_settings(bench)
    ack = await bench.client.submit("UADMIN", view, {"channel": "C0SALES", "digest_channel": "C0WINS"})
    assert ack.body == "", ack.body
    assert channels_of(bench.db) == ("C0SALES", "C0WINS")
    text = await saved_text(bench)
    assert "Salesbot joined <#C0WINS> so it can post there." in text and "C0SALES" not in text
    assert "UBOT" in bench.slack.channels["C0WINS"]["members"]
    assert len(bench.slack.calls_to("conversations.join")) == 1  # not for C0SALES, where it already is


async def test_a_private_channel_the_bot_is_not_in_is_a_field_error_and_saves_nothing(bench):
    bench.slack.add_channel("G0BOARD", "board", members=["UADMIN"], private=True)
    view = await open_settings(bench)
    before = channels_of(bench.db)
    ack = await bench.client.submit("UADMIN", view, {"channel": "G0BOARD", "digest_channel": "C0SALES"})
    assert ack.json["errors"] == {
        "channel": "Salesbot is not in <#G0BOARD>, a private channel. "
        "Type /invite @Salesbot in it, then save again."
    }
    assert channels_of(bench.db) == before
    assert not bench.slack.calls_to("conversations.join")


async def test_a_slow_slack_saves_with_a_warning_within_the_ack(bench):
    bench.slack.add_channel("C0WINS", "wins", members=["UADMIN"])
    bench.slack.inject("conversations.info", delay=5.0, times=2)
    view = await open_settings(bench)
    started = time.monotonic()
    ack = await bench.client.submit("UADMIN", view, {"channel": "C0WINS"})
    assert time.monotonic() - started < 2.5
    assert ack.body == "", ack.body
    assert channels_of(bench.db) == ("C0WINS", None)
    text = await saved_text(bench)
    assert (
        "Salesbot could not check that it is in <#C0WINS>. If nothing arrives there, type /invite @Salesbot"
        in text
    )
