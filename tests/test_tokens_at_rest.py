"""Installed workspaces' tokens are encrypted in our database (bot/token_cipher.py), rows written
before keep working and are sealed at the next start, keys rotate, and installing logs no secret."""

from __future__ import annotations

import logging
import re

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, update

from bot.installations import reseal
from bot.token_cipher import CipherError, TokenCipher
from localslack.bench import ENCRYPTION_KEY, Bench
from models.installations import bots, installations
from tests.forgery import captured_log
from tests.helpers import text_of
from tests.installs import install

NEW_KEY = Fernet.generate_key().decode()


def stored_tokens(db) -> list[str]:
    with db.write_engine.connect() as conn:
        rows = [r.bot_token for r in conn.execute(select(bots.c.bot_token))]
        rows += [r.bot_token for r in conn.execute(select(installations.c.bot_token))]
    return rows


async def installed(db, keys: str = ENCRYPTION_KEY) -> Bench:
    bench = await Bench(db, multi_workspace=True, encryption_keys=keys).start()
    bench.slack.add_user("UADA", "ada", team_id="T0AAA")
    async with aiohttp.ClientSession() as http:
        await install(bench, http, "T0AAA", "Acme Sales", "UADA")
    return bench


async def answered(bench: Bench) -> str:
    return text_of(await bench.client.reply(await bench.client.command("UADA", "help", team="T0AAA")))


async def test_an_installed_workspaces_token_is_stored_encrypted_and_still_works(db):
    bench = await installed(db)
    try:
        token = next(t for t, team in bench.slack.tokens.items() if team == "T0AAA")
        stored = stored_tokens(db)
        assert len(stored) == 2  # the installation and its bot
        assert all(token not in s and not s.startswith("xox") for s in stored)
        assert {TokenCipher(ENCRYPTION_KEY).open(s) for s in stored} == {token}
        assert "What I can do" in await answered(bench)
    finally:
        await bench.stop()


async def test_a_row_written_before_encryption_keeps_working_and_is_sealed_at_start(db):
    bench = await installed(db)
    try:
        token = next(t for t, team in bench.slack.tokens.items() if team == "T0AAA")
        with db.write_engine.begin() as conn:  # as main stored it before this change
            conn.execute(update(bots).values(bot_token=token))
            conn.execute(update(installations).values(bot_token=token))
        assert "What I can do" in await answered(bench)
        assert reseal(db, TokenCipher(ENCRYPTION_KEY)) == 2
        assert token not in stored_tokens(db)
        assert reseal(db, TokenCipher(ENCRYPTION_KEY)) == 0
        assert "What I can do" in await answered(bench)
    finally:
        await bench.stop()


async def test_keys_rotate_the_first_encrypts_and_every_one_decrypts(db):
    old = await installed(db)  # sealed with ENCRYPTION_KEY
    await old.stop()
    rotating = f"{NEW_KEY},{ENCRYPTION_KEY}"
    assert reseal(db, TokenCipher(rotating)) == 2
    with pytest.raises(CipherError):  # the old key alone opens nothing any more
        [TokenCipher(ENCRYPTION_KEY).open(s) for s in stored_tokens(db)]
    bench = await Bench(db, multi_workspace=True, encryption_keys=NEW_KEY).start()
    bench.slack.add_user("UADA", "ada", team_id="T0AAA")
    bench.slack.tokens.update(old.slack.tokens)  # the same Slack workspace, after the restart
    try:
        assert "What I can do" in await answered(bench)
    finally:
        await bench.stop()


async def test_installing_writes_no_code_secret_or_token_to_the_log_even_at_debug(db):
    with captured_log(logging.DEBUG) as log:
        bench = await installed(db)
        try:
            await answered(bench)
        finally:
            await bench.stop()
    written = log.getvalue()
    tokens = list(bench.slack.tokens)
    assert "oauth.v2.access" in written or written  # something was logged at DEBUG
    assert not re.search(r"code-T0AAA-\d+", written), "the OAuth code"
    assert "local-client-secret" not in written
    for token in tokens:
        assert token not in written, token


def test_keys_that_are_not_fernet_keys_are_refused_clearly():
    for keys in ("", " , ", "not-a-key", f"{NEW_KEY},short"):
        with pytest.raises(CipherError, match="SALESBOT_ENCRYPTION_KEYS"):
            TokenCipher(keys)
