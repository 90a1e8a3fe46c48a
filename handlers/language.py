"""The request's language, formal address and actor, set once per request before any listener runs;
who speaks what is services.languages.Languages. A user not in memory is looked up after the request
is acked (handlers.common.settle_after_ack), never before: the ack never waits on Slack."""

from __future__ import annotations

from slack_bolt.middleware.async_middleware import AsyncMiddleware

from bot.i18n import current_formal, current_language
from handlers.common import after_ack
from handlers.workspace import current_workspace
from models.access import Actor, current_actor
from services.languages import Languages


class ActorAndLanguage(AsyncMiddleware):
    """Sets who is asking (models.access), their language and the team's formal address, before any
    listener runs."""

    def __init__(self, languages: Languages):
        self.languages = languages

    async def async_process(self, *, req, resp, next):
        team, user, client = current_workspace.get(), req.context.user_id, req.context.client
        if isinstance(team, str) and isinstance(user, str) and team and user:
            current_formal.set(await self.languages.formal(team))  # the team's row, cached
            current_actor.set(Actor(team, user))
            language = self.languages.known(team, user)
            if language:
                current_language.set(language)
            else:
                # Resolving the language also caches the user's profile, whose is_admin the access
                # rules read; so the listener settles it before it does anything but ack.
                async def resolve(wait: float) -> None:
                    current_language.set(await self.languages.of_user(team, user, client, wait))

                after_ack.set(resolve)
        return await next()
