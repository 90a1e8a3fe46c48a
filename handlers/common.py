"""What every listener shares: its dependencies, the rep's language, replies and errors."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import date

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.deps import Deps
from bot.http import PooledRespond, retry_handlers, shared_session
from bot.i18n import N_, Translator, translator
from bot.metrics import HANDLER_SECONDS
from bot.post_ack import POST_ACK_TASK, Busy, PostAck
from domain.commands import DealCommand, parse_deal_command
from domain.errors import UserError
from handlers.routes import ANY_ID, ROUTED, Routes
from services import deals, goals, preferences
from services import qualify as qualifications
from views.common import context
from views.goals import goal_context
from views.home import home
from views.preferences import home_section
from views.qualify import offer_message

log = logging.getLogger(__name__)


def tr() -> Translator:
    """The translator for the person this request comes from (set by handlers/language.py)."""
    return translator()


# What a request still has to learn once it is acked (its rep's language: handlers/language.py),
# set by a middleware and run by `answered` after the ack, so no ack waits on Slack.
after_ack: ContextVar[Callable[[float], Awaitable[None]] | None] = ContextVar("after_ack", default=None)
SUBMISSION_WAIT = 0.5  # seconds a modal submission may wait for it: its answer is its ack
ACKED_WAIT = 2.0  # seconds anything already acked may wait for it


async def settle_after_ack(wait: float) -> None:
    pending = after_ack.get()
    if pending is not None:
        after_ack.set(None)
        await pending(wait)


def user_of(body: dict) -> str:
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    if not user and isinstance((body.get("event") or {}).get("user"), str):
        user = body["event"]["user"]  # an Events API event (a DM to the bot)
    if not user:
        raise UserError(N_("This request names no user."))
    return user


def error_blocks(_: Translator, err: UserError) -> list[dict]:
    return [context(":warning: " + err.text(_))]


async def send_to_response_url(url: str, **message) -> None:
    webhook = AsyncWebhookClient(url, retry_handlers=retry_handlers(), session=shared_session())
    resp = await webhook.send(**message)
    if resp.status_code >= 400:
        log.warning("response_url answered %s: %s", resp.status_code, resp.body)


async def notify_user(client, body: dict, text: str, blocks: list[dict] | None = None) -> None:
    """A private reply where the request came from: the response_url, else a DM."""
    url = body.get("response_url")
    if url:
        await send_to_response_url(
            url, text=text, blocks=blocks, response_type="ephemeral", replace_original=False
        )
        return
    try:
        user = user_of(body)
    except UserError:
        log.warning("no one to tell: %s", text)  # a malformed request names no user
        return
    try:
        await client.chat_postMessage(channel=user, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("could not DM %s: %s", user, exc.response.get("error"))


async def tell_the_user(error: Exception, body: dict, client) -> None:
    """The app's one error handler (`app.error`): a UserError is the rep's mistake, answered
    privately and clearly (nothing was changed); anything else is logged, and the rep gets an
    apology."""
    await settle_after_ack(ACKED_WAIT)  # the rep's language, if it is still being looked up
    _ = tr()
    if isinstance(error, UserError):
        await notify_user(client, body, error.text(_), error_blocks(_, error))
        return
    log.error("listener failed", exc_info=error)  # with its traceback, as log.exception writes it
    text = _(
        "Sorry, something went wrong on my side. Nothing was changed by the failed step; please try again."
    )
    await notify_user(client, body or {}, text, [context(":x: " + text)])


class Turn:
    """One listener's turn in the post-ack queue: taken once it has acked, given back when it ends."""

    def __init__(self, queue: PostAck | None):
        self.queue, self.taken = queue, False

    async def take(self) -> None:
        if self.queue is None or self.taken:
            return
        try:
            await self.queue.enter()
        except Busy:
            raise UserError(N_("Salesbot has a lot to do right now. Try again in a minute.")) from None
        self.taken = True

    def give_back(self) -> None:
        if self.queue is not None and self.taken:
            self.taken = False
            self.queue.leave()


def acked_then_settled(ack, turn: Turn, wait: float = ACKED_WAIT, acked: asyncio.Event | None = None):
    async def wrapped(*args, **kwargs):
        answered = await ack(*args, **kwargs)
        if acked is not None:
            acked.set()  # Bolt may answer Slack now (see `answered`)
        await settle_after_ack(wait)
        await turn.take()
        return answered

    return wrapped


async def run_form(deps: Deps, ack, _: Translator, errors: dict, field: str, change):
    """A modal submission: field errors go back into the modal; otherwise run the change (blocking
    work, off the loop) and close the modal. A UserError from the change lands on its own field, or
    on `field`. Returns the change's result, or None when the modal stays open."""
    if errors:
        await ack(response_action="errors", errors={k: _(e.message, **e.params) for k, e in errors.items()})
        return None
    try:
        result = await deps.db.run(change, deps.clock())
    except UserError as err:
        await ack(response_action="errors", errors={err.field or field: err.text(_)})
        return None
    await ack()
    return result


async def publish_home(deps: Deps, client, team: str, user: str) -> None:
    """The rep's Home tab, published again: when they open it, and after they act from it."""
    _ = tr()
    now = deps.clock()
    stages, rows, total, bant = await deps.db.run(deals.home, deps.db, team, user, now)
    standings = await deps.db.run(goals.standings, deps.db, team, now, user)
    chosen = await deps.db.run(preferences.current, deps.db, team, user)
    view = home(_, user, stages, rows, total, now, bant, goal_context(standings, _), home_section(_, chosen))
    await client.views_publish(user_id=user, view=view)


async def offer_if_entered(deps: Deps, client, team: str, card) -> None:
    """After a change that put a deal in Qualification: offer its owner to qualify it now."""
    if not getattr(card, "entered_qualification", False):
        return
    try:
        deal = await deps.db.run(qualifications.offer, deps.db, team, card.deal.number)
        if deal is not None:
            # The offer goes to the owner, in the owner's language, whoever moved the deal.
            _ = translator(await deps.languages.of_user(team, deal.owner_id, client, ACKED_WAIT))
            await client.chat_postMessage(channel=deal.owner_id, **offer_message(deal, _))
    except Exception:
        log.exception("could not offer a qualification of deal #%s", card.deal.number)


# Matchers for the words of a command that another feature answers, registered before the
# command's own listener (handlers/__init__.py): `/pipeline digest`, `/deal qualify #N`.
def pipeline_word(word: str) -> Callable[[dict], Awaitable[bool]]:
    async def matches(body: dict) -> bool:
        return (body.get("text") or "").strip().lower() == word

    return matches


def pipeline_words(word: str) -> Callable[[dict], Awaitable[bool]]:
    """`/pipeline <word> …`: the word and whatever follows it (`goals set @anna 50k`)."""

    async def matches(body: dict) -> bool:
        words = (body.get("text") or "").split(maxsplit=1)
        return bool(words) and words[0].lower() == word

    return matches


def set_text(body: dict) -> str | None:
    """What follows `/pipeline <word> set`, or None when the command only asks to see (no `set`)."""
    words = (body.get("text") or "").split(maxsplit=2)
    if len(words) > 1 and words[1].lower() == "set":
        return words[2] if len(words) > 2 else ""
    return None


def deal_verb(verb: str) -> Callable[..., Awaitable[bool]]:
    async def matches(body: dict, context) -> bool:
        try:
            cmd = parsed_deal_command(body, context, context["deps"].clock().date())
        except UserError:
            return False  # /deal's own listener says what is wrong with it
        return cmd.action == verb

    return matches


PARSED = "parsed_deal_command"  # the key of a request's Bolt context that holds its parsed /deal text


def parsed_deal_command(body: dict, context, today: date) -> DealCommand:
    """The request's `/deal` text parsed once, however many matchers ask (each feature's word of
    `/deal` has one, tried in turn before the command's own listener): kept in the request's context,
    with the day it was parsed for. A text that does not parse raises its UserError every time."""
    text = body.get("text", "")
    kept = context.get(PARSED)
    if kept is None or kept[0] != (text, today):
        try:
            kept = ((text, today), parse_deal_command(text, today))
        except UserError as err:
            kept = ((text, today), err)
        context[PARSED] = kept
    if isinstance(kept[1], UserError):
        raise kept[1]
    return kept[1]


class Answered:
    """The Bolt app as the listener modules see it: `answered.action(id)(fn)` registers fn with its
    errors told to the user by tell_the_user, the one place that maps them.

    Not `app.error` alone: a listener that fails after acking must not reach Bolt's runner, which
    would set the request's ack response back to None, so that the request falls through to the
    next listener that matches (a rep's `/pipeline settings` was also run as `/pipeline`).

    Actions and views registered by an exact id go behind one Bolt listener per kind, which finds
    them by id (handlers/routes.py), where Bolt would try every listener before it in turn."""

    def __init__(self, app, post_ack: PostAck | None = None):
        self.app, self.post_ack = app, post_ack
        self.routes: dict[str, Routes] = {}

    def __getattr__(self, kind: str):  # action, command, event, view
        register = getattr(self.app, kind)

        def listener_for(*args, **kwargs):
            routes = self.routes.get(kind)
            if kind in ROUTED and len(args) == 1 and not kwargs and isinstance(args[0], str):
                if routes is None:  # the kind's one Bolt listener, where its first exact id is registered
                    routes = self.routes[kind] = Routes(kind)
                    register(ANY_ID, matchers=[routes.matches])(routes.dispatch)
                if routes.takes(args[0]):
                    return lambda listener: routes.add(args[0], answered(listener, self.post_ack))
            elif routes is not None:
                routes.after(args[0] if len(args) == 1 and not kwargs else None)
            add = register(*args, **kwargs)
            return lambda listener: add(answered(listener, self.post_ack))

        return listener_for


def answered(listener, post_ack: PostAck | None = None):
    """The listener, its errors told to the user, its work after the ack done in turn (bot/post_ack.py).

    Bolt runs listeners with process_before_response=True (bot/app.py) and answers Slack when this
    returns; it returns as soon as the listener has acked, and the rest of the listener goes on in
    a task of its own. (With process_before_response=False Bolt would poll for the ack every 10 ms,
    which put 10 ms on every ack.)"""

    @functools.wraps(listener)  # Bolt reads the arguments to pass from the listener's own signature
    async def wrapper(**kwargs):
        acked = asyncio.Event()
        work = asyncio.create_task(_run(listener, post_ack, acked, kwargs), name=POST_ACK_TASK)
        # An event (or a listener that takes no ack) Bolt acks itself once this returns.
        if kwargs.get("ack") is not None and (kwargs.get("body") or {}).get("type") != "event_callback":
            waiting = asyncio.create_task(acked.wait())
            await asyncio.wait((work, waiting), return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()

    return wrapper


async def _run(listener, post_ack: PostAck | None, acked: asyncio.Event, kwargs: dict) -> None:
    body, ack = kwargs.get("body") or {}, kwargs.get("ack")
    started, outcome = time.perf_counter(), "ok"
    turn = Turn(post_ack)
    try:
        if body.get("type") == "view_submission":  # the translated field errors are the ack
            await settle_after_ack(SUBMISSION_WAIT)
            kwargs["ack"] = acked_then_settled(ack, turn, wait=0, acked=acked)
        elif ack is None:  # Bolt acks it (an event)
            await settle_after_ack(ACKED_WAIT)
            await turn.take()
        else:
            kwargs["ack"] = acked_then_settled(ack, turn, acked=acked)
        await listener(**kwargs)
    except Exception as error:
        outcome = "user_error" if isinstance(error, UserError) else "error"
        await tell_the_user(error, body, kwargs.get("client"))
    finally:
        turn.give_back()
        HANDLER_SECONDS.labels(listener.__name__, outcome).observe(time.perf_counter() - started)


def provide(deps: Deps):
    """Middleware: every listener (and matcher) takes `deps` (the database, the clock, ...) as an argument."""

    async def provide_deps(context, next) -> None:
        context["deps"] = deps
        if context.response_url:  # before Bolt makes its own `respond`, which opens a connection per reply
            context["respond"] = PooledRespond(response_url=context.response_url)
        await next()

    return provide_deps
