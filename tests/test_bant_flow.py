"""The qualification conversation's state machine, without Slack or a database."""

from datetime import date

import pytest

from domain.bant import Answer
from domain.bant.flow import ACTIVE, DONE, STOPPED, Flow, Step, on_control, on_edit, on_quick, on_text, resume

TODAY = date(2026, 11, 24)


def ask(question, follow_up=None, **answers):
    return Flow(question, follow_up, {q: Answer(q, status) for q, status in answers.items()})


def test_one_at_a_time_in_order():
    step = on_text(ask("budget"), "yes, about 40k", TODAY)
    assert (step.status, step.asking, step.store["budget"].min_cents) == (ACTIVE, "authority", 4_000_000)
    step = on_text(ask("authority", budget="yes"), "she decides", TODAY)
    assert step.asking == "need" and step.store["authority"].status == "decision_maker"
    step = on_text(
        ask("need", budget="yes", authority="decision_maker"), "they need to cut manual work", TODAY
    )
    assert step.asking == "timeline"
    step = on_text(
        ask("timeline", budget="yes", authority="decision_maker", need="clear"), "live by March", TODAY
    )
    assert (step.status, step.asking, step.store["timeline"].on_date) == (DONE, None, date(2027, 3, 31))


def test_one_message_answers_several_and_only_the_missing_one_is_asked():
    step = on_text(ask("budget"), "40k budget, CFO decides, live by March", TODAY)
    assert set(step.store) == {"budget", "authority", "timeline"}
    assert step.asking == "need" and step.follow_up is None


def test_an_answer_to_another_question_is_kept_and_the_asked_one_asked_again():
    step = on_text(ask("budget"), "the CFO signs", TODAY)
    assert set(step.store) == {"authority"} and step.asking == "budget"


def test_ambiguous_answers_are_asked_back_the_asked_question_first():
    step = on_text(ask("timeline", budget="yes", authority="decision_maker", need="clear"), "asap", TODAY)
    assert (step.asking, step.follow_up, step.store) == ("timeline", "asap", {})
    step = on_text(
        ask("timeline", "asap", budget="yes", authority="decision_maker", need="clear"), "end of March", TODAY
    )
    assert step.status == DONE and step.store["timeline"].on_date == date(2027, 3, 31)
    step = on_text(ask("budget"), "40k or 60k, CFO or CEO", TODAY)
    assert (step.asking, step.follow_up) == ("budget", "range_unclear")


def test_no_budget_asks_when_one_comes_and_a_short_reply_answers_it():
    step = on_quick(ask("budget"), "budget", "no")
    assert (step.asking, step.follow_up, step.store["budget"].status) == ("budget", "when_budget", "no")
    flow = Flow("budget", "when_budget", {"budget": step.store["budget"]})
    step = on_text(flow, "Q3", TODAY)  # not the timeline: it answers the follow-up
    assert step.asking == "authority" and step.store["budget"].on_date == date(2027, 7, 1)
    assert "timeline" not in step.store
    step = on_quick(flow, "budget", "unsure")  # "not sure when": no budget, none expected
    assert step.asking == "authority" and step.store["budget"].status == "no"


@pytest.mark.parametrize(
    "reply, opens",
    [
        ("na de zomer", date(TODAY.year + 1, 9, 1)),
        ("after the summer", date(TODAY.year + 1, 9, 1)),
        ("H2 next year", date(TODAY.year + 1, 7, 1)),
        ("im Frühjahr", date(TODAY.year + 1, 3, 1)),
    ],
)
def test_a_season_or_half_answers_when_the_budget_comes(reply, opens):
    flow = Flow("budget", "when_budget", {"budget": Answer("budget", "no")})
    step = on_text(flow, reply, TODAY)
    assert step.store["budget"].on_date == opens and "timeline" not in step.store


def test_no_authority_asks_who_signs():
    step = on_quick(ask("authority", budget="yes"), "authority", "no")
    assert (step.asking, step.follow_up) == ("authority", "who_signs")
    flow = Flow(
        "authority", "who_signs", {"budget": Answer("budget", "yes"), "authority": step.store["authority"]}
    )
    assert on_text(flow, "Maria Jansen", TODAY).store["authority"].who == "Maria Jansen"
    assert on_text(flow, "she", TODAY).store["authority"].status == "decision_maker"
    assert on_text(flow, "the CFO", TODAY).store["authority"].who == "CFO"
    assert on_text(flow, "hello", TODAY).reprompt == "no_answer"  # no capital, no signer: not a name
    unsure = on_text(flow, "no idea", TODAY)
    assert unsure.asking == "need" and unsure.store["authority"].status == "needs_approval"


@pytest.mark.parametrize(
    "text", ["", "   ", "lol", "😂😂", ":thumbsup:", "asdfgh", "hello", "x" * 10_000, "…"]
)
def test_no_answer_gets_a_reprompt_and_changes_nothing(text):
    step = on_text(ask("budget"), text, TODAY)
    assert step.reprompt in ("no_answer", "too_long") and step.store == {} and step.asking == "budget"


def test_skip_back_stop_restart():
    assert on_text(ask("budget"), "skip", TODAY).store["budget"].status == "skipped"
    assert on_text(ask("budget"), "skip", TODAY).asking == "authority"
    kept = on_control(ask("budget", budget="yes", authority="unknown"), "skip")  # re-asked: skip keeps it
    assert kept.store == {} and kept.asking == "need"
    assert on_text(ask("need", budget="yes"), "go back", TODAY).asking == "authority"
    assert on_control(ask("budget"), "back").note == "first_question"
    assert on_control(ask("budget", "when_budget", budget="no"), "back") == Step(ACTIVE, "budget", None)
    stop = on_text(ask("need", budget="yes"), "Stop", TODAY)
    assert (stop.status, stop.asking) == (STOPPED, "need")
    restart = on_text(ask("need", budget="yes"), "start over", TODAY)
    assert (restart.clear, restart.asking) == (True, "budget")
    last = on_control(ask("timeline", budget="yes", authority="unknown", need="clear"), "skip")
    assert last.status == DONE


def test_resume_and_edit():
    assert resume(Flow(None, None, {})).asking == "budget"
    assert resume(ask("need", "vague", budget="yes")).follow_up == "vague"
    done = {q: "unknown" for q in ("budget", "authority", "need", "timeline")}
    assert resume(Flow(None, None, {q: Answer(q, s) for q, s in done.items()})).status == DONE
    edit = on_edit(Flow(None, None, {q: Answer(q, s) for q, s in done.items()}), "need")
    assert (edit.status, edit.asking) == (ACTIVE, "need")


def test_a_button_on_an_older_question_is_stale():
    assert on_quick(ask("need", budget="yes"), "budget", "no").reprompt == "stale"
    with pytest.raises(ValueError):
        on_quick(ask("budget"), "budget", "maybe")
