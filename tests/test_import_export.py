"""Backup and restore, and the import's behaviour on bad input: export writes everything a team has,
restore into a fresh database gives it back byte for byte; rows are refused one reason per cell,
files that cannot be read get one line, and a dry run or a refused run writes nothing."""

import csv
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import openpyxl
import psycopg
import pytest
from sqlmodel import select

from bot.db import Database
from bot.migrate import upgrade
from models.qualification_tables import Qualification, QualificationAnswer
from models.tables import DealNudge, Team, saved_id
from services.transfer import RestoreRefused, export_team, restore_team
from services.transfer.files import FileProblem
from tests.conftest import PG_ADMIN
from tests.importing import deals_of, import_offline
from tests.nudging import TUESDAY_10_UTC, nudge_dms, run_sweep, seed

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def fresh(db, tmp_path):
    """An empty, migrated database of the same kind as `db`, dropped afterwards."""
    if db.is_sqlite:
        url = f"sqlite:///{tmp_path / 'restored.db'}"
        upgrade(url)
        other = Database(url)
        yield other
        other.dispose()
        return
    name = f"salesbot_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    other = Database(url)
    yield other
    other.dispose()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_export_restore_export_is_identical_byte_for_byte(bench, fresh, tmp_path):
    bench.fixed_now = NOW
    for text in (
        '"Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme',
        '"Globex" 1234.56 USD',
        '"=HYPERLINK(A1) renew" 5k company:+cmd',
        '"Lost one" 5k',
    ):
        await bench.client.reply(await bench.client.command("UALICE", "add " + text))
    bench.fixed_now = NOW + timedelta(hours=1)
    await bench.client.reply(await bench.client.command("UALICE", "move #1 negotiation"))
    await bench.client.reply(await bench.client.command("UALICE", "lost #4 price"))
    await bench.client.reply(await bench.client.command("UALICE", 'note #1 Called; they said "yes", maybe'))
    await bench.client.reply(await bench.client.command("UALICE", "note #2 -40% discount asked"))
    await bench.client.reply(
        await bench.client.command("UADMIN", "goals set <@UALICE> 25k", command="/pipeline")
    )
    await bench.client.reply(await bench.client.command("UALICE", "reassign #3 <@UBOB>"))  # owner history
    with bench.db.write() as s:  # settings, a snooze and a BANT answer, as the bot keeps them
        team = s.get(Team, "T0LOCAL")
        team.manager_ids, team.channel_id, team.digest_time = "UADMIN", "C0SALES", "08:30"
        deal_id = saved_id(deals_of(bench.db, "T0LOCAL")[0])
        s.add(
            DealNudge(
                deal_id=deal_id,
                team_id="T0LOCAL",
                nudged_at=NOW,
                snoozed_until=NOW + timedelta(days=3),
                snoozed_by="UALICE",
                snooze_reason="@holiday",
            )
        )
        q = Qualification(
            team_id="T0LOCAL",
            deal_id=deal_id,
            deal_number=1,
            owner_id="UALICE",
            status="paused",
            asking="authority",
            started_by="UALICE",
            started_at=NOW,
            updated_at=NOW,
            turn=2,
        )
        s.add(q)
        s.flush()
        s.add(
            QualificationAnswer(
                team_id="T0LOCAL",
                qualification_id=saved_id(q),
                question="budget",
                status="yes",
                min_cents=4_000_000,
                max_cents=4_000_000,
                currency="EUR",
                on_date=date(2027, 3, 1),
                evidence="about 40k EUR, from March",
                answered_by="UALICE",
                answered_at=NOW,
            )
        )
    first, second = tmp_path / "first", tmp_path / "second"
    counts = export_team(bench.db, "T0LOCAL", first)
    assert counts["deals.csv"] == 4 and counts["stage_history.csv"] == 6 and counts["notes.csv"] == 2
    assert counts["owner_history.csv"] == 1
    assert (counts["nudges.csv"], counts["qualifications.csv"], counts["qualification_answers.csv"]) == (
        1,
        1,
        1,
    )
    assert counts["goals.csv"] == 1
    restored = restore_team(fresh, "T0LOCAL", first, NOW + timedelta(days=1))
    assert restored["deals.csv"] == 4
    export_team(fresh, "T0LOCAL", second)
    for name in counts:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    # Formula-like cells are quoted for spreadsheets (OWASP), and restore gives the text back.
    rows = list(csv.DictReader((first / "deals.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[2]["name"] == "'=HYPERLINK(A1) renew" and rows[2]["company"] == "'+cmd"
    assert deals_of(fresh, "T0LOCAL")[2].name == "=HYPERLINK(A1) renew"
    copied = import_offline(
        bench.db, first / "deals.csv", NOW + timedelta(days=1), team="T0COPY"
    )  # as any CRM's export
    assert copied.created == 4 and [d.name for d in deals_of(bench.db, "T0COPY")][2] == "=HYPERLINK(A1) renew"
    assert [d.company for d in deals_of(bench.db, "T0COPY")][2] == "+cmd"
    notes = list(csv.DictReader((first / "notes.csv").read_text(encoding="utf-8").splitlines()))
    assert [n["text"] for n in notes] == ['Called; they said "yes", maybe', "'-40% discount asked"]


def test_restore_refuses_a_team_that_has_deals(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Deal,Owner\nOne,UALICE\n", encoding="utf-8")
    import_offline(db, path, NOW)
    export_team(db, "T1", tmp_path / "out")
    with pytest.raises(Exception, match="already has deals"):
        restore_team(db, "T1", tmp_path / "out", NOW)
    assert len(deals_of(db, "T1")) == 1


def test_each_rejected_row_says_line_column_value_and_why_and_nothing_is_half_imported(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Deal Title;Organization;Value;Pipeline Stage;Expected Close Date;Owner\n"
        "Good one;Acme;€ 12.500;Proposal;15.01.2027;UALICE\n"
        ";NoName;10;Proposal;;UALICE\n"
        "Bad amount;X;lots;Proposal;;UALICE\n"
        "Bad date;X;10;;someday;UALICE\n"
        "Bad owner;X;10;;;alice@example.com\n"
        "No owner;X;10;;;\n",
        encoding="utf-8",
    )
    dry = import_offline(db, path, NOW, dry_run=True)
    reasons = {r.line: r.reasons for r in dry.rejected}
    assert list(reasons) == [3, 4, 5, 6, 7]
    assert reasons[3] == ["Deal Title '': no name"]
    assert reasons[4][0].startswith("Value 'lots': ")
    assert reasons[5] == ["Expected Close Date 'someday': not a date"]
    assert reasons[6] == ["Owner 'alice@example.com': matches nobody in Slack (give --owner-map or --owner)"]
    assert reasons[7] == ["Owner '': no owner (give --owner)"]
    assert dry.unmatched_owners == ["alice@example.com"]
    assert (dry.rows, dry.created, dry.rejected_count) == (6, 1, 5)
    refused = import_offline(db, path, NOW)
    assert not refused.written and deals_of(db, "T1") == []  # one bad row: the team stays as it was
    done = import_offline(db, path, NOW, skip_rejected=True, owner_map={"alice@example.com": "UALICE"})
    assert done.written and [(d.name, d.amount_cents, d.close_date) for d in deals_of(db, "T1")] == [
        ("Good one", 1_250_000, date(2027, 1, 15)),
        ("Bad owner", 1_000, None),
    ]


def test_an_xlsx_workbook_reads_like_its_csv(db, tmp_path):
    path = tmp_path / "deals.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Deal Name", "Amount", "Close Date", "Deal owner", "Deal Stage"])
    sheet.append(["Wonka", 40000, datetime(2027, 2, 1), "UBOB", "Contract Sent"])
    sheet.append(["Stark", 1234.5, datetime(2027, 3, 1, 12, 30), "UBOB", "Closed Won"])
    book.save(path)
    result = import_offline(db, path, NOW, skip_rejected=True)
    # A won deal needs the day it closed: Stark's close date is in the future, so it is refused.
    assert [r.reasons for r in result.rejected] == [["Close Date '2027-03-01 12:30:00': in the future"]]
    assert [(d.name, d.amount_cents, d.close_date) for d in deals_of(db, "T1")] == [
        ("Wonka", 4_000_000, date(2027, 2, 1))
    ]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04not really a workbook", "not a readable .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old binary .xls"),
        (b"\x00\x01\x02\x03\xff\xfe\xfa" * 20, "binary file"),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_line_why(db, tmp_path, content, why):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem, match=why):
        import_offline(db, path, NOW)


def test_a_one_column_file_and_a_cp1252_file_are_read(db, tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("Deal\nOnly a name\n", encoding="utf-8")
    assert import_offline(db, one, NOW, default_owner="UBOB").created == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Deal;Firma;Besitzer\nKühlung;Müller & Söhne;UBOB\n".encode("cp1252"))
    assert import_offline(db, latin, NOW).created == 1
    assert [d.company for d in deals_of(db, "T1")] == [None, "Müller & Söhne"]


def run_cli(url, *args):
    env = {**os.environ, "DATABASE_URL": url}  # inherited: a moved clock (faketime) moves it too
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow  # real CLI processes
def test_cli_dry_run_creates_no_database_and_export_of_an_unknown_team_fails(tmp_path):
    db_path = tmp_path / "cli.db"
    url = f"sqlite:///{db_path}"
    path = tmp_path / "sheet.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([["Opportunity", "Bedrag", "Fase"], ["Wonka", "40k", "Proposal Made"]])
    dry = run_cli(
        url, "import", "--team", "T9", str(path), "--map", "amount=Bedrag", "--owner", "UALICE", "--dry-run"
    )
    assert dry.returncode == 0, dry.stderr
    assert "'Proposal Made' -> Proposal (same meaning)" in dry.stdout
    assert (
        "dry run, nothing written: 1 rows read: 1 created, 0 updated, 0 unchanged, 0 rejected" in dry.stdout
    )
    assert not db_path.exists()
    done = run_cli(
        url,
        "import",
        "--team",
        "T9",
        str(path),
        "--stage-map",
        "Proposal Made=negotiation",
        "--owner",
        "UALICE",
    )
    assert "1 created, 0 updated, 0 unchanged, 0 rejected (#1–#1)" in done.stdout, done.stdout + done.stderr
    out = run_cli(url, "export", "--team", "T9", "--out", str(tmp_path / "out"))
    assert out.returncode == 0
    rows = list(csv.DictReader((tmp_path / "out" / "deals.csv").read_text().splitlines()))
    assert [(r["name"], r["amount"], r["stage"]) for r in rows] == [("Wonka", "40000.00", "Negotiation")]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    restored = run_cli(other, "import", "--team", "T9", "--restore", str(tmp_path / "out"))
    assert restored.returncode == 0 and "deals.csv: 1 rows restored" in restored.stdout, restored.stderr
    assert run_cli(other, "export", "--team", "T9", "--out", str(tmp_path / "again")).returncode == 0
    for name in ("team.csv", "deals.csv", "stage_history.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "out" / name).read_bytes()
    again = run_cli(other, "import", "--team", "T9", "--restore", str(tmp_path / "out"))
    assert again.returncode == 2 and "already has deals" in again.stderr
    bad = run_cli(url, "import", "--team", "T9", str(path), "--map", "amount=Nope")
    assert bad.returncode == 2 and "no column `Nope`" in bad.stderr
    second_dry = run_cli(url, "import", "--team", "TNOSUCH", str(path), "--owner", "UALICE", "--dry-run")
    assert second_dry.returncode == 0, second_dry.stderr  # and it made no team row:
    unknown = run_cli(url, "export", "--team", "TNOSUCH", "--out", str(tmp_path / "none"))
    assert (
        unknown.returncode == 1 and "There is no team TNOSUCH in this database. Teams: T9." in unknown.stderr
    )
    assert not (tmp_path / "none").exists()


def test_a_restore_from_a_damaged_backup_refuses_and_writes_nothing(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Deal,Owner\nOne,UALICE\n", encoding="utf-8")
    import_offline(db, path, NOW)
    export_team(db, "T1", tmp_path / "out")
    deals_csv = tmp_path / "out" / "deals.csv"
    deals_csv.write_bytes(deals_csv.read_bytes().replace(b",1\r\n", b",one\r\n"))  # its version
    with pytest.raises(RestoreRefused, match="is not a backup as salesbot export writes it"):
        restore_team(db, "T2", tmp_path / "out", NOW)
    assert deals_of(db, "T2") == []
    (tmp_path / "out" / "stages.csv").unlink()
    with pytest.raises(FileProblem, match="stages.csv is missing"):
        restore_team(db, "T2", tmp_path / "out", NOW)


def test_source_ids_with_quotes_and_backslashes_are_found_again(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text('ID,Deal,Owner\n"O\'Brien\\1; --",One,UALICE\n', encoding="utf-8")
    assert import_offline(db, path, NOW).created == 1
    again = import_offline(db, path, NOW)
    assert (again.created, again.unchanged) == (0, 1)
    assert [d.source_id for d in deals_of(db, "T1")] == ["O'Brien\\1; --"]


async def test_nudges_csv_has_each_deals_count_of_nudges_and_restores_it(bench, fresh, tmp_path):
    """Qualification stalls after 5 days: nudged on Tuesday 24 November and again six days later,
    nothing done between, the deal has been nudged twice (tests/nudging.py's dates)."""
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UALICE", "Ignored", "qualification", idle_days=6)
    await run_sweep(bench)
    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=6)
    await run_sweep(bench)
    assert len(nudge_dms(bench, "UALICE")) == 2
    first, second = tmp_path / "first", tmp_path / "second"
    export_team(bench.db, "T0LOCAL", first)
    [row] = csv.DictReader((first / "nudges.csv").read_text(encoding="utf-8").splitlines())
    assert (row["deal_number"], row["nudges"]) == (str(number), "2")
    restore_team(fresh, "T0LOCAL", first, bench.now())
    with fresh.read() as s:
        assert [n.nudges for n in s.exec(select(DealNudge))] == [2]
    export_team(fresh, "T0LOCAL", second)
    assert (second / "nudges.csv").read_bytes() == (first / "nudges.csv").read_bytes()


async def test_a_nudges_csv_from_before_the_count_restores_with_none(bench, fresh, tmp_path):
    bench.fixed_now = TUESDAY_10_UTC
    seed(bench, "UALICE", "Ignored", "qualification", idle_days=6)
    await run_sweep(bench)
    backup = tmp_path / "old"
    export_team(bench.db, "T0LOCAL", backup)
    rows = list(csv.DictReader((backup / "nudges.csv").read_text(encoding="utf-8").splitlines()))
    with (backup / "nudges.csv").open("w", encoding="utf-8", newline="") as f:
        old = [c for c in rows[0] if c != "nudges"]
        writer = csv.DictWriter(f, old, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    restore_team(fresh, "T0LOCAL", backup, bench.now())
    with fresh.read() as s:
        assert [n.nudges for n in s.exec(select(DealNudge))] == [0]
