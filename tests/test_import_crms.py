"""Moving in from another CRM: each big CRM's export, as exported, comes in with its won, lost and
open deals, owners found by e-mail and by name, dates read in the column's order, and the history
at its real times, so that a digest for a week inside that history counts what happened then."""

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from services import digest
from services.transfer import ImportRefused
from tests.importing import FIXTURES, deals_of, history_of, import_via_slack

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)  # a Tuesday, after everything in the fixtures
PAST_WEEK_END = datetime(2026, 6, 16, 10, tzinfo=UTC)  # the week of 9-16 June 2026 holds the closes


def people(bench):
    """Alice and Bob as Slack knows them: by e-mail, by real name, and Carol by e-mail only."""
    alice, bob, carol = (bench.slack.users[u] for u in ("UALICE", "UBOB", "UADMIN"))
    alice.name, alice.email = "alice smith", "alice@example.com"  # real name "Alice Smith"
    bob.name, bob.email = "bob builder", "bob@example.com"
    carol.email = "carol@example.com"
    bench.fixed_now = NOW


def utc(*parts) -> str:
    return datetime(*parts, tzinfo=UTC).isoformat()


def cycle_days(created: str, won: str) -> Fraction:
    seconds = (datetime.fromisoformat(won) - datetime.fromisoformat(created)).total_seconds()
    return Fraction(int(seconds), 86400)


async def past_week(bench):
    return (await bench.db.run(digest.compute, bench.db, "T0LOCAL", PAST_WEEK_END)).digest


async def test_a_hubspot_export_comes_in_with_its_history_and_us_dates(bench):
    people(bench)
    result = await import_via_slack(bench, FIXTURES / "hubspot_deals.csv")
    assert (result.created, result.rejected_count, result.unmatched_owners) == (4, 0, [])
    assert result.orders["created_at"] == "mdy"  # 04/20/2026 settles it
    # "Last Activity Date" holds only 06/10, 06/12 and 11/02: the file's other columns decide it.
    assert result.orders["last_activity_at"] == "mdy"
    rows = deals_of(bench.db, "T0LOCAL")
    assert [(d.source_id, d.name, d.company, d.amount_cents, d.owner_id) for d in rows] == [
        ("9001", "Acme renewal", "Acme Corp", 5_000_000, "UALICE"),  # by e-mail
        ("9002", "Globex pilot", "Globex", 1_200_000, "UBOB"),  # by real name
        ("9003", "Initech expansion", "Initech", 800_000, "UALICE"),
        ("9004", "Umbrella", "Umbrella Corp", None, "UBOB"),  # by Slack id
    ]
    assert [d.close_date for d in rows] == [
        date(2026, 6, 10),
        date(2026, 6, 12),
        date(2027, 1, 15),
        date(2026, 12, 31),
    ]
    assert rows[1].lost_reason == "Went with a competitor"
    # Times without an offset are the team's (Amsterdam: UTC+1 in winter, UTC+2 in summer).
    assert history_of(bench.db, "T0LOCAL") == [
        (1, None, "prospecting", utc(2026, 3, 2, 8, 15)),
        (2, None, "prospecting", utc(2026, 4, 20, 8)),
        (1, "prospecting", "won", utc(2026, 6, 10, 12, 30)),
        (2, "prospecting", "lost", utc(2026, 6, 12, 9)),
        (3, None, "proposal", utc(2026, 10, 1, 6)),
        (4, None, "prospecting", utc(2026, 11, 3, 11)),
    ]
    week = await past_week(bench)
    assert (week.week.won_count, week.week.won_value) == (1, {"EUR": 5_000_000})
    assert (week.week.lost_count, week.week.lost_value) == (1, {"EUR": 1_200_000})
    assert week.week.new_count == 0
    assert week.rates.avg_cycle_days == cycle_days(utc(2026, 3, 2, 8, 15), utc(2026, 6, 10, 12, 30))
    assert week.rates.win_rate == Fraction(1, 2)
    # This week's digest: nothing the import brought counts as this week.
    now = (await bench.db.run(digest.compute, bench.db, "T0LOCAL", NOW)).digest
    assert (now.week.won_count, now.week.lost_count, now.week.new_count) == (0, 0, 0)


async def test_a_dutch_pipedrive_export_in_cp1252_with_semicolons_and_day_first_dates(bench):
    people(bench)
    result = await import_via_slack(bench, FIXTURES / "pipedrive_deals_nl.csv")
    assert (result.created, result.rejected_count) == (3, 0), result.rejected
    assert {landing.source: landing.stage.key for landing in result.landings if landing.stage} == {
        "Voorstel gedaan": "proposal",
        "Onderhandelingen gestart": "negotiation",
        "Lead In": "prospecting",
    }
    rows = deals_of(bench.db, "T0LOCAL")
    assert [(d.source_id, d.name, d.amount_cents, d.owner_id, d.close_date) for d in rows] == [
        ("11", "Café Noir koffiemachines", 450_000, "UALICE", date(2026, 6, 30)),
        ("12", "Hoogvliet", 200_000, "UBOB", date(2026, 6, 1)),
        ("13", "Jansen & Zn", 725_000, "UALICE", date(2027, 1, 15)),
    ]
    assert rows[1].lost_reason == "Te duur"
    assert history_of(bench.db, "T0LOCAL") == [
        (1, None, "proposal", utc(2026, 3, 2, 8)),
        (2, None, "negotiation", utc(2026, 4, 15, 8)),
        (1, "proposal", "won", utc(2026, 6, 11, 13)),
        (2, "negotiation", "lost", utc(2026, 6, 13, 7, 30)),
        (3, None, "prospecting", utc(2026, 10, 20, 9)),
    ]
    week = await past_week(bench)
    assert (week.week.won_count, week.week.won_value) == (1, {"EUR": 450_000})
    assert (week.week.lost_count, week.week.lost_value) == (1, {"EUR": 200_000})
    assert week.rates.avg_cycle_days == cycle_days(utc(2026, 3, 2, 8), utc(2026, 6, 11, 13))


async def test_a_german_salesforce_report_decides_won_and_lost_by_its_flags(bench):
    people(bench)
    result = await import_via_slack(bench, FIXTURES / "salesforce_opportunities_de.csv")
    assert (result.created, result.rejected_count) == (3, 0), result.rejected
    rows = deals_of(bench.db, "T0LOCAL")
    assert [(d.source_id, d.name, d.company, d.amount_cents, d.owner_id, d.notes) for d in rows] == [
        ("0065g00000AbCdE", "Müller Maschinen", "Müller GmbH", 2_500_000, "UADMIN", "Rahmenvertrag"),
        ("0065g00000AbCdF", "Schmidt Logistik", "Schmidt AG", 990_000, "UBOB", None),
        ("0065g00000AbCdG", "Weber Anlagen", "Weber KG", 4_000_000, "UADMIN", None),
    ]
    # A date alone is midnight in Amsterdam; a closed opportunity closed on its close date.
    assert history_of(bench.db, "T0LOCAL") == [
        (1, None, "prospecting", utc(2026, 1, 13, 23)),
        (2, None, "prospecting", utc(2026, 2, 19, 23)),
        (2, "prospecting", "lost", utc(2026, 6, 9, 22)),
        (1, "prospecting", "won", utc(2026, 6, 11, 22)),
        (3, None, "negotiation", utc(2026, 11, 4, 23)),
    ]
    week = await past_week(bench)
    assert (week.week.won_count, week.week.won_value) == (1, {"EUR": 2_500_000})
    assert (week.week.lost_count, week.week.lost_value) == (1, {"EUR": 990_000})


async def test_an_odoo_export_keeps_a_lost_lead_in_its_stage_with_a_reason(bench):
    people(bench)
    result = await import_via_slack(bench, FIXTURES / "odoo_crm.csv")
    assert (result.created, result.rejected_count) == (3, 0), result.rejected
    rows = deals_of(bench.db, "T0LOCAL")
    assert [(d.name, d.owner_id, d.lost_reason) for d in rows] == [
        ("Deco Addict office chairs", "UALICE", None),
        ("Gemini Furniture desks", "UBOB", "Too expensive"),
        ("Azure Interior lamps", "UBOB", None),
    ]
    assert history_of(bench.db, "T0LOCAL") == [
        (1, None, "prospecting", utc(2026, 2, 10, 7, 30)),
        (2, None, "qualification", utc(2026, 3, 1, 8)),
        (1, "prospecting", "won", utc(2026, 6, 11, 8)),
        (2, "qualification", "lost", utc(2026, 6, 15, 10)),
        (3, None, "proposal", utc(2026, 10, 12, 12)),
    ]
    week = await past_week(bench)
    assert (week.week.won_count, week.week.lost_count) == (1, 1)
    assert week.week.won_value == {"EUR": 1_800_000}


async def test_importing_the_same_export_again_updates_instead_of_duplicating(bench, tmp_path):
    people(bench)
    path = FIXTURES / "odoo_crm.csv"
    await import_via_slack(bench, path)
    again = await import_via_slack(bench, path)
    assert (again.created, again.updated, again.unchanged, again.rejected_count) == (0, 0, 3, 0)
    changed = tmp_path / "odoo.csv"
    won = path.read_text().replace(
        "3500.00,Proposition,bob@example.com,2027-02-28,2026-10-12 14:00:00,,",
        "3900.00,Won,bob@example.com,2027-02-28,2026-10-12 14:00:00,2026-11-20 09:00:00,",
    )
    changed.write_text(won, encoding="utf-8")
    third = await import_via_slack(bench, changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    rows = deals_of(bench.db, "T0LOCAL")
    assert len(rows) == 3 and (rows[2].amount_cents, rows[2].version) == (390_000, 2)
    assert history_of(bench.db, "T0LOCAL")[-1] == (3, "proposal", "won", utc(2026, 11, 20, 8))


async def test_a_column_that_reads_both_ways_is_refused_unless_the_order_is_given(bench, tmp_path):
    people(bench)
    path = tmp_path / "sheet.csv"
    path.write_text("Deal,Close date,Owner\nA,03/01/2027,UALICE\nB,05/02/2027,UBOB\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="'Close date' reads both ways"):
        await import_via_slack(bench, path)
    assert deals_of(bench.db, "T0LOCAL") == []
    await import_via_slack(bench, path, date_order="mdy")
    assert [d.close_date for d in deals_of(bench.db, "T0LOCAL")] == [date(2027, 3, 1), date(2027, 5, 2)]


async def test_a_column_written_both_ways_is_refused_whatever_the_option(bench, tmp_path):
    people(bench)
    path = tmp_path / "sheet.csv"
    path.write_text("Deal,Close date,Owner\nA,3/1/2017,UALICE\nB,10/20/2016,UBOB\nC,20/10/2016,UBOB\n")
    with pytest.raises(ImportRefused, match="day first .20/10/2016. and month first .10/20/2016."):
        await import_via_slack(bench, path, date_order="mdy")


async def test_owners_by_name_are_found_past_the_first_page_of_users_list(bench, tmp_path):
    people(bench)
    for i in range(450):
        bench.slack.add_user(f"UFILL{i:04d}", f"filler {i}")
    bench.slack.add_user("UZOE", "zoe last", display_name="Zoë")
    path = tmp_path / "sheet.csv"
    path.write_text("Deal,Owner\nOne,Zoë\nTwo,Zoe Last\nThree,Nobody Known\n", encoding="utf-8")
    dry = await import_via_slack(bench, path, dry_run=True)
    assert dry.unmatched_owners == ["Nobody Known"]
    pages = [c for c in bench.slack.calls if c.method == "users.list"]
    assert len(pages) == 3  # 200 a page: 455 people
    done = await import_via_slack(bench, path, default_owner="UBOB")
    assert [d.owner_id for d in deals_of(bench.db, "T0LOCAL")] == ["UZOE", "UZOE", "UBOB"]
    assert done.created == 3
