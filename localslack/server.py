"""The local Slack: a loopback HTTP server that answers Web API calls the way Slack does.

It keeps what a workspace keeps (users, channels, messages, open modals, Home tabs, files),
records every call, checks each against Slack's published method list and Block Kit limits,
and can be told to fail: 429 with Retry-After, 5xx, timeouts and Slack error codes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import math
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from localslack.socket_mode import SocketMode

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 40_000
TRIGGER_TTL = 3.0  # seconds a trigger_id can open a modal


@dataclass
class User:
    id: str
    name: str
    tz: str = "Europe/Amsterdam"
    tz_offset: int = 3600
    locale: str = "en-US"
    is_admin: bool = False
    deleted: bool = False
    is_bot: bool = False
    team_id: str = ""
    email: str | None = None
    display_name: str | None = None  # Slack's display name; the handle when unset

    def as_slack(self) -> dict:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.name.title(),
            "deleted": self.deleted,
            "tz": self.tz,
            "tz_offset": self.tz_offset,
            "locale": self.locale,
            "is_admin": self.is_admin,
            "is_bot": self.is_bot,
            "profile": {
                "real_name": self.name.title(),
                "display_name": self.display_name if self.display_name is not None else self.name,
                # Slack includes the e-mail only for apps with users:read.email
                **({"email": self.email} if self.email else {}),
            },
        }


@dataclass
class Call:
    method: str
    args: dict
    ok: bool
    error: str | None
    status: int


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list
    user: str | None = None  # the user an ephemeral message is for
    thread_ts: str | None = None
    kind: str = (
        "message"  # message, ephemeral, response, file (a file shared by files.completeUploadExternal)
    )
    metadata: dict | None = None
    history: list = field(default_factory=list)  # earlier versions, oldest first
    files: list | None = None  # the files a file share carries: id, name, title

    def as_slack(self) -> dict:
        message: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text, "blocks": self.blocks}
        if self.metadata:
            message["metadata"] = self.metadata
        if self.files:
            message["files"] = self.files
        return message


@dataclass
class Fault:
    method: str  # a method name, or "*"
    status: int = 200
    error: str | None = None
    retry_after: int = 1
    delay: float = 0.0
    times: int = 1
    # Do the call's work first (post the message, share the file), then answer with `status` or,
    # with drop, close the connection unanswered: the answer Slack lost after it acted.
    act_first: bool = False
    drop: bool = False


class LocalSlack:
    def __init__(
        self,
        token: str = "xoxb-local-token",
        team_id: str = "T0LOCAL",
        team_name: str = "Local Sales",
        bot_user_id: str = "UBOT",
        extra_tokens: dict[str, str] | None = None,
    ):
        self.tokens = {token: team_id, **(extra_tokens or {})}
        self.team_id, self.team_name, self.bot_user_id = team_id, team_name, bot_user_id
        self.users: dict[str, User] = {}
        self.channels: dict[str, dict] = {}
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.views: dict[str, dict] = {}
        self.home: dict[str, dict] = {}
        self.responses: dict[str, list[Message]] = {}  # response_url key -> replies sent to it
        self._origins: dict[str, Message] = {}  # response_url key -> the message an action came from
        self.files: dict[str, dict] = {}
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.rate_limit_ratio = 0.0  # this share of calls answered 429 at random (Retry-After: 1)
        # Slack allows about one message per second per channel: with per_channel_rate set (messages
        # per second), a message to a channel sooner than that after the last is answered 429 with
        # Retry-After. Each user's DM is a channel of its own.
        self.per_channel_rate: float | None = None
        self.channel_limited = 0
        self._channel_sent: dict[str, float] = {}
        # Lenient: accept trigger ids and response_urls this process did not hand out (the emulator
        # running on its own, with clients elsewhere).
        self.lenient = False
        self.rate_limited = 0
        self._random = random.Random(7)
        self._triggers: dict[str, float] = {}
        self._oauth_codes: dict[str, tuple[str, str, str]] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.methods = json.loads(
            resources.files("localslack").joinpath("specs/web_api_methods.json").read_text()
        )
        self.add_user("UBOT", "salesbot", is_bot=True)
        self.socket_mode = SocketMode(self)

    # -- setting up the workspace -------------------------------------------------------------
    def add_user(self, user_id: str, name: str, **attrs) -> User:
        user = User(id=user_id, name=name, team_id=attrs.pop("team_id", self.team_id), **attrs)
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: list[str] | None = None,
        archived: bool = False,
        private: bool = False,
    ):
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_archived": archived,
            "is_private": private,
            "members": set(members or [self.bot_user_id]),
        }

    def inject(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int = 1,
        delay: float = 0.0,
        times: int = 1,
        act_first: bool = False,
        drop: bool = False,
    ) -> None:
        """Make the next `times` calls of `method` ("*" for any) fail the given way: answer `status`
        (429 with `retry_after`, 5xx) or `error`, after `delay` seconds, or drop the connection; with
        act_first, after doing what the call asks (a message posted whose "ok" never arrives)."""
        self.faults.append(Fault(method, status, error, retry_after, delay, times, act_first, drop))

    def new_trigger(self) -> str:
        # Unique across emulator instances too, as Slack's are: the bot remembers the ones it has seen.
        trigger = f"{next(self._ids)}.{int(time.time())}.{uuid.uuid4().hex[:12]}"
        self._triggers[trigger] = time.monotonic()
        return trigger

    # -- serving ------------------------------------------------------------------------------
    def remote(self, host: str, port: int) -> LocalSlack:
        """Stand for an emulator running in another process: hand out its URLs, serve nothing."""
        self.host, self.port = host, port
        return self

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalSlack:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads some methods with GET
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.socket_mode.route(app)
        app.router.add_get(
            "/_local/stats", self._stats
        )  # not Slack's: what a benchmark in another process reads
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port the one site listens on
        self.host = host
        return self

    async def stop(self) -> None:
        await self.socket_mode.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/respond/{key}"

    # -- waiting, for tests -------------------------------------------------------------------
    async def wait_for(self, predicate, timeout: float = 5.0):
        """Wait until predicate() returns something truthy, and return it."""
        async with self._changed:
            result = predicate()
            deadline = asyncio.get_running_loop().time() + timeout
            while not result:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise TimeoutError("the local Slack did not see what the test waited for")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
                result = predicate()
            return result

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.ok]

    def dms(self, user_id: str) -> list[Message]:
        return [m for m in self.messages if m.channel == self.dm_channel(user_id) and m.kind == "message"]

    def channel_messages(self, channel: str) -> list[Message]:
        return [m for m in self.messages if m.channel == channel and m.kind == "message"]

    @staticmethod
    def dm_channel(user_id: str) -> str:
        return "D" + user_id

    # -- the Web API --------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or args.pop(
            "token", ""
        )
        fault = self._take_fault(method)
        if fault and fault.act_first:
            # `calls` then holds both: what Slack did (ok), and the answer the client got.
            acted = await self._answer(method, args, token, None)
            if not json.loads(acted.text or "{}").get("ok"):  # refused: nothing was done, so answer as it is
                return acted
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.drop:
                return self._drop(request, method, args)
            return await self._fail(method, args, fault.status, fault.error or "internal_error")
        if fault and fault.drop:
            return self._drop(request, method, args)
        return await self._answer(method, args, token, fault)

    async def _answer(self, method: str, args: dict, token: str, fault: Fault | None) -> web.Response:
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and fault.status == 429:
            return await self._fail(method, args, 429, "ratelimited", {"Retry-After": str(fault.retry_after)})
        if self.rate_limit_ratio and self._random.random() < self.rate_limit_ratio:
            self.rate_limited += 1
            return await self._fail(method, args, 429, "ratelimited", {"Retry-After": "1"})
        wait = self._channel_wait(method, args)
        if wait:
            self.channel_limited += 1
            return await self._fail(method, args, 429, "ratelimited", {"Retry-After": str(math.ceil(wait))})
        if fault and fault.status >= 500:
            return await self._fail(method, args, fault.status, "internal_error")
        if method == "apps.connections.open":  # the app-level token's one method: localslack/socket_mode.py
            return await self.socket_mode.connections_open(args, token)
        if method not in self.methods:
            self.violations.append(f"{method}: not a Slack Web API method")
            return await self._fail(method, args, 200, "unknown_method")
        if token not in self.tokens and method != "oauth.v2.access":  # that one authenticates the app instead
            return await self._fail(method, args, 200, "invalid_auth" if token else "not_authed")
        if fault and fault.error:
            return await self._fail(method, args, 200, fault.error)
        missing = [p for p in self.methods[method]["required"] if args.get(p) in (None, "")]
        if missing:
            self.violations.append(f"{method}: missing required {', '.join(missing)}")
            return await self._fail(method, args, 200, "invalid_arguments")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            self.violations.append(f"{method}: the local Slack does not emulate it")
            return await self._fail(method, args, 200, "unknown_method")
        try:
            result = handler(args, self.tokens.get(token))
        except SlackError as exc:
            return await self._fail(method, args, 200, exc.error)
        self.calls.append(Call(method, args, True, None, 200))
        await self._notify()
        return web.json_response({"ok": True, **result})

    def _drop(self, request: web.Request, method, args) -> web.Response:
        """Close the connection without an answer (the client sees it reset)."""
        self.calls.append(Call(method, args, False, "connection_dropped", 0))
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches the client

    async def _fail(self, method, args, status, error, headers=None) -> web.Response:
        self.calls.append(Call(method, args, False, error, status))
        await self._notify()
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    POSTING = (
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
    )

    def _channel_wait(self, method: str, args: dict) -> float:
        """Seconds until the channel this call posts to may take another message (0: now, and it is
        counted as sent), under per_channel_rate."""
        if not self.per_channel_rate or method not in self.POSTING:
            return 0.0
        channel = str(args.get("channel") or args.get("channel_id") or "")
        channel = self.dm_channel(channel) if channel in self.users else channel
        now, gap = time.monotonic(), 1.0 / self.per_channel_rate
        last = self._channel_sent.get(channel)
        if last is not None and now - last < gap:
            return gap - (now - last)
        self._channel_sent[channel] = now
        return 0.0

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method in (method, "*"):
                fault.times -= 1
                return fault
        return None

    @staticmethod
    async def _args(request: web.Request) -> dict:
        # slack_sdk sends some methods' arguments in the query string, others as a form or JSON.
        args = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update(parse_qsl(await request.text(), keep_blank_values=True))
        for key in ("blocks", "view", "files", "attachments", "metadata"):
            if isinstance(args.get(key), str) and args[key][:1] in "[{":
                args[key] = json.loads(args[key])
        return args

    # -- method handlers ----------------------------------------------------------------------
    def _m_auth_test(self, args, team_id):
        return {
            "url": "https://local.slack.test/",
            "team": self.team_name,
            "user": "salesbot",
            "team_id": team_id,
            "user_id": self.bot_user_id,
            "bot_id": "BLOCAL",
        }

    def approve_install(self, team_id: str, team_name: str, user_id: str) -> str:
        """A user approves the install on Slack's consent page: the code Slack redirects with."""
        code = f"code-{team_id}-{next(self._ids)}"
        self._oauth_codes[code] = (team_id, team_name, user_id)
        return code

    def _m_oauth_v2_access(self, args, team_id):
        found = self._oauth_codes.pop(args["code"], None)
        if found is None:
            raise SlackError("invalid_code")
        team, name, user = found
        token = f"xoxb-{team}-{next(self._ids)}"
        self.tokens[token] = team
        return {
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": self.bot_user_id,
            "app_id": "A0LOCAL",
            "team": {"id": team, "name": name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": user},
        }

    def revoke(self, team_id: str) -> None:
        """The workspace uninstalls the app: its tokens stop working."""
        for token in [t for t, team in self.tokens.items() if team == team_id]:
            del self.tokens[token]

    def _m_users_info(self, args, team_id):
        user = self.users.get(args.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        found = user.as_slack()
        if str(args.get("include_locale", "")).lower() not in ("1", "true"):
            del found["locale"]  # as Slack: the locale only when asked for
        return {"user": found}

    def _m_users_lookupByEmail(self, args, team_id):
        wanted = str(args["email"]).strip().lower()
        for user in self.users.values():
            if user.email and user.email.lower() == wanted and user.team_id == team_id:
                return {"user": user.as_slack()}
        raise SlackError("users_not_found")

    def _m_users_list(self, args, team_id):
        """Slack's paging: at most `limit` per page (1,000 at most), and
        `response_metadata.next_cursor`, empty on the last page."""
        limit = min(int(args["limit"]) if str(args.get("limit", "")).isdigit() else 0, 1000) or 1000
        try:
            start = (
                int(base64.b64decode(args["cursor"]).decode().removeprefix("user:"))
                if args.get("cursor")
                else 0
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise SlackError("invalid_cursor") from exc
        members = [u for u in self.users.values() if u.team_id == team_id]
        page = members[start : start + limit]
        more = start + limit < len(members)
        cursor = base64.b64encode(f"user:{start + limit}".encode()).decode() if more else ""
        return {
            "members": [u.as_slack() for u in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": cursor},
        }

    def _m_conversations_open(self, args, team_id):
        users = str(args.get("users", "")).split(",")
        if len(users) != 1 or users[0] not in self.users:
            raise SlackError("user_not_found")
        return {"channel": {"id": self.dm_channel(users[0])}}

    def _conversation(self, channel: str) -> dict:
        """The channel as conversations.info shows it to the bot; a private one it is not in does
        not exist for it, as in Slack."""
        info = self.channels.get(channel)
        if info is None or (info["is_private"] and self.bot_user_id not in info["members"]):
            raise SlackError("channel_not_found")
        return {
            "id": channel,
            "name": info["name"],
            "is_channel": not info["is_private"],
            "is_group": False,
            "is_im": False,
            "is_private": info["is_private"],
            "is_archived": info["is_archived"],
            "is_member": self.bot_user_id in info["members"],
        }

    def _m_conversations_info(self, args, team_id):
        return {"channel": self._conversation(args.get("channel", ""))}

    def _m_conversations_join(self, args, team_id):
        channel = self._conversation(args.get("channel", ""))
        if channel["is_private"]:
            raise SlackError("method_not_supported_for_channel_type")
        if channel["is_archived"]:
            raise SlackError("is_archived")
        if channel["is_member"]:
            return {"channel": channel, "warning": "already_in_channel"}
        self.channels[channel["id"]]["members"].add(self.bot_user_id)
        return {"channel": {**channel, "is_member": True}}

    def _m_conversations_history(self, args, team_id):
        channel = args.get("channel", "")
        if channel not in self.channels and not (channel.startswith("D") and channel[1:] in self.users):
            raise SlackError("channel_not_found")
        oldest = float(args.get("oldest") or 0)
        # Slack's `latest` bounds the other end, exclusive unless `inclusive`: latest=ts, inclusive, limit=1
        # reads back the one message at ts. File shares are messages too in Slack's history.
        latest = float(args["latest"]) if args.get("latest") else float("inf")
        inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
        found = [
            m
            for m in self.messages
            if m.channel == channel
            and m.kind in ("message", "file")
            and float(m.ts) >= oldest
            and (float(m.ts) < latest or (inclusive and float(m.ts) == latest))
        ]
        limit = int(args.get("limit") or 100)
        return {"messages": [m.as_slack() for m in reversed(found)][:limit], "has_more": len(found) > limit}

    def _channel(self, channel: str) -> str:
        """Posting to a user id goes to the DM with that user, as in Slack."""
        if channel in self.users:
            if self.users[channel].deleted:
                raise SlackError("user_not_found")
            return self.dm_channel(channel)
        if channel.startswith("D") and channel[1:] in self.users:
            return channel
        info = self.channels.get(channel)
        if info is None:
            raise SlackError("channel_not_found")
        if info["is_archived"]:
            raise SlackError("is_archived")
        if self.bot_user_id not in info["members"]:
            raise SlackError("not_in_channel")
        return channel

    def _check_message(self, args) -> None:
        blocks = args.get("blocks") or []
        if not args.get("text") and not blocks:
            raise SlackError("no_text")
        if len(str(args.get("text") or "")) > MAX_TEXT:
            raise SlackError("msg_too_long")
        problem = check_blocks(blocks, MAX_MESSAGE_BLOCKS)
        if problem:
            self.violations.append(f"invalid_blocks: {problem}")
            raise SlackError("invalid_blocks")

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _m_chat_postMessage(self, args, team_id):
        channel = self._channel(args["channel"])
        self._check_message(args)
        msg = Message(
            channel,
            self._ts(),
            args.get("text") or "",
            args.get("blocks") or [],
            thread_ts=args.get("thread_ts"),
            metadata=args.get("metadata"),
        )
        self.messages.append(msg)
        return {"channel": channel, "ts": msg.ts, "message": msg.as_slack()}

    def _m_chat_postEphemeral(self, args, team_id):
        channel = self._channel(args["channel"])
        if args["user"] not in self.users:
            raise SlackError("user_not_found")
        self._check_message(args)
        msg = Message(
            channel,
            self._ts(),
            args.get("text") or "",
            args.get("blocks") or [],
            user=args["user"],
            kind="ephemeral",
        )
        self.messages.append(msg)
        return {"message_ts": msg.ts}

    def _m_chat_update(self, args, team_id):
        msg = next(
            (
                m
                for m in self.messages
                if m.ts == args["ts"]
                and m.kind == "message"
                and m.channel in (args["channel"], self.dm_channel(args["channel"]))
            ),
            None,
        )
        if msg is None:
            raise SlackError("message_not_found")
        self._check_message(args)
        msg.history.append((msg.text, msg.blocks))
        msg.text, msg.blocks = args.get("text") or msg.text, args.get("blocks") or []
        return {"channel": msg.channel, "ts": msg.ts, "text": msg.text}

    def _m_chat_getPermalink(self, args, team_id):
        channel, ts = args["channel"], args["message_ts"]
        if not any(m.channel == channel and m.ts == ts and m.kind == "message" for m in self.messages):
            raise SlackError("message_not_found")
        return {
            "channel": channel,
            "permalink": f"https://local.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _check_view(self, view: Any) -> dict:
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        try:
            View(**view).to_dict()
        except (SlackObjectFormationError, TypeError) as exc:
            self.violations.append(f"invalid view: {exc}")
            raise SlackError("invalid_arguments") from exc
        problem = check_blocks(view.get("blocks") or [], MAX_VIEW_BLOCKS)
        if problem:
            self.violations.append(f"invalid_blocks: {problem}")
            raise SlackError("invalid_blocks")
        return view

    def _m_views_open(self, args, team_id):
        started = self._triggers.pop(args["trigger_id"], None)
        if self.lenient and started is None:
            started = time.monotonic()  # triggers were made by a client in another process
        if started is None or time.monotonic() - started > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        view = dict(
            self._check_view(args["view"]),
            id=f"V{next(self._ids):08d}",
            team_id=team_id,
            state={"values": {}},
        )
        self.views[view["id"]] = view
        return {"view": view}

    def _m_views_update(self, args, team_id):
        view_id = args.get("view_id")
        if view_id not in self.views:
            raise SlackError("not_found")
        view = dict(self._check_view(args["view"]), id=view_id, team_id=team_id, state={"values": {}})
        self.views[view_id] = view
        return {"view": view}

    def _m_views_publish(self, args, team_id):
        if args["user_id"] not in self.users:
            raise SlackError("user_not_found")
        view = dict(self._check_view(args["view"]), id=f"VH{args['user_id']}", team_id=team_id)
        self.home[args["user_id"]] = view
        return {"view": view}

    def _m_files_getUploadURLExternal(self, args, team_id):
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = {
            "id": file_id,
            "name": args["filename"],
            "length": int(args["length"]),
            "content": None,
            "shared_to": None,
        }
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, args, team_id):
        files = args["files"] if isinstance(args["files"], list) else json.loads(args["files"])
        wanted = [
            c.strip()
            for c in str(args.get("channel_id") or args.get("channels") or "").split(",")
            if c.strip()
        ]
        for channel in wanted:
            # Unlike chat.postMessage, Slack takes no user id here: a DM needs its D... id
            # (conversations.open).
            if not re.match(r"^[CGDZ][A-Z0-9]+$", channel):
                self.violations.append(
                    f"files.completeUploadExternal: channel {channel!r} is not a conversation id"
                )
                raise SlackError("invalid_arguments")
        channels = [self._channel(c) for c in wanted]
        out = []
        for f in files:
            stored = self.files.get(f.get("id"))
            if stored is None or stored["content"] is None:
                raise SlackError("file_not_found")
            stored["title"], stored["shared_to"] = f.get("title"), (channels[0] if channels else None)
            out.append({"id": stored["id"], "title": stored["title"], "name": stored["name"]})
        for channel in channels:
            self.messages.append(
                Message(
                    channel,
                    self._ts(),
                    args.get("initial_comment") or "",
                    [],
                    kind="file",
                    files=[dict(f) for f in out],
                )
            )
        return {"files": out}

    async def _upload(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404, text="no such upload")
        stored["content"] = await request.read()
        await self._notify()
        return web.Response(text="OK - " + str(len(stored["content"])))

    def stats(self) -> dict:
        """Counts for a benchmark: calls per method and HTTP status, 429s given, messages per channel."""
        calls: dict[str, dict[str, int]] = {}
        for call in self.calls:
            per = calls.setdefault(call.method, {})
            per[str(call.status)] = per.get(str(call.status), 0) + 1
        channels: dict[str, int] = {}
        for m in self.messages:
            if m.kind == "message":
                channels[m.channel] = channels.get(m.channel, 0) + 1
        return {
            "calls": calls,
            "rate_limited": self.rate_limited,
            "channel_limited": self.channel_limited,
            "messages_per_channel": channels,
        }

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    # -- response_url -------------------------------------------------------------------------
    def new_response_url(self, origin: Message | None = None) -> str:
        """A response_url for a command (no origin) or for an action on the message `origin`."""
        key = f"R{next(self._ids):08d}"
        self.responses[key] = []
        if origin is not None:
            self._origins[key] = origin
        return self.response_url(key)

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in self.responses and self.lenient:
            self.responses[key] = []
        if key not in self.responses:
            return web.Response(status=404, text="no such response_url")
        payload = await request.json()
        self.calls.append(Call("response_url", {"key": key, **payload}, True, None, 200))
        problem = check_blocks(payload.get("blocks") or [], MAX_MESSAGE_BLOCKS)
        if problem:
            self.violations.append(f"response_url invalid_blocks: {problem}")
            await self._notify()
            return web.json_response({"ok": False, "error": "invalid_blocks"}, status=400)
        origin = self._origins.get(key)
        if origin is not None and (payload.get("replace_original") or payload.get("delete_original")):
            origin.history.append((origin.text, origin.blocks))
            deleted = payload.get("delete_original")
            origin.text = "" if deleted else payload.get("text") or ""
            origin.blocks = [] if deleted else payload.get("blocks") or []
        else:
            in_channel = payload.get("response_type") == "in_channel"
            msg = Message(
                channel=key,
                ts=self._ts(),
                text=payload.get("text") or "",
                blocks=payload.get("blocks") or [],
                kind="message" if in_channel else "response",
            )
            self.responses[key].append(msg)
        await self._notify()
        return web.Response(text="ok")


class SlackError(Exception):
    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


def check_blocks(blocks: Any, limit: int) -> str | None:
    """What Slack would reject in a block list, or None."""
    if not isinstance(blocks, list):
        return "blocks is not a list"
    if len(blocks) > limit:
        return f"{len(blocks)} blocks, more than {limit}"
    for i, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                return f"block {i}: unknown type {raw.get('type') if isinstance(raw, dict) else raw!r}"
            block.to_dict()
        except (SlackObjectFormationError, TypeError, KeyError, AttributeError) as exc:
            return f"block {i}: {exc}"
        if raw.get("type") == "actions":
            ids = [e.get("action_id") for e in raw.get("elements", [])]
            if len(ids) != len(set(ids)):
                return f"block {i}: repeated action_id"
    block_ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        return "repeated block_id"
    if re.search(r"\x00", json.dumps(blocks)):
        return "NUL character"
    return None
