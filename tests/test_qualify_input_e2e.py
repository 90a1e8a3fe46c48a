"""End to end: what is no answer in the qualification's DM: re-prompts, events that are ignored, the hint
outside a qualification, retried events, hostile text and crafted buttons, many messages at once, and
bad /deal qualify commands."""

import asyncio
from typing import Any

import pytest
from sqlmodel import col, select

from models.qualification_tables import Qualification
from models.tables import Deal
from tests.chat import Chat, add, buttons
from tests.helpers import text_of
from tests.qualifying import answers, closed_questions, qualification, start

# Each test over HTTP and over Socket Mode; none may make a listener fail with an unexpected error.
pytestmark = [pytest.mark.transports, pytest.mark.usefixtures("nothing_went_wrong")]


async def test_no_answers_get_a_reprompt_that_says_what_is_expected(bench):
    chat = await start(bench, '"Acme" 50k')
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
    chat = await start(bench, '"Acme" 50k')
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
    chat = await start(bench, '"Acme" 50k')
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
    chat = await start(bench, '"Acme" 50k')
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
    chat = await start(bench, '"Acme" 50k')
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
