"""The work a listener does after its ack (the database, rendering, the reply), taken in turns.

Bolt starts every listener at once, and on a busy process the work after earlier acks shares the
event loop (and the database threads) with the next requests, whose acks then wait behind it. Here
at most `workers` listeners are past their ack at a time and the rest wait in arrival order, so a
new request finds the loop nearly free and acks at once; once `limit` are waiting, a new one is
refused (the rep is told to try again) rather than queued for longer than Slack's patience.
"""

from __future__ import annotations

import asyncio
from collections import deque

from bot import metrics

# The name of the task that runs a listener past its ack (handlers/common.answered), by which the
# test bench waits for that work to end.
POST_ACK_TASK = "salesbot-post-ack"


class Busy(Exception):
    """More post-ack work is waiting than the queue takes."""


class PostAck:
    def __init__(self, workers: int = 4, limit: int = 200):
        self.workers, self.limit = workers, limit
        self.running = 0
        self._waiting: deque[asyncio.Future] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def enter(self) -> None:
        """Wait for a turn (first come, first served). Busy when `limit` are waiting already."""
        if self.running < self.workers and not self._waiting:
            self._start()
            return
        if len(self._waiting) >= self.limit:
            metrics.POST_ACK_REFUSED.inc()
            raise Busy
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        metrics.POST_ACK_WAITING.set(len(self._waiting))
        try:
            await turn  # set by leave(), which counted this one as running already
        except asyncio.CancelledError:
            if turn in self._waiting:
                self._waiting.remove(turn)
            elif turn.done() and not turn.cancelled():
                self.leave()  # it was handed a turn as it was cancelled: pass it on
            raise
        finally:
            metrics.POST_ACK_WAITING.set(len(self._waiting))

    def leave(self) -> None:
        """The turn is over: hand it to the next waiting, or free it."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # still counted in `running`: the turn passes straight on
                return
        self.running -= 1
        metrics.POST_ACK_RUNNING.set(self.running)

    def _start(self) -> None:
        self.running += 1
        metrics.POST_ACK_RUNNING.set(self.running)
