"""`salesbot rates --load SOURCE`: store an ECB reference-rate file (a URL or a path) for every team,
as the scheduler does from SALESBOT_ECB_URL; prints how many rates were new or changed."""

from __future__ import annotations

import asyncio
import sys

from bot.config import Settings
from bot.db import Database
from bot.deps import utcnow
from domain.rates import RateError
from scheduler.rates import read_source
from services.rates import load_feed


def rates_command(settings: Settings, source: str) -> int:
    try:
        data = asyncio.run(read_source(source))
        changed = load_feed(Database(settings.database_url), data, utcnow())
    except (OSError, RateError) as exc:
        print(f"salesbot: {source}: {exc}", file=sys.stderr)
        return 1
    print(f"{source}: {changed} rates new or changed")
    return 0
