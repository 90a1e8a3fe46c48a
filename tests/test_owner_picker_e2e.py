"""The deal form's owner: a manager gives a deal to a person still in the workspace, never to a bot or
someone deactivated (users.info's is_bot and deleted); the refusal lands on the field, in the
manager's language, and nothing changes."""

from sqlmodel import select

from models.tables import Deal
from tests.nudging import TEAM, TUESDAY_10_UTC, seed


def owner(bench, number: int) -> tuple[str, int]:
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()
        return deal.owner_id, deal.version


async def edit_form(bench, user: str, number: int) -> dict:
    bench.slack.views.clear()
    await bench.client.command(user, f"edit #{number}")
    return await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_edit"), None)
    )


async def test_a_bot_or_a_deactivated_user_is_refused_on_the_owner_field(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.add_user("UGONE", "gone", deleted=True)
    number = seed(bench, "UALICE", "Acme", idle_days=1)
    view = await edit_form(bench, "UADMIN", number)
    refused = await bench.client.submit("UADMIN", view, {"owner": "UBOT"})
    assert refused.json["errors"] == {"owner": "<@UBOT> is a bot. Give the deal to a person."}
    refused = await bench.client.submit("UADMIN", view, {"owner": "UGONE"})
    assert refused.json["errors"] == {
        "owner": "<@UGONE> has been deactivated. Give the deal to someone still here."
    }
    assert owner(bench, number) == ("UALICE", 1)
    saved = await bench.client.submit("UADMIN", view, {"owner": "UBOB"})
    assert saved.body == "" and owner(bench, number) == ("UBOB", 2)


async def test_an_unchanged_owner_who_left_does_not_block_other_edits(bench):
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UBOB", "Beta", idle_days=1)
    bench.slack.users["UBOB"].deleted = True
    view = await edit_form(bench, "UADMIN", number)
    saved = await bench.client.submit("UADMIN", view, {"name": "Beta renewal"})
    assert saved.body == "" and owner(bench, number) == ("UBOB", 2)


async def test_the_refusal_is_in_the_managers_language(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.users["UADMIN"].locale = "nl-NL"
    number = seed(bench, "UALICE", "Acme", idle_days=1)
    view = await edit_form(bench, "UADMIN", number)
    refused = await bench.client.submit("UADMIN", view, {"owner": "UBOT"})
    assert refused.json["errors"] == {"owner": "<@UBOT> is een bot. Geef de deal aan een collega."}
    assert owner(bench, number) == ("UALICE", 1)


async def test_the_new_deal_form_refuses_a_bot_owner_too(bench):
    bench.fixed_now = TUESDAY_10_UTC
    await bench.client.command("UADMIN", "")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_new"), None)
    )
    refused = await bench.client.submit("UADMIN", view, {"name": "Gamma", "owner": "UBOT"})
    assert refused.json["errors"] == {"owner": "<@UBOT> is a bot. Give the deal to a person."}
    with bench.db.read() as s:
        assert s.exec(select(Deal)).all() == []
