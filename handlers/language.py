"""The request's language and actor, set once per request before any listener runs; who speaks
what is services.languages.Languages."""

from __future__ import annotations

from slack_bolt.middleware.async_middleware import AsyncMiddleware

from bot.i18n import current_language
from models.access import Actor, current_actor
from services.languages import Languages


class UserLanguage(AsyncMiddleware):
    """Sets the request's language, and who is asking (models.access), before any listener runs."""

    def __init__(self, languages: Languages):
        self.languages = languages

    async def async_process(self, *, req, resp, next):
        team, user = req.context.team_id, req.context.user_id
        if isinstance(team, str) and isinstance(user, str) and team and user:
            # Resolving the language also caches the user's profile, whose is_admin the access rules read.
            current_language.set(await self.languages.of_user(team, user, req.context.client))
            current_actor.set(Actor(team, user))
        return await next()
