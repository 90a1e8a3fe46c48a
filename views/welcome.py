"""The DM the person who installs Salesbot gets: the three steps that make it work."""

from __future__ import annotations

from bot.i18n import Translator
from views.common import header, section


def welcome_message(_: Translator) -> dict:
    title = _("Welcome to Salesbot")
    steps = "\n".join(
        [
            _("1. Invite Salesbot to your team channel: type `/invite @Salesbot` there."),
            _("2. Choose the team channel, the managers and the stages with `/pipeline settings`."),
            _('3. Add your first deal: `/deal add "Globex pilot" 20k`.'),
        ]
    )
    lead = _("Three steps and your team is set up:")
    return {"text": f"{title}. {lead}\n{steps}", "blocks": [header(title), section(f"{lead}\n{steps}")]}
