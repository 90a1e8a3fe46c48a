"""End to end: BANT qualification conversations in the rep's DM, through the local Slack over HTTP."""

import asyncio
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from localslack.bench import Bench
from models.qualify import qualified_deal_ids
from models.tables import Deal, Qualification, Stage, Team
from tests.chat import Chat, add, answers, buttons, closed_questions, deal, qualification
from tests.helpers import text_of

pytestmark = pytest.mark.transports  # each test over HTTP and over Socket Mode


@pytest.fixture(autouse=True)
def nothing_went_wrong(request):
    """No listener may fail with an unexpected error, whatever the rep sends."""
    yield
    bench = request.node.funcargs.get("bench")
    if bench is not None:
        said = [text_of(m) for m in bench.slack.messages]
        said += [text_of(m) for replies in bench.slack.responses.values() for m in replies]
        assert not [t for t in said if "went wrong" in t]


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
    await add(bench, '"Globex" 80k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    reply = await chat.say("40k budget, CFO decides, live by March")
    assert "Need" in text_of(reply) and "question 3 of 4" in text_of(reply)
    assert "Needs sign-off from CFO" in text_of(reply) and "€40,000" in text_of(reply)
    summary = await chat.say("they want to cut their reporting time in half")
    assert "Qualified" in text_of(summary) and "90" in text_of(summary)
    assert set(answers(bench.db)) == {"budget", "authority", "need", "timeline"}


async def test_ambiguous_answers_are_asked_back(bench):
    await add(bench, '"Initech" 30k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
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
    await add(bench, '"Hooli" 10k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
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
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
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
    await add(bench, '"Globex" 20k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
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


async def test_entering_qualification_offers_a_qualification_once(bench):
    chat = Chat(bench)
    await add(bench, '"Acme" 50k stage:qualification')
    offer = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    assert "is now in Qualification" in text_of(offer) and "qualify_start" in buttons(offer)
    await add(bench, '"Globex" 10k')
    await bench.client.reply(await bench.client.command("UALICE", "move #2 qualification"))
    await bench.slack.wait_for(lambda: len(chat.dms()) == 2)
    assert "#2 Globex" in text_of(chat.last())
    first = await chat.click("qualify_start", offer)
    assert "#1 Acme" in text_of(first) and "Budget" in text_of(first)
    await bench.slack.wait_for(lambda: offer.history)
    assert "Qualifying deal #1" in text_of(offer) and not buttons(offer)
    # Out and back in while it runs: no second offer.
    await bench.client.reply(await bench.client.command("UALICE", "move #1 prospecting"))
    await bench.client.reply(await bench.client.command("UALICE", "move #1 qualification"))
    await asyncio.sleep(0.3)
    assert len(chat.dms()) == 3
    # Bob's deal moved by an admin: Bob, its owner, is offered it.
    await add(bench, '"Bobs" 5k', user="UBOB")
    await bench.client.reply(await bench.client.command("UADMIN", "move #3 qualif"))
    bob = await bench.slack.wait_for(lambda: bench.slack.dms("UBOB") and bench.slack.dms("UBOB")[-1])
    assert "#3 Bobs" in text_of(bob)


async def test_offer_from_the_card_select_and_the_edit_modal(bench):
    await add(bench, '"Acme" 50k')
    await add(bench, '"Globex" 10k')
    chat = Chat(bench)
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    with bench.db.read() as s:
        qualification_stage = s.exec(select(Stage).where(Stage.key == "qualification")).one()
    option = next(
        o["value"]
        for b in card.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "deal_move"
        for o in e["options"]
        if o["value"].endswith(f":{qualification_stage.id}")
    )
    await bench.client.click("UALICE", card, "deal_move", option=option)
    await bench.slack.wait_for(lambda: chat.dms())
    assert "#1 Acme" in text_of(chat.last())
    await bench.client.command("UALICE", "edit #2")
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_edit"), None)
    )
    await bench.client.submit("UALICE", view, {"stage": str(qualification_stage.id)})
    await bench.slack.wait_for(lambda: len(chat.dms()) == 2)
    assert "#2 Globex" in text_of(chat.last())


async def test_card_and_home_show_the_result_and_their_buttons_start_it(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "qualify_start" in buttons(card) and "BANT" not in text_of(card)
    first = await chat.click("qualify_start", card)
    assert "Budget" in text_of(first)
    await chat.say("40k budget, she decides")
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "*BANT* in progress · 2 of 4 answered" in text_of(card)
    home = await bench.client.open_home("UALICE")
    assert "BANT 2/4" in text_of(home)
    await chat.say("they need to automate billing")
    await chat.say("no rush")
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    assert "Qualified · score *85*/100" in text_of(card)  # 25 + 25 + 25 + 10 for no rush
    home = await bench.client.open_home("UALICE")
    assert "BANT 85 :white_check_mark:" in text_of(home)
    # The Home tab's Qualify on a finished qualification brings the summary, to edit it.
    summary = await chat.click("qualify_start", home)
    assert "BANT for" in text_of(summary) and "qualify_edit" in buttons(summary)


def make_manager(bench, user):
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.manager_ids = user
        s.add(team)


async def test_someone_else_starting_it_asks_the_owner(bench):
    await add(bench, '"Acme" 50k')
    make_manager(bench, "UBOB")  # a rep cannot touch Alice's deal; her manager can
    reply = await bench.client.reply(await bench.client.command("UBOB", "qualify #1"))
    assert "I've asked <@UALICE>" in text_of(reply)
    first = await bench.slack.wait_for(lambda: bench.slack.dms("UALICE") and bench.slack.dms("UALICE")[-1])
    assert "Budget" in text_of(first) and bench.slack.dms("UBOB") == []
    # Bob pressing Alice's buttons (a forged click) is refused and changes nothing.
    await bench.client.click("UBOB", first, "qualify_yes")
    refused = await bench.slack.wait_for(
        lambda: [m for msgs in bench.slack.responses.values() for m in msgs if "Only <@UALICE>" in text_of(m)]
    )
    assert refused and answers(bench.db) == {}
    # Bob typing in his own DM has no qualification: a hint.
    hint = await Chat(bench, "UBOB").say("yes 40k")
    assert "/deal qualify" in text_of(hint)
    # A message in Alice's DM from someone else is ignored.
    alice = Chat(bench)
    await alice.quiet(
        lambda: bench.client.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "DUALICE",
                "user": "UBOB",
                "text": "yes 40k",
                "ts": "1.1",
            }
        )
    )
    assert answers(bench.db) == {}


async def test_summary_buttons_move_lose_and_edit(bench):
    await add(bench, '"Acme" 50k stage:qualification')
    await add(bench, '"Globex" 20k')
    chat = Chat(bench)
    offer = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
    await chat.click("qualify_start", offer)
    summary = await chat.say(
        f"50k approved, the CEO signs, they need faster quotes, live by May {bench.now().year + 1}"
    )
    assert "Qualified" in text_of(summary)
    edit = await chat.click("qualify_edit", summary, option="1:authority")
    assert "Authority" in text_of(edit) and "Now: Needs sign-off from CEO" in text_of(edit)
    summary = await chat.say("she decides")
    assert "score *100*/100" in text_of(summary)
    assert answers(bench.db)["authority"].status == "decision_maker"
    await bench.client.click("UALICE", summary, "qualify_advance")
    await bench.slack.wait_for(lambda: summary.history)
    assert "moved to First contact" in text_of(summary)
    with bench.db.read() as s:
        assert s.get(Stage, deal(bench.db).stage_id).key == "first_contact"
    # Globex: disqualified and marked lost from its summary.
    await chat.command("qualify #2")
    await bench.slack.wait_for(lambda: "#2 Globex" in text_of(chat.last()))
    await chat.click("qualify_no")
    await chat.click("qualify_no")  # no budget expected either
    summary = await chat.say("skip")
    summary = await chat.say("skip")
    summary = await chat.say("skip")
    assert "Disqualify" in text_of(summary)
    await bench.client.click("UALICE", summary, "qualify_lost")
    await bench.slack.wait_for(lambda: summary.history)
    assert "marked lost: not qualified" in text_of(summary) and "qualify_lost" not in buttons(summary)
    assert deal(bench.db, 2).lost_reason_key == "not_qualified"


async def test_a_deal_won_lost_or_deleted_meanwhile_ends_it_politely(bench):
    for name in ("Won", "Lost", "Gone"):
        await add(bench, f'"{name}" 10k')
    make_manager(bench, "UBOB")
    chat = Chat(bench)
    for number, close in ((1, "won #1"), (2, "lost #2 price")):
        await chat.command(f"qualify #{number}")
        await bench.slack.wait_for(
            lambda number=number: f"#{number}" in text_of(chat.last()) and "Budget" in text_of(chat.last())
        )
        await bench.client.reply(await bench.client.command("UBOB", close))
        ended = await chat.say("yes, 40k")
        assert "meanwhile, so I've ended its qualification" in text_of(ended)
        assert qualification(bench.db, number).status == "ended"
    await chat.command("qualify #3")
    question = await bench.slack.wait_for(lambda: "#3" in text_of(chat.last()) and chat.last())
    with bench.db.write() as s:  # no command deletes deals (yet); another feature or an admin might
        gone = s.exec(select(Deal).where(Deal.number == 3)).one()
        s.exec(text(f"DELETE FROM stage_change WHERE deal_id = {gone.id}"))
        s.exec(text(f"DELETE FROM deal WHERE id = {gone.id}"))
    ended = await chat.click("qualify_yes", question)
    assert "Deal #3 no longer exists" in text_of(ended)
    assert qualification(bench.db, 3).deal_id is None
    reply = await chat.command("qualify #1")
    assert "closed, so there is nothing to qualify" in text_of(reply)
    await closed_questions(chat)


async def test_no_answers_get_a_reprompt_that_says_what_is_expected(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    cases: list[tuple[dict[str, Any], str]] = [
        (dict(words="😂"), "doesn't look like an answer"),
        (dict(words=":thumbsup:"), "doesn't look like an answer"),
        (dict(words="lol"), "doesn't look like an answer"),
        (dict(words="x " * 5000), "too long"),
        (dict(words="yes 40k", thread_ts="1700000000.000100"), "not in threads"),
        (dict(words="", subtype="file_share", files=[{"id": "F1"}]), "can't read files"),
        (dict(words="here is the budget", files=[{"id": "F2"}]), "can't read files"),
    ]
    for kw, expected in cases:
        reply = await chat.say(kw.pop("words"), **kw)
        assert expected in text_of(reply), (expected, text_of(reply))
        assert "I'm asking about *Budget*" in text_of(reply) and "40k approved" in text_of(reply)
    assert answers(bench.db) == {} and qualification(bench.db).asking == "budget"
    follow = await chat.say("asap")  # goes to the timeline's follow-up
    assert "by when?" in text_of(follow)
    reply = await chat.say("lol")
    assert "I'm asking: As soon as possible" in text_of(reply)


async def test_bots_edits_deletions_and_other_channels_are_ignored(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    base = {"type": "message", "channel_type": "im", "channel": "DUALICE", "ts": "1.2"}
    ignored = [
        dict(base, user="UBOT", bot_id="BLOCAL", text="yes 40k"),  # our own post (Bolt drops it)
        dict(base, bot_id="BOTHER", text="yes 40k", subtype="bot_message"),  # another bot
        dict(base, user="UALICE", bot_id="BOTHER", text="yes 40k"),  # a bot posting as a user
        dict(base, subtype="message_changed", message={"user": "UALICE", "text": "yes 40k", "ts": "1.1"}),
        dict(base, subtype="message_deleted", previous_message={"user": "UALICE", "text": "no", "ts": "1.1"}),
        dict(base, user="UALICE", subtype="channel_join", text="joined"),
        dict(base, user="UALICE", text="yes 40k", channel_type="channel", channel="C0SALES"),
        dict(base, text="yes 40k"),  # no user at all
    ]
    for event in ignored:
        await chat.quiet(lambda event=event: bench.client.event(event))
    assert answers(bench.db) == {}
    assert bench.slack.calls_to("chat.postEphemeral") == []


async def test_outside_a_qualification_the_hint_comes_once(bench):
    chat = Chat(bench)
    hint = await chat.say("hi bot")
    assert "/deal qualify #N" in text_of(hint)
    await bench.client.dm("UALICE", "anyone there?")
    await bench.client.dm("UALICE", "hello?")
    await asyncio.sleep(0.3)
    assert len(chat.dms()) == 1


async def test_a_retried_event_is_answered_once(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "DUALICE",
        "user": "UALICE",
        "text": "skip",
        "ts": "5.5",
    }
    await bench.client.event(event, event_id="Ev0SKIP")
    await bench.client.event(event, event_id="Ev0SKIP", retry=1)
    await bench.slack.wait_for(lambda: "Authority" in text_of(chat.last()))
    await asyncio.sleep(0.3)
    assert qualification(bench.db).asking == "authority"  # skipped once, not twice


async def test_hostile_input_cannot_break_or_stall_the_conversation(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    for words in [
        "yes\x00 40k",
        "'); DROP TABLE deal;--",
        "\u202e\u202e 40k",
        "ｙｅｓ",
        "40k " + "🙂" * 500,
        "{number} {who} %s",
        "#" * 1999,
        "<!channel> &lt;script&gt; 40k approved",
    ]:
        reply = await chat.say(words)
        assert reply.blocks, words
    # Crafted button values: a qualification of nobody, of another rep, nonsense.
    await add(bench, '"Theirs" 5k', user="UBOB")
    await bench.client.reply(await bench.client.command("UBOB", "qualify #2"))
    with bench.db.read() as s:
        theirs = (
            s.exec(
                select(Qualification)
                .join(Deal, col(Deal.id) == col(Qualification.deal_id))
                .where(Deal.owner_id == "UBOB")
            )
            .one()
            .id
        )
    first = next(m for m in reversed(chat.dms()) if "qualify_yes" in buttons(m))
    for value in (
        "999999:budget",
        "1:nonsense",
        "x:budget",
        "99999999999999999999:budget",
        "",
        f"{theirs}:budget",
    ):
        for block in first.blocks:
            for element in block.get("elements", []):
                if element.get("action_id") == "qualify_yes":
                    element["value"] = value
        await bench.client.click("UALICE", first, "qualify_yes")
    refusals = await bench.slack.wait_for(
        lambda: (
            len(
                [
                    m
                    for msgs in bench.slack.responses.values()
                    for m in msgs
                    if any(
                        refusal in text_of(m) for refusal in ("out of date", "no longer", "can answer this")
                    )
                ]
            )
            == 6
        )
    )
    assert refusals
    await chat.say("she decides")  # the conversation still goes on
    await chat.say("skip")
    summary = await chat.say("skip")
    assert "BANT for" in text_of(summary)
    assert "“&lt;!channel&gt; &lt;script&gt; 40k approved”" in str(summary.blocks)  # shown, not acted on
    assert not any("<!channel>" in str(m.blocks) for m in chat.dms())
    with bench.db.read() as s:
        assert {d.name for d in s.exec(select(Deal))} == {"Acme", "Theirs"}
    assert "\x00" not in "".join(a.evidence for a in answers(bench.db).values())
    assert answers(bench.db)["budget"].evidence == "<!channel> <script> 40k approved"


async def test_many_messages_at_once_leave_a_consistent_state(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    words = [
        "yes 40k",
        "she decides",
        "they need to automate billing",
        f"by March {bench.now().year + 1}",
        "lol",
        "skip",
    ]
    await asyncio.gather(*(bench.client.dm("UALICE", w) for w in words))
    # One DM per message, but a second message after the summary gets no second hint.
    await bench.slack.wait_for(lambda: len(chat.dms()) >= len(words))
    await asyncio.sleep(0.5)
    qual = qualification(bench.db)
    assert qual.status in ("active", "done")
    await closed_questions(chat)


async def test_bad_qualify_commands_get_a_specific_reply(bench):
    await add(bench, '"Acme" 50k')
    chat = Chat(bench)
    for words, expected in [
        ("qualify", "Give the deal's number"),
        ("qualify #99", "There is no deal #99"),
        ("qualify abc", "Give the deal's number"),
        ("qualify #1 now", "Give the deal's number"),
    ]:
        assert expected in text_of(await chat.command(words)), words
    assert chat.dms() == []
    help_text = text_of(await chat.command("help"))
    assert "/deal qualify #12" in help_text
