"""Thin Bolt listeners: read the request, call a use case, render a view, answer.

Every listener is registered here, through its module's `register(app)`.
"""

from bot.deps import Deps
from handlers import (
    deal_actions,
    deal_command,
    deal_forms,
    digest,
    forecast,
    goals,
    home,
    insights,
    installs,
    leavers,
    nudges,
    nurture,
    pipeline_command,
    preferences,
    qualify,
    rates,
    reminders,
    rep_load,
    search,
    settings,
    shortcuts,
)
from handlers.common import Answered, provide, tell_the_user
from handlers.language import ActorAndLanguage
from handlers.once import OncePerEvent
from handlers.wellformed import WellFormedIds
from handlers.workspace import OneWorkspace


def register_all(app, deps: Deps) -> Answered:
    """Every middleware and listener on `app`; returns the listeners' registry (what is routed by id)."""
    app.use(WellFormedIds())
    app.use(OneWorkspace())
    app.use(OncePerEvent(deps.db, deps.clock))
    app.use(ActorAndLanguage(deps.languages))
    app.use(provide(deps))
    app.error(tell_the_user)  # what a middleware raises; listeners' errors are answered inside them
    listeners = Answered(app, deps.post_ack)
    # Each surface's listeners, in the order Bolt tries them: the features' own words of `/deal`
    # and `/pipeline` (qualify, find, digest, forecast, goals, insights, rates, team,
    # settings, notify) before the commands that take the rest.
    for module in (
        qualify,
        search,
        digest,
        forecast,
        goals,
        insights,
        rates,
        rep_load,
        settings,
        preferences,
        deal_command,
        pipeline_command,
    ):
        module.register(listeners)
    for module in (deal_actions, deal_forms, home, nudges, nurture, reminders, installs, shortcuts, leavers):
        module.register(listeners)
    return listeners
