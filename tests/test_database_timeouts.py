"""A PostgreSQL that accepts connections but never answers makes no database call hang: connecting
gives up after SALESBOT_DB_CONNECT_TIMEOUT seconds, and `salesbot migrate` and `serve` say so and
exit instead of waiting."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.db import Database


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()


def test_a_query_gives_up_when_the_database_never_answers(monkeypatch):
    monkeypatch.setenv("SALESBOT_DB_CONNECT_TIMEOUT", "2")
    with silent_server() as port:
        db = Database(f"postgresql://salesbot@127.0.0.1:{port}/salesbot")
        started = time.monotonic()
        with pytest.raises(OperationalError), db.read() as s:
            s.execute(text("SELECT 1"))
        took = time.monotonic() - started
        db.dispose()
    assert took < 5, f"waited {took:.1f} s"


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_migrate_and_serve_exit_with_a_clear_message(command):
    with silent_server() as port:
        env = dict(
            os.environ,
            DATABASE_URL=f"postgresql://salesbot@127.0.0.1:{port}/salesbot",
            SALESBOT_DB_CONNECT_TIMEOUT="2",
            SLACK_BOT_TOKEN="xoxb-x",
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL="http://127.0.0.1:9/api/",  # never called: the database comes first
            SALESBOT_SCHEDULER="0",
            PORT="0",
        )
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "bot.cli", command], env=env, capture_output=True, text=True, timeout=60
        )
        took = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr[-2000:]
    said = proc.stderr[-2000:]
    assert f"127.0.0.1:{port}" in said and "does not answer" in said, said
    assert "Traceback" not in proc.stderr
    assert took < 15, f"{command} took {took:.1f} s"
