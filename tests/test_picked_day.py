"""A day picked in a modal to come back later (domain/picked_day.py): the nurture's Not yet, the
reminder's Snooze. Read from the datepicker's state, and refused unless after the picker's today."""

from datetime import date, timedelta

import pytest

from domain.errors import UserError
from domain.nurture import remind_on
from domain.picked_day import after_today, read_day
from domain.reminders import snooze_to

TODAY = date(2026, 11, 24)  # a Tuesday; every other day below is derived from it


def state(block: str, picked: str | None) -> dict:
    return {block: {"value": {"type": "datepicker", "selected_date": picked}}}


@pytest.mark.parametrize(
    ("values", "day"),
    [
        (state("due", "2026-11-25"), date(2026, 11, 25)),
        (state("due", None), None),  # left empty
        (state("other", "2026-11-25"), None),  # another block's picker
        ({}, None),
        ({"due": {}}, None),
    ],
)
def test_the_picked_day_is_read_from_its_block(values, day):
    assert read_day(values, "due") == day


def test_a_day_slack_could_not_have_sent_is_a_mistake():
    with pytest.raises(UserError) as caught:
        read_day(state("due", "2026-02-30"), "due")
    assert caught.value.message == "Pick a valid date."


@pytest.mark.parametrize(
    ("picked", "error"),
    [
        (TODAY + timedelta(days=1), None),
        (TODAY + timedelta(days=400), None),
        (TODAY, "Pick a day after today."),  # today's would come back at once
        (TODAY - timedelta(days=1), "Pick a day after today."),
        (None, "Nothing picked."),
    ],
)
def test_only_a_day_after_today_is_taken(picked, error):
    if error is None:
        assert after_today(picked, TODAY, "Nothing picked.") == picked
    else:
        with pytest.raises(UserError) as caught:
            after_today(picked, TODAY, "Nothing picked.")
        assert caught.value.message == error


@pytest.mark.parametrize(
    ("rule", "missing"),
    [
        (remind_on, "Pick the day to be reminded of the deal."),
        (snooze_to, "Pick the day to move the step to."),
    ],
)
def test_not_yet_and_snooze_keep_their_own_words_for_a_day_not_picked(rule, missing):
    with pytest.raises(UserError) as caught:
        rule(None, TODAY)
    assert caught.value.message == missing
    assert rule(TODAY + timedelta(days=2), TODAY) == date(2026, 11, 26)
