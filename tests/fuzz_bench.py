"""A bench on its own event loop thread, so that hypothesis (which is synchronous) can drive it."""

from __future__ import annotations

import asyncio
import logging
import threading

from localslack.bench import Bench


class ErrorLog(logging.Handler):
    """Collects every ERROR a listener logs: an unhandled exception shows up here."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# The bot's own loggers (each module's is named for it) and Bolt's.
LOGGERS = ("bot", "domain", "models", "services", "views", "handlers", "scheduler", "salesbot.bolt")


class ThreadedBench:
    def __init__(self, db):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.bench = self.run(Bench(db).start())
        for user, name in (("UALICE", "alice"), ("UBOB", "bob")):
            self.bench.slack.add_user(user, name)
        self.errors = ErrorLog()
        for name in LOGGERS:
            logging.getLogger(name).addHandler(self.errors)

    def run(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self):
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self.errors)
        self.run(self.bench.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
