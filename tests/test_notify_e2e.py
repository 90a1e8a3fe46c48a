"""Each person's choice of DMs end to end: `/deal notify` and its buttons, the Home section, and the
sweep honouring it (nudges or reminders off, a daily summary once a day through double sweeps, a
crash after posting and 429s); on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from domain.preferences import Preferences
from models import outbox as outbox_store
from models.tables import SlackUser
from scheduler import outbox
from scheduler.nudges import sweep
from services import preferences
from tests.helpers import text_of
from tests.nudging import TEAM, nudge_dms, outbox_rows, queued, run_sweep, seed, setup_team
from tests.reminding import TUESDAY_10_UTC, WEDNESDAY, WEDNESDAY_10_UTC, reminder_dms, with_step


async def say(bench, user: str, text: str):
    return await bench.client.reply(await bench.client.command(user, text))


def chosen(bench, user: str = "UALICE") -> Preferences:
    return preferences.current(bench.db, TEAM, user)


def left(bench, user: str) -> bool:
    with bench.db.read() as s:
        cached = s.get(SlackUser, (TEAM, user))
        return cached is not None and cached.deleted


def summaries(bench, user: str = "UALICE") -> list:
    return [m for m in bench.slack.dms(user) if "daily summary" in m.text]


async def test_deal_notify_shows_the_choices_and_sets_each_one(bench):
    bench.fixed_now = TUESDAY_10_UTC
    shown = await say(bench, "UALICE", "notify")
    assert "Nudges* about stalled deals: on" in text_of(shown)
    assert "Daily summary*: off: one DM per event" in text_of(shown)
    buttons = [e["action_id"] for b in shown.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["notify_nudges", "notify_reminders", "notify_summary"]

    reply = await say(bench, "UALICE", "notify nudges off")
    assert "Saved." in text_of(reply) and "Nudges* about stalled deals: off" in text_of(reply)
    await say(bench, "UALICE", "notify summary daily")
    await say(bench, "UALICE", "notify reminders off")
    assert chosen(bench) == Preferences(nudges=False, reminders=False, summary="daily")
    await say(bench, "UALICE", "notify reminders on")
    assert chosen(bench) == Preferences(nudges=False, reminders=True, summary="daily")
    assert chosen(bench, "UBOB") == Preferences()  # each person their own


@pytest.mark.parametrize("words", ["nudges maybe", "summary weekly", "loud", "nudges", "reminders off now"])
async def test_bad_words_get_the_list_of_choices_and_change_nothing(bench, words):
    bench.fixed_now = TUESDAY_10_UTC
    reply = await say(bench, "UALICE", f"notify {words}")
    assert "`/deal notify summary daily|off`" in text_of(reply)
    assert chosen(bench) == Preferences()


async def test_the_answers_buttons_flip_a_choice_in_place(bench):
    bench.fixed_now = TUESDAY_10_UTC
    shown = await say(bench, "UALICE", "notify")
    await bench.client.click("UALICE", shown, "notify_reminders")
    await bench.slack.wait_for(lambda: chosen(bench).reminders is False)
    await bench.slack.wait_for(lambda: "Reminders* of due next steps: off" in text_of(shown))
    await bench.client.click("UALICE", shown, "notify_summary")
    await bench.slack.wait_for(lambda: chosen(bench).summary == "daily")


async def test_the_home_tab_has_the_section_and_its_buttons_work(bench):
    bench.fixed_now = TUESDAY_10_UTC
    home = await bench.client.open_home("UALICE")
    assert "Your DMs from me" in text_of(home)
    assert "Nudges* about stalled deals: on" in text_of(home)
    await bench.client.click("UALICE", home, "notify_nudges")
    await bench.slack.wait_for(
        lambda: "Nudges* about stalled deals: off" in text_of(bench.slack.home["UALICE"])
    )
    assert chosen(bench).nudges is False


async def test_nudges_off_sends_no_nudge_and_turning_them_on_brings_back_no_old_news(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    await say(bench, "UALICE", "notify nudges off")
    seed(bench, "UALICE", "Acme")
    seed(bench, "UBOB", "Gamma")
    results = await run_sweep(bench)
    assert nudge_dms(bench, "UALICE") == []
    assert len(nudge_dms(bench, "UBOB")) == 1  # Bob chose nothing: as before
    assert [m.channel for m in queued(results) if m.kind == "nudge"] == ["UBOB"]  # what is sent now
    assert {r.channel: r.status for r in outbox_rows(bench, "nudge")} == {"UALICE": "muted", "UBOB": "sent"}
    await say(bench, "UALICE", "notify nudges on")
    bench.fixed_now = TUESDAY_10_UTC + timedelta(hours=1)
    await run_sweep(bench)
    assert nudge_dms(bench, "UALICE") == []  # the decided nudge stays decided


async def test_reminders_off_sends_no_reminder(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    await say(bench, "UALICE", "notify reminders off")
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    with_step(bench, "UBOB", "Gamma", "Send the quote", WEDNESDAY)
    results = await run_sweep(bench)
    assert reminder_dms(bench, "UALICE") == []
    assert len(reminder_dms(bench, "UBOB")) == 1
    assert [m.channel for m in queued(results)] == ["UBOB"]  # what is sent now, not what was muted
    assert sorted(r.status for r in outbox_rows(bench, "step_reminder")) == ["muted", "sent"]


async def test_the_daily_summary_lists_the_days_dms_in_one_and_only_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    await say(bench, "UALICE", "notify summary daily")
    acme = seed(bench, "UALICE", "Acme")  # stalled: a nudge
    beta = with_step(bench, "UALICE", "Beta", "Call Jan", WEDNESDAY)  # due today: a reminder
    gamma = with_step(bench, "UALICE", "Gamma", "Send the quote", WEDNESDAY)
    await run_sweep(bench)
    await run_sweep(bench)  # the sweep again: nothing new
    assert nudge_dms(bench, "UALICE") == [] and reminder_dms(bench, "UALICE") == []
    [summary] = summaries(bench)
    assert summary.text == "Your daily summary: 3 things to look at."
    body = text_of(summary)
    assert f"#{acme}" in body
    assert f"Next step for #{beta} Beta: Call Jan — due today" in body
    assert f"Next step for #{gamma} Gamma: Send the quote — due today" in body
    statuses = sorted(r.status for r in outbox_rows(bench) if r.channel == "UALICE")
    assert statuses == ["folded", "folded", "folded", "sent"]  # the nudge, two reminders, the summary

    # Later that day a new step falls due: it waits for tomorrow's summary, not a second one today.
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(hours=2)
    with_step(bench, "UALICE", "Delta", "Book the demo", WEDNESDAY)
    await run_sweep(bench)
    assert len(summaries(bench)) == 1
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=1, hours=-2)  # Thursday 09:00 in Amsterdam
    await run_sweep(bench)
    assert len(summaries(bench)) == 2
    assert "Book the demo" in text_of(summaries(bench)[-1])


async def test_the_summary_waits_for_the_start_of_working_hours(bench):
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=3)  # 08:00 in Amsterdam
    await say(bench, "UALICE", "notify summary daily")
    seed(bench, "UALICE", "Acme")
    await run_sweep(bench)
    assert summaries(bench) == []  # the nudge waits for 09:00, and so does its summary
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=2)  # 09:00
    await run_sweep(bench)
    assert len(summaries(bench)) == 1


async def test_a_crash_after_posting_the_summary_then_a_rerun_sends_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    await say(bench, "UALICE", "notify summary daily")
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    await sweep(bench.deps, bench.bolt.client, bench.now())
    [claimed] = outbox_store.claim(bench.db, "worker-a", bench.now())
    assert claimed.kind == "summary"
    await bench.bolt.client.chat_postMessage(
        channel=claimed.channel,
        text=claimed.payload["text"],
        blocks=claimed.payload["blocks"],
        metadata={"event_type": outbox.METADATA_TYPE, "event_payload": {"outbox_id": claimed.id}},
    )  # worker A dies here
    bench.fixed_now = WEDNESDAY_10_UTC + outbox_store.LEASE + timedelta(seconds=1)
    await run_sweep(bench)
    assert [r.status for r in outbox_rows(bench, "summary")] == ["sent"]
    assert len(summaries(bench)) == 1


async def test_429_then_retry_sends_the_summary_once(bench):
    bench.fixed_now = WEDNESDAY_10_UTC
    await say(bench, "UALICE", "notify summary daily")
    with_step(bench, "UALICE", "Acme", "Call Jan", WEDNESDAY)
    bench.slack.inject("chat.postMessage", status=429, retry_after=1, times=3)
    for minute in range(5):
        bench.fixed_now = WEDNESDAY_10_UTC + timedelta(minutes=minute)
        await run_sweep(bench)
        if all(r.status == "sent" for r in outbox_rows(bench, "summary")):
            break
    assert [r.status for r in outbox_rows(bench, "summary")] == ["sent"]
    assert len(summaries(bench)) == 1


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_sweeps_running_at_the_same_moment_summarise_once(bench):
    import asyncio

    bench.fixed_now = WEDNESDAY_10_UTC
    for user in ("UALICE", "UBOB"):
        await say(bench, user, "notify summary daily")
        for i in range(3):
            with_step(bench, user, f"Deal {user} {i}", "Call", WEDNESDAY)
    await asyncio.gather(*(sweep(bench.deps, bench.bolt.client, bench.now()) for _ in range(4)))
    await asyncio.gather(
        *(outbox.dispatch(bench.db, bench.bolt.client, f"w{i}", bench.now) for i in range(4))
    )
    await run_sweep(bench)  # held rows a losing sweep left are told by the next: none here
    for user in ("UALICE", "UBOB"):
        [summary] = summaries(bench, user)
        assert summary.text == "Your daily summary: 3 things to look at."


@pytest.mark.parametrize(
    "user, locale, words, expected",
    [
        ("UALICE", "en-US", "notify summary daily", "*Daily summary*: one DM a day"),
        ("UJAN", "nl-NL", "meldingen samenvatting dagelijks", "*Dagelijkse samenvatting*: één DM per dag"),
        (
            "UJONAS",
            "de-DE",
            "benachrichtigungen zusammenfassung täglich",
            "*Tägliche Zusammenfassung*: eine DM pro Tag",
        ),
    ],
)
async def test_deal_notify_in_each_language(bench, user, locale, words, expected):
    bench.fixed_now = TUESDAY_10_UTC
    if user not in bench.slack.users:
        bench.slack.add_user(user, user.lower(), locale=locale)
    reply = await say(bench, user, words)
    assert expected.replace("*", "") in text_of(reply).replace("*", "")
    assert chosen(bench, user).summary == "daily"


async def test_deal_help_lists_notify(bench):
    assert "/deal notify" in text_of(await say(bench, "UALICE", "help"))


async def test_a_person_who_left_has_what_they_held_closed_not_kept_forever(bench):
    # Alice holds a nudge for her 09:00 summary, and leaves before it: nobody will read it, and
    # without closing it every tick would ask Slack about her again, for ever.
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=3)  # 08:00 in Amsterdam
    await say(bench, "UALICE", "notify summary daily")
    seed(bench, "UALICE", "Acme")
    await run_sweep(bench)
    assert [r.status for r in outbox_rows(bench) if r.channel == "UALICE"] == ["held"]
    bench.slack.users["UALICE"].deleted = True
    await bench.client.event(
        {
            "type": "user_change",  # as Slack sends it (docs.slack.dev/reference/events/user_change), trimmed
            "user": {"id": "UALICE", "team_id": "T0LOCAL", "name": "alice", "deleted": True},
            "event_ts": "1764583200.000100",
        }
    )
    # The event is acked first and handled after: her profile in the cache says she left once the
    # handler is done. A sweep before that would still find her there and send her summary.
    await bench.slack.wait_for(lambda: left(bench, "UALICE"))
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=2)  # 09:00: her summary's time
    await run_sweep(bench)
    assert summaries(bench) == []
    [held] = [r for r in outbox_rows(bench) if r.channel == "UALICE"]
    assert (held.status, held.last_error) == ("dead", "account_inactive")
    assert preferences.lookups(bench.db, bench.now(), TEAM) == []  # nobody left to look up


async def test_the_summary_leaves_out_what_was_acted_on_since_it_was_held(bench):
    # Wednesday's summary has gone at 11:00; what comes up at noon waits for Thursday's. By then
    # alice has logged a note on Beta (one of the two deals its nudge names, so the nudge stays) and
    # done Delta's step (its reminder goes); Eps's step is still open.
    bench.fixed_now = WEDNESDAY_10_UTC
    await say(bench, "UALICE", "notify summary daily")
    seed(bench, "UALICE", "Acme")
    await run_sweep(bench)
    assert len(summaries(bench)) == 1
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(hours=1)
    beta, gamma = seed(bench, "UALICE", "Beta"), seed(bench, "UALICE", "Gamma")
    delta = with_step(bench, "UALICE", "Delta", "Call Jan", WEDNESDAY)
    eps = with_step(bench, "UALICE", "Eps", "Send the quote", WEDNESDAY)
    zeta = with_step(bench, "UALICE", "Zeta", "Book the demo", WEDNESDAY)
    await run_sweep(bench)
    assert len(summaries(bench)) == 1
    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(hours=4)
    await say(bench, "UALICE", f"note #{beta} Called, they want a new quote")
    await say(bench, "UALICE", f"next #{delta} done")
    await say(bench, "UALICE", f"next #{zeta} Book the demo due:friday")  # another day: Friday's reminder

    bench.fixed_now = WEDNESDAY_10_UTC + timedelta(days=1, hours=-2)  # Thursday 09:00 in Amsterdam
    await run_sweep(bench)
    summary = summaries(bench)[-1]
    assert summary.text == "Your daily summary: 2 things to look at."
    body = text_of(summary)
    assert f"#{beta}" in body and f"#{gamma}" in body and "Send the quote" in body
    assert f"#{eps}" in body and "Call Jan" not in body and f"#{zeta}" not in body
    statuses = sorted(r.status for r in outbox_rows(bench) if r.created_at > WEDNESDAY_10_UTC)
    assert statuses == ["folded", "folded", "sent", "stale", "stale"]  # nudge, Eps; summary; Delta, Zeta


async def test_nothing_left_to_tell_sends_no_summary(bench):
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=3)  # 08:00 in Amsterdam: held for 09:00
    await say(bench, "UALICE", "notify summary daily")
    acme = seed(bench, "UALICE", "Acme")
    await run_sweep(bench)
    assert [r.status for r in outbox_rows(bench) if r.channel == "UALICE"] == ["held"]
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=2, minutes=30)  # 08:30: she is up early
    await say(bench, "UALICE", f"move #{acme} negotiation")
    bench.fixed_now = WEDNESDAY_10_UTC - timedelta(hours=2)  # 09:00
    await run_sweep(bench)
    assert summaries(bench) == []
    assert [r.status for r in outbox_rows(bench) if r.channel == "UALICE"] == ["stale"]
    await run_sweep(bench)
    assert summaries(bench) == []  # and it stays told of: nothing comes back
