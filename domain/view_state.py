"""Reading a submitted modal's inputs from Slack's view.state.values. Pure.

Its own module, under every form reader (deal_form, settings_form, picked_day ...), so that each can
read its fields the same way without importing another form's module."""

from __future__ import annotations

from domain.errors import clean


def field(values: dict, block: str) -> dict:
    """One input's state from Slack's view.state.values, its text cleaned."""
    found = (values.get(block) or {}).get("value") or {}
    return (
        {k: clean(v) if isinstance(v, str) else v for k, v in found.items()}
        if isinstance(found, dict)
        else {}
    )
