"""Thin Bolt listeners: read the request, call a use case, render a view, answer."""

# digest has no listener of its own: importing it adds `/pipeline digest`.
from handlers import deal_actions, deal_command, deal_forms, digest, home, pipeline_command  # noqa: F401
from handlers.common import Deps
from handlers.events import OncePerEvent


def register_all(app, deps: Deps) -> None:
    app.use(OncePerEvent(deps.db))
    for module in (deal_command, deal_actions, deal_forms, home, pipeline_command):
        module.register(app, deps)
