"""`/deal add` said the way reps say it: unquoted values that run to the next key, a stage as the
last word, and "next Friday" in English, Dutch and German. Dates are fixed: Tuesday 24 November 2026."""

from datetime import date

import pytest
from sqlmodel import col, select

from domain.commands import parse_deal_command, read_keys
from domain.dates import parse_date
from domain.errors import UserError
from models.tables import Deal, Stage
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC

TODAY = date(2026, 11, 24)  # a Tuesday: the coming Friday is the 27th, the coming Tuesday the 1st
FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    "text, bare, keys",
    [
        ("Acme company:Acme Corp", ["Acme"], [("company", "Acme Corp")]),
        (
            "Acme 50k company:Acme Corp close:next friday",
            ["Acme", "50k"],
            [("company", "Acme Corp"), ("close", "next friday")],
        ),
        ('Acme company:"Acme Corp" 50k', ["Acme", "50k"], [("company", "Acme Corp")]),
        ('"Acme renewal" stage:eerste contact', ["Acme renewal"], [("stage", "eerste contact")]),
        # Only the four keys start a value: a URL's or a time's colon is part of the word.
        ("Acme company:https://acme.example 10:30", ["Acme"], [("company", "https://acme.example 10:30")]),
        ("Acme company: Acme Corp", ["Acme"], [("company", "Acme Corp")]),
        (
            "Acme STAGE:Proposal Close:15 Dec 2026",
            ["Acme"],
            [("stage", "Proposal"), ("close", "15 Dec 2026")],
        ),
        ("Acme company:", ["Acme"], [("company", "")]),
    ],
)
def test_a_value_runs_until_the_next_key(text, bare, keys):
    assert read_keys(text)[:2] == (bare, keys)


@pytest.mark.parametrize(
    "text, name, cents, stage, company, close",
    [
        (
            "add Acme renewal 50k company:Acme Corp close:next friday",
            "Acme renewal",
            5_000_000,
            None,
            "Acme Corp",
            FRIDAY,
        ),
        (
            "add Acme 50k close:volgende vrijdag company:Acme B.V.",
            "Acme",
            5_000_000,
            None,
            "Acme B.V.",
            FRIDAY,
        ),
        (
            "add Acme 50k close:nächsten Freitag company:Acme GmbH",
            "Acme",
            5_000_000,
            None,
            "Acme GmbH",
            FRIDAY,
        ),
        (
            'add "Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme',
            "Acme renewal",
            5_000_000,
            "proposal",
            "Acme",
            date(2026, 12, 15),
        ),
        ("add Acme renewal 50k proposal", "Acme renewal", 5_000_000, "proposal", None, None),
        ("add Acme renewal 50k offerte", "Acme renewal", 5_000_000, "offerte", None, None),
        ("add Acme Verlängerung 1,2 Mio € Angebot", "Acme Verlängerung", 120_000_000, "Angebot", None, None),
        ("add Acme 50k eerste contact", "Acme", 5_000_000, "eerste contact", None, None),
        ('add "Acme renewal" 50k Negotiation', "Acme renewal", 5_000_000, "Negotiation", None, None),
        # No amount before it: the word is part of the name.
        ("add Q3 proposal", "Q3 proposal", None, None, None, None),
        # With stage: given the last word is not a stage, so "50k proposal" reads as no amount.
        ("add Acme 50k proposal stage:negotiation", "Acme 50k proposal", None, "negotiation", None, None),
        # A prefix is not a stage name: only a whole name or alias counts.
        ("add Acme 50k prop", "Acme 50k prop", None, None, None, None),
    ],
)
def test_add_said_naturally(text, name, cents, stage, company, close):
    cmd = parse_deal_command(text, TODAY)
    got = (cmd.name, cmd.amount.cents if cmd.amount else None, cmd.stage, cmd.company, cmd.close)
    assert got == (name, cents, stage, company, close)


def test_a_closed_stage_stays_in_the_name():
    cmd = parse_deal_command("add Acme 50k won", TODAY)
    assert (cmd.name, cmd.amount, cmd.stage) == ("Acme 50k won", None, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("next friday", FRIDAY),
        ("Next Friday", FRIDAY),
        ("volgende vrijdag", FRIDAY),
        ("komende vrijdag", FRIDAY),
        ("nächsten Freitag", FRIDAY),
        ("naechsten Freitag", FRIDAY),
        ("kommenden Freitag", FRIDAY),
        # On a Tuesday, next Tuesday is a week ahead, never today; Wednesday is tomorrow.
        ("next tuesday", date(2026, 12, 1)),
        ("volgende dinsdag", date(2026, 12, 1)),
        ("nächster Dienstag", date(2026, 12, 1)),
        ("next wednesday", date(2026, 11, 25)),
        ("nächsten Montag", date(2026, 11, 30)),
        ("volgende zondag", date(2026, 11, 29)),
    ],
)
def test_next_weekday_in_three_languages(text, expected):
    assert parse_date(text, TODAY) == expected


def test_next_weekday_across_a_year_end():
    assert parse_date("volgende vrijdag", date(2026, 12, 30)) == date(2027, 1, 1)


@pytest.mark.parametrize(
    "text, message",
    [
        ("add Acme 50k close:next someday", "can't read the date `next someday`"),
        ("add Acme 50k close:2026-12-15 Acme", "can't read the date `2026-12-15 Acme`"),
        ("add Acme company:", "`company:` needs a value"),
        ('add Acme company:""', "`company:` needs a value"),
    ],
)
def test_unreadable_values_are_refused(text, message):
    with pytest.raises(UserError) as caught:
        parse_deal_command(text, TODAY)
    error = caught.value
    assert message in error.message.format(**error.params)


def deals_in(db):
    with db.read() as s:
        rows = s.exec(select(Deal, Stage).where(Deal.stage_id == Stage.id).order_by(col(Deal.number)))
        return [(d.name, d.amount_cents, s_.key, d.company, d.close_date) for d, s_ in rows]


async def say(bench, user: str, text: str) -> str:
    reply = await bench.client.reply(await bench.client.command(user, text))
    return text_of(reply) if reply.blocks else reply.text


async def test_deal_add_said_naturally_end_to_end(bench):
    bench.fixed_now = TUESDAY_10_UTC
    bench.slack.add_user("UJAN", "jan", locale="nl-NL")
    bench.slack.add_user("UJONAS", "jonas", locale="de-DE")
    assert "Added deal #1" in await say(
        bench, "UALICE", "add Acme renewal 50k proposal company:Acme Corp close:next friday"
    )
    assert "#2" in await say(
        bench, "UJAN", "add Initech 20k offerte company:Initech B.V. close:volgende vrijdag"
    )
    assert "#3" in await say(bench, "UJONAS", "add Globex 1,2 Mio € Verhandlung close:nächsten Freitag")
    assert "#4" in await say(bench, "UALICE", "add Q3 proposal company:https://q3.example")
    assert deals_in(bench.db) == [
        ("Acme renewal", 5_000_000, "proposal", "Acme Corp", FRIDAY),
        ("Initech", 2_000_000, "proposal", "Initech B.V.", FRIDAY),
        ("Globex", 120_000_000, "negotiation", None, FRIDAY),
        ("Q3 proposal", None, "prospecting", "https://q3.example", None),
    ]


async def test_an_unreadable_natural_value_gets_a_specific_reply_and_adds_nothing(bench):
    bench.fixed_now = TUESDAY_10_UTC
    reply = await say(bench, "UALICE", "add Acme 50k close:next friday Acme Corp")
    assert "I can't read the date `next friday Acme Corp`" in reply
    reply = await say(bench, "UALICE", "add Acme 50k company:Acme stage:")
    assert "`stage:` needs a value" in reply
    assert deals_in(bench.db) == []
