"""`salesbot serve` as a real process: migrates, answers /healthz, and handles a signed command."""

import asyncio
import os
import sqlite3
import subprocess
import sys

import pytest

from localslack.client import SlackClient
from localslack.server import LocalSlack
from tests.helpers import text_of
from tests.serving import free_port, wait_healthy

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations


def serve_env(slack: LocalSlack, database, port: int) -> dict:
    """The environment of a `serve` on one port and one SQLite file, talking to the local Slack."""
    return dict(
        os.environ,
        SLACK_BOT_TOKEN="xoxb-proc",
        SLACK_SIGNING_SECRET="proc-secret",
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite:///{database}",
        PORT=str(port),
        SALESBOT_SCHEDULER="0",
    )


async def test_serve_process_end_to_end(tmp_path):
    slack = await LocalSlack(token="xoxb-proc").start()
    slack.add_user("UALICE", "alice")
    port = free_port()
    env = serve_env(slack, tmp_path / "serve.db", port)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    client = SlackClient(slack, f"http://127.0.0.1:{port}/slack/events", "proc-secret")
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        sent = await client.command("UALICE", "add Acme 10k")
        assert sent.status == 200
        assert "Added deal #1" in text_of(await client.reply(sent))
        forged = SlackClient(slack, client.bot_url, "wrong-secret")
        assert (await forged.command("UALICE", "add Evil 1k")).status == 401
        await forged.close()
    finally:
        await client.close()
        proc.terminate()
        proc.wait(timeout=10)
        await slack.stop()
    assert (tmp_path / "serve.db").exists()


def test_serve_refuses_to_start_without_tokens(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in result.stderr


def test_serve_keeps_alembic_and_cryptography_out_of_the_bot(tmp_path):
    # Alembic and the migration scripts stay out of the long-running process (its idle memory).
    script = (
        "import asyncio, sys\n"
        "from bot.config import Settings\n"
        "from bot.runtime import migrated\n"
        "import bot.app, bot.startup, bot.installations\n"
        f"settings = Settings(database_url='sqlite:///{tmp_path / 'm.db'}')\n"
        "print(asyncio.run(migrated(settings)), 'alembic' in sys.modules, 'cryptography' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    from bot.migrate import head

    assert done.returncode == 0, done.stderr
    # Nor cryptography, which only a bot serving many workspaces needs (bot/token_cipher.py).
    assert done.stdout.split() == [head(), "False", "False"]


async def test_serve_stops_with_exit_1_when_the_migration_fails(tmp_path):
    # A database a newer Salesbot migrated: this one cannot know its revision.
    with sqlite3.connect(tmp_path / "newer.db") as newer:
        newer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        newer.execute("INSERT INTO alembic_version VALUES ('9999')")
    slack = await LocalSlack(token="xoxb-proc").start()
    env = serve_env(slack, tmp_path / "newer.db", free_port())
    try:  # a child of the loop, so the local Slack answers the bot's token check meanwhile
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "serve", env=env, stderr=asyncio.subprocess.PIPE
        )
        _, err = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        await slack.stop()
    assert proc.returncode == 1, err.decode()
    assert "the migration failed: Can't locate revision identified by '9999'" in err.decode()
    assert "the database migration failed (see above); nothing was started" in err.decode()
    assert "listening on" not in err.decode()
