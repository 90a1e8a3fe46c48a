"""domain/summary_news.py: which held DMs a daily summary still tells, rule by rule."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.nurture import nurture_key
from domain.reminders import reminder_key
from domain.summary_news import DealNow, HeldRef, held_ref, still_news

HELD = datetime(2026, 12, 2, 11, tzinfo=UTC)
DUE = date(2026, 12, 3)
DEAL = DealNow(
    id=7,
    owner_id="UALICE",
    kind="open",
    archived=False,
    last_activity_at=HELD - timedelta(days=9),
    next_step="Call Jan",
    next_step_due=DUE,
    next_step_seq=2,
    nurture_on=None,
    nurture_state=None,
)
LOST_WAITING = replace(DEAL, kind="lost", next_step=None, nurture_on=DUE, nurture_state="waiting")


def test_keys_are_read_back_as_the_key_makers_write_them():
    assert held_ref("step_reminder", reminder_key("T1", 7, DUE, 2)) == HeldRef(7, DUE, 2)
    assert held_ref("step_reminder", reminder_key("T1", 7, DUE)) == HeldRef(7, DUE, None)  # before numbering
    assert held_ref("nurture", nurture_key("T1", 7, DUE)) == HeldRef(7, DUE, None)
    assert held_ref("step_reminder", "overdue:T1:UALICE:0123abcd") is None  # a list of steps
    assert held_ref("step_reminder", "reminder:T1:x:2026-12-03") is None
    assert held_ref("nudge", "nudge:UALICE:abc") is None


@pytest.mark.parametrize(
    "change, news",
    [
        ({}, True),
        ({"last_activity_at": HELD + timedelta(hours=3)}, False),  # a note, a move, a snooze since
        ({"last_activity_at": HELD}, True),  # the activity the nudge was about, not after it
        ({"kind": "won"}, False),
        ({"archived": True}, False),
        ({"owner_id": "UBOB"}, False),  # given to someone else
    ],
)
def test_a_nudged_deal(change, news):
    assert still_news("nudge", "nudge:UALICE:abc", HELD, "UALICE", [replace(DEAL, **change)]) is news


def test_a_nudge_stays_while_any_deal_it_names_is_untouched_and_when_none_is_found():
    touched = replace(DEAL, last_activity_at=HELD + timedelta(hours=1))
    assert still_news("nudge", "k", HELD, "UALICE", [touched, replace(DEAL, id=8)])
    assert not still_news("nudge", "k", HELD, "UALICE", [touched, replace(touched, id=8)])
    assert still_news("nudge", "k", HELD, "UALICE", [])  # nudged again since: kept, not lost


@pytest.mark.parametrize(
    "change, news",
    [
        ({}, True),
        ({"next_step": None, "next_step_due": None}, False),  # done
        ({"next_step_due": DUE + timedelta(days=2)}, False),  # moved to another day
        ({"next_step_seq": 3}, False),  # done and set again for the same day: another step
        ({"kind": "lost"}, False),
        ({"archived": True}, False),
        ({"owner_id": "UBOB"}, False),
    ],
)
def test_a_step_reminder(change, news):
    key = reminder_key("T1", 7, DUE, 2)
    assert still_news("step_reminder", key, HELD, "UALICE", [replace(DEAL, **change)]) is news


def test_a_step_reminder_from_before_numbering_matches_any_step_that_day_and_a_gone_deal_none():
    key = reminder_key("T1", 7, DUE)
    assert still_news("step_reminder", key, HELD, "UALICE", [replace(DEAL, next_step_seq=5)])
    assert not still_news("step_reminder", key, HELD, "UALICE", [])  # the deal was erased
    assert still_news("step_reminder", "overdue:T1:UALICE:0123", HELD, "UALICE", [])  # not read: kept


@pytest.mark.parametrize(
    "change, news",
    [
        ({}, True),
        ({"kind": "open", "nurture_state": "back"}, False),  # reopened
        ({"nurture_state": "dropped"}, False),
        ({"nurture_on": DUE + timedelta(days=30)}, False),  # Not yet: another day
        ({"archived": True}, False),
    ],
)
def test_a_nurture_reminder(change, news):
    key = nurture_key("T1", 7, DUE)
    assert still_news("nurture", key, HELD, "UALICE", [replace(LOST_WAITING, **change)]) is news


def test_other_kinds_are_always_told():
    assert still_news("digest", "digest:2026-12-01:UALICE", HELD, "UALICE", [])
