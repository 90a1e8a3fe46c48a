"""`salesbot demo`: a scripted tour of the real bot against the built-in local Slack.

No tokens and no workspace: the bot runs on a fresh SQLite file, serves real HTTP, and the tour
sends it signed commands, clicks and modal submissions, printing what each person would see.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db import Database
from bot.migrate import upgrade
from localslack import render
from localslack.bench import Bench
from localslack.server import Message
from scheduler.runner import tick

USERS = {"UALICE": "alice", "UBOB": "bob", "UCAROL": "carol"}
MONDAY = datetime(2026, 11, 2, 10, tzinfo=UTC)  # 11:00 in Amsterdam


class Tour:
    def __init__(self, bench: Bench, color: bool):
        self.bench, self.color = bench, color
        self.client, self.slack = bench.client, bench.slack

    def say(self, text: str) -> None:
        print("\n" + (f"\033[1;33m▶ {text}\033[0m" if self.color else f"▶ {text}"))

    def show(self, title: str, msg: Message) -> None:
        print(render.message(title, msg.blocks, USERS, self.color, msg.text))

    def show_view(self, title: str, view: dict) -> None:
        print(render.view(title, view, USERS, self.color))

    async def command(self, user: str, text: str, command: str = "/deal") -> Message:
        print(f"\n{USERS[user]} types: {command} {text}".rstrip())
        sent = await self.client.command(user, text, command=command)
        reply = await self.client.reply(sent)
        self.show(f"only {USERS[user]} sees this", reply)
        return reply

    async def modal(self, user: str, callback_id: str) -> dict:
        view = await self.slack.wait_for(lambda: next(
            (v for v in reversed(list(self.slack.views.values())) if v["callback_id"] == callback_id), None))
        self.show_view(f"modal for {USERS[user]}", view)
        return view

    async def click(self, user: str, msg: Message, action_id: str, label: str, **kw) -> None:
        print(f"\n{USERS[user]} clicks [{label}]")
        before = len(msg.history)
        await self.client.click(user, msg, action_id, **kw)
        if action_id in ("deal_won", "deal_move"):
            await self.slack.wait_for(lambda: len(msg.history) > before)
            self.show("the card, updated in place", msg)


async def tour(t: Tour) -> None:
    t.say("Reps log deals from Slack: one line with /deal add …")
    await t.command("UALICE", 'add "Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme')
    await t.command("UBOB", 'add "Globex expansion" €120.000 stage:negotiation company:Globex')
    await t.command("UALICE", 'add "Initech pilot" 1,2 Mio € stage:qualification')

    t.say("… or with the New deal form: /deal with no text")
    sent = await t.client.command("UALICE", "")
    print("\nalice types: /deal")
    view = await t.modal("UALICE", "deal_new")
    print("\nalice fills in the form and submits it with an amount of 'lots'")
    ack = await t.client.submit("UALICE", view, {"name": "Umbrella", "amount": "lots"})
    print(render.message("the form answers with a field error", [], USERS, t.color,
                         "; ".join(f"{k}: {v}" for k, v in ack.json.get("errors", {}).items())))
    print("\nalice corrects it to 35k and submits again")
    stages = {o["text"]["text"]: o["value"] for o in
              next(b for b in view["blocks"] if b["block_id"] == "stage")["element"]["options"]}
    await t.client.submit("UALICE", view, {"name": "Umbrella", "company": "Umbrella Corp", "amount": "35k",
                                           "stage": stages["First contact"], "close": "2027-01-31"})
    t.show("only alice sees this", await t.client.reply(sent))

    t.say("Bad input gets a clear answer and changes nothing")
    await t.command("UALICE", "add Wonka -5k")
    await t.command("UALICE", "move #9 proposal")

    t.say("Deal cards have buttons: move, edit, log a note, win, lose")
    card = await t.command("UALICE", "#1")
    negotiation = next(o["value"] for b in card.blocks if b["type"] == "actions" for e in b["elements"]
                       if e["action_id"] == "deal_move" for o in e["options"] if o["text"]["text"] == "Negotiation")
    await t.click("UALICE", card, "deal_move", "Move stage ▾ Negotiation", option=negotiation)
    await t.command("UALICE", "note #1 Procurement wants a 3-year term")
    await t.click("UALICE", card, "deal_won", "Won")

    t.say("Lost deals ask for a reason from the team's list, or free text")
    print("\nalice types: /deal lost #3")
    sent = await t.client.command("UALICE", "lost #3")
    view = await t.modal("UALICE", "deal_lost")
    print("\nalice picks 'No budget', adds a line and submits")
    await t.client.submit("UALICE", view, {"reason": "no_budget", "details": "Budget frozen until Q3"})
    t.show("only alice sees this", await t.client.reply(sent))

    t.say("Lists and the team's pipeline")
    await t.command("UALICE", "list all")
    await t.command("UCAROL", "", command="/pipeline")

    t.say("Each rep's App Home shows their own open deals, with the same buttons")
    home = await t.client.open_home("UALICE")
    t.show_view("alice's Home tab", home)

    t.say("Reps see and change their own deals; managers and admins see everyone's")
    await t.command("UBOB", "#1")


async def qualify_tour(t: Tour) -> None:
    """BANT qualification: a conversation in the rep's DM."""
    dms = lambda: t.slack.dms("UALICE")  # noqa: E731

    async def answer(text):
        print(f"\nalice writes to salesbot: {text}")
        before = len(dms())
        await t.client.dm("UALICE", text)
        t.show("salesbot, in alice's DM", await t.slack.wait_for(lambda: len(dms()) > before and dms()[-1]))

    async def click(msg, action_id, label):
        print(f"\nalice clicks [{label}]")
        before = len(dms())
        await t.client.click("UALICE", msg, action_id)
        t.show("salesbot, in alice's DM", await t.slack.wait_for(lambda: len(dms()) > before and dms()[-1]))

    t.say("A deal entering Qualification: salesbot offers to qualify it, in a DM")
    before = len(dms())
    await t.command("UALICE", 'add "Umbrella pilot" 25k stage:qualification company:Umbrella')
    offer = await t.slack.wait_for(lambda: len(dms()) > before and dms()[-1])
    t.show("salesbot, in alice's DM", offer)
    await click(offer, "qualify_start", "Qualify now")
    t.say("She answers by typing; one message may answer several questions")
    await answer("40k budget, the CFO decides")
    await answer("lol")
    t.say("… or with the buttons; an unclear answer is asked back, not guessed")
    await click(dms()[-2], "qualify_yes", "Yes")  # the open question; the last DM is the re-prompt
    await answer("asap")
    await answer("end of March")
    t.say("The card shows the result")
    await t.command("UALICE", "#5")


async def settings_tour(t: Tour) -> None:
    t.say("An admin sets up the team: channel, managers, stages, digest day, nudge hours (/pipeline settings)")
    print("\ncarol (a workspace admin) types: /pipeline settings")
    await t.client.command("UCAROL", "settings", command="/pipeline")
    view = await t.modal("UCAROL", "settings")
    print("\ncarol picks #sales as the team channel and herself as manager, and saves")
    ack = await t.client.submit("UCAROL", view, {"channel": "C0SALES", "managers": ["UCAROL"],
                                                 "escalation": "managers"})
    assert ack.body == "", ack.body


async def nudge_tour(t: Tour, bench: Bench) -> None:
    t.say("Three weeks later. Deals idle past their stage's threshold: owners get a nudge, the team a reminder")
    bench.fixed_now = MONDAY + timedelta(days=21)
    await tick(bench.deps, bench.deps.client_for)
    nudge = t.slack.dms("UBOB")[-1]
    t.show("salesbot, in bob's DM", nudge)
    t.show("salesbot, in #sales", t.slack.channel_messages("C0SALES")[-2])
    print("\nbob clicks [Snooze] on Globex and snoozes it for a week: the client is on holiday")
    await t.client.click("UBOB", nudge, "nudge_snooze")
    view = await t.modal("UBOB", "nudge_snooze")
    await t.client.submit("UBOB", view, {"snooze_for": "1w", "snooze_reason": "Client on holiday"})
    await t.slack.wait_for(lambda: nudge.history)
    t.show("the nudge, updated in place", nudge)


async def digest_tour(t: Tour) -> None:
    t.say("Every Monday at 09:00 the managers get the weekly digest, in #sales and by DM, with a chart")
    message = next(m for m in reversed(t.slack.channel_messages("C0SALES")) if "digest" in m.text.lower())
    t.show("salesbot, in #sales", message)
    charts = [f for f in t.slack.files.values() if f.get("shared_to")]
    print(f"\n(and {len(charts)} chart PNG(s) uploaded with the files upload v2 flow: "
          + ", ".join(f"{f['name']} {len(f['content'] or b'') // 1024} kB" for f in charts) + ")")


def export_tour(t: Tour, bench: Bench, folder: Path) -> None:
    from services.transfer import export_team

    t.say("The team's data is the team's: salesbot export writes it as CSV (salesbot import reads any CRM's)")
    print("\n$ salesbot export --team T0LOCAL --out ./export")
    for name, count in export_team(bench.db, "T0LOCAL", folder / "export").items():
        print(f"export/{name}: {count} rows")


async def run_demo(language: str = "en", database_url: str | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="salesbot-demo-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        upgrade(url)
        db = Database(url)
        async with Bench(db) as bench:
            for user_id, name in USERS.items():
                bench.slack.add_user(user_id, name, is_admin=user_id == "UCAROL")
            color = sys.stdout.isatty()
            print("Salesbot demo: the real bot, a real database and real HTTP, against a local Slack.")
            bench.slack.add_channel("C0SALES", "sales")
            bench.fixed_now = MONDAY  # the tour starts on a Monday morning, and later skips three weeks
            t = Tour(bench, color)
            await tour(t)
            await qualify_tour(t)
            await settings_tour(t)
            await nudge_tour(t, bench)
            await digest_tour(t)
            export_tour(t, bench, Path(tmp))
            problems = bench.slack.violations
        db.dispose()
    print("\nThat was the tour. Set up the real thing with the README's steps.")
    if problems:
        print("The local Slack saw problems:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0
