"""`/deal add Acme 50k <stage>` reads the stage without `stage:` when the last words name one of the
team's own open stages (a renamed one too), as it does for the default names, in English, Dutch
and German; pure tables, then end to end on SQLite and PostgreSQL. Dates: Tuesday 24 November 2026."""

from datetime import date

import pytest
from sqlmodel import select

from domain.commands import parse_deal_command, with_team_stages
from domain.stages import StageRef
from models.tables import Deal, Stage
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, stage_id

TODAY = date(2026, 11, 24)
FRIDAY = date(2026, 11, 27)
TEAM_NAMES = ["Scoping", "Legal review", "Verkenning", "Juridische check", "Sondierung", "Rechtsprüfung"]
TEAM_STAGES = [StageRef(i, f"custom_{i}", name, "open") for i, name in enumerate(TEAM_NAMES, 1)]


@pytest.mark.parametrize(
    "text, name, cents, stage, close, company",
    [
        # The default stages, in the three languages, need no `stage:`.
        ("add Acme renewal 50k proposal", "Acme renewal", 5_000_000, "proposal", None, None),
        ("add Acme verlenging 50k voorstel", "Acme verlenging", 5_000_000, "voorstel", None, None),
        ("add Acme Verlängerung 50k Angebot", "Acme Verlängerung", 5_000_000, "Angebot", None, None),
        ("add Acme 50k eerste contact", "Acme", 5_000_000, "eerste contact", None, None),
        ("add Acme 12.500 Verhandlung", "Acme", 1_250_000, "Verhandlung", None, None),
        # Unquoted values run to the next key: dates said naturally, names with spaces.
        (
            "add Acme 50k proposal close:next friday company:Acme Corp",
            "Acme",
            5_000_000,
            "proposal",
            FRIDAY,
            "Acme Corp",
        ),
        (
            "add Acme 50k offerte company:Acme B.V. close:volgende vrijdag",
            "Acme",
            5_000_000,
            "offerte",
            FRIDAY,
            "Acme B.V.",
        ),
        (
            "add Acme 50k Angebot close:nächsten Freitag company:Müller & Söhne GmbH",
            "Acme",
            5_000_000,
            "Angebot",
            FRIDAY,
            "Müller & Söhne GmbH",
        ),
        # No amount before it: the word stays in the name.
        ("add Q3 proposal", "Q3 proposal", None, None, None, None),
        ("add Offerte Müller", "Offerte Müller", None, None, None, None),
        ("add Jahresangebot 20k", "Jahresangebot", 2_000_000, None, None, None),
    ],
)
def test_the_default_stages_said_naturally(text, name, cents, stage, close, company):
    cmd = with_team_stages(parse_deal_command(text, TODAY), TEAM_STAGES, TODAY)
    amount = cmd.amount.cents if cmd.amount else None
    assert (cmd.name, amount, cmd.stage, cmd.close, cmd.company) == (name, cents, stage, close, company)


@pytest.mark.parametrize(
    "text, name, stage",
    [
        ("add Acme 50k scoping", "Acme", "scoping"),
        ("add Acme renewal 50k Legal review", "Acme renewal", "Legal review"),
        ("add Acme verlenging 50k verkenning", "Acme verlenging", "verkenning"),
        ("add Acme 50k juridische check", "Acme", "juridische check"),
        ("add Acme Verlängerung 50k Sondierung", "Acme Verlängerung", "Sondierung"),
        ("add Acme 50k Rechtsprüfung", "Acme", "Rechtsprüfung"),
        # Still only after an amount, and `stage:` wins over a bare word.
        ("add Scoping call", "Scoping call", None),
        ("add Acme scoping", "Acme scoping", None),
        ("add Acme 50k scoping stage:proposal", "Acme 50k scoping", "proposal"),
    ],
)
def test_the_teams_own_stage_names_said_naturally(text, name, stage):
    cmd = with_team_stages(parse_deal_command(text, TODAY), TEAM_STAGES, TODAY)
    assert (cmd.name, cmd.stage) == (name, stage)


@pytest.mark.parametrize(
    "text, name, cents, stage",
    [
        # After a quoted name and an amount, whatever follows is the stage, matched later as `stage:`
        # is (a unique start will do, an unknown one is told there is no such stage).
        ('add "Quoted" 50k pilot', "Quoted", 5_000_000, "pilot"),
        ('add "Quoted" 50k pil', "Quoted", 5_000_000, "pil"),
        ('add "Acme renewal" 50,000 EUR legal review', "Acme renewal", 5_000_000, "legal review"),
        ('add "Initech" ca. 40.000 € Angebot', "Initech", 4_000_000, "Angebot"),
        ('add "Quoted" 50k', "Quoted", 5_000_000, None),
        ('add "Initech" ca. 40.000 €', "Initech", 4_000_000, None),
        # Unquoted, only a stage's whole name or alias: `Pro` and `Scop` stay in the name.
        ("add iPhone 15 Pro", "iPhone 15 Pro", None, None),
        ("add Acme 50k Scop", "Acme 50k Scop", None, None),
        ("add Acme 50,000 EUR scoping", "Acme", 5_000_000, "scoping"),
    ],
)
def test_the_words_after_the_amount(text, name, cents, stage):
    cmd = with_team_stages(parse_deal_command(text, TODAY), TEAM_STAGES, TODAY)
    amount = cmd.amount.cents if cmd.amount else None
    assert (cmd.name, amount, cmd.stage, cmd.bare_stage) == (name, cents, stage, stage is not None)


def test_a_stage_given_by_key_is_not_a_bare_one():
    cmd = parse_deal_command('add "Acme" 50k stage:won', TODAY)
    assert (cmd.stage, cmd.bare_stage) == ("won", False)


def test_a_closed_stage_of_the_team_is_no_bare_last_word():
    closed = [StageRef(1, "custom_1", "Signed", "won"), *TEAM_STAGES]
    cmd = with_team_stages(parse_deal_command("add Acme 50k signed", TODAY), closed, TODAY)
    assert (cmd.name, cmd.stage) == ("Acme 50k signed", None)


def test_without_the_teams_names_a_renamed_stage_stays_in_the_name():
    cmd = parse_deal_command("add Acme 50k scoping", TODAY)
    assert (cmd.name, cmd.stage, cmd.amount) == ("Acme 50k scoping", None, None)


def rename(bench, key: str, name: str) -> None:
    found = stage_id(bench, key)  # its own transaction: the write lock is not reentrant
    with bench.db.write() as s:
        stage = s.get(Stage, found)
        stage.name = name
        s.add(stage)
    bench.db.stage_cache.forget(TEAM)  # the renamed stage is read from now on


@pytest.mark.parametrize(
    "user, locale, renamed, typed, reply",
    [
        ("UALICE", "en-US", "Scoping", "scoping", "Added deal #1."),
        ("UJAN", "nl-NL", "Verkenning", "verkenning", "Deal #1 toegevoegd."),
        ("UJONAS", "de-DE", "Sondierung", "Sondierung", "Deal #1 hinzugefügt."),
    ],
)
async def test_a_renamed_stage_as_the_last_word_end_to_end(bench, user, locale, renamed, typed, reply):
    bench.fixed_now = TUESDAY_10_UTC
    if user not in bench.slack.users:
        bench.slack.add_user(user, user.lower(), locale=locale)
    rename(bench, "needs_assessment", renamed)
    added = await bench.client.reply(await bench.client.command(user, f"add Acme renewal 50k {typed}"))
    assert reply in text_of(added) and renamed in text_of(added)
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == 1)).one()
        assert (deal.name, deal.amount_cents, s.get(Stage, deal.stage_id).key) == (
            "Acme renewal",
            5_000_000,
            "needs_assessment",
        )


def add_stage(bench, key: str, name: str) -> None:
    """An open stage the team added, after Negotiation."""
    stage_id(bench, "negotiation")  # the team's default stages exist first
    with bench.db.write() as s:
        s.add(Stage(team_id=TEAM, key=key, name=name, position=6, kind="open", probability=70, stall_days=7))
    bench.db.stage_cache.forget(TEAM)


def the_deal(bench) -> tuple[str, int | None, str]:
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == 1)).one()
        return deal.name, deal.amount_cents, s.get(Stage, deal.stage_id).key


@pytest.mark.parametrize(
    "typed, name",
    [
        ('"Quoted" 50k pilot', "Quoted"),
        ("Quoted 50k pilot", "Quoted"),
        ('"Quoted" 50k Pil', "Quoted"),  # a quoted name: the words after the amount read as stage: does
        ('"Acme renewal" 50,000 EUR PILOT', "Acme renewal"),
    ],
)
async def test_a_stage_the_team_added_as_the_last_word_end_to_end(bench, typed, name):
    bench.fixed_now = TUESDAY_10_UTC
    add_stage(bench, "pilot", "Pilot")
    added = await bench.client.reply(await bench.client.command("UALICE", f"add {typed}"))
    assert "Added deal #1." in text_of(added) and "Pilot" in text_of(added)
    assert the_deal(bench) == (name, 5_000_000, "pilot")


@pytest.mark.parametrize("typed", ['"Quoted" 50k offerte', "Quoted 50k Offerte", '"Quoted" 50k off'])
async def test_a_renamed_stage_after_a_quoted_name_end_to_end(bench, typed):
    bench.fixed_now = TUESDAY_10_UTC
    rename(bench, "proposal", "Offerte")
    added = await bench.client.reply(await bench.client.command("UALICE", f"add {typed}"))
    assert "Added deal #1." in text_of(added) and "Offerte" in text_of(added)
    assert the_deal(bench) == ("Quoted", 5_000_000, "proposal")


async def test_after_a_quoted_name_and_an_amount_an_unknown_word_is_an_unknown_stage(bench):
    bench.fixed_now = TUESDAY_10_UTC
    add_stage(bench, "pilot", "Pilot")
    cases = {
        '"Quoted" 50k pilots': "There is no stage `pilots`. The stages are: Prospecting,",
        '"Quoted" 50k won': "There is no stage `won`.",  # a closed stage takes stage:won
        '"Quoted" 50k p': "`p` could be several stages: Prospecting, Proposal, Pilot.",
    }
    for typed, expected in cases.items():
        reply = await bench.client.reply(await bench.client.command("UALICE", f"add {typed}"))
        assert expected in text_of(reply), (typed, text_of(reply))
    with bench.db.read() as s:
        assert s.exec(select(Deal).where(Deal.team_id == TEAM)).all() == []
    # Unquoted, a word that names no stage is part of the name, as before.
    added = await bench.client.reply(await bench.client.command("UALICE", "add Quoted 50k pilots"))
    assert "Added deal #1." in text_of(added)
    assert the_deal(bench) == ("Quoted 50k pilots", None, "prospecting")
