"""The workspace a request acts in, decided once: the one whose installation Bolt authorized.

Slack names the workspace in several places (`team_id`, `team.id`, `view.team_id`,
`view.app_installed_team_id`), and Bolt and our handlers used to read them in different orders, so a
signed request naming two workspaces was checked against one and acted in the other. Now a request
whose fields name any workspace but the authorized one is refused (401) before anything reads it,
and every listener asks `workspace()`. (Slack Connect requests from another organisation's
workspace are refused too: the bot keeps no deals across workspaces.)
"""

from __future__ import annotations

from contextvars import ContextVar

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse

from bot.i18n import N_
from domain.errors import UserError

# Set per request by OneWorkspace, like the request's language and actor.
current_workspace: ContextVar[str | None] = ContextVar("current_workspace", default=None)


class WorkspaceMismatch(Exception):
    """A request names a workspace other than the one it was authorized for."""


def named_workspaces(body: dict) -> set[str]:
    """Every workspace id the request's own fields name."""
    team, view = body.get("team"), body.get("view")
    found = [body.get("team_id"), team.get("id") if isinstance(team, dict) else team]
    if isinstance(view, dict):
        found += [view.get("team_id"), view.get("app_installed_team_id")]
    return {t for t in found if isinstance(t, str) and t}


def workspace_of(authorized: str | None, body: dict) -> str | None:
    """The workspace a request acts in: the authorized installation's, which every field that names a
    workspace must name too. None for the few requests Bolt does not authorize (url_verification)."""
    named = named_workspaces(body)
    if authorized is None:
        if len(named) > 1:
            raise WorkspaceMismatch(sorted(named))
        return next(iter(named), None)
    if named - {authorized}:
        raise WorkspaceMismatch(sorted(named | {authorized}))
    return authorized


def workspace() -> str:
    """The workspace of the request being handled (set by OneWorkspace)."""
    team = current_workspace.get()
    if not team:
        raise UserError(N_("This request names no workspace."))
    return team


class OneWorkspace(AsyncMiddleware):
    """Decides the request's workspace from Bolt's authorization, or refuses the request."""

    async def async_process(self, *, req, resp, next):
        authorized = req.context.authorize_result
        body = req.body if isinstance(req.body, dict) else {}
        try:
            team = workspace_of(authorized.team_id if authorized is not None else None, body)
        except WorkspaceMismatch:
            return BoltResponse(status=401, body="not this workspace")
        current_workspace.set(team)
        return await next()
