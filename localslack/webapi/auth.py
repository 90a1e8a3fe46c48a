"""auth.test, and oauth.v2.access: the code of an approved install exchanged for a bot token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from localslack.checks import SlackError

if TYPE_CHECKING:
    from localslack.server import LocalSlack


def test(slack: LocalSlack, args: dict, team_id: str) -> dict:
    return {
        "url": "https://local.slack.test/",
        "team": slack.team_name,
        "user": "salesbot",
        "team_id": team_id,
        "user_id": slack.bot_user_id,
        "bot_id": "BLOCAL",
    }


def oauth_access(slack: LocalSlack, args: dict, team_id: str) -> dict:
    found = slack.oauth_codes.pop(args["code"], None)
    if found is None:
        raise SlackError("invalid_code")
    team, name, user = found
    token = f"xoxb-{team}-{slack.next_id()}"
    slack.tokens[token] = team
    return {
        "access_token": token,
        "token_type": "bot",
        "scope": "commands,chat:write",
        "bot_user_id": slack.bot_user_id,
        "app_id": "A0LOCAL",
        "team": {"id": team, "name": name},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": user},
    }
