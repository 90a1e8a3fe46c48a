"""Thin Bolt listeners: read the request, call a use case, render a view, answer."""

from handlers import (
    deal_actions,
    deal_command,
    deal_forms,
    digest,
    home,
    installs,
    nudges,
    pipeline_command,
    qualify,
    settings,
)
from handlers.common import Deps
from handlers.language import UserLanguage
from handlers.once import OncePerEvent
from handlers.wellformed import SignedTeamOnly, WellFormedIds


def register_all(app, deps: Deps) -> None:
    app.use(WellFormedIds())
    app.use(SignedTeamOnly())
    app.use(OncePerEvent(deps.db, deps.clock))
    app.use(UserLanguage(deps.languages))
    deal_command.register(app, deps, qualify=qualify.command)
    pipeline_command.register(app, deps, {"digest": digest.preview, "settings": settings.open_settings})
    for module in (
        deal_actions,
        deal_forms,
        home,
        nudges,
        installs,
        settings,
        qualify,
    ):
        module.register(app, deps)
