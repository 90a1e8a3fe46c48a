"""The words reps learned from Dutch and German pipeline guides name the default stages, typed in
`/deal add … stage:` and `/deal move`, end to end through the local Slack (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from domain.stages import DEFAULT_STAGES, StageRef, match_stage
from models.tables import Deal, Stage
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC

ALIASES = [
    ("nl", "prospectie", "prospecting", "Prospectie"),
    ("nl", "leadkwalificatie", "qualification", "Kwalificatie"),
    ("nl", '"eerste contact"', "first_contact", "Eerste contact"),
    ("nl", "behoeftenbeoordeling", "needs_assessment", "Behoefteanalyse"),
    ("nl", "voorstel", "proposal", "Voorstel"),
    ("nl", "offerte", "proposal", "Voorstel"),
    ("nl", "onderhandeling", "negotiation", "Onderhandeling"),
    ("de", "Prospektion", "prospecting", "Akquise"),
    ("de", "Akquise", "prospecting", "Akquise"),
    ("de", "Lead-Qualifizierung", "qualification", "Qualifizierung"),
    ("de", "Treffen", "first_contact", "Erstkontakt"),
    ("de", "Erstgespräch", "first_contact", "Erstkontakt"),
    ("de", "Vorschlag", "proposal", "Angebot"),
    ("de", "Angebot", "proposal", "Angebot"),
    ("de", "Verhandlung", "negotiation", "Verhandlung"),
]
USERS = {"nl": ("UJAN", "nl-NL"), "de": ("UJONAS", "de-DE")}


async def say(bench, user: str, text: str) -> str:
    reply = await bench.client.reply(await bench.client.command(user, text))
    return text_of(reply) if reply.blocks else reply.text


def stage_key_of(bench, number: int) -> str:
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.number == number)).one()
        return s.get(Stage, deal.stage_id).key


@pytest.mark.parametrize("lang, typed, key, shown", ALIASES)
async def test_a_reps_stage_word_works_in_deal_add_and_deal_move(bench, lang, typed, key, shown):
    bench.fixed_now = TUESDAY_10_UTC
    user, locale = USERS[lang]
    bench.slack.add_user(user, user.lower(), locale=locale)
    added = await say(bench, user, f"add Initech 20k stage:{typed}")
    assert stage_key_of(bench, 1) == key and shown in added
    # Move it somewhere else first (Won and Lost are never a typed move's target), then back by the word.
    elsewhere = "negotiation" if key != "negotiation" else "proposal"
    await say(bench, user, f"move #1 {elsewhere}")
    assert stage_key_of(bench, 1) == elsewhere
    moved = await say(bench, user, f"move #1 {typed}")
    assert stage_key_of(bench, 1) == key
    if key == "qualification":  # entering Qualification offers a BANT in a DM: let both offers land
        await bench.slack.wait_for(lambda: len(bench.slack.dms(user)) >= 2)
    expected = {"nl": f"Deal #1 verplaatst naar {shown}.", "de": f"Deal #1 ist jetzt in der Phase {shown}."}
    assert expected[lang] in moved


def test_a_stage_the_team_named_wins_over_an_alias():
    stages = [StageRef(i, key, name, kind) for i, (key, name, kind, *_) in enumerate(DEFAULT_STAGES)]
    stages.append(StageRef(99, "offer", "Offerte", "open"))  # the team's own stage, called like an alias
    assert match_stage("offerte", stages).stage.id == 99
    assert match_stage("vorschlag", stages).stage.key == "proposal"
    # A prefix of names comes before a prefix of aliases: "pro" is still Prospecting or Proposal.
    assert {s.key for s in match_stage("pro", stages).candidates} == {"prospecting", "proposal"}
