"""Reading `/deal notify …` and what a person's choice does to each DM. Pure."""

import pytest

from domain.errors import UserError
from domain.preferences import HOLD, MUTE, SEND, Change, Preferences, parse_notify


@pytest.mark.parametrize(
    "text, change",
    [
        ("", None),
        ("nudges off", Change("nudges", "off")),
        ("Nudges ON", Change("nudges", "on")),
        ("reminders off", Change("reminders", "off")),
        ("summary daily", Change("summary", "daily")),
        ("summary off", Change("summary", "off")),
        ("herinneringen uit", Change("reminders", "off")),
        ("samenvatting dagelijks", Change("summary", "daily")),
        ("nudges aan", Change("nudges", "on")),
        ("erinnerungen aus", Change("reminders", "off")),
        ("zusammenfassung täglich", Change("summary", "daily")),
        ("nudges an", Change("nudges", "on")),
    ],
)
def test_the_words_of_deal_notify(text, change):
    assert parse_notify(text) == change


@pytest.mark.parametrize(
    "text", ["nudges", "nudges daily", "summary on", "summary weekly", "everything off", "nudges off please"]
)
def test_anything_else_lists_the_choices(text):
    with pytest.raises(UserError) as err:
        parse_notify(text)
    assert "/deal notify nudges on|off" in err.value.message


@pytest.mark.parametrize(
    "chosen, kind, status",
    [
        (Preferences(), "nudge", SEND),
        (Preferences(), "step_reminder", SEND),
        (Preferences(nudges=False), "nudge", MUTE),
        (Preferences(nudges=False), "step_reminder", SEND),
        (Preferences(reminders=False, summary="daily"), "step_reminder", MUTE),
        (Preferences(summary="daily"), "nudge", HOLD),
        (Preferences(summary="daily"), "step_reminder", HOLD),
        (Preferences(nudges=False, reminders=False, summary="daily"), "escalation", SEND),
    ],
)
def test_each_dm_goes_as_the_person_chose(chosen, kind, status):
    assert chosen.route(kind) == status


def test_a_button_value_round_trips_and_a_forged_one_is_refused():
    assert Change.parse(Change("summary", "daily").encode()) == Change("summary", "daily")
    assert Change.parse("summary:on") is None and Change.parse("volume:off") is None
