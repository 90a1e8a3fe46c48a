"""Socket Mode end to end: the bot started as `serve` starts it with SLACK_APP_TOKEN, talking to the
local Slack over a WebSocket: hello, envelopes, acks, refresh, bad envelopes, refused tokens."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from datetime import datetime

import aiohttp
import pytest
from sqlmodel import select

from bot.runtime import STOP_WITHIN
from localslack.bench import Bench, settle
from localslack.client import SlackClient
from localslack.server import LocalSlack
from localslack.socket_mode import takes_reply
from models.tables import Deal
from tests.helpers import text_of
from tests.processes import TOKEN, env_for, free_port, run, salesbot, stop, wait_ready
from tests.socket_bot import APP_TOKEN, socket_bot


async def test_a_command_over_socket_mode_is_acked_and_answered(tmp_path):
    async with socket_bot(tmp_path) as bot:
        envelope, key = await bot.command("UALICE", "add Acme 10k")
        ack = await bot.slack.socket_mode.wait_ack(envelope)
        assert ack["envelope_id"] == envelope.envelope_id
        assert "Added deal #1" in text_of(await bot.reply(key))
        envelope, key = await bot.command("UALICE", "list")
        await bot.slack.socket_mode.wait_ack(envelope)
        assert "Acme" in text_of(await bot.reply(key))
        assert len(envelope.acks) == 1  # one ack per envelope, never a second
        async with aiohttp.ClientSession() as http, http.get(bot.health + "/readyz") as resp:
            assert resp.status == 200


async def test_after_a_refresh_disconnect_the_bot_reconnects_and_serves(tmp_path):
    async with socket_bot(tmp_path) as bot:
        sm = bot.slack.socket_mode
        assert sm.opened == 1
        await sm.disconnect("refresh_requested")
        await bot.slack.wait_for(lambda: sm.opened >= 2 and sm.connections, 15)
        envelope, key = await bot.command("UALICE", "help")
        await sm.wait_ack(envelope)
        assert "/deal add" in text_of(await bot.reply(key))


async def test_a_redelivered_command_is_acked_again(tmp_path):
    async with socket_bot(tmp_path) as bot:
        sm = bot.slack.socket_mode
        envelope, key = await bot.command("UALICE", "help")
        await sm.wait_ack(envelope)
        await bot.reply(key)
        await sm.redeliver(envelope, "timeout")
        await bot.slack.wait_for(lambda: len(envelope.acks) == 2)
        assert envelope.retry_attempt == 1 and envelope.acks[1]["envelope_id"] == envelope.envelope_id


async def test_a_bad_envelope_is_acked_and_the_next_one_served(tmp_path):
    async with socket_bot(tmp_path) as bot:
        sm = bot.slack.socket_mode
        await sm.send_raw({"envelope_id": "bad-1", "type": "no_such_type", "payload": {}})
        await sm.send_raw({"envelope_id": "bad-2", "type": "slash_commands", "payload": "not an object"})
        await sm.send_raw({"envelope_id": "bad-3", "type": "interactive"})
        await sm.send_raw({"envelope_id": "bad-4", "type": "events_api", "payload": {}})
        envelope, key = await bot.command("UALICE", "help")
        await sm.wait_ack(envelope)
        assert "/deal add" in text_of(await bot.reply(key))
        await bot.slack.wait_for(lambda: all(sm.envelopes[f"bad-{i}"].acks for i in range(1, 5)))
        assert bot.proc.poll() is None  # type: ignore[attr-defined]
        # Acked, so that Slack does not send them again and again.
        for bad in ("bad-1", "bad-2", "bad-3", "bad-4"):
            assert sm.envelopes[bad].acks == [{"envelope_id": bad}], bad
        assert bot.slack.messages == []  # nothing was posted for them (the help went to a response_url)


async def test_the_emulator_refuses_wrong_app_tokens_as_slack_does():
    slack = await LocalSlack(token=TOKEN).start()
    try:
        async with aiohttp.ClientSession() as http:
            answers = []
            for token in ("xapp-1-wrong", TOKEN, ""):
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                async with http.post(slack.api_url + "apps.connections.open", headers=headers) as resp:
                    answers.append((await resp.json())["error"])
            assert answers == ["invalid_auth", "not_allowed_token_type", "not_authed"]
            good = next(iter(slack.socket_mode.app_tokens))
            headers = {"Authorization": f"Bearer {good}"}
            async with http.post(slack.api_url + "apps.connections.open", headers=headers) as resp:
                url = (await resp.json())["url"]
            assert url.startswith(f"ws://127.0.0.1:{slack.port}/link/?ticket=")
            async with http.ws_connect(url) as ws:
                hello = await ws.receive_json(timeout=5)
            assert hello["type"] == "hello" and hello["num_connections"] == 1
            assert hello["connection_info"] == {"app_id": "A0LOCAL"}
            async with http.get(url) as resp:  # a URL is good for one connection
                assert resp.status == 401
    finally:
        await slack.stop()


async def test_a_revoked_app_token_stops_serve_with_one_line(tmp_path):
    slack = await LocalSlack(token=TOKEN).start()
    token = next(iter(slack.socket_mode.app_tokens))
    slack.socket_mode.revoked.add(token)
    try:
        env = env_for(slack, f"sqlite:///{tmp_path / 'x.db'}", 0, SLACK_APP_TOKEN=token)
        env["HEALTH_PORT"] = str(free_port())
        result = await asyncio.to_thread(run, "serve", env=env)
    finally:
        await slack.stop()
    assert result.returncode == 2, result.stderr
    assert "salesbot: SLACK_APP_TOKEN: Socket Mode could not connect: invalid_auth" in result.stderr
    assert "Traceback" not in result.stderr


async def test_with_slack_down_serve_backs_off_one_line_per_attempt_then_connects(tmp_path):
    api_port, health_port = free_port(), free_port()
    slack = LocalSlack(token=TOKEN).remote("127.0.0.1", api_port)  # nothing listens there yet
    env = env_for(slack, f"sqlite:///{tmp_path / 'x.db'}", 0, SLACK_APP_TOKEN=APP_TOKEN)
    env |= {"HEALTH_PORT": str(health_port), "SALESBOT_RECONNECT_BASE": "0.05"}
    proc = salesbot("serve", env=env)
    health = f"http://127.0.0.1:{health_port}"
    try:
        await wait_ready(health + "/healthz", proc)  # the health port opens before any attempt
        async with aiohttp.ClientSession() as http:
            async with http.get(health + "/readyz") as resp:
                assert resp.status == 503
                assert "not connected to Slack (Socket Mode)" in (await resp.json())["problems"]
            await asyncio.sleep(1.5)  # the window: waits of at most 0.05, 0.1, 0.2, 0.4, 0.8 s fit 5 tries
            slack = await LocalSlack(token=TOKEN).start(port=api_port)
            slack.socket_mode.app_tokens[APP_TOKEN] = slack.team_id
            await slack.socket_mode.wait_connected(timeout=30)
            await wait_ready(health + "/readyz", proc)
            async with http.get(health + "/metrics") as resp:
                scraped = await resp.text()
            assert "salesbot_socket_connected 1.0" in scraped
    finally:
        proc.terminate()
        _, err = await asyncio.to_thread(proc.communicate, timeout=20)
        stop(proc)
        with contextlib.suppress(Exception):
            await slack.stop()
    attempts = [line for line in err.splitlines() if "Socket Mode: attempt" in line]
    numbers = [int(line.split("attempt ")[1].split()[0]) for line in attempts]
    assert numbers == list(range(1, len(numbers) + 1)) and 5 <= len(numbers) <= 40, attempts
    assert f"salesbot_socket_reconnects_total {len(numbers)}.0" in scraped
    assert "Traceback" not in err


async def test_the_link_closes_within_two_seconds_when_slack_never_answers_the_close(sqlite_db):
    bench = Bench(sqlite_db, transport="socket")
    bench.slack.socket_mode.silent_close = True  # aiohttp alone would wait 10 s for the reply
    async with bench:
        assert bench.link is not None and bench.slack.socket_mode.connections
        started = time.monotonic()
        await bench.link.close()
        assert time.monotonic() - started < 2.0
        assert not await bench.link.connected()


async def test_serve_in_socket_mode_stops_within_two_seconds_of_sigterm(tmp_path):
    async with socket_bot(tmp_path, silent_close=True) as bot:
        envelope, key = await bot.command("UALICE", "help")
        await bot.slack.socket_mode.wait_ack(envelope)
        await bot.reply(key)
        signalled = time.monotonic()
        bot.proc.terminate()  # type: ignore[attr-defined]
        _, err = await asyncio.to_thread(bot.proc.communicate, timeout=20)  # type: ignore[attr-defined]
        exited = time.monotonic() - signalled
    assert bot.proc.returncode == 0, err  # type: ignore[attr-defined]
    assert exited < STOP_WITHIN, exited
    stamps = {}
    for line in err.splitlines():
        for word in ("stopping:", "stopped"):
            if line.endswith(word) or f"bot.runtime: {word}" in line:
                stamps[word] = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
    assert (stamps["stopped"] - stamps["stopping:"]).total_seconds() < 2.0, err
    assert "Traceback" not in err


async def test_a_dropped_link_reconnects_with_backoff_one_line_per_attempt(tmp_path):
    """Slack goes away without a `disconnect` message (its socket closes, its API does not answer),
    then comes back: the bot backs off as at its first connect, one line per attempt, and serves again."""
    api_port, health_port = free_port(), free_port()
    slack = await LocalSlack(token=TOKEN).start(port=api_port)
    slack.socket_mode.app_tokens[APP_TOKEN] = slack.team_id
    env = env_for(slack, f"sqlite:///{tmp_path / 'x.db'}", 0, SLACK_APP_TOKEN=APP_TOKEN)
    env |= {"HEALTH_PORT": str(health_port), "SALESBOT_RECONNECT_BASE": "0.05"}
    log = tmp_path / "serve.log"  # a file, so the test can read the attempts while the bot runs
    with log.open("w") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=err_file
        )
    health = f"http://127.0.0.1:{health_port}"

    def attempts() -> list[str]:
        return [line for line in log.read_text().splitlines() if "Socket Mode: reconnect " in line]

    try:
        await wait_ready(health + "/readyz", proc)
        await slack.stop()  # closes the socket as a dead edge does: no `disconnect` first
        # Slack stays away until the bot has tried three times (however long a loaded machine takes).
        deadline = time.monotonic() + 60
        while len(attempts()) < 3:
            assert time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.05)
        async with aiohttp.ClientSession() as http, http.get(health + "/readyz") as resp:
            assert resp.status == 503
        slack = await LocalSlack(token=TOKEN).start(port=api_port)
        slack.socket_mode.app_tokens[APP_TOKEN] = slack.team_id
        slack.add_user("UALICE", "alice")
        await slack.socket_mode.wait_connected(timeout=30)
        await wait_ready(health + "/readyz", proc)
        client = SlackClient(slack, "http://unused", "unused", socket=slack.socket_mode)
        sent = await client.command("UALICE", "help")
        assert "/deal add" in text_of(await client.reply(sent))
    finally:
        proc.terminate()
        await asyncio.to_thread(proc.wait, timeout=20)
        stop(proc)
        with contextlib.suppress(Exception):
            await slack.stop()
    err = log.read_text()
    numbers = [int(line.split("reconnect ")[1].split()[0]) for line in attempts()]
    assert numbers == list(range(1, len(numbers) + 1)) and 3 <= len(numbers) <= 40, err
    assert "Traceback" not in err, err


SOCKET = pytest.mark.parametrize("transport", ["socket"], indirect=True)


@SOCKET
async def test_redelivered_envelopes_are_acked_and_acted_on_once(bench):
    """Slack redelivers an envelope whose ack it missed (retry_attempt 1, the same payload): a
    command is known by its trigger_id, an event by its event_id (handlers/once.py)."""
    sm = bench.slack.socket_mode
    sent = await bench.client.command("UALICE", "add Acme 10k")
    assert "Added deal #1" in text_of(await bench.client.reply(sent))
    command = next(e for e in sm.envelopes.values() if e.type == "slash_commands")
    await sm.redeliver(command, "timeout")
    await bench.slack.wait_for(lambda: len(command.acks) == 2)
    home = await bench.client.open_home("UALICE")
    event = next(e for e in sm.envelopes.values() if e.type == "events_api")
    published = len(bench.slack.calls_to("views.publish"))
    await sm.redeliver(event, "timeout")
    await bench.slack.wait_for(lambda: len(event.acks) == 2)
    await settle()
    assert command.retry_attempt == event.retry_attempt == 1
    with bench.db.read() as s:
        assert len(s.exec(select(Deal)).all()) == 1
    assert len(bench.slack.responses[sent.response_key]) == 1  # answered once
    assert len(bench.slack.calls_to("views.publish")) == published and home


@SOCKET
async def test_envelopes_no_listener_takes_are_acked(bench):
    sm = bench.slack.socket_mode
    event = await sm.send(
        "events_api",
        json.loads(bench.client.event_body({"type": "reaction_added", "user": "UALICE", "reaction": "+1"})),
    )
    click = await sm.send(
        "interactive",
        {
            "type": "block_actions",
            "team": {"id": bench.slack.team_id},
            "user": {"id": "UALICE", "team_id": bench.slack.team_id},
            "api_app_id": "A0LOCAL",
            "trigger_id": bench.slack.new_trigger(),
            "actions": [{"type": "button", "action_id": "no_such_action", "block_id": "b", "value": "x"}],
        },
    )
    assert await sm.wait_ack(event) == {"envelope_id": event.envelope_id}
    assert await sm.wait_ack(click) == {"envelope_id": click.envelope_id}
    assert bench.slack.messages == []


@pytest.mark.parametrize(
    "kind, payload_type, expected",
    [  # as Slack's own SDK records them (python-slack-sdk's mock Socket Mode server)
        ("slash_commands", None, True),
        ("interactive", "shortcut", False),
        ("interactive", "block_actions", False),
        ("interactive", "view_submission", True),
        ("interactive", "block_suggestion", True),
        ("events_api", None, False),
    ],
)
def test_only_what_slack_lets_an_app_answer_in_its_ack_says_so(kind, payload_type, expected):
    payload = {"type": payload_type} if payload_type else {"command": "/deal"}
    assert takes_reply(kind, payload) is expected
