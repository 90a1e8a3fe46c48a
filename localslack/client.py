"""The other half of the local Slack: it sends signed requests to the bot, as Slack does.

Slash commands, button clicks and select choices on the messages and views the bot really
produced, modal submissions built from the modal's own input blocks, and Events API events.
With `socket` set, the same payloads go as Socket Mode envelopes instead, and the ack's payload
stands where the HTTP response body would: tests read a `Sent` either way.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import aiohttp

from localslack.forms import filled_state, find_element, surface
from localslack.state import Message

if TYPE_CHECKING:
    from localslack.server import LocalSlack
    from localslack.socket_mode import SocketMode


@dataclass
class Sent:
    """What the bot answered over HTTP, and where its later replies will land."""

    status: int
    body: str
    response_key: str | None = None
    size: int = 0  # bytes of the request's body, as sent

    @property
    def json(self) -> dict:
        return json.loads(self.body) if self.body.startswith("{") else {}


def sign(secret: str, body: str, timestamp: int) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackClient:
    def __init__(
        self,
        slack: LocalSlack,
        bot_url: str,
        signing_secret: str,
        app_id: str = "A0LOCAL",
        socket: SocketMode | None = None,
    ):
        self.slack, self.bot_url, self.secret, self.app_id = slack, bot_url, signing_secret, app_id
        self.socket = socket  # set: commands, interactions and events go as Socket Mode envelopes
        self._session: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)
        # Event ids must differ between clients too: two benches on one database (a restart) share its
        # table of processed event ids, and Slack's ids are unique.
        self._prefix = uuid.uuid4().hex[:6].upper()

    async def close(self) -> None:
        if self._session:
            await self._session.close()

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict | None = None,
    ) -> Sent:
        """Send a body to the bot, signed unless a signature is given."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        ts = int(time.time()) if timestamp is None else timestamp
        sent_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature if signature is not None else sign(self.secret, body, ts),
        }
        sent_headers.update(headers or {})
        data = body.encode()
        async with self._session.post(self.bot_url, data=data, headers=sent_headers) as resp:
            return Sent(resp.status, await resp.text(), size=len(data))

    # -- slash commands -----------------------------------------------------------------------
    def command_body(
        self, user: str, text: str, command: str = "/deal", channel: str = "C0SALES", team: str | None = None
    ) -> tuple[str, str]:
        url = self.slack.new_response_url()
        form = {
            "token": "legacy",
            "team_id": team or self._team(user),
            "team_domain": "local",
            "channel_id": channel,
            "channel_name": "sales",
            "user_id": user,
            "user_name": self.slack.users[user].name if user in self.slack.users else "someone",
            "command": command,
            "text": text,
            "api_app_id": self.app_id,
            "is_enterprise_install": "false",
            "response_url": url,
            "trigger_id": self.slack.new_trigger(),
        }
        return urlencode(form), url.rsplit("/", 1)[1]

    async def command(
        self,
        user: str,
        text: str = "",
        command: str = "/deal",
        channel: str = "C0SALES",
        team: str | None = None,
    ) -> Sent:
        body, key = self.command_body(user, text, command, channel, team)
        if self.socket is not None:
            sent = await self.envelope("slash_commands", dict(parse_qsl(body)), len(body))
        else:
            sent = await self.post(body, "application/x-www-form-urlencoded")
        sent.response_key = key
        return sent

    async def replies(self, sent: Sent, count: int = 1, timeout: float = 15.0) -> list[Message]:
        """Wait for the bot's replies through the command's response_url."""
        key = sent.response_key
        assert key is not None, "only a command has a response_url to reply through"
        return await self.slack.wait_for(
            lambda: self.slack.responses[key] if len(self.slack.responses[key]) >= count else None,
            timeout,
        )

    async def reply(self, sent: Sent, timeout: float = 15.0) -> Message:
        return (await self.replies(sent, 1, timeout))[-1]

    # -- interactivity ------------------------------------------------------------------------
    async def click(
        self,
        user: str,
        source: Message | dict,
        action_id: str,
        *,
        value: str | None = None,
        option: str | None = None,
        team: str | None = None,
        block_id: str | None = None,
        pick: str | None = None,
    ) -> Sent:
        """Press a button (or choose a select option) that the bot really put on a message or view;
        `pick` is the user chosen in a users_select, `block_id` which of several alike elements."""
        blocks = source.blocks if isinstance(source, Message) else source["blocks"]
        if block_id is not None:
            blocks = [b for b in blocks if b.get("block_id") == block_id]
        block, element = find_element(blocks, action_id, value, option)
        action = {
            "type": element["type"],
            "action_id": action_id,
            "block_id": block.get("block_id", "b"),
            "action_ts": f"{time.time():.6f}",
        }
        if element["type"] == "button":
            action["value"] = element.get("value", "")
            action["text"] = element["text"]
        elif element["type"] == "users_select":
            action["selected_user"] = pick
        else:
            chosen = next(o for o in element["options"] if option is None or o["value"] == option)
            action["selected_option"] = chosen
        payload = {**self._interaction_from("block_actions", user, team), "actions": [action]}
        key = None
        if isinstance(source, Message):
            payload["response_url"] = self.slack.new_response_url(origin=source)
            key = payload["response_url"].rsplit("/", 1)[1]
        payload.update(surface(source))
        sent = await self.interaction(payload)
        sent.response_key = key
        return sent

    async def submit(
        self,
        user: str,
        view: dict,
        values: dict[str, object],
        team: str | None = None,
        extra: dict | None = None,
    ) -> Sent:
        """Submit a modal, filling its input blocks by block id; `extra` adds or replaces payload fields."""
        submitted = dict(view, state={"values": filled_state(view, values)}, hash=f"{time.time():.0f}.hash")
        payload = {
            **self._interaction_from("view_submission", user, team),
            "view": submitted,
            "response_urls": [],
            **(extra or {}),
        }
        return await self.interaction(payload)

    # Shortcut payloads as slackapi/bolt-python's tests/scenario_tests_async/test_shortcut.py has them.
    async def shortcut(self, user: str, callback_id: str, team: str | None = None) -> Sent:
        """A global shortcut, chosen from the shortcuts menu or the composer."""
        team_id = team or self._team(user)
        payload = {
            "type": "shortcut",
            "token": "legacy",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": team_id, "domain": "local"},
            "user": {"id": user, "username": user.lower(), "team_id": self._team(user)},
            "callback_id": callback_id,
            "trigger_id": self.slack.new_trigger(),
        }
        return await self.interaction(payload)

    async def message_shortcut(
        self,
        user: str,
        callback_id: str,
        text: str,
        *,
        channel: str = "C0SALES",
        channel_name: str = "sales",
        author: str | None = None,
        team: str | None = None,
        extra: dict | None = None,
    ) -> Sent:
        """`author` (default `user`) writes `text` in the channel, then `user` runs the message shortcut
        on it; `extra` adds or replaces payload fields. A reply through its response_url is `reply(sent)`."""
        said = Message(channel, self.slack.ts(), text, [])
        self.slack.messages.append(said)
        team_id = team or self._team(user)
        url = self.slack.new_response_url()
        payload = {
            "type": "message_action",
            "token": "legacy",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": team_id, "domain": "local"},
            "user": {"id": user, "name": user.lower(), "team_id": self._team(user)},
            "channel": {"id": channel, "name": channel_name},
            "callback_id": callback_id,
            "trigger_id": self.slack.new_trigger(),
            "message_ts": said.ts,
            "message": {
                "type": "message",
                "text": text,
                "user": author or user,
                "ts": said.ts,
                "team": team_id,
            },
            "response_url": url,
            **(extra or {}),
        }
        sent = await self.interaction(payload)
        sent.response_key = url.rsplit("/", 1)[1]
        return sent

    async def interaction(self, payload: dict, **kwargs) -> Sent:
        if self.socket is not None and not kwargs:
            return await self.envelope("interactive", payload, len(json.dumps(payload)))
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kwargs
        )

    # -- events -------------------------------------------------------------------------------
    def event_body(self, event: dict, team: str | None = None, event_id: str | None = None) -> str:
        team_id = team or self.slack.team_id
        return json.dumps(
            {
                "token": "legacy",
                "team_id": team_id,
                "api_app_id": self.app_id,
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{self._prefix}{next(self._ids):08d}{int(time.time())}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": team_id, "user_id": self.slack.bot_user_id, "is_bot": True}],
            }
        )

    async def event(
        self, event: dict, *, team: str | None = None, event_id: str | None = None, retry: int = 0
    ) -> Sent:
        body = self.event_body(event, team, event_id)
        if self.socket is not None:
            return await self.envelope("events_api", json.loads(body), len(body), retry=retry)
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.post(body, "application/json", headers=headers)

    async def envelope(self, kind: str, payload: dict, size: int, retry: int = 0) -> Sent:
        """Send a payload over Socket Mode and wait for its ack, as Slack waits up to 3 s for it."""
        assert self.socket is not None
        envelope = await self.socket.send(kind, payload, retry_attempt=retry)
        ack = await self.socket.wait_ack(envelope, timeout=30)
        answer = ack.get("payload")
        return Sent(200, json.dumps(answer) if answer is not None else "", size=size)

    async def open_home(self, user: str, team: str | None = None) -> dict:
        before = self.slack.home.get(user)
        await self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": self.slack.dm_channel(user),
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            team=team,
        )
        return await self.slack.wait_for(
            lambda: self.slack.home.get(user) is not before and self.slack.home.get(user)
        )

    async def dm(self, user: str, text: str, **extra) -> Sent:
        """The user writes to the bot in its Messages tab."""
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": self.slack.dm_channel(user),
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "event_ts": f"{time.time():.6f}",
            **extra,
        }
        return await self.event(event, team=self._team(user))  # the workspace the user is in

    def _interaction_from(self, kind: str, user: str, team: str | None) -> dict:
        """The start of a block_actions or view_submission payload: who sent it, from which workspace
        (the user's own unless `team` says otherwise), with a fresh trigger_id."""
        team_id = team or self._team(user)
        return {
            "type": kind,
            "team": {"id": team_id, "domain": "local"},
            "user": {"id": user, "username": user.lower(), "team_id": team_id},
            "api_app_id": self.app_id,
            "token": "legacy",
            "trigger_id": self.slack.new_trigger(),
        }

    def _team(self, user: str) -> str:
        found = self.slack.users.get(user)
        return found.team_id if found else self.slack.team_id
