"""What a local workspace keeps: its users, channels, messages, open modals, Home tabs and files,
the tokens that reach it, and every Web API call made to it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Any


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


class Workspace:
    """The state a Slack workspace holds, and what tests read and wait for in it."""

    def __init__(
        self, token: str, team_id: str, team_name: str, bot_user_id: str, extra_tokens: dict[str, str]
    ):
        self.tokens = {token: team_id, **extra_tokens}
        self.team_id, self.team_name, self.bot_user_id = team_id, team_name, bot_user_id
        self.users: dict[str, User] = {}
        self.channels: dict[str, dict] = {}
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.views: dict[str, dict] = {}
        self.home: dict[str, dict] = {}
        self.responses: dict[str, list[Message]] = {}  # response_url key -> replies sent to it
        self.origins: dict[str, Message] = {}  # response_url key -> the message an action came from
        self.files: dict[str, dict] = {}
        self.violations: list[str] = []
        self.triggers: dict[str, float] = {}  # trigger_id -> when it was handed out (monotonic)
        self.oauth_codes: dict[str, tuple[str, str, str]] = {}  # code -> team id, team name, user
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self.add_user(bot_user_id, "salesbot", is_bot=True)

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

    def new_trigger(self) -> str:
        # Unique across emulator instances too, as Slack's are: the bot remembers the ones it has seen.
        trigger = f"{self.next_id()}.{int(time.time())}.{uuid.uuid4().hex[:12]}"
        self.triggers[trigger] = time.monotonic()
        return trigger

    def approve_install(self, team_id: str, team_name: str, user_id: str) -> str:
        """A user approves the install on Slack's consent page: the code Slack redirects with."""
        code = f"code-{team_id}-{self.next_id()}"
        self.oauth_codes[code] = (team_id, team_name, user_id)
        return code

    def revoke(self, team_id: str) -> None:
        """The workspace uninstalls the app: its tokens stop working."""
        for token in [t for t, team in self.tokens.items() if team == team_id]:
            del self.tokens[token]

    # -- ids ----------------------------------------------------------------------------------
    def next_id(self) -> int:
        return next(self._ids)

    def ts(self) -> str:
        """A new message timestamp, unique in this workspace."""
        return f"{int(time.time())}.{self.next_id():06d}"

    @staticmethod
    def dm_channel(user_id: str) -> str:
        return "D" + user_id

    # -- reading and waiting, for tests -------------------------------------------------------
    async def wait_for(self, predicate, timeout: float = 15.0):
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

    async def notify(self) -> None:
        """Wake whoever waits in wait_for: something changed."""
        async with self._changed:
            self._changed.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.ok]

    def dms(self, user_id: str) -> list[Message]:
        return [m for m in self.messages if m.channel == self.dm_channel(user_id) and m.kind == "message"]

    def channel_messages(self, channel: str) -> list[Message]:
        return [m for m in self.messages if m.channel == channel and m.kind == "message"]
