"""Who an owner cell names, asked of Slack: users.lookupByEmail for each distinct e-mail (scope
users:read.email), and one paged users.list for names (display name, real name, or handle).

Called once per import with the file's distinct owner values, before any row is written, so the
rows need no Slack at all and the dry run can list every owner that matches nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from domain.importing.values import EMAIL, SLACK_USER, OwnerDirectory, fold

log = logging.getLogger(__name__)
PAGE = 200


class DirectoryProblem(Exception):
    """Slack would not say who the owners are (a missing scope, a bad token): one line why."""


async def owner_directory(
    client: AsyncWebClient | None, values: Iterable[str], owner_map: dict[str, str]
) -> OwnerDirectory:
    wanted = [v.strip() for v in values if v.strip() and v.strip().lower() not in owner_map]
    emails = sorted({v.lower() for v in wanted if EMAIL.match(v)})
    names = [v for v in wanted if not EMAIL.match(v) and not SLACK_USER.match(v)]
    by_email: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    if client is None:
        return OwnerDirectory(by_email, by_name)
    try:
        for email in emails:
            try:
                found = await client.users_lookupByEmail(email=email)
            except SlackApiError as exc:
                if exc.response.get("error") == "users_not_found":
                    continue
                raise
            user = found["user"]
            if not user.get("deleted") and not user.get("is_bot"):
                by_email[email] = user["id"]
        if names:
            cursor = None
            while True:
                page = await client.users_list(limit=PAGE, cursor=cursor)
                for user in page["members"]:
                    if user.get("deleted") or user.get("is_bot"):
                        continue
                    profile = user.get("profile") or {}
                    keys = {
                        fold(n)
                        for n in (
                            user.get("name"),
                            user.get("real_name"),
                            profile.get("real_name"),
                            profile.get("display_name"),
                        )
                        if n
                    }
                    for key in keys:
                        by_name.setdefault(key, []).append(user["id"])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
    except SlackApiError as exc:
        error = exc.response.get("error")
        needed = exc.response.get("needed")
        raise DirectoryProblem(
            f"Slack answered {error}" + (f" (the app needs the scope {needed})" if needed else "")
        ) from exc
    return OwnerDirectory(by_email, by_name)
