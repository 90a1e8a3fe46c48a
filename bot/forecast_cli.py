"""`salesbot forecast --backtest`: how accurate each forecast method has been, month by month."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from bot.config import Settings
from bot.db import Database
from bot.migrate import upgrade


def backtest_command(
    settings: Settings, months: int, team: str | None, as_of: str | None, out=None, clock=None
) -> int:
    """Prints, per team, each of the `months` months before `as_of`'s month: what was won, what each
    method forecast at its start, the error and the APE; then the MAPE per method and currency."""
    from bot.i18n import translator
    from domain.digest_schedule import parse_moment
    from services import digest, forecast
    from views.forecast import backtest_text

    out, clock = out or sys.stdout, clock or (lambda: datetime.now(UTC))
    if months < 1:
        print("--months must be 1 or more.", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        found = digest.teams(db, team)
        if not found:
            print(f"No team {team}." if team else "No teams yet.", file=sys.stderr)
            return 1
        for team_id, timezone in found:
            try:
                moment = parse_moment(as_of, timezone) if as_of else clock()
            except ValueError:
                print(f"--as-of {as_of!r} is not an ISO-8601 date or time.", file=sys.stderr)
                return 2
            replayed = forecast.backtest(db, team_id, moment, months)
            print(backtest_text(replayed.backtest, translator("en"), team_id), file=out)
        return 0
    finally:
        db.dispose()
