"""Formal address as a team setting: German "Sie" and Dutch "u" from the formal catalogs, chosen in
/pipeline settings beside the team's language, end to end through the local Slack (SQLite and
PostgreSQL); English has one "you" and is unchanged."""

from __future__ import annotations

from bot.demo import run_demo
from bot.i18n import translator
from models.tables import Team
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC, nudge_dms, run_sweep, seed, setup_team


def test_the_formal_catalogs_say_sie_and_u():
    assert translator("de", formal=True)("Pick a stage.") == "Wählen Sie eine Phase."
    assert translator("de", formal=False)("Pick a stage.") == "Wähle eine Phase."
    assert translator("nl", formal=True)("Your pipeline") == "Uw pipeline"
    assert translator("nl", formal=False)("Your pipeline") == "Jouw pipeline"
    # What addresses nobody reads the same, and English is English.
    assert translator("de", formal=True)("Proposal") == "Angebot"
    assert translator("en", formal=True)("Your pipeline") == "Your pipeline"


async def say(bench, user: str, text: str) -> str:
    reply = await bench.client.reply(await bench.client.command(user, text))
    return text_of(reply) if reply.blocks else reply.text


async def settings_view(bench) -> dict:
    before = set(bench.slack.views)
    await bench.client.command("UADMIN", "settings", command="/pipeline")
    return await bench.slack.wait_for(
        lambda: next((bench.slack.views[v] for v in bench.slack.views if v not in before), None)
    )


async def save_address(bench, address: str) -> dict:
    view = await settings_view(bench)
    ack = await bench.client.submit("UADMIN", view, {"address": address})
    assert ack.body == "", ack.body
    return view


async def test_a_team_that_chooses_formal_address_is_answered_with_sie_and_u(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.add_user("UJONAS", "jonas", locale="de-DE", tz="Europe/Berlin")
    bench.slack.add_user("UJAN", "jan", locale="nl-NL")
    assert "Du hast keine offenen Deals." in await say(bench, "UJONAS", "list")
    view = await save_address(bench, "formal")
    address = next(b for b in view["blocks"] if b.get("block_id") == "address")
    assert address["element"]["initial_option"]["value"] == "informal"  # what it was
    with bench.db.read() as s:
        assert s.get(Team, "T0LOCAL").formal is True
    assert "Sie haben keine offenen Deals. Fügen Sie einen mit `/deal add` hinzu." in await say(
        bench, "UJONAS", "list"
    )
    assert "Versuchen Sie es mit `/deal help`." in await say(bench, "UJONAS", "frobnicate")
    assert "U hebt geen open deals." in await say(bench, "UJAN", "list")
    assert "You have no open deals." in await say(bench, "UALICE", "list")
    # The form shows the choice, and going back to "du" is one change.
    view = await save_address(bench, "informal")
    address = next(b for b in view["blocks"] if b.get("block_id") == "address")
    assert address["element"]["initial_option"]["value"] == "formal"
    assert "Du hast keine offenen Deals." in await say(bench, "UJONAS", "list")


async def test_the_demo_shows_formal_german(capsys):
    assert await run_demo(language="de", formal=True) == 0
    out = capsys.readouterr().out
    assert "Richten Sie Salesbot für Ihr Team mit den Schritten aus der README ein." in out
    assert "Sie sehen hier Ihre eigenen Deals" in out
    assert " du " not in out and " dein" not in out


async def test_a_formal_teams_nudges_say_sie_and_u(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.add_user("UJONAS", "jonas", locale="de-DE", tz="Europe/Berlin")
    bench.slack.add_user("UJAN", "jan", locale="nl-NL")
    setup_team(bench, channel_id="C0SALES", language="de", formal=True)
    seed(bench, "UJONAS", "Globex Erweiterung", "negotiation", idle_days=11)  # threshold 10
    seed(bench, "UJAN", "Acme verlenging", "proposal", idle_days=15)  # threshold 14
    await run_sweep(bench)
    [german] = nudge_dms(bench, "UJONAS")
    assert "Öffnen Sie einen Deal mit `/deal #N`." in text_of(german)
    [dutch] = nudge_dms(bench, "UJAN")
    assert "Open een deal met `/deal #N`." in text_of(dutch)  # Dutch imperatives serve "u" as well
    assert " je " not in text_of(dutch) and "Öffne " not in text_of(german)
