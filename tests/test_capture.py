"""Reading a message into a draft deal (domain/capture.py), in English, Dutch and German."""

from datetime import date, timedelta

import pytest

from domain.amounts import Amount
from domain.capture import Captured, capture
from domain.stages import DEFAULT_STAGES, StageRef

TODAY = date(2026, 11, 24)  # a Tuesday
STAGES = [StageRef(i + 1, key, name, kind) for i, (key, name, kind, *_) in enumerate(DEFAULT_STAGES)]
PROPOSAL = next(s.id for s in STAGES if s.key == "proposal")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Acme wants 50k by end of March, proposal sent",
            Captured(
                name="Acme wants 50k by end of March, proposal sent",
                company=None,  # a capitalised first word may just start the sentence
                amount=Amount(5_000_000, None),
                close=date(TODAY.year + 1, 3, 31),
                stage_id=PROPOSAL,
            ),
        ),
        (
            "Offerte van €12.500 voor Jansen BV, beslissing volgende week",
            Captured(
                name="Offerte van €12.500 voor Jansen BV, beslissing volgende week",
                company="Jansen BV",
                amount=Amount(1_250_000, "EUR"),
                close=TODAY + timedelta(days=7),
                stage_id=PROPOSAL,
            ),
        ),
        (
            "Müller GmbH: Angebot über 8.000 EUR bis Ende Mai",
            Captured(
                name="Müller GmbH: Angebot über 8.000 EUR bis Ende Mai",
                company="Müller GmbH",
                amount=Amount(800_000, "EUR"),
                close=date(TODAY.year + 1, 5, 31),
                stage_id=PROPOSAL,
            ),
        ),
        # Nothing rather than a wrong guess: bare numbers, two amounts, a stage word for two stages.
        ("Lunch at 12, see you in 2026", Captured(name="Lunch at 12, see you in 2026")),
        ("50k now or 80k next year?", Captured(name="50k now or 80k next year?")),
        ("Proposal or negotiation, who knows", Captured(name="Proposal or negotiation, who knows")),
        ("Deal won!", Captured(name="Deal won!")),  # a closed stage never comes from a message
        ("", Captured()),
    ],
)
def test_a_message_reads_as_a_draft_deal(text, expected):
    assert capture(text, TODAY, STAGES) == expected


def test_the_name_is_the_first_line_without_slacks_markup():
    text = "\n  *Renewal* for <@U0ANNA>, see <https://acme.example|their site>\nsecond line 90k"
    found = capture(text, TODAY, STAGES)
    assert found.name == "Renewal for U0ANNA, see their site"
    assert found.amount == Amount(9_000_000, None)  # the amount may stand on any line


def test_a_long_first_line_is_cut_at_a_word():
    found = capture("word " * 100, TODAY, STAGES)
    assert found.name is not None and len(found.name) <= 200 and found.name.endswith("word…")


@pytest.mark.parametrize(
    "channel, company",
    [
        ("deal-acme", "Acme"),
        ("klant-jansen-bouw", "Jansen Bouw"),
        ("kunde_mueller", "Mueller"),
        ("sales", None),
    ],
)
def test_a_customers_channel_names_the_company(channel, company):
    assert capture("Call went well", TODAY, STAGES, channel_name=channel).company == company


def test_end_of_this_month_is_this_months_last_day():
    assert capture("close by end of November", TODAY, STAGES).close == date(TODAY.year, 11, 30)


def test_a_team_stage_is_found_by_its_own_name():
    stages = [*STAGES, StageRef(99, "pilot", "Pilot", "open")]
    assert capture("Pilot starts Monday", TODAY, stages).stage_id == 99
