"""Socket Mode end to end: the bot started as `serve` starts it with SLACK_APP_TOKEN, talking to the
local Slack over a WebSocket: hello, envelopes, acks, refresh, bad envelopes, refused tokens."""

from __future__ import annotations

import asyncio

import aiohttp

from localslack.server import LocalSlack
from tests.helpers import text_of
from tests.processes import TOKEN, env_for, free_port, run
from tests.socket_bot import socket_bot


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
        envelope, key = await bot.command("UALICE", "help")
        await sm.wait_ack(envelope)
        assert "/deal add" in text_of(await bot.reply(key))
        assert bot.proc.poll() is None  # type: ignore[attr-defined]


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
