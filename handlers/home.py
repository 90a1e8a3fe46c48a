"""The App Home tab: published when the rep opens it and after they act from it."""

from __future__ import annotations

from bot.deps import Deps
from handlers.common import publish_home
from handlers.workspace import workspace


async def home_opened(body, event, client, deps: Deps) -> None:
    user = event.get("user")
    if event.get("tab", "home") != "home" or not isinstance(user, str) or not user:
        return  # the Messages tab, or a malformed event: nothing to publish
    await publish_home(deps, client, workspace(), user)


def register(app) -> None:
    app.event("app_home_opened")(home_opened)
