"""End to end: a BANT qualification in the rep's DM, answered by typing and clicking: one question at a
time or all at once, answers asked back, skip, back, stop and restart, switching deals, and a restart of
the bot in the middle."""

from datetime import date

import pytest

from localslack.bench import Bench
from models.qualify import qualified_deal_ids
from tests.chat import Chat, add, buttons, deal
from tests.helpers import text_of
from tests.qualifying import answers, closed_questions, qualification, start

# Each test over HTTP and over Socket Mode; none may make a listener fail with an unexpected error.
pytestmark = [pytest.mark.transports, pytest.mark.usefixtures("nothing_went_wrong")]


async def test_one_question_at_a_time_typed_and_clicked(bench):
    await add(bench, '"Acme" 50k')
    before = deal(bench.db)
    chat = Chat(bench)
    reply = await chat.command("qualify #1")
    assert "questions for deal #1 are in our DM" in text_of(reply)
    first = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    assert "Budget" in text_of(first) and "question 1 of 4" in text_of(first)
    assert {
        "qualify_yes",
        "qualify_no",
        "qualify_unsure",
        "qualify_skip",
        "qualify_back",
        "qualify_stop",
    } <= buttons(first)
    second = await chat.click("qualify_yes", first)
    assert "Authority" in text_of(second) and "Got it: *Budget* Yes" in text_of(second)
    third = await chat.say("she decides herself")
    assert "Need" in text_of(third) and "Your contact decides" in text_of(third)
    fourth = await chat.say("they need to replace three spreadsheets")
    assert "Timeline" in text_of(fourth)
    follow = await chat.click("qualify_yes")  # yes, there is a date: which one?
    assert "By when?" in text_of(follow)
    summary = await chat.say(f"by the end of March {bench.now().year + 1}")
    assert "BANT for *#1 Acme*" in text_of(summary)
    assert "Qualified" in text_of(summary) and "95" in text_of(summary)
    assert "“she decides herself”" in text_of(summary)
    await closed_questions(chat)
    assert ":white_check_mark: Yes" in text_of(first)  # the first question now shows its answer
    stored = answers(bench.db)
    assert {q: a.status for q, a in stored.items()} == {
        "budget": "yes",
        "authority": "decision_maker",
        "need": "clear",
        "timeline": "date",
    }
    assert stored["timeline"].on_date == date(bench.now().year + 1, 3, 31)
    assert {a.answered_by for a in stored.values()} == {"UALICE"}
    assert stored["need"].evidence == "they need to replace three spreadsheets"
    after = deal(bench.db)
    assert after.version > before.version and after.last_activity_at >= before.last_activity_at
    assert qualification(bench.db).status == "done"
    with bench.db.read() as s:
        assert qualified_deal_ids(s, "T0LOCAL") == {after.id}
        assert qualified_deal_ids(s, "T0OTHER") == set()


async def test_all_in_one_message_asks_only_what_is_missing(bench):
    chat = await start(bench, '"Globex" 80k')
    reply = await chat.say("40k budget, CFO decides, live by March")
    assert "Need" in text_of(reply) and "question 3 of 4" in text_of(reply)
    assert "Needs sign-off from CFO" in text_of(reply) and "€40,000" in text_of(reply)
    summary = await chat.say("they want to cut their reporting time in half")
    assert "Qualified" in text_of(summary) and "90" in text_of(summary)
    assert set(answers(bench.db)) == {"budget", "authority", "need", "timeline"}


async def test_ambiguous_answers_are_asked_back(bench):
    chat = await start(bench, '"Initech" 30k')
    back = await chat.say("40k or 60k")
    assert "Is that a range" in text_of(back)
    assert "budget" not in answers(bench.db)
    assert "Authority" in text_of(await chat.say("40-60k"))
    assert "Who signs in the end?" in text_of(await chat.say("the CFO or the CEO"))
    assert "Need" in text_of(await chat.say("the CEO"))
    await chat.say("they must automate invoicing")
    assert "As soon as possible, by when?" in text_of(await chat.say("asap"))
    assert "That date has passed" in text_of(await chat.say("by 1 March 2020"))
    summary = await chat.say(f"by 15 March {bench.now().year + 1}")
    assert "Qualified" in text_of(summary)
    stored = answers(bench.db)
    assert (stored["budget"].min_cents, stored["budget"].max_cents) == (4_000_000, 6_000_000)
    assert stored["authority"].who == "CEO" and stored["timeline"].on_date == date(
        bench.now().year + 1, 3, 15
    )


async def test_no_budget_asks_when_and_no_signer_disqualifies(bench):
    chat = await start(bench, '"Hooli" 10k')
    when = await chat.click("qualify_no")
    assert "Is one expected later?" in text_of(when)
    authority = await chat.say("Q3")  # answers "from when": the bench clock is in November, so next year's
    assert "Authority" in text_of(authority)
    assert answers(bench.db)["budget"].on_date == date(
        bench.now().year + 1, 7, 1
    ) and "timeline" not in answers(bench.db)
    who = await chat.click("qualify_no")
    assert "Who can?" in text_of(who)
    need = await chat.click("qualify_unsure")  # don't know who signs
    assert "Need" in text_of(need)
    await chat.say("skip")
    summary = await chat.say("no rush")
    assert "Disqualify" in text_of(summary) and "Nobody identified who can sign" in text_of(summary)
    lost = next(
        e
        for b in summary.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "qualify_lost"
    )
    assert lost.get("style") == "danger"
    assert answers(bench.db)["need"].status == "skipped"
    with bench.db.read() as s:
        assert qualified_deal_ids(s, "T0LOCAL") == set()  # skipped: not complete


async def test_skip_back_stop_restart_and_resume_by_command(bench):
    chat = await start(bench, '"Acme" 50k')
    assert "Authority" in text_of(await chat.say("skip"))
    assert answers(bench.db)["budget"].status == "skipped"
    back = await chat.click("qualify_back")
    assert "Budget" in text_of(back) and "Now: Skipped" in text_of(back)
    assert "Authority" in text_of(await chat.say("yes, 20k"))
    assert "Need" in text_of(await chat.say("she signs"))
    assert "Authority" in text_of(await chat.say("go back"))
    assert "Need" in text_of(await chat.click("qualify_skip"))  # re-asked and skipped: the answer stays
    assert answers(bench.db)["authority"].status == "decision_maker"
    stopped = await chat.click("qualify_stop")
    assert "Stopped qualifying" in text_of(stopped) and "/deal qualify #1" in text_of(stopped)
    assert qualification(bench.db).status == "stopped"
    hint = await chat.say("they need a CRM")  # nothing running: a hint, not an answer
    assert "/deal qualify #N" in text_of(hint) and "need" not in answers(bench.db)
    await chat.command("qualify #1")
    resumed = await bench.slack.wait_for(lambda: "Picking up" in text_of(chat.last()) and chat.last())
    assert "Need" in text_of(resumed)
    restarted = await chat.say("restart")
    assert "Budget" in text_of(restarted) and "Starting over" in text_of(restarted)
    assert answers(bench.db) == {}
    await closed_questions(chat)


async def test_switching_between_two_deals(bench):
    await add(bench, '"Acme" 50k')
    chat = await start(bench, '"Globex" 20k')
    await chat.say("yes 50k")
    reply = await chat.command("qualify #2")
    assert "whether to switch" in text_of(reply)
    offer = await bench.slack.wait_for(lambda: "Switch to" in text_of(chat.last()) and chat.last())
    assert {"qualify_switch", "qualify_keep"} <= buttons(offer)
    kept = await chat.click("qualify_keep", offer)
    assert "#1 Acme" in text_of(kept) and "Authority" in text_of(kept)
    await bench.slack.wait_for(lambda: offer.history)
    assert "Carrying on with deal #1" in text_of(offer) and not buttons(offer)
    await chat.command("qualify #2")
    offer = await bench.slack.wait_for(lambda: "Switch to" in text_of(chat.last()) and chat.last())
    switched = await chat.click("qualify_switch", offer)
    assert "#2 Globex" in text_of(switched) and "Budget" in text_of(switched)
    await chat.say("no budget until next year")
    assert answers(bench.db, 2)["budget"].on_date == date(bench.now().year + 1, 1, 1)
    assert qualification(bench.db, 1).status == "paused" and qualification(bench.db, 2).status == "active"
    await chat.command("qualify #1")
    offer = await bench.slack.wait_for(lambda: "Switch to" in text_of(chat.last()) and chat.last())
    back = await chat.click("qualify_switch", offer)
    assert "#1 Acme" in text_of(back) and "Authority" in text_of(back)
    assert set(answers(bench.db, 1)) == {"budget"} and set(answers(bench.db, 2)) == {"budget"}


async def test_a_conversation_survives_a_restart_of_the_bot(db):
    async with Bench(db) as first:
        first.slack.add_user("UALICE", "alice")
        await add(first, '"Acme" 50k')
        chat = Chat(first)
        await chat.command("qualify #1")
        await first.slack.wait_for(lambda: chat.dms())
        assert "Authority" in text_of(await chat.say("about 40k, approved"))
        assert not first.slack.violations
    # A new process: a new Bolt app and a new local Slack; only the database is the same.
    async with Bench(db) as second:
        second.slack.add_user("UALICE", "alice")
        chat = Chat(second)
        reply = await chat.say("the CFO signs")
        assert "Need" in text_of(reply) and "Needs sign-off from CFO" in text_of(reply)
        await chat.say("we need to cut manual work")
        summary = await chat.say(f"live by June {second.now().year + 1}")
        assert "Qualified" in text_of(summary) and "€40,000" in text_of(summary)
        assert not second.slack.violations
    async with Bench(db) as third:  # and /deal qualify on a finished one shows its summary again
        third.slack.add_user("UALICE", "alice")
        chat = Chat(third)
        reply = await chat.command("qualify #1")
        assert "summary" in text_of(reply)
        summary = await third.slack.wait_for(lambda: chat.dms() and chat.last())
        assert "BANT for" in text_of(summary) and not third.slack.violations
