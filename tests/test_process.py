"""`salesbot` as an operator runs it: settings that explain themselves, --version, config, early
failures with one line and exit code 2, and what the server binds."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import aiohttp

from tests.processes import env_for, free_port, run, salesbot, stop, wait_ready

ROOT = Path(__file__).parent.parent


def test_version_is_the_packages_and_agrees_with_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = run("--version", env=env_for(None, "sqlite://", 0))
    assert result.returncode == 0 and result.stdout.strip() == f"salesbot {declared}"


def test_a_bad_value_is_one_line_naming_the_setting_and_exit_2(tmp_path):
    env = env_for(None, f"sqlite:///{tmp_path / 'x.db'}", 0)
    for name, value, says in [
        ("PORT", "abc", "PORT: Input should be a valid integer"),
        ("PORT", "70000", "PORT: Input should be less than or equal to 65535"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: Input should be 'text' or 'json'"),
        ("DATABASE_URL", "mysql://bot:pw@db/x", "DATABASE_URL: must be sqlite:///path.db or postgresql://"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN: must start with xoxb-"),
        ("SALESBOT_SCHEDULER", "maybe", "SALESBOT_SCHEDULER: Input should be a valid boolean"),
    ]:
        result = run("serve", env=dict(env, **{name: value}))
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2, (name, result.stderr)
        assert len(lines) == 1 and lines[0].startswith(f"salesbot: {says}"), (name, result.stderr)
    # A secret is named, never echoed; nor is a database password.
    result = run("serve", env=dict(env, SLACK_BOT_TOKEN="xoxp-very-secret"))
    assert "very-secret" not in result.stderr
    result = run("serve", env=dict(env, DATABASE_URL="mysql://bot:hunter2@db/x"))
    assert "hunter2" not in result.stderr


def test_an_unreachable_database_is_one_line_and_exit_2_before_anything_starts():
    port = free_port()  # nothing listens there
    env = env_for(None, f"postgresql://bot:hunter2@127.0.0.1:{port}/salesbot", free_port())
    result = run("serve", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"salesbot: DATABASE_URL: postgresql://bot:***@127.0.0.1:{port}/salesbot")
    assert len(result.stderr.strip().splitlines()) == 1 and "hunter2" not in result.stderr


def test_settings_come_from_a_dot_env_file_and_config_masks_secrets(tmp_path):
    (tmp_path / ".env").write_text("PORT=4567\nSLACK_SIGNING_SECRET=from-the-env-file\nLOG_FORMAT=json\n")
    env = {k: v for k, v in env_for(None, "sqlite:///x.db", 0).items() if k not in ("PORT",)}
    env.pop("SLACK_SIGNING_SECRET")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "config"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    shown = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert shown["PORT"] == "4567" and shown["LOG_FORMAT"] == "json" and shown["HOST"] == "127.0.0.1"
    assert shown["SLACK_SIGNING_SECRET"] == "… (set, 17 characters)"
    assert shown["SLACK_BOT_TOKEN"] == "xoxb-… (set, 9 characters)"
    assert "from-the-env-file" not in result.stdout and "xoxb-proc" not in result.stdout
    assert shown["SLACK_APP_TOKEN"] == "(unset)" and shown["HEALTH_PORT"] == "3001"


async def test_a_port_in_use_is_one_line_and_exit_2_before_the_scheduler_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = env_for(None, f"sqlite:///{tmp_path / 'x.db'}", port, LOG_LEVEL="DEBUG")
        result = run("serve", env=env)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("salesbot:")]
    assert errors == [f"salesbot: PORT: cannot listen on 127.0.0.1:{port}: address already in use"]
    assert "scheduler running" not in result.stderr and "Traceback" not in result.stderr


async def test_serve_binds_host_and_says_so_and_the_scheduler_has_a_health_port(tmp_path):
    port, health_port = free_port(), free_port()
    env = env_for(None, f"sqlite:///{tmp_path / 'x.db'}", port, HEALTH_PORT=str(health_port))
    proc = salesbot("scheduler", env=env)
    try:
        await wait_ready(f"http://127.0.0.1:{health_port}/readyz", proc)
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{health_port}/metrics") as r:
            assert r.status == 200 and "salesbot_scheduler_runs_total" in await r.text()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert f"health and metrics on 127.0.0.1:{health_port}" in err and "Traceback" not in err
    proc = salesbot("serve", env=env)
    try:
        await wait_ready(f"http://127.0.0.1:{port}/healthz", proc)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert f"listening on 127.0.0.1:{port}" in err and proc.returncode == 0
    stop(proc)


async def test_socket_mode_that_cannot_connect_is_one_line_and_exit_2(tmp_path):
    from localslack.server import LocalSlack

    slack = await LocalSlack(token="xoxb-proc").start()
    try:
        env = env_for(slack, f"sqlite:///{tmp_path / 'x.db'}", 0, SLACK_APP_TOKEN="xapp-1-not-accepted")
        env["HEALTH_PORT"] = str(free_port())
        result = await asyncio.to_thread(run, "serve", env=env)
    finally:
        await slack.stop()
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("salesbot:")]
    assert len(errors) == 1 and errors[0].startswith(
        "salesbot: SLACK_APP_TOKEN: Socket Mode could not connect"
    )
    assert "Traceback" not in result.stderr and "Unclosed" not in result.stderr
    assert "xapp-1-not-accepted" not in result.stderr
