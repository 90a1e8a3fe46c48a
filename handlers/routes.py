"""Listeners registered by an exact id (an action_id, a view's callback_id), found by a dict look-up
behind one Bolt listener per kind (handlers.common.Answered puts them here), in Bolt's own order."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable

ROUTED = ("action", "view")
ANY_ID = re.compile("")  # the router's own pattern in Bolt: any id, which its matcher then narrows
# What Routes.dispatch hands a listener: Bolt's arguments it passes on, and `deps` from the context.
GIVEN = {"ack", "body", "action", "view", "client", "respond", "say", "logger", "context", "deps"}


class Routes:
    """The listeners of one kind registered by an exact id (an action_id, a view's callback_id), found
    by a dict look-up behind one Bolt listener. Bolt tries its listeners one by one, and each try
    builds every argument a listener could take (about 8 µs): a card's button passed 35 listeners
    before its own, a form's submission 40. The Bolt listener is registered with a pattern that
    matches any id, so Bolt checks the same payload types as for the exact id it stands for.

    Bolt's order is kept: an id is routed only when no listener registered since the router (a
    pattern that matches it, or one Bolt cannot tell about here) could have taken it first."""

    def __init__(self, kind: str):
        self.kind = kind
        self.listeners: dict[str, Callable[..., Awaitable[None]]] = {}
        self.params: dict[str, tuple[str, ...]] = {}
        self.patterns: list[re.Pattern[str]] = []
        self.closed = False  # a listener Bolt matches by more than its id came after the router

    def takes(self, key: str) -> bool:
        return not self.closed and not any(p.search(key) for p in self.patterns)

    def after(self, constraints) -> None:
        if isinstance(constraints, re.Pattern):
            self.patterns.append(constraints)
        else:
            self.closed = True

    def add(self, key: str, listener: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        if key not in self.listeners:  # as in Bolt, the first listener of an id is the one that runs
            params = tuple(inspect.signature(listener).parameters)
            # Bolt would give any of its arguments; dispatch() gives these. Another name would come
            # in as None, so it fails here, at start-up, instead.
            unknown = set(params) - GIVEN
            if unknown:
                raise TypeError(f"{key}: dispatch() gives {sorted(GIVEN)}, not {sorted(unknown)}")
            self.listeners[key], self.params[key] = listener, params
        return listener

    def key(self, body: dict) -> str | None:
        if self.kind == "view":
            return (body.get("view") or {}).get("callback_id")
        if body.get("type") == "block_actions":
            return ((body.get("actions") or [{}])[0]).get("action_id")
        return body.get("callback_id")  # the older interactive payloads Bolt's action() also matches

    async def matches(self, body: dict) -> bool:
        return self.key(body) in self.listeners

    async def dispatch(self, ack, body, action, view, client, respond, say, logger, context) -> None:
        """Bolt's listener for the kind: the id's listener, given the arguments it names, as Bolt
        would (Bolt's own, else the request context's, like `deps`)."""
        key = self.key(body)
        assert key is not None  # matches() found it
        given = {
            "ack": ack,
            "body": body,
            "action": action,
            "view": view,
            "client": client,
            "respond": respond,
            "say": say,
            "logger": logger,
            "context": context,
        }
        wanted = {name: given[name] if name in given else context.get(name) for name in self.params[key]}
        await self.listeners[key](**wanted)
