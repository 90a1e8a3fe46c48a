"""Scheduled work runs for every workspace; each must be spoken to with its own bot token."""

from __future__ import annotations


def per_team(client_or_factory):
    """A factory team id -> Web API client (None once the workspace uninstalled the app), from either
    one client (one workspace) or such a factory (many workspaces: bot.deps.Deps.client_for)."""
    if callable(client_or_factory):
        return client_or_factory

    async def same(_team_id: str):
        return client_or_factory

    return same
