"""`/deal add Acme 50k <stage>` reads the stage without `stage:` when the last words name one of the
team's own open stages (a renamed one too), as it does for the default names, in English, Dutch
and German; pure tables, then end to end on SQLite and PostgreSQL. Dates: Tuesday 24 November 2026."""

from datetime import date

import pytest
from sqlmodel import select

from domain.commands import parse_deal_command, with_team_stages
from models.tables import Deal, Stage
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, stage_id

TODAY = date(2026, 11, 24)
FRIDAY = date(2026, 11, 27)
TEAM_STAGES = ["Scoping", "Legal review", "Verkenning", "Juridische check", "Sondierung", "Rechtsprüfung"]


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
