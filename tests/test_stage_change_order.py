"""The time of a stage change is taken under the deal's lock: read in time order (ties by id), the
stage history chains, each change starting where the one before ended, even when a move read the
clock before another's and waited for it."""

import asyncio
from datetime import timedelta

from sqlmodel import col, select

from bot.i18n import translator
from domain.amounts import Amount
from domain.deal_form import NewDeal
from models.tables import Stage, StageChange, saved_id
from models.teams import ensure_team, stages
from services import deals
from tests.nudging import TEAM, TUESDAY_10_UTC

KEYS = ["prospecting", "qualification", "first_contact", "needs_assessment", "proposal", "negotiation"]


def setup(db) -> dict[str, int]:
    with db.write() as s:
        ensure_team(s, TEAM, TUESDAY_10_UTC)
        ids = {st.key: saved_id(st) for st in stages(s, TEAM)}
    new = NewDeal(name="Acme", owner_id="UALICE", amount=Amount(100_000, "EUR"), stage_id=ids["prospecting"])
    deals.create(db, TEAM, "UALICE", new, TUESDAY_10_UTC - timedelta(days=1))
    return ids


def history(db) -> list[StageChange]:
    with db.read() as s:
        return list(s.exec(select(StageChange).order_by(col(StageChange.at), col(StageChange.id))))


def assert_chains(changes: list[StageChange]) -> None:
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.from_stage_id == before.to_stage_id, (before, after)
        assert after.at >= before.at


def test_a_move_that_read_the_clock_earlier_but_waited_is_recorded_after(db):
    ids = setup(db)
    _ = translator("en")
    deals.move(db, TEAM, "UALICE", 1, None, _, TUESDAY_10_UTC, stage_id=ids["proposal"])
    # This one read the clock a second earlier, then waited for the first one's lock.
    deals.move(
        db, TEAM, "UBOB", 1, None, _, TUESDAY_10_UTC - timedelta(seconds=1), stage_id=ids["negotiation"]
    )
    changes = history(db)
    assert [c.to_stage_id for c in changes] == [ids["prospecting"], ids["proposal"], ids["negotiation"]]
    assert_chains(changes)


async def test_sixteen_moves_at_once_leave_a_history_that_chains(db):
    ids = setup(db)
    _ = translator("en")
    targets = [ids[KEYS[i % len(KEYS)]] for i in range(1, 17)]
    # Each request read the clock at its own moment, in the reverse of the order the locks go.
    moments = [TUESDAY_10_UTC - timedelta(milliseconds=i) for i in range(16)]

    async def move(i: int) -> None:
        await db.run(deals.move, db, TEAM, "UALICE", 1, None, _, moments[i], stage_id=targets[i])

    await asyncio.gather(*(move(i) for i in range(16)))
    changes = history(db)
    assert 2 <= len(changes) <= 17  # the creation, and each move that changed the stage
    assert_chains(changes)
    with db.read() as s:
        assert s.get(Stage, changes[-1].to_stage_id) is not None
