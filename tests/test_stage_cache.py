"""A team's stages are kept in memory by the Database that read them: fresh for STAGE_TTL seconds,
forgotten when settings change them, and never kept from a read that raced a change."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db import STAGE_TTL, Database, TeamCache
from models.teams import cached_stages, ensure_team, forget_stages

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def rename_first_stage(db: Database, team_id: str, name: str) -> None:
    """A change another replica makes: straight to the database, past this one's memory."""
    with db.write() as s:
        first = min(cached_stages(s, team_id), key=lambda st: st.position)
        row = s.get(type(first), first.id)
        assert row is not None
        row.name = name
        s.add(row)


def first_name(db: Database, team_id: str = "T0LOCAL") -> str:
    with db.read() as s:
        return cached_stages(s, team_id)[0].name


def test_stages_come_from_memory_until_forgotten(db):
    with db.write() as s:
        ensure_team(s, "T0LOCAL", NOW)
    assert first_name(db) == "Prospecting"
    rename_first_stage(db, "T0LOCAL", "Leads")
    assert first_name(db) == "Prospecting"  # in memory, as another replica's change within the TTL
    with db.read() as s:
        forget_stages(s, "T0LOCAL")
    assert first_name(db) == "Leads"


def test_each_database_keeps_its_own_stages(db):
    with db.write() as s:
        ensure_team(s, "T0LOCAL", NOW)
    assert first_name(db) == "Prospecting"
    other = Database(db.url)  # another replica on the same database
    try:
        assert first_name(other) == "Prospecting"
        rename_first_stage(db, "T0LOCAL", "Leads")
        db.stage_cache.forget("T0LOCAL")  # this replica saved the change and forgot its own copy
        assert first_name(db) == "Leads"
        assert first_name(other) == "Prospecting"  # the other sees it when its entry expires
    finally:
        other.dispose()


def test_an_entry_expires_after_its_ttl(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("bot.db.time.monotonic", lambda: clock[0])
    cache: TeamCache[list[str]] = TeamCache(STAGE_TTL)
    reads = []

    def read() -> list[str]:
        reads.append(clock[0])
        return ["stage"]

    cache.get("T1", read)
    clock[0] += STAGE_TTL - 1
    cache.get("T1", read)
    assert len(reads) == 1
    clock[0] += 1
    cache.get("T1", read)
    assert len(reads) == 2


def test_a_read_that_raced_a_change_is_not_kept_nor_is_an_empty_one():
    cache: TeamCache[list[str]] = TeamCache(STAGE_TTL)

    def read_during_a_change() -> list[str]:
        cache.forget("T1")  # settings saved while this read was on its way
        return ["old"]

    assert cache.get("T1", read_during_a_change) == ["old"]
    assert cache.get("T1", lambda: ["new"]) == ["new"]
    assert cache.get("T2", list) == []  # a team not made yet
    assert cache.get("T2", lambda: ["made"]) == ["made"]
