"""`salesbot demo`: a scripted tour of the real bot against the built-in local Slack.

No tokens and no workspace: the bot runs on a fresh SQLite file, serves real HTTP, and the tour
sends it signed commands, clicks and modal submissions, printing what each person would see.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bot.db import Database
from bot.migrate import upgrade
from localslack import render
from localslack.bench import Bench
from localslack.server import Message

USERS = {"UALICE": "alice", "UBOB": "bob", "UCAROL": "carol"}


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


async def run_demo(language: str = "en", database_url: str | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="salesbot-demo-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        upgrade(url)
        db = Database(url)
        async with Bench(db) as bench:
            for user_id, name in USERS.items():
                bench.slack.add_user(user_id, name)
            color = sys.stdout.isatty()
            print("Salesbot demo: the real bot, a real database and real HTTP, against a local Slack.")
            await tour(Tour(bench, color))
            problems = bench.slack.violations
        db.dispose()
    print("\nThat was the tour. Set up the real thing with the README's steps.")
    if problems:
        print("The local Slack saw problems:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0
