"""Salesbot speaks Dutch and German, end to end through the local Slack (SQLite and PostgreSQL):
each rep in their own language (their `/deal language`, else their Slack locale, else the team's),
channel messages in the team's language, DMs in the recipient's."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from models.tables import LostReason, Stage, Team
from scheduler import runner
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, nudge_dms, run_sweep, seed, setup_team, stage_id

NBSP = "\u00a0"


def people(bench) -> None:
    bench.slack.add_user("UJAN", "jan", locale="nl-NL")  # a rep in Utrecht
    bench.slack.add_user("UJONAS", "jonas", locale="de-DE", tz="Europe/Berlin")  # a rep in Munich
    bench.slack.add_user("ULEA", "lea", locale="de-AT", tz="Europe/Vienna")
    bench.slack.add_user("UAMELIE", "amelie", locale="fr-BE", tz="Europe/Brussels")  # no French: the team's


async def say(bench, user: str, text: str, command: str = "/deal") -> str:
    reply = await bench.client.reply(await bench.client.command(user, text, command=command))
    return text_of(reply) if reply.blocks else reply.text


def set_team(bench, **fields) -> None:
    setup_team(bench, **fields)


async def test_a_german_rep_gets_german_on_first_contact(bench):
    people(bench)
    text = await say(bench, "UJONAS", 'add "Acme Verlängerung" 50.000 € stage:angebot close:15.12.2026')
    assert "Deal #1 hinzugefügt." in text
    assert f"50.000{NBSP}€" in text and f"Angebot (60{NBSP}%)" in text and "15.12.2026" in text
    assert "Verantwortlich" in text and "Erwarteter Abschluss" in text
    text = await say(bench, "UJONAS", "move #1 verhandlung")
    assert "Deal #1 ist jetzt in der Phase Verhandlung." in text
    text = await say(bench, "ULEA", "list alle")  # Austria: German too; "alle" is a stage word here
    assert "Es gibt keine Phase `alle`. Die Phasen sind: Akquise, Qualifizierung, Erstkontakt" in text


async def test_a_dutch_rep_adds_moves_and_lists_deals_in_dutch(bench):
    people(bench)
    text = await say(bench, "UJAN", "add Initech pilot ong. 1,2 mln stage:kwal company:Initech")
    assert "Deal #1 toegevoegd." in text and f"€{NBSP}1.200.000" in text and "Kwalificatie (20%)" in text
    text = await say(bench, "UJAN", "move #1 voorstel")
    assert "Deal #1 verplaatst naar Voorstel." in text
    text = await say(bench, "UJAN", "list voorstel")
    assert "Deals in de fase Voorstel (1)" in text and "Initech pilot" in text and "vandaag actief" in text
    text = await say(bench, "UJAN", "move #1 verloren")
    assert "Markeer een deal als verloren met `/deal lost #1 <reden>`" in text
    text = await say(bench, "UJAN", "lost #1 geen budget")
    assert "Deal #1 is als verloren gemarkeerd." in text and "*Verloren:* Geen budget" in text
    # An English-speaking admin sees the same deal in English: the data is not Dutch.
    assert "*Lost:* No budget" in await say(bench, "UADMIN", "#1")
    assert "Proposal" in await say(bench, "UALICE", "add Beta 5k stage:voorstel")  # nor are the stages


async def test_deal_language_switches_and_auto_goes_back_to_the_slack_locale(bench):
    people(bench)
    assert "Added deal #1." in await say(bench, "UALICE", "add Acme 50k")
    assert await say(bench, "UALICE", "language nl") == "Vanaf nu praat ik Nederlands met je."
    text = await say(bench, "UALICE", "#1")
    assert "Bedrag" in text and f"€{NBSP}50.000" in text
    assert await say(bench, "UALICE", "taal de") == "Ab jetzt spreche ich Deutsch mit dir."
    assert "Betrag" in await say(bench, "UALICE", "#1")
    assert await say(bench, "UALICE", "language auto") == "From now on I speak English with you."
    assert "Amount" in await say(bench, "UALICE", "#1")
    # A Dutch rep who prefers English keeps it, also for what the scheduler sends (see the nudge test).
    assert await say(bench, "UJAN", "language en") == "From now on I speak English with you."
    assert "Added deal #2." in await say(bench, "UJAN", "add Beta 5k")


async def test_a_rep_whose_language_we_do_not_speak_gets_the_teams(bench):
    people(bench)
    set_team(bench, language="nl")
    assert "Deal #1 toegevoegd." in await say(bench, "UAMELIE", "add Acme 50k")
    assert "Added deal #2." in await say(bench, "UALICE", "add Beta 5k")  # en-US: English


async def test_the_home_tab_and_help_in_the_reps_language(bench):
    people(bench)
    await say(bench, "UJONAS", "add Acme 50k stage:angebot")
    home = text_of(await bench.client.open_home("UJONAS"))
    assert "Deine Pipeline" in home and "Neuer Deal" in home and "*Angebot* · 1 Deal" in home
    assert "Aktualisiert" in home and "UTC" in home
    help_text = await say(bench, "UJAN", "help")
    assert "Wat ik kan" in help_text and "Voeg een deal toe in één regel." in help_text


async def test_a_stale_card_says_what_changed_in_the_reps_language(bench):
    people(bench)
    sent = await bench.client.command("UJAN", "add Acme 50k stage:voorstel")
    card = await bench.client.reply(sent)
    await say(bench, "UJAN", "move #1 onderhandeling")
    await bench.client.click("UJAN", card, "deal_won")
    await bench.slack.wait_for(lambda: len(card.history) >= 1)
    assert "Deal #1 is intussen gewijzigd: hij staat nu in de fase Onderhandeling." in text_of(card)


async def test_dutch_and_german_reps_get_their_nudges_in_their_language_the_channel_in_the_teams(bench):
    people(bench)
    bench.fixed_now = TUESDAY_10_UTC
    set_team(bench, channel_id="C0SALES", language="de", escalation="managers", manager_ids="UJAN")
    jan = seed(bench, "UJAN", "Acme verlenging", "proposal", idle_days=15)  # threshold 14
    jonas = seed(
        bench, "UJONAS", "Globex Erweiterung", "negotiation", idle_days=25
    )  # threshold 10: escalated
    await run_sweep(bench)

    [dutch] = nudge_dms(bench, "UJAN")
    text = text_of(dutch)
    assert "Deal #1 is stilgevallen" in dutch.text and "Acme verlenging" in text
    assert "Voorstel" in text and "15 dagen stil" in text and f"€{NBSP}50.000" in text
    assert "Notitie toevoegen" in text and "Uitstellen" in text
    [german] = nudge_dms(bench, "UJONAS")
    text = text_of(german)
    assert "Deal #2 ist ins Stocken geraten" in german.text
    assert "Verhandlung" in text and "seit 25 Tagen inaktiv" in text and f"50.000{NBSP}€" in text
    # The team's channel, in the team's language (German); the manager's escalation DM in his (Dutch).
    [reminder] = bench.slack.channel_messages("C0SALES")
    assert "2 Deals sind ins Stocken geraten." in reminder.text
    escalation = [m for m in bench.slack.dms("UJAN") if m is not dutch]
    assert len(escalation) == 1
    assert "1 deal ligt al meer dan twee keer zo lang stil als zijn fase toestaat." in escalation[0].text
    assert "Globex Erweiterung" in text_of(escalation[0]) and "Onderhandeling" in text_of(escalation[0])

    # Acting on the nudge answers in Dutch, in place.
    bench.fixed_now = TUESDAY_10_UTC + timedelta(minutes=5)
    target = stage_id(bench, "negotiation")
    await bench.client.click(
        "UJAN", dutch, "nudge_move", option=f"{jan}:{stage_id(bench, 'proposal')}:{target}"
    )
    await bench.slack.wait_for(lambda: len(dutch.history) >= 1)
    assert "✓ Verplaatst naar Onderhandeling." in text_of(dutch)
    await bench.client.click(
        "UJONAS", german, "nudge_snooze", value=f"{jonas}:{stage_id(bench, 'negotiation')}"
    )
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "nudge_snooze"), None)
    )
    assert view["title"]["text"] == "#2 zurückstellen" and "Bis zu einem Datum" in text_of(view["blocks"])
    await bench.client.submit("UJONAS", view, {"snooze_for": "1w"})
    await bench.slack.wait_for(lambda: len(german.history) >= 1)
    assert "💤 Zurückgestellt bis 01.12.2026." in text_of(german)


async def test_a_nudge_follows_the_reps_own_language_choice(bench):
    people(bench)
    bench.fixed_now = TUESDAY_10_UTC
    await say(bench, "UJAN", "language de")
    seed(bench, "UJAN", "Acme", "proposal", idle_days=15)
    await run_sweep(bench)
    [nudge] = nudge_dms(bench, "UJAN")
    assert "ist ins Stocken geraten" in nudge.text


async def test_the_digest_in_the_teams_language_and_each_managers_dm_in_theirs(bench):
    from tests.digest_pipeline import E, setup

    HOUR = timedelta(hours=1)

    people(bench)
    setup(bench, managers="UJONAS,UALICE")
    set_team(bench, language="nl")
    bench.fixed_now = E + HOUR
    await runner.tick(bench.deps, bench.bolt.client, worker="test")

    def digests(messages, title):  # the tick nudges too: the digest is the message with its title
        return [m for m in messages if title in text_of(m)]

    [channel] = digests(bench.slack.channel_messages("C0SALES"), "Wekelijks pipelineoverzicht")
    text = text_of(channel)
    assert channel.text.startswith("Wekelijks pipelineoverzicht: 7 open deals")
    assert "De week van 23 nov 2026 tot 30 nov 2026" in text and f"7 deals · €{NBSP}79.000" in text
    assert "*Voorstel* (60%)" in text and "Verloren aan concurrent (1)" in text
    [german] = digests(bench.slack.dms("UJONAS"), "Wöchentliche Pipeline-Übersicht")
    assert german.text.startswith("Wöchentliche Pipeline-Übersicht: 7 offene Deals")
    assert "Die Woche vom 23.11.2026 bis 30.11.2026" in text_of(
        german
    ) and f"*Angebot* (60{NBSP}%)" in text_of(german)
    [english] = digests(bench.slack.dms("UALICE"), "Weekly pipeline digest")
    assert english.text.startswith("Weekly pipeline digest: 7 open deals")
    charts = {m.channel: m.text for m in bench.slack.messages if m.kind == "file"}
    assert charts["C0SALES"].startswith("Open deals per fase: Prospectie:")
    assert charts[bench.slack.dm_channel("UJONAS")].startswith("Offene Deals nach Phase: Akquise:")
    assert charts[bench.slack.dm_channel("UALICE")].startswith("Open deals by stage: Prospecting:")


async def test_the_digest_preview_is_in_the_readers_language(bench):
    from tests.digest_pipeline import E, setup

    people(bench)
    setup(bench)
    bench.fixed_now = E
    text = await say(bench, "UJONAS", "digest", command="/pipeline")
    assert "Vorschau, nur du siehst sie." in text and f"7 Deals · 79.000{NBSP}€" in text


async def test_settings_in_dutch_keep_the_default_names_for_everyone(bench):
    bench.slack.users["UADMIN"].locale = "nl-NL"
    from tests.helpers import open_settings

    view = await open_settings(bench)
    blocks = {b["block_id"]: b for b in view["blocks"] if b.get("block_id")}
    assert view["title"]["text"] == "Pipeline-instellingen"
    stages = blocks["stages"]["element"]["initial_value"]
    assert stages.splitlines()[4] == "proposal: Voorstel | 60% | 14d"
    reasons = blocks["reasons"]["element"]["initial_value"]
    assert reasons.splitlines()[:3] == ["Prijs", "Verloren aan concurrent", "Geen budget"]
    assert [o["text"]["text"] for o in blocks["digest_weekday"]["element"]["options"]][:2] == [
        "Maandag",
        "Dinsdag",
    ]
    # Saved unchanged but for one renamed stage and one new reason: the defaults stay defaults.
    ack = await bench.client.submit(
        "UADMIN",
        view,
        {
            "stages": stages.replace("negotiation: Onderhandeling", "negotiation: Contract"),
            "reasons": reasons + "\nKoos Excel",
            "language": "de",
        },
    )
    assert ack.body == "", ack.body
    with bench.db.read() as s:
        names = {st.key: st.name for st in s.exec(select(Stage).where(Stage.team_id == TEAM))}
        reasons_now = [(r.key, r.text) for r in s.exec(select(LostReason).order_by(col(LostReason.position)))]
        assert s.get(Team, TEAM).language == "de"
    assert names["proposal"] == "Proposal" and names["negotiation"] == "Contract"
    assert reasons_now[:3] == [
        ("price", "Price"),
        ("competitor", "Lost to a competitor"),
        ("no_budget", "No budget"),
    ]
    assert reasons_now[-1] == ("koos_excel", "Koos Excel")
    # The English rep sees the default in English and the team's own name as written.
    text = await say(bench, "UALICE", "add Acme 5k stage:proposal")
    assert "Proposal (60%)" in text
    assert "Deal #1 moved to Contract." in await say(bench, "UALICE", "move #1 contract")
