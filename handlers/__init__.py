"""Thin Bolt listeners: read the request, call a use case, render a view, answer."""

from handlers import deal_actions, deal_command, deal_forms, home, pipeline_command, qualify
from handlers.common import Deps
from handlers.events import OncePerEvent


def register_all(app, deps: Deps) -> None:
    app.use(OncePerEvent(deps.db))
    for module in (deal_command, deal_actions, deal_forms, home, pipeline_command, qualify):
        module.register(app, deps)
