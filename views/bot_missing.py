"""The DM a team's managers get when Salesbot could not post to a channel it is not in."""

from __future__ import annotations

from bot.i18n import N_, Translator
from views.common import section

# What could not be posted, by outbox kind; each a whole sentence, so a translation can agree with it.
WHAT = {
    "digest": N_(
        "Salesbot is not in <#{channel}>, so the weekly digest could not be posted. "
        "Invite it there with `/invite @Salesbot`."
    ),
    "reminder": N_(
        "Salesbot is not in <#{channel}>, so a reminder could not be posted. "
        "Invite it there with `/invite @Salesbot`."
    ),
}
WHAT["digest_chart"] = WHAT["digest"]
WHAT["nudge"] = WHAT["orphan"] = WHAT["escalation"] = WHAT["reminder"]
ANYTHING = N_(
    "Salesbot is not in <#{channel}>, so a message could not be posted. "
    "Invite it there with `/invite @Salesbot`."
)


def bot_missing_message(_: Translator, channel: str, kind: str) -> dict:
    text = _(WHAT.get(kind, ANYTHING), channel=channel)
    return {"text": text, "blocks": [section(text)]}
