"""Each request kind runs a recorded number of database statements: added round trips fail here."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlmodel import select

from models.tables import Deal, DealNote
from tests.helpers import text_of

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)

# Statements per request as measured when this test was written (SQLite counts its BEGINs too);
# lower them when a cut lands. The Home tab's goal line (issue 19) added one read: 6/4 -> 8/5.
# The card of a deal changed since it was added reads its owner history too (one indexed query).
# The Home tab's section of the rep's choice of DMs (issue 18) added one read: 8/5 -> 10/6.
# Issue 20: `/deal add` 12/10 -> 9/7 (the number bumped and read back in one UPDATE ... RETURNING,
# no notes query for a deal at its first version, the new deal's stage not read twice).
# Issue 20: the delivery claim is one INSERT ... ON CONFLICT DO NOTHING committed by itself, no BEGIN
# IMMEDIATE on SQLite: one statement fewer for every request kind there. A deal's card just after it
# was added reads no qualification (it cannot have one yet): `/deal add` 8/7 -> 7/6.
# Issue 20: the deal number's UPDATE ... RETURNING also returns the team's currency, so `/deal add`
# reads no team row: 7/6 -> 6/5.
# Issue 20: a card's Log note button reads the deal alone, not its card (6/5 -> 3/2); the note's
# submission is counted from here too.
LIMITS = {
    "sqlite": {
        "deal add": 6,
        "deal list": 4,
        "card button": 3,
        "view submission": 10,
        "app home": 9,
        "note button": 3,
        "note submission": 10,
    },
    "postgres": {
        "deal add": 5,
        "deal list": 3,
        "card button": 2,
        "view submission": 8,
        "app home": 6,
        "note button": 2,
        "note submission": 8,
    },
}


@contextmanager
def counting(db) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engines = {id(e): e for e in (db.engine, db.write_engine)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


async def test_each_request_kind_stays_within_its_recorded_statement_count(bench):
    bench.fixed_now = TUESDAY_10
    client = bench.client
    await client.reply(await client.command("UALICE", "add Warmup 5k"))
    seen = {}
    with counting(bench.db) as statements:
        reply = text_of(await client.reply(await client.command("UALICE", 'add "Acme renewal" 50k')))
    assert "Acme renewal" in reply
    seen["deal add"] = len(statements)
    with counting(bench.db) as statements:
        reply = text_of(await client.reply(await client.command("UALICE", "list")))
    assert "Acme renewal" in reply
    seen["deal list"] = len(statements)
    card = await client.reply(await client.command("UALICE", "#2"))
    with counting(bench.db) as statements:
        await client.click("UALICE", card, "deal_next_step")
        view = await bench.slack.wait_for(
            lambda: next(
                (v for v in bench.slack.views.values() if v["callback_id"] == "deal_next_step"), None
            )
        )
    seen["card button"] = len(statements)
    with counting(bench.db) as statements:
        await client.submit("UALICE", view, {"step": "Send the proposal", "due": ""})
        await bench.slack.wait_for(lambda: _step_of(bench.db) == "Send the proposal")
    seen["view submission"] = len(statements)
    with counting(bench.db) as statements:
        home = await client.open_home("UALICE")
    assert home
    seen["app home"] = len(statements)
    with counting(bench.db) as statements:
        await client.click("UALICE", card, "deal_note")
        view = await bench.slack.wait_for(
            lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_note"), None)
        )
    seen["note button"] = len(statements)
    with counting(bench.db) as statements:
        await client.submit("UALICE", view, {"note": "Called Anna"})
        await bench.slack.wait_for(lambda: _notes_of(bench.db) == ["Called Anna"])
    seen["note submission"] = len(statements)
    limits = LIMITS["sqlite" if bench.db.is_sqlite else "postgres"]
    over = {kind: (n, limits[kind]) for kind, n in seen.items() if n > limits[kind]}
    assert not over, f"statements per request grew past the recorded count: {over}"


def _notes_of(db) -> list[str]:
    with db.read() as s:
        return list(s.exec(select(DealNote.text)))


def _step_of(db) -> str | None:
    with db.read() as s:
        return s.exec(select(Deal).where(Deal.number == 2)).one().next_step


WRITES = ("INSERT", "UPDATE", "DELETE")


async def test_before_its_ack_a_request_writes_once_at_most_and_calls_no_web_api(bench):
    """The ack waits on the delivery claim (handlers/once.py) and on nothing else that writes or
    calls Slack: the listeners are held right after their ack by taking the post-ack queue's one
    turn, so whatever the database and the local Slack saw until the HTTP answer came before it."""
    bench.fixed_now = TUESDAY_10
    client = bench.client
    await client.reply(await client.command("UALICE", "add Warmup 5k"))
    card = await client.reply(await client.command("UALICE", "#1"))
    queue = bench.deps.post_ack
    queue.workers, queue.limit = 1, 10
    await queue.enter()
    requests = {
        "deal add": lambda: client.command("UALICE", 'add "Acme renewal" 50k'),
        "deal list": lambda: client.command("UALICE", "list"),
        "card button": lambda: client.click("UALICE", card, "deal_next_step"),
        # Bob's first request: his language is looked up from Slack after the ack, not before.
        "a new rep's list": lambda: client.command("UBOB", "list"),
    }
    seen = {}
    try:
        for kind, send in requests.items():
            calls = len(bench.slack.calls)
            with counting(bench.db) as statements:
                sent = await send()
            assert sent.status == 200
            writes = [s for s in statements if s.lstrip().split(None, 1)[0].upper() in WRITES]
            seen[kind] = (len(writes), [c.method for c in bench.slack.calls[calls:]])
    finally:
        queue.leave()
    assert seen == {kind: (1, []) for kind in requests}  # the claim of its trigger_id, no call
    added = await bench.slack.wait_for(lambda: _deal_named(bench.db, "Acme renewal"))
    assert added.number == 2  # held, not lost: done once the turn was given back


def _deal_named(db, name: str) -> Deal | None:
    with db.read() as s:
        return s.exec(select(Deal).where(Deal.name == name)).first()
