"""The demo's cast and its stage: the people, the team, and `Tour`, which sends what a person does to the
bot through the local Slack and prints what they see. Each part of the tour is a function taking a Tour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import Translator
from localslack import render
from localslack.bench import Bench
from localslack.server import Message
from views.ids import Action

USERS = {"UALICE": "alice", "UBOB": "bob", "UCAROL": "carol"}
TEAM = "T0LOCAL"
# The demo's people use Slack in the tour's language; the bot answers each in theirs.
SLACK_LOCALES = {"en": "en-US", "nl": "nl-NL", "de": "de-DE"}
MONDAY = datetime(2026, 11, 2, 10, tzinfo=UTC)  # 11:00 in Amsterdam


class Tour:
    def __init__(self, bench: Bench, color: bool, _: Translator):
        self.bench, self.color, self._ = bench, color, _
        assert bench.client is not None, "the tour runs on a started bench"
        self.client, self.slack = bench.client, bench.slack
        self._forms: set[str] = set()  # the view ids modal() has handed out

    def say(self, text: str) -> None:
        print("\n" + (f"\033[1;33m▶ {text}\033[0m" if self.color else f"▶ {text}"))

    def types(self, user: str, line: str) -> None:
        print("\n" + self._("{user} types: {command}", user=USERS[user], command=line).rstrip())

    def does(self, text: str) -> None:
        print("\n" + text)

    def only(self, user: str) -> str:
        return self._("only {user} sees this", user=USERS[user])

    def show(self, title: str, msg: Message) -> None:
        print(render.message(title, msg.blocks, USERS, self.color, msg.text))

    def show_view(self, title: str, view: dict) -> None:
        # TRANSLATORS: Slack's own mark on an optional field of a form, as the demo prints it.
        print(render.view(title, view, USERS, self.color, self._("(optional)")))

    async def command(self, user: str, text: str, command: str = "/deal") -> Message:
        self.types(user, f"{command} {text}")
        sent = await self.client.command(user, text, command=command)
        reply = await self.client.reply(sent)
        self.show(self.only(user), reply)
        return reply

    async def modal(self, user: str, callback_id: str, show: bool = True) -> dict:
        """The form the step before opened: the newest such view not handed out before, so that a
        form opened earlier in the tour (settings, say) is not taken for the one still on its way."""
        found = await self.slack.wait_for(
            lambda: next(
                (
                    (key, v)
                    for key, v in reversed(list(self.slack.views.items()))
                    if v["callback_id"] == callback_id and key not in self._forms
                ),
                None,
            )
        )
        key, view = found
        self._forms.add(key)
        if show:
            self.show_view(self._("modal for {user}", user=USERS[user]), view)
        return view

    async def click(self, user: str, msg: Message, action_id: str, label: str, **kw) -> None:
        print("\n" + self._("{user} clicks [{button}]", user=USERS[user], button=label))
        before = len(msg.history)
        await self.client.click(user, msg, action_id, **kw)
        if action_id in (Action.DEAL_WON, Action.DEAL_MOVE):
            await self.slack.wait_for(lambda: len(msg.history) > before)
            self.show(self._("the card, updated in place"), msg)


def newest_deal(t: Tour) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from models.tables import Deal

    with t.bench.db.read() as s:
        return int(s.exec(select(func.max(Deal.number)).where(Deal.team_id == TEAM)).one())


def won_this_month(t: Tour, user: str) -> int:
    from domain.goals import MONTH, period_end, period_start
    from domain.months import local_midnight
    from models.goals import won_between

    day = t.bench.now().date()
    first = period_start(MONTH, day)
    with t.bench.db.read() as s:
        return won_between(
            s,
            TEAM,
            user,
            "EUR",
            local_midnight(first, "Europe/Amsterdam"),
            local_midnight(period_end(MONTH, first) + timedelta(days=1), "Europe/Amsterdam"),
        ).cents
