"""`salesbot serve` says what is wrong with its configuration in one line, before it listens."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from bot.config import Settings
from bot.startup import key_problem, token_problem
from localslack.server import LocalSlack


async def serve(env: dict, timeout: float = 60) -> tuple[int, str]:
    """Runs `salesbot serve` until it exits (the local Slack keeps answering meanwhile)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SALESBOT_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        env={**base, "SALESBOT_SCHEDULER": "0", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _out, err = await asyncio.wait_for(proc.communicate(), timeout)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return proc.returncode or 0, err.decode()


async def test_a_wrong_bot_token_stops_serve_with_one_line_naming_it(tmp_path):
    slack = await LocalSlack(token="xoxb-right").start()
    try:
        right = Settings(slack_bot_token="xoxb-right", slack_api_url=slack.api_url)
        wrong = Settings(slack_bot_token="xoxb-wrong", slack_api_url=slack.api_url)
        assert await token_problem(right) is None
        problem = await token_problem(wrong)
        assert problem is not None and "SLACK_BOT_TOKEN" in problem and "invalid_auth" in problem
        returncode, stderr = await serve(
            {
                "SLACK_BOT_TOKEN": "xoxb-wrong",
                "SLACK_SIGNING_SECRET": "secret",
                "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
            }
        )
    finally:
        await slack.stop()
    assert returncode == 2
    assert stderr.strip().splitlines() == [problem]
    assert not (tmp_path / "serve.db").exists()  # stopped before touching anything


async def test_many_workspaces_without_encryption_keys_stops_serve_with_one_line(tmp_path):
    env = {
        "SLACK_CLIENT_ID": "id",
        "SLACK_CLIENT_SECRET": "secret",
        "SLACK_SIGNING_SECRET": "secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    assert key_problem(Settings(slack_client_id="id", slack_client_secret="s")) is not None
    assert key_problem(Settings(slack_bot_token="xoxb-one")) is None  # one workspace: its token is not stored
    returncode, stderr = await serve(env)
    assert returncode == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "SALESBOT_ENCRYPTION_KEYS" in lines[0]
