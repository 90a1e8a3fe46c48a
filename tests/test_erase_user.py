"""`salesbot erase-user`: a person's data in one team is erased; their deals, the others' data and the
other team's stay as they were."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.cli import erase_command
from models.delivery_tables import Outbox
from models.qualification_tables import QualificationAnswer
from models.settings_tables import Goal
from models.tables import Deal, DealNote, SlackUser, StageChange
from tests.chat import Chat
from tests.installs import two_workspaces

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
async def two(db):
    async with two_workspaces(db, NOW) as bench:
        bench.slack.add_user("UAMY", "amy", team_id="T0AAA")
        client = bench.client
        assert client is not None
        for user, words in (
            ("UADA", 'add "Ada one" 10k'),  # 1
            ("UADA", 'add "Ada two" 20k'),  # 2
            ("UAMY", 'add "Amy deal" 5k'),  # 3
            ("UADA", "note #1 Called their CFO"),
            ("UAMY", "note #3 Met them at the fair"),
            ("UADA", "won #2"),
            ("UADA", "language nl"),
            ("UBEA", 'add "Bea deal" 7k'),
        ):
            reply = await client.reply(await client.command(user, words))
            assert reply.text and "wrong" not in reply.text, (words, reply.text)
        # Two BANT answers by Ada on #1: a click (no evidence) and her own words.
        chat = Chat(bench, "UADA")
        await chat.command("qualify #1")
        first = await bench.slack.wait_for(lambda: chat.dms() and chat.last())
        await chat.click("qualify_yes", first)
        await chat.say("she decides herself")
        yield bench


def snapshot(db):
    """Every row erasing may touch, as plain tuples."""
    with db.read() as s:
        return {
            "deals": sorted((d.team_id, d.number, d.owner_id, d.created_by) for d in s.exec(select(Deal))),
            "notes": sorted((n.team_id, n.user_id, n.text) for n in s.exec(select(DealNote))),
            "changes": sorted((c.team_id, c.deal_id, c.user_id) for c in s.exec(select(StageChange))),
            "users": sorted((u.team_id, u.user_id, u.language) for u in s.exec(select(SlackUser))),
            "answers": sorted(
                (a.team_id, a.question, a.answered_by, a.evidence)
                for a in s.exec(select(QualificationAnswer))
            ),
            "outbox": sorted((o.team_id, o.channel, o.status) for o in s.exec(select(Outbox))),
        }


async def test_erasing_a_user_anonymises_their_records_and_keeps_everyone_elses(two, capsys):
    with two.db.write() as s:  # Ada's own goal (set by Amy), and the one Ada set for Amy
        for user, by in (("UADA", "UAMY"), ("UAMY", "UADA")):
            s.add(
                Goal(
                    team_id="T0AAA",
                    user_id=user,
                    period="month",
                    starts=date(2026, 11, 1),
                    amount_cents=100,
                    currency="EUR",
                    set_by=by,
                    set_at=datetime(2026, 11, 2, tzinfo=UTC),
                )
            )
    before = snapshot(two.db)
    assert ("T0AAA", "UADA", "nl") in before["users"]
    url = two.db.url

    assert erase_command(url, "T0AAA", ["UADA"], dry_run=True) == 0
    out = capsys.readouterr().out
    # By hand: 1 note (on #1), 2 deals created, 3 stage changes (two creations and the win), no
    # snooze, 1 qualification (#1) with 2 answers, 1 profile, 1 pending message (the welcome DM of
    # her install, never dispatched here).
    counts = (
        "notes 1, deals created 2, stage changes 3, snoozes 0, qualifications started 1, "
        "BANT answers 2, goals 1, goals set 1, exchange rates set 0, profile and language 1, "
        "DM choices 0, pending messages 1, owner changes (from) 0, owner changes (to) 0, owner changes (by) 0"
    )
    assert f"T0AAA UADA: would erase {counts}\n" in out
    assert "still owns 1 open deals" in out  # #1; #2 is won
    assert snapshot(two.db) == before

    assert erase_command(url, "T0AAA", ["UADA"], dry_run=False) == 0
    out = capsys.readouterr().out
    assert f"T0AAA UADA: erased {counts}\n" in out
    after = snapshot(two.db)
    with two.db.read() as s:
        assert [(g.user_id, g.set_by) for g in s.exec(select(Goal))] == [("UAMY", "erased")]
    assert [d for d in after["deals"] if d[0] == "T0AAA"] == [
        ("T0AAA", 1, "UADA", "erased"),  # the deal stays Ada's until it is reassigned
        ("T0AAA", 2, "UADA", "erased"),
        ("T0AAA", 3, "UAMY", "UAMY"),
    ]
    assert [n for n in after["notes"] if n[0] == "T0AAA"] == [
        ("T0AAA", "UAMY", "Met them at the fair"),
        ("T0AAA", "erased", "Called their CFO"),
    ]
    assert not [u for u in after["users"] if u[1] == "UADA"]
    assert not [c for c in after["changes"] if c[2] == "UADA"]
    assert [a for a in after["answers"] if a[0] == "T0AAA"] == [
        ("T0AAA", "authority", "erased", ""),
        ("T0AAA", "budget", "erased", ""),
    ]
    assert [o for o in after["outbox"] if o[0] == "T0AAA"] == []
    assert [c[2] for c in after["changes"] if c[0] == "T0AAA"].count("erased") == 3
    # The other team's rows and Amy's are as they were.
    for key in before:
        assert [r for r in after[key] if r[0] == "T0BBB"] == [r for r in before[key] if r[0] == "T0BBB"]
    assert [u for u in after["users"] if u[1] == "UAMY"] == [u for u in before["users"] if u[1] == "UAMY"]

    # Again: nothing left to erase.
    assert erase_command(url, "T0AAA", ["UADA"], dry_run=False) == 0
    assert "erased notes 0, deals created 0, stage changes 0, snoozes 0, qualifications started 0, " in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("team", "users", "message"),
    [
        ("T0NONE", ["UADA"], "There is no team T0NONE in this database. Teams: T0AAA, T0BBB."),
        ("T0AAA", ["ada"], "Not a Slack user id: 'ada'"),
        ("T0AAA", [], "Name at least one user id"),
    ],
)
async def test_bad_input_gets_a_clear_message_and_changes_nothing(two, capsys, team, users, message):
    before = snapshot(two.db)
    assert erase_command(two.db.url, team, users, dry_run=False) == 2
    err = capsys.readouterr().err
    assert message in err and "Nothing was changed." in err
    assert snapshot(two.db) == before
