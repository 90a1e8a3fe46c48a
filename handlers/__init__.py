"""Thin Bolt listeners: read the request, call a use case, render a view, answer."""

from handlers import (
    deal_actions,
    deal_command,
    deal_forms,
    digest,  # noqa: F401 - no listener of its own: importing it adds `/pipeline digest`
    forecast,  # noqa: F401 - likewise `/pipeline forecast`
    home,
    installs,
    nudges,
    pipeline_command,
    qualify,
    settings,
)
from handlers.common import Deps
from handlers.events import OncePerEvent
from handlers.language import Languages, UserLanguage
from handlers.wellformed import WellFormedIds
from handlers.workspace import OneWorkspace


def register_all(app, deps: Deps) -> None:
    app.use(WellFormedIds())
    app.use(OneWorkspace())
    app.use(OncePerEvent(deps.db, deps.clock))
    deps.languages = Languages(deps)
    app.use(UserLanguage(deps.languages))
    for module in (
        deal_command,
        deal_actions,
        deal_forms,
        home,
        nudges,
        pipeline_command,
        installs,
        settings,
        qualify,
    ):
        module.register(app, deps)
