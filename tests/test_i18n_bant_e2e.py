"""Qualifying a deal in Dutch and in German, end to end through the local Slack: a Dutch rep (Slack
locale nl-NL) and a German rep (de-DE) each get the BANT questions, buttons, follow-ups, re-prompts
and the summary card in their own language, answer in it (typed, and with buttons), and see
amounts and dates written their locale's way. A rep who chose `/deal language en` gets English
whatever their Slack locale. See tests/test_qualify_answers_e2e.py for the conversation in English."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tests.chat import Chat, deal
from tests.helpers import text_of
from tests.qualifying import answers, closed_questions

NBSP = "\u00a0"
# A Tuesday late in November: "eind Q1" is 31 March 2027, "Anfang Q2" 1 April 2027.
TUESDAY = datetime(2026, 11, 24, 10, tzinfo=UTC)
# Words of the English conversation that must not show up in a Dutch or German one.
ENGLISH = re.compile(
    r"\b(?:Qualifying|question \d|Got it|Type the answer|Yes|Not sure|Skip|Stop|Need|Timeline|"
    r"Authority|Needs sign-off|Your contact|Qualified|Needs work|Disqualify|Edit an answer|"
    r"Move to|Mark lost|I'm asking|That doesn't|By \d|from \d|No budget now)\b"
)


def people(bench) -> None:
    bench.slack.add_user("UJAN", "jan", locale="nl-NL")  # a rep in Utrecht
    bench.slack.add_user("UJONAS", "jonas", locale="de-DE", tz="Europe/Berlin")  # a rep in Munich


@pytest.fixture(autouse=True)
def nothing_went_wrong(request):
    """No listener failed: the bot's apology, in any of its languages, was never sent."""
    yield
    bench = request.node.funcargs.get("bench")
    if bench is not None:
        said = [text_of(m) for m in bench.slack.messages]
        said += [text_of(m) for replies in bench.slack.responses.values() for m in replies]
        assert not [t for t in said if re.search(r"went wrong|ging iets mis|etwas schiefgegangen", t)]


def labels(message) -> list[str]:
    """The texts of a message's buttons, and the placeholders of its menus, in order."""
    return [
        (e.get("text") or e.get("placeholder"))["text"]
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def in_english(message) -> list[str]:
    return ENGLISH.findall(text_of(message) + "\n" + (message.text or ""))


async def say(bench, user: str, words: str) -> str:
    reply = await bench.client.reply(await bench.client.command(user, words))
    return text_of(reply) if reply.blocks else reply.text


async def test_a_dutch_rep_qualifies_a_deal_in_dutch(bench):
    people(bench)
    bench.fixed_now = TUESDAY
    assert "Deal #1 toegevoegd." in await say(bench, "UJAN", 'add "Acme verlenging" 50k')
    chat = Chat(bench, "UJAN")
    reply = await chat.command("qualify #1")
    assert text_of(reply) == "De vragen voor deal #1 staan in onze DM."
    first = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    text = text_of(first)
    assert "Kwalificatie van *#1 Acme verlenging* · vraag 1 van 4 · Vier korte vragen" in text
    assert "*Budget* — Hebben ze hier budget voor? Een bedrag of bandbreedte helpt" in text
    assert "Zeg op elk moment “overslaan”, “terug”, “pauzeren” of “opnieuw”." in text
    assert labels(first) == ["Ja", "Nee", "Niet zeker", "Overslaan", "Terug", "Pauzeren"]
    assert first.text.startswith("Budget: Hebben ze hier budget voor?")

    # Two answers in one Dutch message: an amount the Dutch way, and who decides.
    need = await chat.say("ong. 40k, Jan beslist")
    text = text_of(need)
    assert "vraag 3 van 4" in text
    assert f"Genoteerd: *Budget* Ja · €{NBSP}40.000 · *Beslisser* Akkoord nodig van Jan" in text
    assert "*Behoefte* — Hebben ze een duidelijke behoefte" in text

    # No answer at all: the re-prompt says what it asks, in Dutch.
    reprompt = await chat.say("haha")
    assert text_of(reprompt) == (
        "Dat lijkt me geen antwoord. Ik vraag naar *Behoefte*: typ het probleem dat ze "
        "opgelost willen zien, in een paar woorden, of gebruik de knoppen hierboven."
    )
    timeline = await chat.say("ze willen hun offertes automatiseren")
    assert "Genoteerd: *Behoefte* Duidelijk" in text_of(timeline) and "vraag 4 van 4" in text_of(timeline)
    assert "*Tijdpad* — Is er een datum waarop ze dit nodig hebben" in text_of(timeline)

    # Dutch control words: back to the need, which shows its answer; the Skip button keeps it.
    again = await chat.say("terug")
    assert "*Behoefte* —" in text_of(again) and "Nu: Duidelijk" in text_of(again)
    timeline = await chat.click("qualify_skip", again)
    assert "*Tijdpad* —" in text_of(timeline)

    # A vague date is asked back, with the follow-up's own buttons.
    vague = await chat.say("binnenkort")
    assert "Kun je dat koppelen aan een maand of een datum, zoals “uiterlijk juni” of “Q3”?" in text_of(vague)
    assert labels(vague) == ["Geen haast", "Niet zeker", "Overslaan", "Terug", "Pauzeren"]
    summary = await chat.say("eind Q1")

    text = text_of(summary)
    assert summary.text == "BANT voor #1: :white_check_mark: Gekwalificeerd, 90/100"
    assert "BANT voor *#1 Acme verlenging*\n:white_check_mark: Gekwalificeerd · score *90*/100" in text
    assert f"*Budget* · 25/25 — Ja · €{NBSP}40.000" in text and "“ong. 40k”" in text
    assert "*Beslisser* · 15/25 — Akkoord nodig van Jan" in text and "“Jan beslist”" in text
    assert "*Behoefte* · 25/25 — Duidelijk" in text
    assert "*Tijdpad* · 25/25 — Uiterlijk 31 mrt 2027" in text and "“eind Q1”" in text
    assert "<@UJAN>, 24 nov 2026" in text
    assert (
        "Budget, iemand die tekent, een duidelijke behoefte en een tijdpad: klaar voor de volgende fase."
        in text
    )
    assert labels(summary) == [
        "Door naar Kwalificatie",
        "Verloren: niet gekwalificeerd",
        "Antwoord bewerken",
    ]
    edit = next(
        e
        for b in summary.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "qualify_edit"
    )
    assert [o["text"]["text"] for o in edit["options"]] == ["Budget", "Beslisser", "Behoefte", "Tijdpad"]
    await closed_questions(chat)
    assert [in_english(m) for m in chat.dms()] == [[]] * len(chat.dms())

    stored = answers(bench.db)
    assert (stored["budget"].min_cents, stored["authority"].who) == (4_000_000, "Jan")
    assert stored["timeline"].on_date == date(2027, 3, 31) and stored["need"].status == "clear"

    # The deal card and the Home tab show the result in Dutch too; nothing running, a Dutch hint.
    card = await say(bench, "UJAN", "#1")
    assert "*BANT* :white_check_mark: Gekwalificeerd · score *90*/100" in card
    assert f"Budget: Ja · €{NBSP}40.000 · Beslisser: Akkoord nodig van Jan · Behoefte: Duidelijk" in card
    assert "Kwalificeren" in card
    home = text_of(await bench.client.open_home("UJAN"))
    assert "BANT 90 :white_check_mark:" in home
    hint = await chat.say("hallo")
    assert text_of(hint).startswith("Ik lees hier antwoorden terwijl we een deal kwalificeren.")


async def test_a_german_rep_qualifies_a_deal_offered_in_german(bench):
    people(bench)
    bench.fixed_now = TUESDAY
    text = await say(bench, "UJONAS", 'add "Globex Erweiterung" 80.000 € stage:qualifizierung')
    assert "Deal #1 hinzugefügt." in text and "Qualifizierung (20" in text
    chat = Chat(bench, "UJONAS")
    offer = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    assert offer.text == "Deal #1 qualifizieren?"
    assert text_of(offer).startswith(
        "*#1 Globex Erweiterung* ist jetzt in der Phase Qualifizierung. Direkt qualifizieren?"
    )
    assert labels(offer) == ["Jetzt qualifizieren"]
    first = await chat.click("qualify_start", offer)
    assert "Qualifizierung von *#1 Globex Erweiterung* · Frage 1 von 4" in text_of(first)
    assert labels(first) == ["Ja", "Nein", "Nicht sicher", "Überspringen", "Zurück", "Pausieren"]
    await bench.slack.wait_for(lambda: offer.history)
    assert text_of(offer) == "Wir qualifizieren Deal #1: Die Fragen folgen." and not labels(offer)

    # An amount the German way, then No on "can your contact sign?", and who does sign.
    authority = await chat.say("ca. 40.000 €")
    assert f"Notiert: *Budget* Ja · 40.000{NBSP}€" in text_of(authority)
    assert "*Entscheider* — Kann deine Ansprechperson unterschreiben?" in text_of(authority)
    who = await chat.click("qualify_no", authority)
    assert "Deine Ansprechperson kann also nicht unterschreiben. Wer dann?" in text_of(who)
    assert labels(who) == ["Weiß nicht", "Überspringen", "Zurück", "Pausieren"]
    need = await chat.say("Frau Berger")
    assert "Notiert: *Entscheider* Freigabe durch Frau Berger nötig" in text_of(need)
    assert "*Bedarf* — Haben sie einen klaren Bedarf" in text_of(need)

    # A message that answers the need and the timeline at once.
    summary = await chat.say("sie wollen sich erst mal nur informieren, Anfang Q2")
    text = text_of(summary)
    assert summary.text == "BANT für #1: :warning: Nacharbeit nötig, 75/100"
    assert "BANT für *#1 Globex Erweiterung*\n:warning: Nacharbeit nötig · Score *75*/100" in text
    assert f"*Budget* · 25/25 — Ja · 40.000{NBSP}€" in text and "“ca. 40.000 €”" in text
    assert (
        "*Entscheider* · 15/25 — Freigabe durch Frau Berger nötig" in text and "“Nein / Frau Berger”" in text
    )
    assert "*Bedarf* · 10/25 — Unklar" in text and "“sie wollen sich erst mal nur informieren”" in text
    assert "*Zeitplan* · 25/25 — Bis 01.04.2027" in text and "“Anfang Q2”" in text
    assert "Der Bedarf ist noch nicht klar." in text and "<@UJONAS>, 24.11.2026" in text
    assert labels(summary) == [
        "In Erstkontakt verschieben",
        "Verloren: nicht qualifiziert",
        "Antwort bearbeiten",
    ]
    await closed_questions(chat)
    assert [in_english(m) for m in chat.dms()] == [[]] * len(chat.dms())
    stored = answers(bench.db)
    assert stored["authority"].who == "Frau Berger" and stored["timeline"].on_date == date(2027, 4, 1)
    assert stored["need"].status == "vague"

    # Marking it lost from the summary answers in German.
    await bench.client.click("UJONAS", summary, "qualify_lost")
    await bench.slack.wait_for(lambda: summary.history)
    assert "Deal #1 ist als verloren markiert: nicht qualifiziert." in text_of(summary)
    assert deal(bench.db).closed_at is not None


async def test_a_dutch_rep_who_chose_english_qualifies_in_english(bench):
    people(bench)
    bench.fixed_now = TUESDAY
    assert await say(bench, "UJAN", "language en") == "From now on I speak English with you."
    await say(bench, "UJAN", 'add "Initech pilot" 30k')
    chat = Chat(bench, "UJAN")
    assert "The questions for deal #1 are in our DM." in text_of(await chat.command("qualify #1"))
    first = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    assert "question 1 of 4" in text_of(first) and labels(first)[:3] == ["Yes", "No", "Not sure"]
    authority = await chat.say("ong. 40k")  # typed Dutch is still read
    assert "Got it: *Budget* Yes · €40,000" in text_of(authority) and "*Authority* —" in text_of(authority)


async def test_a_qualification_started_by_someone_else_asks_the_owner_in_the_owners_language(bench):
    people(bench)
    bench.slack.add_user("UMIA", "mia", locale="en-US", is_admin=True)  # an admin who speaks English
    bench.fixed_now = TUESDAY
    assert "Deal #1 toegevoegd." in await say(bench, "UJAN", 'add "Acme verlenging" 50k')
    reply = await bench.client.reply(await bench.client.command("UMIA", "qualify #1"))
    assert text_of(reply) == "I've asked <@UJAN> about deal #1 in a DM."  # Mia reads English
    first = await bench.slack.wait_for(lambda: bench.slack.dms("UJAN") and bench.slack.dms("UJAN")[-1])
    assert "Kwalificatie van *#1 Acme verlenging* · vraag 1 van 4" in text_of(first)
    assert labels(first) == ["Ja", "Nee", "Niet zeker", "Overslaan", "Terug", "Pauzeren"]
    assert in_english(first) == []


async def test_a_deal_someone_else_moves_into_qualification_is_offered_to_its_owner_in_their_language(bench):
    people(bench)
    bench.slack.add_user("UMIA", "mia", locale="en-US", is_admin=True)
    bench.fixed_now = TUESDAY
    assert "Deal #1 toegevoegd." in await say(bench, "UJAN", 'add "Acme verlenging" 50k')
    assert "Deal #1 moved to Qualification." in await say(bench, "UMIA", "move #1 qualification")
    offer = await bench.slack.wait_for(lambda: bench.slack.dms("UJAN") and bench.slack.dms("UJAN")[-1])
    assert "staat nu in de fase Kwalificatie. Meteen kwalificeren?" in text_of(offer)
