"""The Web API methods the local Slack emulates: one table from method name to the function that
answers it. Each takes the emulator, the call's arguments and the caller's team, and returns the
answer's fields beside "ok": true, or raises checks.SlackError with Slack's error code."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from localslack.webapi import auth, chat, conversations, files, users, views

if TYPE_CHECKING:
    from localslack.server import LocalSlack

Method = Callable[["LocalSlack", dict, str], dict]

METHODS: dict[str, Method] = {
    "auth.test": auth.test,
    "oauth.v2.access": auth.oauth_access,
    "users.info": users.info,
    "users.lookupByEmail": users.lookup_by_email,
    "users.list": users.list_users,
    "conversations.open": conversations.open_dm,
    "conversations.info": conversations.info,
    "conversations.join": conversations.join,
    "conversations.history": conversations.history,
    "chat.postMessage": chat.post_message,
    "chat.postEphemeral": chat.post_ephemeral,
    "chat.update": chat.update,
    "chat.getPermalink": chat.get_permalink,
    "views.open": views.open_view,
    "views.update": views.update,
    "views.publish": views.publish,
    "files.getUploadURLExternal": files.get_upload_url,
    "files.completeUploadExternal": files.complete_upload,
}
