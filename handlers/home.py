"""The App Home tab: published when the rep opens it and after they act from it."""

from __future__ import annotations

from handlers.common import Deps, guarded, tr
from handlers.workspace import workspace
from services import deals
from views.home import home

# Other features add buttons per deal on the Home tab (e.g. Qualify): name -> builder(deal, _) -> element.
HOME_EXTRA_BUTTONS: list = []


def register(app, deps: Deps) -> None:
    @app.event("app_home_opened")
    @guarded
    async def home_opened(body, event, client):
        user = event.get("user")
        if event.get("tab", "home") != "home" or not isinstance(user, str) or not user:
            return  # the Messages tab, or a malformed event: nothing to publish
        await publish_home(deps, client, workspace(), user)


async def publish_home(deps: Deps, client, team: str, user: str) -> None:
    _ = tr()
    now = deps.clock()
    stages, rows, total, bant = await deps.db.run(deals.home, deps.db, team, user, now)
    extra = (
        {d.number: [build(d, _) for build in HOME_EXTRA_BUTTONS] for d in rows}
        if HOME_EXTRA_BUTTONS
        else None
    )
    await client.views_publish(user_id=user, view=home(_, user, stages, rows, total, now, extra, bant))
