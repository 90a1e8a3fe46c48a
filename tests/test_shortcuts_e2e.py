"""End to end: the "Create deal from message" and "New deal" shortcuts open the New deal form,
the first filled in from the message, and submitting it adds the deal with the message's link."""

from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from localslack.bench import settle
from models.tables import Deal, Stage
from tests.helpers import text_of
from views.ids import Shortcut


def new_deal_views(bench) -> list[dict]:
    return [v for v in bench.slack.views.values() if v["callback_id"] == "deal_new"]


async def opened(bench) -> dict:
    return await bench.slack.wait_for(lambda: next(reversed(new_deal_views(bench)), None))


def initial(view: dict) -> dict:
    """Each input's initial value, as the rep sees the form open."""
    found = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        value = (
            element.get("initial_value")
            or element.get("initial_date")
            or element.get("initial_user")
            or (element.get("initial_option") or {}).get("value")
        )
        found[block["block_id"]] = value
    return found


def stage_id(bench, key: str) -> str:
    with bench.db.read() as s:
        return str(s.exec(select(Stage).where(Stage.key == key)).one().id)


async def test_the_message_shortcut_opens_the_form_filled_in_from_the_message(bench):
    text = "Müller GmbH: Angebot über 8.000 EUR bis Ende Mai"
    sent = await bench.client.message_shortcut("UALICE", Shortcut.DEAL_FROM_MESSAGE, text, author="UBOB")
    assert sent.status == 200
    view = await opened(bench)
    today = bench.now().date()
    values = initial(view)
    assert values["name"] == text
    assert values["company"] == "Müller GmbH"
    assert values["amount"] == "8000" and values["currency"] == "EUR"
    assert values["stage"] == stage_id(bench, "proposal")
    assert values["close"] == f"{today.year + (today.month > 5)}-05-31"
    assert values["owner"] == "UALICE"
    message = next(m for m in bench.slack.messages if m.text == text)
    permalink = f"https://local.slack.com/archives/C0SALES/p{message.ts.replace('.', '')}"
    assert values["notes"] == permalink


async def test_submitting_the_filled_in_form_adds_the_deal_with_the_messages_link(bench):
    text = "Acme wants 50k by end of March, proposal sent"
    sent = await bench.client.message_shortcut(
        "UALICE", Shortcut.DEAL_FROM_MESSAGE, text, channel_name="deal-acme"
    )
    view = await opened(bench)
    assert (await bench.client.submit("UALICE", view, {})).status == 200
    card = await bench.client.reply(sent)  # the card comes back privately, in the conversation
    assert "Added deal #1." in text_of(card)
    with bench.db.read() as s:
        deal = s.exec(select(Deal)).one()
    assert (deal.name, deal.company, deal.amount_cents, deal.owner_id) == (text, "Acme", 5_000_000, "UALICE")
    assert deal.close_date is not None and (deal.close_date.month, deal.close_date.day) == (3, 31)
    assert deal.notes is not None and deal.notes.startswith("https://local.slack.com/archives/C0SALES/p")


async def test_a_message_without_a_readable_amount_opens_the_form_with_the_amount_empty(bench):
    await bench.client.message_shortcut(
        "UALICE", Shortcut.DEAL_FROM_MESSAGE, "Lunch with Globex at 12, budget TBD"
    )
    values = initial(await opened(bench))
    assert values["name"] == "Lunch with Globex at 12, budget TBD"
    assert values["amount"] is None and values["company"] is None and values["close"] is None
    assert values["stage"] == stage_id(bench, "prospecting")  # the form's usual first stage


async def test_the_global_shortcut_opens_the_empty_form_and_its_card_goes_to_the_dm(bench):
    assert (await bench.client.shortcut("UBOB", Shortcut.DEAL_NEW_GLOBAL)).status == 200
    view = await opened(bench)
    values = initial(view)
    assert values["owner"] == "UBOB"
    assert not any(values[k] for k in ("name", "company", "amount", "close", "notes"))
    await bench.client.submit("UBOB", view, {"name": "Initech", "amount": "7k"})
    dm = await bench.slack.wait_for(lambda: bench.slack.dms("UBOB") and bench.slack.dms("UBOB")[-1])
    assert "Added deal #1." in text_of(dm) and "Initech" in text_of(dm)


async def test_a_shortcut_from_another_workspace_changes_nothing(bench):
    bench.slack.add_user("UOTHER", "mallory", team_id="T0OTHER")
    sent = await bench.client.message_shortcut("UOTHER", Shortcut.DEAL_FROM_MESSAGE, "Evil Corp 90k")
    global_sent = await bench.client.shortcut("UOTHER", Shortcut.DEAL_NEW_GLOBAL)
    # A guest from another workspace (Slack Connect), in a payload that names ours.
    guest = await bench.client.message_shortcut(
        "UOTHER", Shortcut.DEAL_FROM_MESSAGE, "Evil Corp 90k", team=bench.slack.team_id
    )
    global_guest = await bench.client.shortcut("UOTHER", Shortcut.DEAL_NEW_GLOBAL, team=bench.slack.team_id)
    await settle()
    assert (sent.status, global_sent.status) == (401, 401)
    assert (guest.status, global_guest.status) == (200, 200)  # acked, and nothing more
    assert not bench.slack.calls_to("views.open") and not bench.slack.calls_to("chat.getPermalink")
    with bench.db.read() as s:
        assert s.exec(select(Deal)).all() == []


@pytest.mark.parametrize(
    "extra",
    [
        {"message": "not an object"},
        {"channel": ["C0SALES"]},
        {"message": {"text": ["Acme 50k"], "ts": "1.2"}},
        {"user": {"id": "not a slack id"}},
        {"trigger_id": None},
    ],
)
async def test_a_malformed_message_shortcut_changes_nothing(bench, extra):
    sent = await bench.client.message_shortcut("UALICE", Shortcut.DEAL_FROM_MESSAGE, "Acme 50k", extra=extra)
    await settle()
    assert sent.status in (200, 400)
    assert new_deal_views(bench) == []
    assert not bench.slack.calls_to("views.open")
    with bench.db.read() as s:
        assert s.exec(select(Deal)).all() == []


def test_the_manifest_declares_both_shortcuts():
    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yml").read_text())
    declared = {(s["type"], s["callback_id"]) for s in manifest["features"]["shortcuts"]}
    assert declared == {("message", Shortcut.DEAL_FROM_MESSAGE), ("global", Shortcut.DEAL_NEW_GLOBAL)}
