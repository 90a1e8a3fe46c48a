"""`salesbot demo`: a scripted tour of the real bot against the built-in local Slack.

No tokens and no workspace: the bot runs on a fresh SQLite file, serves real HTTP, and the tour
sends it signed commands, clicks and modal submissions, printing what each person would see.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from bot.db import Database
from bot.demo_announce import announce_tour
from bot.demo_archive import archive_tour
from bot.demo_candidates import candidates_tour
from bot.demo_find import find_tour
from bot.demo_insights import insights_tour
from bot.demo_notify import notify_tour
from bot.demo_nurture import nurture_tour
from bot.demo_tour import MONDAY, SLACK_LOCALES, TEAM, USERS, Tour, newest_deal, won_this_month
from bot.i18n import translator
from bot.migrate import upgrade
from localslack import render
from localslack.bench import Bench
from models.teams import ensure_team
from scheduler import outbox
from scheduler.runner import tick
from views.ids import Action, Shortcut, View


async def tour(t: Tour) -> None:
    _ = t._
    t.say(_("Reps log deals from Slack: one line with /deal add …"))
    # TRANSLATORS: the demo's commands are typed as a rep in your language would: keep `add`, `stage:`,
    # `close:` and `company:`, and use a stage name (or its start) and an amount the way your reps write
    # them. The Globex line says it without quotes or `stage:`: the name, the amount, then a stage name.
    await t.command("UALICE", _('add "Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme'))
    await t.command("UBOB", _("add Globex expansion €120.000 negotiation company:Globex"))
    await t.command("UALICE", _('add "Initech pilot" 1,2 Mio € stage:qualification'))

    t.say(_("… or with the New deal form: /deal with no text"))
    sent = await t.client.command("UALICE", "")
    t.types("UALICE", "/deal")
    view = await t.modal("UALICE", View.DEAL_NEW)
    # TRANSLATORS: in the demo, a rep types this word where an amount belongs, and gets an error.
    nonsense = _("lots")
    t.does(
        _(
            "{user} fills in the form and submits it with an amount of '{amount}'",
            user="alice",
            amount=nonsense,
        )
    )
    ack = await t.client.submit("UALICE", view, {"name": "Umbrella", "amount": nonsense})
    print(
        render.message(
            _("the form answers with a field error"),
            [],
            USERS,
            t.color,
            "; ".join(ack.json.get("errors", {}).values()),
        )
    )
    t.does(_("{user} corrects it to 35k and submits again", user="alice"))
    stages = {
        o["text"]["text"]: o["value"]
        for o in next(b for b in view["blocks"] if b["block_id"] == "stage")["element"]["options"]
    }
    await t.client.submit(
        "UALICE",
        view,
        {
            "name": "Umbrella",
            "company": "Umbrella Corp",
            "amount": "35k",
            "stage": stages[_("First contact")],
            "close": "2027-01-31",
        },
    )
    t.show(t.only("UALICE"), await t.client.reply(sent))

    t.say(_("Bad input gets a clear answer and changes nothing"))
    await t.command("UALICE", "add Wonka -5k")
    await t.command("UALICE", _("move #9 proposal"))

    t.say(_("Deal cards have buttons: move, edit, log a note, win, lose"))
    card = await t.command("UALICE", "#1")
    negotiation = next(
        o["value"]
        for b in card.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == Action.DEAL_MOVE
        for o in e["options"]
        if o["text"]["text"] == _("Negotiation")
    )
    await t.click(
        "UALICE", card, Action.DEAL_MOVE, f"{_('Move stage')} ▾ {_('Negotiation')}", option=negotiation
    )
    await t.command("UALICE", "note #1 " + _("Procurement wants a 3-year term"))
    await t.click("UALICE", card, Action.DEAL_WON, _("Won"))

    t.say(_("Lost deals ask for a reason from the team's list, or free text"))
    t.types("UALICE", "/deal lost #3")
    sent = await t.client.command("UALICE", "lost #3")
    view = await t.modal("UALICE", View.DEAL_LOST)
    t.does(_("{user} picks '{reason}', adds a line and submits", user="alice", reason=_("No budget")))
    await t.client.submit("UALICE", view, {"reason": "no_budget", "details": _("Budget frozen until Q3")})
    t.show(t.only("UALICE"), await t.client.reply(sent))

    t.say(_("A lost deal can come back: it reopens in the stage it was lost from"))
    await t.command("UALICE", "reopen #3")
    await t.command("UALICE", "lost #3 " + _("Budget frozen until Q3"))

    t.say(_("Lists and the team's pipeline"))
    await t.command("UALICE", "list all")
    await t.command("UCAROL", "", command="/pipeline")

    t.say(_("Each rep's App Home shows their own open deals, with the same buttons"))
    home = await t.client.open_home("UALICE")
    t.show_view(_("{user}'s Home tab", user="alice"), home)

    t.say(_("Reps see and change their own deals; managers and admins see everyone's"))
    await t.command("UBOB", "#1")

    t.say(_("A deal changes hands with /deal reassign; its new owner hears of it by DM"))
    await t.command("UCAROL", "reassign #4 <@UBOB>")
    await outbox.dispatch(t.bench.db, t.bench.bolt.client, "demo", t.bench.now)
    t.show(_("salesbot, in {user}'s DM", user="bob"), t.slack.dms("UBOB")[-1])
    await shortcut_step(t)


async def shortcut_step(t: Tour) -> None:
    """The message shortcut: a message in the channel becomes a filled-in New deal form."""
    _ = t._
    t.say(_("A message in a channel becomes a deal: the message's shortcut, Create deal from message"))
    # TRANSLATORS: a rep's message in the team channel, as your reps would write it: a company, an
    # amount (like 50k), "by the end of" a month and a stage name (the demo reads them into the form).
    text = _("Acme wants 50k by end of March, proposal sent")
    print("\n" + _("{user} writes in #sales: {text}", user=USERS["UBOB"], text=text))
    await t.client.message_shortcut("UALICE", Shortcut.DEAL_FROM_MESSAGE, text, author="UBOB")
    await t.modal("UALICE", View.DEAL_NEW)


async def qualify_tour(t: Tour) -> None:
    """BANT qualification: a conversation in the rep's DM."""
    _ = t._
    dms = lambda: t.slack.dms("UALICE")  # noqa: E731
    in_dm = _("salesbot, in {user}'s DM", user="alice")

    async def answer(text):
        t.does(_("{user} writes to salesbot: {text}", user="alice", text=text))
        before = len(dms())
        await t.client.dm("UALICE", text)
        t.show(in_dm, await t.slack.wait_for(lambda: len(dms()) > before and dms()[-1]))

    async def click(msg, action_id, label):
        t.does(_("{user} clicks [{button}]", user="alice", button=label))
        before = len(dms())
        await t.client.click("UALICE", msg, action_id)
        t.show(in_dm, await t.slack.wait_for(lambda: len(dms()) > before and dms()[-1]))

    t.say(_("A deal entering Qualification: salesbot offers to qualify it, in a DM"))
    before = len(dms())
    await t.command("UALICE", _('add "Umbrella pilot" 25k stage:qualification company:Umbrella'))
    offer = await t.slack.wait_for(lambda: len(dms()) > before and dms()[-1])
    t.show(in_dm, offer)
    await click(offer, Action.QUALIFY_START, _("Qualify now"))
    t.say(_("She answers by typing; one message may answer several questions"))
    # TRANSLATORS: what a rep in your language would type to answer budget and authority at once.
    await answer(_("40k budget, the CFO decides"))
    await answer("lol")
    t.say(_("… or with the buttons; an unclear answer is asked back, not guessed"))
    await click(dms()[-2], Action.QUALIFY_YES, _("Yes"))  # the open question; the last DM is the re-prompt
    await answer("asap")
    # TRANSLATORS: a rep's answer to "when do they want to start?", as your reps would write it.
    await answer(_("end of March"))
    t.say(_("The card shows the result"))
    await t.command("UALICE", "#5")


async def settings_tour(t: Tour) -> None:
    _ = t._
    t.say(
        _(
            "An admin sets up the team: channel, managers, stages, digest day, nudge hours "
            "(/pipeline settings)"
        )
    )
    t.types("UCAROL", "/pipeline settings")
    await t.client.command("UCAROL", "settings", command="/pipeline")
    view = await t.modal("UCAROL", View.SETTINGS)
    t.does(_("{user} picks #sales as the team channel and herself as manager, and saves", user="carol"))
    ack = await t.client.submit(
        "UCAROL", view, {"channel": "C0SALES", "managers": ["UCAROL"], "escalation": "managers"}
    )
    assert ack.body == "", ack.body


async def nudge_tour(t: Tour) -> None:
    _ = t._
    t.say(
        _(
            "Three weeks later. Deals idle past their stage's threshold: owners get a "
            "nudge, the team a reminder"
        )
    )
    t.bench.fixed_now = MONDAY + timedelta(days=21)
    await tick(t.bench.deps, t.bench.deps.client_for)
    nudge = t.slack.dms("UBOB")[-1]
    t.show(_("salesbot, in {user}'s DM", user="bob"), nudge)
    t.show(_("salesbot, in #sales"), t.slack.channel_messages("C0SALES")[-2])
    t.does(
        _("{user} clicks [Snooze] on Globex and snoozes it for a week: the client is on holiday", user="bob")
    )
    await t.client.click("UBOB", nudge, Action.NUDGE_SNOOZE)
    view = await t.modal("UBOB", View.NUDGE_SNOOZE)
    await t.client.submit("UBOB", view, {"snooze_for": "1w", "snooze_reason": _("Client on holiday")})
    await t.slack.wait_for(lambda: nudge.history)
    t.show(_("the nudge, updated in place"), nudge)


async def reminder_tour(t: Tour) -> None:
    _ = t._
    t.say(_("A next step due today: its owner gets one reminder, in their working hours"))
    # TRANSLATORS: the demo's next step for Globex, typed after `/deal next #2`.
    step = _("Call Jan about the contract")
    await t.command("UBOB", f"next #2 {step} due:{t.bench.now().date().isoformat()}")
    await tick(t.bench.deps, t.bench.deps.client_for)
    reminder = next(m for m in reversed(t.slack.dms("UBOB")) if "reminder_actions:2" in str(m.blocks))
    t.show(_("salesbot, in {user}'s DM", user="bob"), reminder)
    await t.client.click("UBOB", reminder, Action.REMINDER_DONE)
    await t.slack.wait_for(lambda: reminder.history)
    t.show(_("the reminder, updated in place"), reminder)


async def digest_tour(t: Tour) -> None:
    _ = t._
    t.say(_("Every Monday at 09:00 the managers get the weekly digest, in #sales and by DM, with a chart"))
    digests = [
        m for m in t.slack.channel_messages("C0SALES") if m.blocks and m.blocks[0].get("type") == "header"
    ]
    t.show(_("salesbot, in #sales"), digests[-1])
    charts = [f for f in t.slack.files.values() if f.get("shared_to")]
    t.does(_("(and {count} chart images uploaded with Slack's files upload v2 flow)", count=len(charts)))


async def bot_missing_tour(t: Tour) -> None:
    from models.outbox import enqueue
    from scheduler.outbox import dispatch

    _ = t._
    t.say(_("Nobody invited Salesbot to #emea: the managers hear once what could not be posted there"))
    t.bench.slack.add_channel("C0EMEA", "emea", members=["UCAROL"])
    with t.bench.db.write() as s:  # a reminder meant for #emea, as a team reminder would be queued
        enqueue(s, TEAM, "demo:emea", "reminder", "C0EMEA", {"text": "#emea"}, t.bench.now())
    await dispatch(t.bench.db, t.bench.deps.client_for, "demo", t.bench.now)
    t.show(_("salesbot, in {user}'s DM", user="carol"), t.slack.dms("UCAROL")[-1])


async def forecast_tour(t: Tour) -> None:
    from bot.demo_history import add_history
    from services import forecast
    from views.forecast import backtest_text

    _ = t._
    add_history(t.bench.db, TEAM, t.bench.now())
    t.say(
        _("The team imported its earlier deals with their history: the forecast shows how right it has been")
    )
    await t.command("UCAROL", "forecast", command="/pipeline")
    print("\n$ salesbot forecast --backtest --months 3")
    replayed = forecast.backtest(t.bench.db, TEAM, t.bench.now(), 3)
    print(backtest_text(replayed.backtest, _, TEAM))
    t.say(_("Insights: where deals are held up, which stages to review, which deals to let go"))
    await t.command("UCAROL", "insights", command="/pipeline")


async def rates_tour(t: Tour) -> None:
    _ = t._
    t.say(
        _("Deals in other currencies: an admin sets a rate (or the ECB's daily feed does), and totals add up")
    )
    await t.command("UCAROL", "rates set USD 0.92", command="/pipeline")
    # TRANSLATORS: a deal in dollars in the demo; keep `add` and `stage:`, a stage as your reps write it.
    await t.command("UBOB", _('add "Stark pilot" USD 40k stage:proposal'))
    await t.command("UCAROL", "", command="/pipeline")


async def goals_tour(t: Tour) -> None:
    _ = t._
    t.say(_("Managers set goals; a rep hears when she passes 50%, 90% and 100% of hers"))
    # The goal is twice what Alice will have won once her next deal closes: she crosses 50%.
    won = won_this_month(t, "UALICE")
    goal = 2 * (won + 3_000_000) // 100
    await t.command("UCAROL", f"goals set <@UALICE> {goal} month", command="/pipeline")
    # TRANSLATORS: a new deal in the demo; keep `add` and `stage:`, the stage name as your reps write it.
    await t.command("UALICE", _('add "Hooli upgrade" 30k stage:proposal'))
    await t.command("UALICE", f"won #{newest_deal(t)}")
    await tick(t.bench.deps, t.bench.deps.client_for)
    t.show(_("salesbot, in {user}'s DM", user="alice"), t.slack.dms("UALICE")[-1])
    await t.command("UALICE", "goals", command="/pipeline")


def export_tour(t: Tour, folder: Path) -> None:
    from services.transfer import export_team

    _ = t._
    t.say(
        _("The team's data is the team's: salesbot export writes it as CSV (salesbot import reads any CRM's)")
    )
    print(f"\n$ salesbot export --team {TEAM} --out ./export")
    for name, count in export_team(t.bench.db, TEAM, folder / "export").items():
        print(f"export/{name}: {count}")


async def run_demo(language: str = "en", database_url: str | None = None, formal: bool = False) -> int:
    _ = translator(language, formal)
    with tempfile.TemporaryDirectory(prefix="salesbot-demo-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        upgrade(url)
        db = Database(url)
        async with Bench(db, team_id=TEAM) as bench:
            for user_id, name in USERS.items():
                bench.slack.add_user(
                    user_id, name, locale=SLACK_LOCALES[_.language], is_admin=user_id == "UCAROL"
                )
            bench.slack.add_channel("C0SALES", "sales")
            bench.fixed_now = MONDAY  # the tour starts on a Monday morning, and later skips three weeks
            with db.write() as s:  # the team's language too, for what goes to its channel
                team = ensure_team(s, TEAM, bench.now())
                team.language = _.language
                team.formal = formal  # "Sie" / "u": the bot's replies as well as the tour's words
                s.add(team)
            color = sys.stdout.isatty()
            print(_("Salesbot demo: the real bot, a real database and real HTTP, against a local Slack."))
            t = Tour(bench, color, _)
            await tour(t)
            await find_tour(t)
            await qualify_tour(t)
            await settings_tour(t)
            await nudge_tour(t)
            await reminder_tour(t)
            await notify_tour(t)
            await digest_tour(t)
            await bot_missing_tour(t)
            await forecast_tour(t)
            await rates_tour(t)
            await announce_tour(t)
            await insights_tour(t)
            await goals_tour(t)
            await nurture_tour(t)
            await archive_tour(t)
            await candidates_tour(t)
            export_tour(t, Path(tmp))
            problems = bench.slack.violations
        db.dispose()
    print("\n" + _("That was the tour. Set up the real thing with the README's steps."))
    if problems:
        print("The local Slack saw problems:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0
