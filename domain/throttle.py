"""At most once per period per key: a pure, bounded memory (it forgets keys whose period is over)."""

from __future__ import annotations

from datetime import datetime, timedelta


class Throttle:
    def __init__(self, every: timedelta):
        self.every = every
        self._last: dict[object, datetime] = {}

    def due(self, key: object, now: datetime) -> bool:
        """True (and remembered) when `key` was not let through within the period before `now`."""
        last = self._last.get(key)
        if last is not None and now - last < self.every:
            return False
        # Keys whose period is over are forgotten, so the memory holds only the last period's keys.
        self._last = {k: t for k, t in self._last.items() if now - t < self.every}
        self._last[key] = now
        return True
