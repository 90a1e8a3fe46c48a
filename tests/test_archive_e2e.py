"""Archiving end to end: a manager's archived deal leaves lists, Home, totals, digest, forecast, nudges
and reminders, stays in the history and the export, and comes back; reps are refused."""

import csv
from datetime import timedelta

from sqlmodel import col, select

from models.tables import Deal, StageChange
from services import reassign
from services.transfer.export import export_team
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, queued, run_sweep, seed
from tests.reminding import set_step


async def say(bench, user: str, text: str, command: str = "/deal") -> str:
    reply = await bench.client.reply(await bench.client.command(user, text, command=command))
    return f"{reply.text}\n{text_of(reply)}"


def archived(bench, number: int) -> tuple:
    with bench.db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()
        return deal.archived_at, deal.archived_by


async def two_deals(bench) -> tuple[int, int]:
    """Acme (€50,000) and Beta (€20,000), both Alice's, in Proposal."""
    bench.fixed_now = TUESDAY_10_UTC
    return seed(bench, "UALICE", "Acme", idle_days=1), seed(
        bench, "UALICE", "Beta", idle_days=1, cents=2_000_000
    )


async def test_an_archived_deal_leaves_lists_home_and_totals_and_comes_back(bench):
    acme, beta = await two_deals(bench)
    assert "€70,000" in await say(bench, "UALICE", "", command="/pipeline")
    reply = await say(bench, "UADMIN", f"archive #{acme}")
    assert f"Deal #{acme} is archived." in reply and "Archived by <@UADMIN>" in reply
    assert archived(bench, acme) == (TUESDAY_10_UTC, "UADMIN")

    listing = await say(bench, "UADMIN", "list all")
    assert "All open deals (1)" in listing and "Beta" in listing and "Acme" not in listing
    mine = await say(bench, "UALICE", "list")
    assert "Acme" not in mine and "Beta" in mine
    assert "€20,000" in await say(bench, "UALICE", "", command="/pipeline")  # 70,000 - 50,000
    home = await bench.client.open_home("UALICE")
    assert "Beta" in text_of(home) and "Acme" not in text_of(home)
    found = await say(bench, "UALICE", "find acme")
    assert "Acme" not in found and "No deal matches" in found

    # Still shown by number, not changed; the history keeps it.
    card = await bench.client.reply(await bench.client.command("UALICE", f"#{acme}"))
    assert "Acme" in text_of(card) and "unarchive" in text_of(card)
    assert not [b for b in card.blocks if b["type"] == "actions"]  # no buttons that would be refused
    refused = await say(bench, "UALICE", f"move #{acme} negotiation")
    assert f"Deal #{acme} is archived." in refused
    with bench.db.read() as s:
        acme_id = s.exec(select(Deal.id).where(Deal.team_id == TEAM, Deal.number == acme)).one()
        assert len(s.exec(select(StageChange).where(col(StageChange.deal_id) == acme_id)).all()) == 1

    bench.fixed_now = TUESDAY_10_UTC + timedelta(hours=1)
    assert "is back in the lists and totals" in await say(bench, "UADMIN", f"unarchive #{acme}")
    assert archived(bench, acme) == (None, None)
    assert "All open deals (2)" in await say(bench, "UADMIN", "list all")
    assert "€70,000" in await say(bench, "UALICE", "", command="/pipeline")


async def test_reps_are_refused_and_bad_archives_change_nothing(bench):
    acme, _beta = await two_deals(bench)
    cases = [
        (
            "UALICE",
            f"archive #{acme}",
            "Only the team's managers and admins can archive or unarchive a deal.",
        ),
        (
            "UALICE",
            f"unarchive #{acme}",
            "Only the team's managers and admins can archive or unarchive a deal.",
        ),
        ("UADMIN", "archive #99", "There is no deal #99"),
        ("UADMIN", f"unarchive #{acme}", f"Deal #{acme} is not archived."),
        ("UADMIN", "archive", "#"),
    ]
    for user, text, expected in cases:
        reply = await say(bench, user, text)
        assert expected in reply, (text, reply)
    assert archived(bench, acme) == (None, None)
    await say(bench, "UADMIN", f"archive #{acme}")
    assert f"Deal #{acme} is archived already." in await say(bench, "UADMIN", f"archive #{acme}")


async def test_the_edit_forms_archive_button_is_there_for_managers_only(bench):
    acme, _beta = await two_deals(bench)
    await bench.client.command("UALICE", f"edit #{acme}")
    rep_form = await bench.slack.wait_for(lambda: next(iter(bench.slack.views.values()), None))
    assert "deal_archive" not in str(rep_form["blocks"])
    bench.slack.views.clear()
    await bench.client.command("UADMIN", f"edit #{acme}")
    form = await bench.slack.wait_for(lambda: next(iter(bench.slack.views.values()), None))
    await bench.client.click("UADMIN", form, "deal_archive")
    await bench.slack.wait_for(lambda: "Deal archived" in str(bench.slack.views[form["id"]]["title"]))
    assert archived(bench, acme) == (TUESDAY_10_UTC, "UADMIN")


async def test_archived_deals_get_no_nudge_no_reminder_and_stay_out_of_the_digest(bench):
    bench.fixed_now = TUESDAY_10_UTC
    stalled = seed(bench, "UALICE", "Stalled", idle_days=30)
    due = seed(bench, "UALICE", "Due", idle_days=1)
    set_step(bench, due, "Call Jan", TUESDAY_10_UTC.date())
    seed(bench, "UALICE", "Kept", idle_days=1, cents=1_000_000)
    moved = seed(bench, "UALICE", "Moved", idle_days=1)
    for number in (moved, due):  # two stage advances this week; one of them is archived below
        await say(bench, "UALICE", f"move #{number} negotiation")
    for number in (stalled, due):
        await say(bench, "UADMIN", f"archive #{number}")
    assert queued(await run_sweep(bench)) == []
    bench.fixed_now = TUESDAY_10_UTC + timedelta(hours=1)  # the digest's week ends after the moves
    digest = await say(bench, "UADMIN", "digest", command="/pipeline")
    # Open now: Kept (€10,000) in Proposal and Moved (€50,000) in Negotiation; Stalled and Due are archived.
    assert "1 deal · €10,000" in digest and "1 deal · €50,000" in digest
    assert "Stage advances: 1" in digest, digest  # Moved's; Due's advance went with it into the archive


async def test_the_export_keeps_archived_deals_with_a_column(bench, tmp_path):
    acme, beta = await two_deals(bench)
    await say(bench, "UADMIN", f"archive #{acme}")
    export_team(bench.db, TEAM, tmp_path)
    with open(tmp_path / "deals.csv", encoding="utf-8") as f:
        rows = {int(r["number"]): r for r in csv.DictReader(f)}
    assert rows[acme]["archived_by"] == "UADMIN" and rows[acme]["archived_at"].startswith("2026-11-24")
    assert rows[beta]["archived_at"] == ""


async def test_a_leavers_deals_handed_on_leave_the_archived_one_alone(bench):
    acme, beta = await two_deals(bench)
    await say(bench, "UADMIN", f"archive #{acme}")
    assert reassign.reassign_all(bench.db, TEAM, "UALICE", "UBOB", bench.now()) == 1  # Beta only
    with bench.db.read() as s:
        owners = dict(s.exec(select(Deal.number, Deal.owner_id).where(Deal.team_id == TEAM)).all())
    assert owners == {acme: "UALICE", beta: "UBOB"}


async def test_an_archived_deal_leaves_the_forecast(bench):
    acme, beta = await two_deals(bench)
    with bench.db.write() as s:  # both expected to close this month (the bench's today is Nov 24)
        for deal in s.exec(select(Deal).where(Deal.team_id == TEAM)):
            deal.close_date = TUESDAY_10_UTC.date().replace(day=30)
            s.add(deal)
    before = await say(bench, "UADMIN", "forecast", command="/pipeline")
    assert "*November 2026*: 2 open deals · €70,000 open" in before, before
    await say(bench, "UADMIN", f"archive #{acme}")
    after = await say(bench, "UADMIN", "forecast", command="/pipeline")
    assert "*November 2026*: 1 open deal · €20,000 open" in after, after  # 70,000 - Acme's 50,000
