"""The digest's next-step hygiene: open deals without a next step, and with one due before the
digest's date in the team's zone (Europe/Amsterdam in tests/digest_pipeline.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from bot.i18n import translator
from localslack.checks import MAX_MESSAGE_BLOCKS, check_blocks
from models.tables import Deal
from services import digest
from tests.digest_pipeline import TEAM, D, E, load
from tests.helpers import text_of
from views.digest import digest_message

_ = translator("en")
LINE = "Open deals without a next step: {missing} · with an overdue next step: {overdue}"


def rendered(db, as_of=E):
    c = digest.compute(db, TEAM, as_of)
    message = digest_message(c, _)
    assert check_blocks(message["blocks"], MAX_MESSAGE_BLOCKS) is None
    return c.digest, text_of(message["blocks"])


def set_steps(db, steps: dict[int, tuple[str | None, date | None]]) -> None:
    with db.write() as s:
        for deal in s.exec(select(Deal).where(Deal.team_id == TEAM)):
            if deal.number in steps:
                deal.next_step, deal.next_step_due = steps[deal.number]
                s.add(deal)


def test_an_empty_team_has_no_deal_without_or_overdue(db):
    load(db, {})
    d, text = rendered(db)
    assert (d.next_steps.missing, d.next_steps.overdue) == (0, 0)
    assert LINE.format(missing=0, overdue=0) in text


def test_one_deal_without_a_step_one_overdue_one_fine_and_a_won_one_not_counted(db):
    load(
        db,
        {
            1: ("No step", "UALICE", "EUR", 1_000, None, None, [(D(3), "P")], None),
            2: ("Overdue", "UALICE", "EUR", 2_000, None, None, [(D(3), "Q")], None),
            3: ("Fine", "UBOB", "EUR", 3_000, None, None, [(D(3), "P")], None),
            4: ("Won, no step", "UBOB", "EUR", 4_000, None, None, [(D(5), "P"), (D(2), "W")], None),
            5: ("Won, overdue", "UBOB", "EUR", 5_000, None, None, [(D(5), "P"), (D(2), "W")], None),
        },
    )
    # E is 30 Nov in Amsterdam: due 29 Nov is overdue, due today (30 Nov) is not.
    set_steps(
        db,
        {
            2: ("Call back", date(2026, 11, 29)),
            3: ("Send proposal", date(2026, 11, 30)),
            5: ("Invoice", date(2026, 11, 1)),
        },
    )
    d, text = rendered(db)
    assert (d.next_steps.missing, d.next_steps.overdue) == (1, 1)  # #1 and #2; #3 is due today
    assert LINE.format(missing=1, overdue=1) in text


def test_overdue_is_read_in_the_teams_zone(db):
    load(db, {1: ("Step", "UALICE", "EUR", 1_000, None, None, [(D(3), "P")], None)})
    set_steps(db, {1: ("Call back", date(2026, 11, 29))})
    # 23:30 UTC on 29 Nov is already 30 Nov in Amsterdam: the step due 29 Nov is overdue there.
    d, _text = rendered(db, datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    assert (d.next_steps.missing, d.next_steps.overdue) == (0, 1)
    # 22:30 UTC is still 29 Nov in Amsterdam: due today, not overdue.
    d, _text = rendered(db, datetime(2026, 11, 29, 22, 30, tzinfo=UTC))
    assert (d.next_steps.missing, d.next_steps.overdue) == (0, 0)
