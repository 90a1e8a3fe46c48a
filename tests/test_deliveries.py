"""A delivery is claimed once: the first claim of an event id wins, a retry loses, and the record is
forgotten once no retry can come (models/deliveries.py)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from models.deliveries import claim_event, prune

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_the_first_claim_of_an_event_wins_and_its_retry_loses(db):
    assert claim_event(db, "T1", "Ev1", TUESDAY_10) is True
    assert claim_event(db, "T1", "Ev1", TUESDAY_10 + timedelta(seconds=30)) is False
    assert claim_event(db, "T1", "Ev1", TUESDAY_10 + timedelta(minutes=5)) is False


def test_the_same_event_id_in_another_team_is_a_delivery_of_its_own(db):
    assert claim_event(db, "T1", "Ev1", TUESDAY_10) is True
    assert claim_event(db, "T2", "Ev1", TUESDAY_10) is True
    assert claim_event(db, "T2", "Ev1", TUESDAY_10) is False
    assert claim_event(db, "T1", "Ev2", TUESDAY_10) is True


def test_a_claim_is_one_statement_whether_it_wins_or_loses(db):
    """One INSERT ... ON CONFLICT DO NOTHING, committed by the database itself: no BEGIN on SQLite,
    no savepoint or rollback for a retry."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.write_engine, "before_cursor_execute", count)
    try:
        won = claim_event(db, "T1", "Ev1", TUESDAY_10)
        lost = claim_event(db, "T1", "Ev1", TUESDAY_10)
    finally:
        event.remove(db.write_engine, "before_cursor_execute", count)
    assert (won, lost) == (True, False)
    assert [s.split(None, 1)[0] for s in statements] == ["INSERT", "INSERT"]
    assert all("ON CONFLICT" in s for s in statements)


def test_of_eight_claims_at_once_exactly_one_wins(db):
    with ThreadPoolExecutor(max_workers=8) as pool:
        won = list(pool.map(lambda _: claim_event(db, "T1", "Ev1", TUESDAY_10), range(8)))
    assert sorted(won) == [False] * 7 + [True]


def test_prune_forgets_only_the_deliveries_older_than_the_cut(db):
    assert claim_event(db, "T1", "old", TUESDAY_10)
    assert claim_event(db, "T1", "new", TUESDAY_10 + timedelta(minutes=10))
    assert prune(db, TUESDAY_10 + timedelta(minutes=5)) == 1
    assert claim_event(db, "T1", "old", TUESDAY_10 + timedelta(minutes=11)) is True  # forgotten
    assert claim_event(db, "T1", "new", TUESDAY_10 + timedelta(minutes=11)) is False  # still known
