"""Celebrate in the team channel end to end: the two team settings, a won deal (who, what, how much,
days to close) and a new deal over the team's amount, each told once; off by default; a channel the
bot is not in takes the not_in_channel path. On SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from models import outbox as outbox_store
from models.tables import Team
from scheduler import outbox
from scheduler.announce import announce_job
from tests.helpers import open_settings, text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, setup_team

WON_DAY = TUESDAY_10_UTC + timedelta(days=23, hours=2)


async def say(bench, user: str, text: str) -> str:
    return text_of(await bench.client.reply(await bench.client.command(user, text)))


async def tick(bench) -> None:
    """The scheduler's announcements job, then its sending of the outbox."""
    await announce_job(bench.deps, bench.bolt.client, bench.now())
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)


def posts(bench, channel: str = "C0SALES") -> list[str]:
    return [m.text for m in bench.slack.channel_messages(channel)]


def team(bench) -> Team:
    with bench.db.read() as s:
        row = s.get(Team, TEAM)
        assert row is not None
        return row


async def test_the_settings_switch_both_on_and_refuse_what_they_cannot_use(bench):
    bench.fixed_now = TUESDAY_10_UTC
    view = await open_settings(bench)
    assert {"announce_won", "announce_over"} <= {b.get("block_id") for b in view["blocks"]}
    refused = await bench.client.submit("UADMIN", view, {"announce_over": "lots"})
    assert refused.json["errors"] == {"announce_over": "Type an amount like 50k or 50000, or leave it empty."}
    refused = await bench.client.submit("UADMIN", view, {"announce_over": "$40k", "channel": "C0SALES"})
    assert refused.json["errors"] == {"announce_over": "Give the amount in the default currency, EUR."}
    refused = await bench.client.submit("UADMIN", view, {"announce_won": ["won"]})
    assert refused.json["errors"] == {"channel": "Announcements need a team channel."}
    assert (team(bench).announce_won, team(bench).announce_over_cents) == (False, None)  # nothing changed

    ack = await bench.client.submit(
        "UADMIN", view, {"announce_won": ["won"], "announce_over": "40k", "channel": "C0SALES"}
    )
    assert ack.body == "", ack.body
    assert (team(bench).announce_won, team(bench).announce_over_cents) == (True, 4_000_000)
    again = await open_settings(bench)
    shown = {b["block_id"]: b["element"] for b in again["blocks"] if "block_id" in b}
    assert shown["announce_over"]["initial_value"] == "40000"
    assert [o["value"] for o in shown["announce_won"]["initial_options"]] == ["won"]


async def test_a_won_deal_is_announced_once_with_who_what_how_much_and_days_to_close(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", announce_won=True)
    await say(bench, "UALICE", "add Acme renewal 50k company:Acme Corp")
    bench.fixed_now = WON_DAY
    await say(bench, "UALICE", "won #1")
    await tick(bench)
    await tick(bench)  # the next tick: told already
    expected = "<@UALICE> won Acme renewal (Acme Corp): €50,000, closed in 23 days."
    assert posts(bench) == [expected]
    [row] = [r for r in outbox_store.rows(bench.db) if r.kind == "announce"]
    assert row.status == "sent"


async def test_nothing_is_announced_by_default(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    await say(bench, "UALICE", "add Acme renewal 500k")
    await say(bench, "UALICE", "won #1")
    await tick(bench)
    assert posts(bench) == []


async def test_a_new_deal_over_the_amount_is_announced_and_a_smaller_one_is_not(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", announce_over_cents=4_000_000)
    await say(bench, "UBOB", "add Big one 60k proposal")
    await say(bench, "UBOB", "add Small one 30k")
    assert "Added deal #3" in await say(bench, "UBOB", "add Dollars $90k")  # no rate for dollars: not told
    await tick(bench)
    await tick(bench)
    assert posts(bench) == ["<@UBOB> added a big one: Big one, €60,000, in Proposal."]


async def test_a_channel_the_bot_is_not_in_tells_the_managers_how_to_invite_it(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.add_channel("C0ELSE", "elsewhere", members=["UALICE"])
    setup_team(bench, channel_id="C0ELSE", announce_won=True, manager_ids="UADMIN")
    await say(bench, "UALICE", "add Acme 5k")
    await say(bench, "UALICE", "won #1")
    await tick(bench)
    await tick(bench)
    assert posts(bench, "C0ELSE") == []
    assert len(bench.slack.dms("UADMIN")) == 1 and "C0ELSE" in bench.slack.dms("UADMIN")[0].text
    statuses = {r.kind: r.status for r in outbox_store.rows(bench.db)}
    assert statuses == {"announce": "dead", "not_in_channel": "sent"}


@pytest.mark.parametrize(
    "language, expected", [("nl", "<@UALICE> heeft Acme gewonnen"), ("de", "<@UALICE> hat Acme gewonnen")]
)
async def test_the_announcement_is_in_the_teams_language(bench, language, expected):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", announce_won=True, language=language)
    await say(bench, "UALICE", "add Acme 5k")
    await say(bench, "UALICE", "won #1")
    await tick(bench)
    [text] = posts(bench)
    assert text.startswith(expected)


async def test_a_new_deal_in_another_currency_is_converted_at_todays_rate(bench):
    """Over 50,000 EUR; 1 USD = 0.80 EUR from 20 days ago, 0.92 from 3 days ago (today's); no rate
    for GBP. $60,000 = €55,200: announced (at the old rate it would be €48,000); $50,000 = €46,000 and
    $54,000 = €49,680: not; £90,000 has no rate: not."""
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", announce_over_cents=5_000_000, manager_ids="UADMIN")
    day = timedelta(days=1)
    for rate, since in (("0.80", TUESDAY_10_UTC - 20 * day), ("0.92", TUESDAY_10_UTC - 3 * day)):
        await bench.client.command("UADMIN", f"rates set USD {rate} from:{since.date()}", command="/pipeline")
    for deal in ("Dollars USD 60000 proposal", "Fewer USD 50000", "Nearly USD 54000", "Pounds GBP 90000"):
        assert "Added deal" in await say(bench, "UBOB", f"add {deal}")
    await tick(bench)
    await tick(bench)
    assert posts(bench) == ["<@UBOB> added a big one: Dollars, $60,000 (about €55,200), in Proposal."]


async def test_a_deal_archived_before_the_tick_is_not_announced(bench):
    # Archived deals leave everything the team sees; the channel is no exception.
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", announce_won=True, announce_over_cents=4_000_000)
    await say(bench, "UALICE", "add Test deal 90k")
    await say(bench, "UALICE", "add Real deal 70k")
    await say(bench, "UALICE", "won #2")
    await say(bench, "UALICE", "add Duplicate win 1k")
    await say(bench, "UALICE", "won #3")
    assert "archived" in (await say(bench, "UADMIN", "archive #1")).lower()
    assert "archived" in (await say(bench, "UADMIN", "archive #3")).lower()
    await tick(bench)
    assert posts(bench) == ["<@UALICE> won Real deal: €70,000, closed in 0 days."]
