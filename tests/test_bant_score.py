"""Scoring a BANT qualification: points per letter, the verdict, and readings as stored answers."""

from datetime import date

import pytest

from domain.bant import Authority, Budget, Need, Timeline, read_quick
from domain.bant.score import (
    DISQUALIFY,
    NEEDS_WORK,
    QUALIFIED,
    Answer,
    answer_from,
    follow_up_for,
    is_complete,
    merge_follow_up,
    points,
    score,
    skipped,
)

TODAY = date(2026, 11, 24)


def budget(status="yes", low=None, high=None, on=None):
    return Answer("budget", status, low, high, "EUR" if low or high else None, on, evidence="b")


def authority(status="decision_maker", who=None):
    return Answer("authority", status, who=who, evidence="a")


def need(status="clear"):
    return Answer("need", status, evidence="n")


def timeline(status="date", on=date(2027, 3, 31), answered=TODAY):
    return Answer(
        "timeline", status, on_date=on if status == "date" else None, evidence="t", answered_on=answered
    )


def full(**changes):
    answers = {
        "budget": budget(low=4_000_000, high=4_000_000),
        "authority": authority(),
        "need": need(),
        "timeline": timeline(),
    }
    answers.update(changes)
    return answers


def test_a_perfect_lead_scores_100_and_is_qualified():
    result = score(full())
    assert result.points == {"budget": 25, "authority": 25, "need": 25, "timeline": 25}
    assert (result.total, result.verdict, result.complete, result.answered) == (100, QUALIFIED, True, 4)


@pytest.mark.parametrize(
    "answer, expected",
    [
        (budget("yes", 4_000_000, 6_000_000), 25),
        (budget("yes", None, 5_000_000), 25),
        (budget("yes"), 20),
        (budget("no", on=date(2027, 7, 1)), 10),
        (budget("unknown"), 5),
        (budget("no"), 0),
        (skipped("budget"), 0),
        (authority(), 25),
        (authority("needs_approval", "CFO"), 15),
        (authority("unknown"), 5),
        (authority("needs_approval"), 0),
        (need("clear"), 25),
        (need("vague"), 10),
        (need("unknown"), 5),
        (need("none"), 0),
        (timeline(), 25),
        (timeline(on=date(2028, 3, 1)), 15),
        (timeline("no_rush"), 10),
        (timeline("unknown"), 5),
        (None, 0),
    ],
)
def test_points_per_letter(answer, expected):
    assert points(answer) == expected


def test_the_timeline_counts_months_from_the_day_it_was_answered_not_from_today():
    # 13 months out when answered: 15, however long ago that was.
    assert points(timeline(on=date(2027, 12, 31), answered=date(2026, 11, 1))) == 15
    assert points(timeline(on=date(2027, 11, 30), answered=date(2026, 11, 1))) == 25


def test_no_budget_and_none_expected_disqualifies_even_with_questions_missing():
    result = score({"budget": budget("no")})
    assert result.verdict == DISQUALIFY and not result.complete
    assert "No budget" in result.reasons[0]


def test_budget_that_comes_later_is_needs_work_not_disqualify():
    result = score(full(budget=budget("no", on=date(2027, 7, 1))))
    assert result.verdict == NEEDS_WORK
    assert any("later" in r for r in result.reasons)


def test_nobody_able_to_sign_disqualifies_but_a_named_signer_does_not():
    assert score(full(authority=authority("needs_approval"))).verdict == DISQUALIFY
    named = score(full(authority=authority("needs_approval", "CFO")))
    assert (named.verdict, named.total) == (QUALIFIED, 90)


@pytest.mark.parametrize(
    "change",
    [
        {"budget": budget("unknown")},
        {"budget": budget("yes")},
        {"authority": authority("unknown")},
        {"need": need("vague")},
        {"need": need("none")},
        {"timeline": timeline("unknown")},
        {"timeline": skipped("timeline")},
        {"need": skipped("need")},
    ],
)
def test_anything_unsure_vague_or_skipped_needs_work(change):
    answers = full(**change)
    result = score(answers)
    expected = QUALIFIED if change == {"budget": budget("yes")} else NEEDS_WORK  # yes without amount is fine
    assert result.verdict == expected, result


def test_missing_answers_need_work_and_skipped_ones_are_not_complete():
    answers = full()
    del answers["need"]
    assert score(answers).verdict == NEEDS_WORK and not is_complete(answers)
    assert not is_complete(full(need=skipped("need")))
    assert is_complete(full(need=need("unknown")))  # "not sure" is an answer


def test_a_qualified_lead_scores_at_least_the_pass_mark():
    lowest = full(
        budget=budget("yes"), authority=authority("needs_approval", "Jan"), timeline=timeline("no_rush")
    )
    result = score(lowest)
    assert (result.verdict, result.total) == (QUALIFIED, 70)


def test_readings_become_answers():
    assert answer_from(Budget("yes", 100, 200, "USD", None, "1-2 USD")) == Answer(
        "budget", "yes", 100, 200, "USD", None, None, "1-2 USD"
    )
    assert answer_from(Authority("needs_approval", "nobody", "nobody signs")).who is None
    assert answer_from(Need("we must cut costs", True, "we must cut costs")).status == "clear"
    assert answer_from(Need("just looking around", False, "just looking around")).status == "vague"
    assert answer_from(Need("not sure really", False, "not sure really")).status == "unknown"
    assert answer_from(read_quick("need", "no")).status == "none"
    assert answer_from(read_quick("need", "unsure")).status == "unknown"
    assert answer_from(Timeline("date", date(2027, 1, 1), "jan")).on_date == date(2027, 1, 1)
    stored = answer_from(Budget("yes", None, None, None, None, "x\x00" + "y" * 3000))
    assert "\x00" not in stored.evidence and len(stored.evidence) == 2000


def test_follow_ups_before_a_disqualifying_answer_is_final():
    assert follow_up_for(budget("no")) == "when_budget"
    assert follow_up_for(budget("no", on=date(2027, 1, 1))) is None
    assert follow_up_for(authority("needs_approval")) == "who_signs"
    assert follow_up_for(authority("needs_approval", "CFO")) is None
    assert follow_up_for(budget("yes")) is None


def test_a_follow_up_answer_completes_the_first_one():
    no = Answer("budget", "no", 4_000_000, 4_000_000, "EUR", evidence="no, 40k was cut")
    later = merge_follow_up(no, Answer("budget", "no", on_date=date(2027, 7, 1), evidence="from Q3"))
    assert (later.status, later.on_date, later.min_cents) == ("no", date(2027, 7, 1), 4_000_000)
    assert later.evidence == "no, 40k was cut / from Q3"
    unsure = merge_follow_up(no, Answer("budget", "unknown", evidence="unsure"))
    assert (unsure.status, unsure.on_date) == ("no", None)
    signer = merge_follow_up(
        authority("needs_approval"), Answer("authority", "needs_approval", who="Jan", evidence="Jan")
    )
    assert signer.who == "Jan" and signer.evidence == "a / Jan"
    assert merge_follow_up(budget("no"), Answer("budget", "no", evidence="b")).evidence == "b"
