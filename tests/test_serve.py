"""`salesbot serve` as a real process: migrates, answers /healthz, and handles a signed command."""

import os
import subprocess
import sys

import pytest

from localslack.client import SlackClient
from localslack.server import LocalSlack
from tests.helpers import text_of
from tests.serving import free_port, wait_healthy

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations


async def test_serve_process_end_to_end(tmp_path):
    slack = await LocalSlack(token="xoxb-proc").start()
    slack.add_user("UALICE", "alice")
    port = free_port()
    env = dict(
        os.environ,
        SLACK_BOT_TOKEN="xoxb-proc",
        SLACK_SIGNING_SECRET="proc-secret",
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        PORT=str(port),
        SALESBOT_SCHEDULER="0",
    )
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
