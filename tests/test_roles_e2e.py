"""Roles: reps see and change their own deals and the team's totals; managers and admins, every deal."""

from sqlmodel import select

from models.tables import Deal, Team
from tests.helpers import text_of


async def say(bench, user, text, command="/deal"):
    return text_of(await bench.client.reply(await bench.client.command(user, text, command=command)))


async def seed(bench):
    await say(bench, "UALICE", 'add "Alice deal" 10k stage:proposal')
    await say(bench, "UBOB", 'add "Bob deal" 20k stage:proposal')


def owners(db):
    with db.read() as s:
        return {d.number: (d.owner_id, d.closed_at is None, d.version) for d in s.exec(select(Deal))}


async def test_a_rep_cannot_open_or_change_another_reps_deal(bench):
    await seed(bench)
    before = owners(bench.db)
    for text in ("#2", "won #2", "move #2 negotiation", "note #2 sneaky", "lost #2 price", "edit #2"):
        reply = await say(bench, "UALICE", text)
        assert "Deal #2 is @bob's" in reply.replace("<@UBOB>", "@bob"), (text, reply)
    assert owners(bench.db) == before


async def test_a_reps_lists_show_their_own_deals_but_pipeline_shows_the_team(bench):
    await seed(bench)
    everyone = await say(bench, "UALICE", "list all")
    assert "Alice deal" in everyone and "Bob deal" not in everyone and "managers see everyone's" in everyone
    in_stage = await say(bench, "UALICE", "list proposal")
    assert "Alice deal" in in_stage and "Bob deal" not in in_stage
    totals = await say(bench, "UALICE", "", command="/pipeline")
    assert "*Proposal* — 2 deals · €30,000" in totals


async def test_a_rep_cannot_give_a_deal_away_but_a_manager_can(bench):
    await bench.client.command("UALICE", "")
    view = await bench.slack.wait_for(lambda: next(iter(bench.slack.views.values()), None))
    ack = await bench.client.submit("UALICE", view, {"name": "For Bob", "owner": "UBOB"})
    assert ack.json["errors"] == {"owner": "Only managers can give a deal to someone else."}
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.manager_ids = "UALICE"
        s.add(team)
    ack = await bench.client.submit("UALICE", view, {"name": "For Bob", "owner": "UBOB"})
    assert ack.body == ""
    assert owners(bench.db)[1][0] == "UBOB"


async def test_managers_and_admins_see_and_change_every_deal(bench):
    await seed(bench)
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.manager_ids = "UBOB"
        s.add(team)
    assert "Alice deal" in await say(bench, "UBOB", "#1")
    assert "is won" in await say(bench, "UBOB", "won #1")
    everyone = await say(bench, "UADMIN", "list all")  # carol is a workspace admin in Slack
    assert "Bob deal" in everyone and "(1)" in everyone  # Alice's deal is won now: one open deal
    assert "moved to Negotiation" in await say(bench, "UADMIN", "move #2 negotiation")
    assert not owners(bench.db)[1][1]
