"""Real `salesbot` processes for the tests: their environment, start, readiness and stop."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import aiohttp

TOKEN = "xoxb-proc"
SECRET = "proc-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(slack, database_url: str, port: int, **extra: str) -> dict[str, str]:
    """The environment of a bot talking to the local Slack `slack`, without the caller's SLACK_*."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SALESBOT_", "LOG_"))}
    return dict(
        base,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url if slack else "http://127.0.0.1:9/api/",
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        **extra,
    )


def salesbot(*args: str, env: dict[str, str], **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def run(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


async def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 30) -> float:
    """Poll `url` until it answers 200; returns the seconds it took. Fails if the process exits."""
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
        while time.monotonic() - started < timeout:
            if proc.poll() is not None:
                raise AssertionError(f"salesbot exited with {proc.returncode}: {proc.stderr.read()}")
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return time.monotonic() - started
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"{url} never answered 200")


def stop(proc: subprocess.Popen) -> None:
    """End a process a test started, if it is still running."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)
