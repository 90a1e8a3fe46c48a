"""What every listener shares: its dependencies, the rep's language, replies and errors."""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.db import Database
from bot.http import shared_session
from bot.i18n import N_, Translator, translator
from bot.installations import InstallationStore
from bot.metrics import HANDLER_SECONDS
from domain.errors import UserError
from views.common import context

if TYPE_CHECKING:  # it imports this module
    from handlers.language import Languages

log = logging.getLogger("salesbot")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    db: Database
    clock: Callable[[], datetime] = utcnow
    languages: Languages | None = None  # set when the listeners are registered
    installations: InstallationStore | None = None  # with many workspaces
    client_for: Callable[[str], Awaitable[AsyncWebClient | None]] | None = None  # set when the app is built


def retry_handlers() -> list:
    """Slack's 429s, 5xx and dropped connections are retried with backoff, not lost."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=5),
        AsyncServerErrorRetryHandler(max_retry_count=3),
        AsyncConnectionErrorRetryHandler(max_retry_count=3),
    ]


def tr(body: dict | None = None) -> Translator:
    """The translator for the person this request comes from (see handlers/language.py)."""
    return translator()


# What a request still has to learn once it is acked (its rep's language: handlers/language.py),
# set by a middleware and run by `guarded`, so no ack waits on Slack.
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


def guarded(listener):
    """Turn a UserError into a clear private reply, and any other error into a logged apology."""

    @functools.wraps(listener)
    async def wrapper(**kwargs):
        body, client = kwargs.get("body") or {}, kwargs.get("client")
        started, outcome = time.perf_counter(), "ok"
        ack = kwargs.get("ack")
        if body.get("type") == "view_submission":  # the translated field errors are the ack
            await settle_after_ack(SUBMISSION_WAIT)
        elif ack is None:  # Bolt acked it already (an event)
            await settle_after_ack(ACKED_WAIT)
        else:
            kwargs["ack"] = acked_then_settled(ack)
        try:
            return await listener(**kwargs)
        except UserError as err:
            outcome = "user_error"
            await settle_after_ack(ACKED_WAIT)
            _ = tr(body)
            await notify_user(client, body, err.text(_), error_blocks(_, err))
        except Exception:
            outcome = "error"
            log.exception("listener %s failed", listener.__name__)
            await settle_after_ack(ACKED_WAIT)
            _ = tr(body)
            text = _(
                "Sorry, something went wrong on my side. Nothing was changed by the failed step; "
                "please try again."
            )
            await notify_user(client, body, text, [context(":x: " + text)])
        finally:
            HANDLER_SECONDS.labels(listener.__name__, outcome).observe(time.perf_counter() - started)

    return wrapper


def acked_then_settled(ack):
    async def wrapped(*args, **kwargs):
        answered = await ack(*args, **kwargs)
        await settle_after_ack(ACKED_WAIT)
        return answered

    return wrapped


def parse_value(value: str) -> tuple[int, int | None, int | None]:
    """A card button's value: deal number, the stage the card showed, and a target stage."""
    parts = (value or "").split(":")
    if not all(re.fullmatch(r"\d{1,9}", p) for p in parts[:3]):
        raise UserError(N_("That button is out of date. Open the deal again with `/deal #N`."))
    numbers: list = [int(p) for p in parts[:3]]
    if not numbers:
        raise UserError(N_("That button is out of date. Open the deal again with `/deal #N`."))
    numbers += [None] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def read_metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        data = {}
    return data if isinstance(data, dict) else {}


def deal_number(view: dict) -> int:
    """The deal a modal is about, from its private metadata (which only the bot writes)."""
    number = read_metadata(view).get("n")
    if not isinstance(number, int) or not 0 < number < 10**9:
        raise UserError(N_("That form is out of date. Open the deal again with `/deal #N`."))
    return number


def shown_stage_of(view: dict) -> int | None:
    """The stage the card or nudge showed when its modal was opened."""
    shown = read_metadata(view).get("s")
    return shown if isinstance(shown, int) else None


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
