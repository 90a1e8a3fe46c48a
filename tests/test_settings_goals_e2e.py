"""Goals in `/pipeline settings`: the team's or a rep's goal for this month or quarter, with the
same rules as `/pipeline goals set`; a mistake lands on its field and changes nothing."""

from __future__ import annotations

from sqlmodel import select

from models.settings_tables import Goal
from models.tables import Team
from tests.helpers import open_settings, text_of


def goals(db) -> list[tuple]:
    with db.read() as s:
        rows = s.exec(select(Goal).order_by(Goal.user_id, Goal.period))
        return [
            (g.user_id, g.period, g.starts, g.amount_cents, g.currency, g.deal_count, g.set_by) for g in rows
        ]


async def test_an_admin_sets_the_teams_quarter_goal_and_a_reps_month_goal_in_settings(bench):
    view = await open_settings(bench)
    today = bench.fixed_now.date()
    quarter_first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    ack = await bench.client.submit(
        "UADMIN", view, {"goal_period": "quarter", "goal_amount": "200k", "goal_deals": "8"}
    )
    assert ack.status == 200 and not (ack.json or {}).get("errors")
    assert goals(bench.db) == [("", "quarter", quarter_first, 20_000_000, "EUR", 8, "UADMIN")]

    view = await open_settings(bench)
    ack = await bench.client.submit("UADMIN", view, {"goal_who": "UALICE", "goal_amount": "50,000 USD"})
    assert not (ack.json or {}).get("errors")
    assert goals(bench.db)[1] == ("UALICE", "month", today.replace(day=1), 5_000_000, "USD", None, "UADMIN")
    # Alice sees hers and the team's, as if set with /pipeline goals set.
    reply = await bench.client.reply(await bench.client.command("UALICE", "goals", command="/pipeline"))
    text = text_of(reply)
    assert "*<@UALICE>*" in text and "$50,000" in text and "€200,000" in text and "0 of 8 deals" in text


async def test_saving_settings_with_no_goal_amount_changes_no_goal(bench):
    await bench.client.reply(await bench.client.command("UADMIN", "goals set team 100k", command="/pipeline"))
    before = goals(bench.db)
    assert len(before) == 1
    view = await open_settings(bench)
    ack = await bench.client.submit("UADMIN", view, {"timezone": "Europe/Berlin"})
    assert not (ack.json or {}).get("errors")
    assert goals(bench.db) == before
    with bench.db.read() as s:
        assert s.get(Team, "T0LOCAL").timezone == "Europe/Berlin"


async def test_a_bad_goal_is_a_field_error_and_nothing_changes(bench):
    view = await open_settings(bench)
    cases = [
        ({"goal_amount": "lots"}, "goal_amount", "I can't read the amount `lots`"),
        ({"goal_amount": "-5k"}, "goal_amount", "can't be negative"),
        ({"goal_amount": "50k", "goal_deals": "five"}, "goal_deals", "whole number, like `deals:5`"),
        ({"goal_amount": "50k", "goal_deals": "0"}, "goal_deals", "whole number"),
        ({"goal_deals": "5"}, "goal_amount", "Give the goal's amount too"),
    ]
    for values, block, expected in cases:
        ack = await bench.client.submit("UADMIN", view, {**values, "timezone": "Europe/Berlin"})
        assert expected in ack.json["errors"][block], (values, ack.json)
    assert goals(bench.db) == []
    with bench.db.read() as s:
        assert s.get(Team, "T0LOCAL").timezone == "Europe/Amsterdam"  # the rest of the form neither
