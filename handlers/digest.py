"""`/pipeline digest`: a private preview of the weekly digest, for the week ending now."""

from __future__ import annotations

from bot.deps import Deps
from handlers.common import pipeline_word, tr
from handlers.workspace import workspace
from services import digest
from views.digest import digest_message


async def preview(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    computed = await deps.db.run(digest.preview, deps.db, workspace(), deps.clock())
    await respond(**digest_message(computed, _, preview=True), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_word("digest")])(preview)
