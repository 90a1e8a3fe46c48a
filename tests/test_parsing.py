"""Reading amounts, dates and /deal commands: pure functions, tested on their own."""

from datetime import date

import pytest

from domain.amounts import AmountError, parse_amount
from domain.commands import parse_deal_command, tokenize
from domain.dates import DateError, parse_date
from domain.errors import UserError
from domain.stages import StageRef, match_stage

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    "text, cents, currency",
    [
        ("50000", 5_000_000, None),
        ("50k", 5_000_000, None),
        ("50K", 5_000_000, None),
        ("1.2m", 120_000_000, None),
        ("€50.000", 5_000_000, "EUR"),
        ("50,000 EUR", 5_000_000, "EUR"),
        ("1,2 Mio €", 120_000_000, "EUR"),
        ("50.000,00", 5_000_000, None),
        ("1,2 mln", 120_000_000, None),
        ("$ 12,500.50", 1_250_050, "USD"),
        ("12,50", 1_250, None),
        ("1.5", 150, None),
        ("€ 50.000", 5_000_000, "EUR"),
        ("50 k", 5_000_000, None),
        ("2.5 million", 250_000_000, None),
        ("1.234.567", 123_456_700, None),
        ("50k€", 5_000_000, "EUR"),
        ("USD 100", 10_000, "USD"),
        ("£3k", 300_000, "GBP"),
        ("0", 0, None),
        ("40 tausend", 4_000_000, None),
        ("3 duizend euro", 300_000, "EUR"),
        ("CHF 1'000", 100_000, "CHF"),
    ],
)
def test_amounts(text, cents, currency):
    amount = parse_amount(text)
    assert (amount.cents, amount.currency) == (cents, currency)


@pytest.mark.parametrize(
    "text, cents, currency",
    [
        ("ong. 40k", 4_000_000, None),
        ("ongeveer 1,2 mln", 120_000_000, None),
        ("zo'n 40k", 4_000_000, None),
        ("ca. 50.000", 5_000_000, None),
        ("ca 50k EUR", 5_000_000, "EUR"),
        ("ungefähr 1,2 Mio €", 120_000_000, "EUR"),
        ("Etwa 40 Tsd. €", 4_000_000, "EUR"),
        ("rund 50k", 5_000_000, None),
        ("about 40k", 4_000_000, None),
        ("approx. $12,500", 1_250_000, "USD"),
        ("~40k", 4_000_000, None),
        ("€ ca. 50.000", 5_000_000, "EUR"),
        ("circa €40k", 4_000_000, "EUR"),
        ("€ 50.000,-", 5_000_000, "EUR"),
        ("50.000,– EUR", 5_000_000, "EUR"),
        ("\u20ac\u00a050.000,50", 5_000_050, "EUR"),
        ("50.000,50\u00a0\u20ac", 5_000_050, "EUR"),
    ],
)
def test_amounts_the_way_dutch_and_german_reps_hedge_them(text, cents, currency):
    amount = parse_amount(text)
    assert (amount.cents, amount.currency) == (cents, currency)


@pytest.mark.parametrize("text", ["ca", "about", "calm 40k", "etwas 40k", "ong. ", "50,-,-", "~"])
def test_a_hedge_alone_or_a_word_that_starts_like_one_is_no_amount(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_add_reads_past_a_hedge():
    cmd = parse_deal_command("add Initech pilot ong. 1,2 mln stage:kwal", TODAY)
    assert cmd.amount is not None
    assert (cmd.name, cmd.amount.cents, cmd.stage) == ("Initech pilot", 120_000_000, "kwal")
    cmd = parse_deal_command('add "Initech" ca. 40.000 €', TODAY)
    assert cmd.amount is not None
    assert (cmd.name, cmd.amount.cents, cmd.amount.currency) == ("Initech", 4_000_000, "EUR")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("-5", "negative"),
        ("-50k", "negative"),
        ("abc", "unreadable"),
        ("1e9", "unreadable"),
        ("", "unreadable"),
        ("1,2,3", "unreadable"),
        ("99999999999", "too_large"),
        ("20bn", "too_large"),
        ("12 apples", "unreadable"),
        ("50k50k", "unreadable"),
    ],
)
def test_amounts_refused(text, reason):
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("15 Dec 2026", date(2026, 12, 15)),
        ("December 15, 2026", date(2026, 12, 15)),
        ("15/01/2027", date(2027, 1, 15)),
        ("15.01.2027", date(2027, 1, 15)),
        ("15 januari 2027", date(2027, 1, 15)),
        ("15. März 2027", date(2027, 3, 15)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("someday", "unreadable"),
        ("2026-13-45", "unreadable"),
        ("1999-01-01", "out_of_range"),
        ("", "unreadable"),
    ],
)
def test_dates_refused(text, reason):
    with pytest.raises(DateError) as caught:
        parse_date(text, TODAY)
    assert caught.value.reason == reason


def test_tokenize_keeps_quoted_phrases_and_apostrophes():
    assert tokenize('add "Acme renewal" company:"Acme Corp" O\'Brien') == [
        "add",
        "Acme renewal",
        "company:Acme Corp",
        "O'Brien",
    ]
    with pytest.raises(UserError):
        tokenize('add "open quote')


def test_add_with_every_part():
    cmd = parse_deal_command('add "Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme', TODAY)
    assert cmd.amount is not None
    assert (cmd.action, cmd.name, cmd.amount.cents, cmd.stage, cmd.close, cmd.company) == (
        "add",
        "Acme renewal",
        5_000_000,
        "proposal",
        date(2026, 12, 15),
        "Acme",
    )


def test_unquoted_name_takes_the_words_before_the_amount():
    cmd = parse_deal_command("add Acme renewal 2027 50,000 EUR", TODAY)
    assert cmd.amount is not None
    assert (cmd.name, cmd.amount.cents, cmd.amount.currency) == ("Acme renewal 2027", 5_000_000, "EUR")


@pytest.mark.parametrize(
    "text, action, number",
    [
        ("", "modal", None),
        ("help", "help", None),
        ("#12", "show", 12),
        ("show 12", "show", 12),
        ("won #3", "won", 3),
        ("edit #4", "edit", 4),
        ("lost #5", "lost", 5),
        ("list", "list", None),
    ],
)
def test_verbs(text, action, number):
    cmd = parse_deal_command(text, TODAY)
    assert (cmd.action, cmd.number) == (action, number)


def test_stage_matching():
    stages = [
        StageRef(1, "prospecting", "Prospecting", "open"),
        StageRef(2, "proposal", "Proposal", "open"),
        StageRef(3, "needs_assessment", "Needs assessment", "open"),
        StageRef(4, "won", "Won", "won"),
    ]
    assert match_stage("PROPOSAL", stages).stage == stages[1]
    assert match_stage("prop", stages).stage == stages[1]
    assert match_stage("needs", stages).stage == stages[2]
    assert match_stage("needs_assessment", stages).stage == stages[2]
    assert match_stage("pro", stages).stage is None
    assert {s.id for s in match_stage("pro", stages).candidates} == {1, 2}
    assert match_stage("zzz", stages).candidates == []
