"""`/pipeline digest`: a private preview of the weekly digest, for the week ending now."""

from __future__ import annotations

from handlers.common import Deps, team_of, tr
from services import digest
from views.digest import digest_message


async def preview(deps: Deps, body: dict, respond, client) -> None:
    _ = tr(body)
    computed = await deps.db.run(digest.preview, deps.db, team_of(body), deps.clock())
    await respond(**digest_message(computed, _, preview=True), response_type="ephemeral")
