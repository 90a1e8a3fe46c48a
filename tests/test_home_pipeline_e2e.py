"""End to end: the App Home tab and /pipeline."""

import pytest
from sqlmodel import select

from models.tables import Deal
from tests.helpers import text_of

pytestmark = pytest.mark.transports  # each test over HTTP and over Socket Mode


async def add(bench, text, user="UALICE"):
    return await bench.client.reply(await bench.client.command(user, "add " + text))


async def test_home_shows_my_open_deals_by_stage_with_buttons(bench):
    await add(bench, '"Acme" 50k stage:proposal')
    await add(bench, '"Globex" 20k')
    await add(bench, '"Bob deal" 70k', user="UBOB")
    await add(bench, '"Closed" 5k')
    await bench.client.reply(await bench.client.command("UALICE", "won #4"))
    home = await bench.client.open_home("UALICE")
    text = text_of(home)
    assert "Acme" in text and "Globex" in text
    assert "Bob deal" not in text and "Closed" not in text
    assert text.index("Prospecting") < text.index("Proposal")  # grouped in pipeline order
    assert sum(1 for b in home["blocks"] if b.get("block_id", "").startswith("deal_actions:")) == 2


async def test_home_buttons_act_and_republish(bench):
    await add(bench, '"Acme" 50k stage:proposal')
    home = await bench.client.open_home("UALICE")
    await bench.client.click("UALICE", home, "deal_won", value=None)
    new_home = await bench.slack.wait_for(
        lambda: bench.slack.home["UALICE"] is not home and bench.slack.home["UALICE"]
    )
    assert "Acme" not in text_of(new_home)
    with bench.db.read() as s:
        assert s.exec(select(Deal)).one().closed_at is not None


async def test_home_new_deal_button_opens_the_form_and_the_home_refreshes(bench):
    home = await bench.client.open_home("UALICE")
    assert "no open deals" in text_of(home)
    await bench.client.click("UALICE", home, "home_new_deal")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_new"), None)
    )
    await bench.client.submit("UALICE", view, {"name": "From home", "amount": "5k"})
    fresh = await bench.slack.wait_for(
        lambda: "From home" in text_of(bench.slack.home["UALICE"]) and bench.slack.home["UALICE"]
    )
    assert "5,000" in text_of(fresh)


async def test_home_with_many_deals_stays_inside_slacks_limits(bench):
    for i in range(45):
        await add(bench, f"D{i} 1k")
    home = await bench.client.open_home("UALICE")
    assert len(home["blocks"]) <= 100
    assert "…and 15 more open deals" in text_of(home)


async def test_the_same_event_delivered_twice_has_one_effect(bench):
    body_event = {
        "type": "app_home_opened",
        "user": "UALICE",
        "channel": "DUALICE",
        "tab": "home",
        "event_ts": "1.0",
    }
    first = await bench.client.event(body_event, event_id="Ev0SAME")
    retry = await bench.client.event(body_event, event_id="Ev0SAME", retry=1)
    again = await bench.client.event(body_event, event_id="Ev0SAME", retry=2)
    assert (first.status, retry.status, again.status) == (200, 200, 200)
    await bench.slack.wait_for(lambda: bench.slack.calls_to("views.publish"))
    await bench.client.event(body_event, event_id="Ev0OTHER")  # a different event does act
    await bench.slack.wait_for(lambda: len(bench.slack.calls_to("views.publish")) == 2)
    assert len(bench.slack.calls_to("views.publish")) == 2


async def test_pipeline_counts_values_and_weighted_forecast(bench):
    await add(bench, "A 10k stage:proposal")  # 60%
    await add(bench, "B 30k stage:proposal")  # 60%
    await add(bench, "C 50k stage:negotiation")  # 80%
    await add(bench, "D 20k")  # prospecting 10%
    await add(bench, "E 1000 USD stage:qualification")  # 20%
    await add(bench, "F 99k")
    await bench.client.reply(await bench.client.command("UALICE", "won #6"))  # closed: not in the pipeline
    reply = await bench.client.reply(await bench.client.command("UALICE", "", command="/pipeline"))
    text = text_of(reply)
    assert "*Proposal* — 2 deals · €40,000" in text
    assert "*Negotiation* — 1 deal · €50,000" in text
    assert "*Prospecting* — 1 deal · €20,000" in text
    # Forecast by hand: 10k*.6 + 30k*.6 + 50k*.8 + 20k*.1 = 6k + 18k + 40k + 2k = 66k EUR; 1000*.2 = 200 USD.
    assert "€66,000 + $200" in text
    assert "€110,000 + $1,000" in text  # total open value
    mine = text_of(await bench.client.reply(await bench.client.command("UBOB", "mine", command="/pipeline")))
    assert "Your pipeline" in mine and "€" in mine
    bad = text_of(
        await bench.client.reply(await bench.client.command("UALICE", "bogus", command="/pipeline"))
    )
    assert "I don't know `bogus`" in bad
