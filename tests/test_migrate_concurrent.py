"""Two `salesbot migrate` runs at once (two replicas starting) on a fresh PostgreSQL database both
succeed: the migrations run under an advisory lock, one after the other."""

import os
import subprocess
import sys

import pytest
from alembic import command

from bot.migrate import alembic_config
from tests.conftest import PG_OK
from tests.databases import fresh_postgres

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations


def start_migrate(url: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url)
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "migrate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.skipif(not PG_OK, reason="PostgreSQL unreachable")
@pytest.mark.parametrize("attempt", range(3))
def test_two_migrate_runs_at_once_both_succeed(attempt):
    with fresh_postgres("salesbot_mig2") as url:
        runs = [start_migrate(url), start_migrate(url)]
        results = [(p.wait(120), p.stdout.read().decode(), p.stderr.read().decode()) for p in runs]
        for code, out, err in results:
            assert code == 0, err
            assert "database is up to date" in out
        command.check(alembic_config(url))  # one complete schema, matching the models
