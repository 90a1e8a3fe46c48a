"""Goals through the local Slack: a manager sets one, attainment shows on `/pipeline goals`,
`/pipeline` and Home, and each threshold (50, 90, 100 %) is told once to the rep and the managers.

The bench's clock is Tuesday 24 November 2026, 10:00 UTC; the team is in Europe/Amsterdam, so the
month is November 2026 and the quarter Q4 2026 (1 October to 31 December)."""

import re
from datetime import timedelta

from models import outbox as outbox_store
from models.settings_tables import Goal
from scheduler import outbox
from scheduler.goals import goal_job
from tests.nudging import setup_team


async def run(bench, text: str, user: str = "UALICE", command: str = "/deal") -> str:
    return (await bench.client.reply(await bench.client.command(user, text, command=command))).text


async def win(bench, name: str, amount: str, user: str = "UALICE") -> None:
    reply = await run(bench, f"add {name} {amount} proposal", user)
    found = re.search(r"#(\d+)", reply)
    assert found, reply
    number = int(found.group(1))
    await run(bench, f"won #{number}", user)


async def sweep(bench) -> list[str]:
    """The goals job and the outbox, as one scheduler tick runs them; the keys queued."""
    before = {r.key for r in outbox_store.rows(bench.db)}
    await goal_job(bench.deps, bench.bolt.client, bench.now())
    await outbox.dispatch(bench.db, bench.bolt.client, "w1", bench.now)
    return sorted(r.key for r in outbox_store.rows(bench.db) if r.key not in before)


def goals(bench) -> list[Goal]:
    with bench.db.read() as s:
        from sqlmodel import select

        return list(s.exec(select(Goal)))


async def test_a_rep_is_told_each_threshold_once_and_the_manager_too(bench):
    setup_team(bench, manager_ids="UADMIN")
    reply = await run(bench, "goals set <@UALICE|alice> 10k month", "UADMIN", "/pipeline")
    assert reply == "Goal set: <@UALICE>, November 2026, €10,000."

    await win(bench, "Acme", "4000")
    assert await sweep(bench) == []  # 40 %: nothing reached yet
    await win(bench, "Bolt", "1000")  # 5,000 of 10,000: exactly half reaches 50 %
    keys = await sweep(bench)
    goal_id = goals(bench)[0].id
    assert keys == [f"goal:{goal_id}:50:UADMIN", f"goal:{goal_id}:50:UALICE"]
    assert [m.text for m in bench.slack.dms("UALICE")] == [
        "You've reached 50% of your goal for November 2026."
    ]
    assert [m.text for m in bench.slack.dms("UADMIN")] == [
        "<@UALICE> has reached 50% of their goal for November 2026."
    ]

    assert await sweep(bench) == []  # a second tick tells nobody again
    await win(bench, "Corp", "5000")  # 10,000: passes 90 and 100 at once, told as 100
    assert await sweep(bench) == [f"goal:{goal_id}:100:UADMIN", f"goal:{goal_id}:100:UALICE"]
    assert (
        bench.slack.dms("UALICE")[-1].text
        == "Goal reached: you've hit your goal for November 2026. Well done!"
    )
    assert len(bench.slack.dms("UALICE")) == 2 and len(bench.slack.dms("UADMIN")) == 2
    assert goals(bench)[0].announced == 100


async def test_only_this_periods_wins_in_the_goals_currency_count(bench):
    setup_team(bench, manager_ids="UADMIN")
    now = bench.fixed_now
    bench.fixed_now = now - timedelta(days=30)  # 25 October: last month, but this quarter
    await win(bench, "October", "3000")
    bench.fixed_now = now
    await win(bench, "Dollars", "USD 9000")  # another currency: not converted without rates
    await win(bench, "November", "2000")
    await run(bench, "goals set <@UALICE> 10k month", "UADMIN", "/pipeline")
    await run(bench, "goals set team 20k quarter deals:4", "UADMIN", "/pipeline")

    text = await run(bench, "goals", "UADMIN", "/pipeline")
    blocks = (
        await bench.client.reply(await bench.client.command("UADMIN", "goals", command="/pipeline"))
    ).blocks
    lines = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert text == "Goals"
    # November: only the 2,000 won this month in EUR; Q4: 3,000 + 2,000 of 20,000 and 2 of 4 deals.
    assert lines == [
        "*<@UALICE>* · November 2026: ▰▰▱▱▱▱▱▱▱▱ €2,000 of €10,000 (20%) · 6 days left",
        "*Team* · Q4 2026: ▰▰▱▱▱▱▱▱▱▱ €5,000 of €20,000 (25%) · 2 of 4 deals · 37 days left",
    ]


async def test_a_rep_cannot_set_a_goal_and_bad_input_sets_nothing(bench):
    setup_team(bench, manager_ids="UADMIN")
    assert await run(bench, "goals set me 10k", "UBOB", "/pipeline") == (
        "Only workspace admins and the team's managers can do that."
    )
    assert "Set a goal like" in await run(bench, "goals set <@UALICE>", "UADMIN", "/pipeline")
    assert "Set a goal like" in await run(bench, "goals set anna 10k", "UADMIN", "/pipeline")
    assert "can't be negative" in await run(bench, "goals set <@UALICE> -5k", "UADMIN", "/pipeline")
    assert "whole number" in await run(bench, "goals set <@UALICE> 5k deals:many", "UADMIN", "/pipeline")
    assert goals(bench) == []
    assert await run(bench, "goals", "UBOB", "/pipeline") == (
        "No goals for this month or quarter yet. A manager sets one with `/pipeline goals set @anna 50k`."
    )


async def test_a_rep_sees_their_own_goal_and_the_teams_on_pipeline_and_home(bench):
    setup_team(bench, manager_ids="UADMIN")
    await run(bench, "goals set <@UALICE> 10k month", "UADMIN", "/pipeline")
    await run(bench, "goals set <@UBOB> 8k month", "UADMIN", "/pipeline")
    await run(bench, "goals set team 50k quarter", "UADMIN", "/pipeline")

    reply = await bench.client.reply(await bench.client.command("UALICE", "", command="/pipeline"))
    shown = " ".join(e["text"] for b in reply.blocks if b["type"] == "context" for e in b["elements"])
    assert "<@UALICE>" in shown and "*Team* · Q4 2026" in shown and "<@UBOB>" not in shown

    home = await bench.client.open_home("UALICE")
    shown = " ".join(e["text"] for b in home["blocks"] if b["type"] == "context" for e in b["elements"])
    assert "*<@UALICE>* · November 2026: ▱▱▱▱▱▱▱▱▱▱ €0 of €10,000 (0%) · 6 days left" in shown


async def test_each_person_reads_the_dm_in_their_own_language(bench):
    setup_team(bench, manager_ids="UADMIN", language="de", formal=True)
    bench.slack.add_user("UJONAS", "jonas", locale="de-DE")
    await run(bench, "goals set <@UJONAS> 2k month", "UADMIN", "/pipeline")
    await win(bench, "Müller", "1000", user="UJONAS")
    await sweep(bench)
    assert [m.text for m in bench.slack.dms("UJONAS")] == [
        "Sie haben 50\u00a0% Ihres Ziels für November 2026 erreicht."
    ]
    # the manager's Slack is in English: the DM about Jonas is too
    assert [m.text for m in bench.slack.dms("UADMIN")] == [
        "<@UJONAS> has reached 50% of their goal for November 2026."
    ]


async def test_the_digest_shows_each_goal_and_a_reps_preview_only_theirs_and_the_teams(bench):
    setup_team(bench, manager_ids="UADMIN")
    await run(bench, "goals set <@UALICE> 10k month", "UADMIN", "/pipeline")
    await run(bench, "goals set <@UBOB> 8k month", "UADMIN", "/pipeline")
    await win(bench, "Acme", "2500")

    def goal_lines(reply) -> list[str]:
        texts = [b["text"]["text"] for b in reply.blocks if b["type"] == "section" and "text" in b]
        return [line for t in texts if t.startswith("*Goals*") for line in t.splitlines()[1:]]

    manager = await bench.client.reply(await bench.client.command("UADMIN", "digest", command="/pipeline"))
    assert goal_lines(manager) == [
        "*<@UALICE>* · November 2026: ▰▰▱▱▱▱▱▱▱▱ €2,500 of €10,000 (25%) · 6 days left",
        "*<@UBOB>* · November 2026: ▱▱▱▱▱▱▱▱▱▱ €0 of €8,000 (0%) · 6 days left",
    ]
    rep = await bench.client.reply(await bench.client.command("UBOB", "digest", command="/pipeline"))
    assert goal_lines(rep) == ["*<@UBOB>* · November 2026: ▱▱▱▱▱▱▱▱▱▱ €0 of €8,000 (0%) · 6 days left"]
