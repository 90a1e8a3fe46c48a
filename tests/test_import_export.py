"""Export a team's data as CSV; import deals from CSV; a round trip reproduces the deals."""

import csv
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models.tables import Deal, Stage
from services.transfer import export_team, import_deals

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def deals(db, team):
    with db.read() as s:
        names = {st.id: st.key for st in s.exec(select(Stage))}
        return [
            (
                d.number,
                d.name,
                d.company,
                d.amount_cents,
                d.currency,
                names[d.stage_id],
                d.close_date,
                d.owner_id,
                d.notes,
                d.lost_reason,
            )
            for d in s.exec(select(Deal).where(Deal.team_id == team).order_by(Deal.number))
        ]


async def test_round_trip_reproduces_the_deals(bench, tmp_path):
    for text in (
        '"Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme',
        '"Globex" 1234.56 USD',
        '"Initech; pilot, phase 2" 1,2 Mio € stage:negotiation',
        '"Lost one" 5k',
    ):
        await bench.client.reply(await bench.client.command("UALICE", "add " + text))
    await bench.client.reply(await bench.client.command("UALICE", "lost #4 price"))
    await bench.client.reply(await bench.client.command("UALICE", 'note #1 Called; they said "yes", maybe'))
    counts = export_team(bench.db, "T0LOCAL", tmp_path)
    assert counts == {"deals.csv": 4, "stage_history.csv": 5, "notes.csv": 1}
    result = import_deals(bench.db, "T0COPY", tmp_path / "deals.csv", "UIMPORTER", NOW)
    assert result.rejected == [] and result.numbers == [1, 2, 3, 4]
    assert deals(bench.db, "T0COPY") == deals(bench.db, "T0LOCAL")


def test_import_reports_each_rejected_row_and_dry_run_writes_nothing(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Deal Title;Organization;Value;Pipeline Stage;Expected Close Date;Owner\n"
        "Good one;Acme;€ 12.500;Proposal;15.01.2027;UALICE\n"
        ";NoName;10;Proposal;;UALICE\n"
        "Bad amount;X;lots;Proposal;;UALICE\n"
        "Bad stage;X;10;Heaven;;UALICE\n"
        "Bad date;X;10;;someday;UALICE\n"
        "Bad owner;X;10;;;alice@example.com\n"
        "No owner;X;10;;;\n",
        encoding="utf-8",
    )
    dry = import_deals(db, "T1", path, "U1", NOW, dry_run=True)
    assert dry.columns == {
        "name": "Deal Title",
        "company": "Organization",
        "amount": "Value",
        "stage": "Pipeline Stage",
        "close_date": "Expected Close Date",
        "owner_id": "Owner",
    }
    assert [r.line for r in dry.rejected] == [3, 4, 5, 6, 7, 8]
    reasons = {r.line: r.reasons for r in dry.rejected}
    assert reasons[3] == ["no name"]
    assert "can't read the amount" in reasons[4][0]
    assert reasons[5] == ["no stage 'Heaven'"]
    assert reasons[6] == ["unreadable close date 'someday'"]
    assert reasons[7] == ["owner 'alice@example.com' is not a Slack user id"]
    assert reasons[8] == ["no owner (give --owner U…)"]
    assert deals(db, "T1") == []
    real = import_deals(db, "T1", path, "U1", NOW, default_owner="UBOB")
    assert [r.line for r in real.rejected] == [3, 4, 5, 6, 7]  # line 8 now gets the default owner
    assert deals(db, "T1") == [
        (1, "Good one", "Acme", 1_250_000, "EUR", "proposal", date(2027, 1, 15), "UALICE", None, None),
        (2, "No owner", "X", 1_000, "EUR", "prospecting", None, "UBOB", None, None),
    ]


@pytest.mark.slow  # two real CLI processes
def test_cli_import_with_a_column_map(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    path = tmp_path / "sheet.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([["Opportunity", "Bedrag", "Fase"], ["Wonka", "40k", "negotiation"]])
    env = {**os.environ, "DATABASE_URL": url}  # inherited: a moved clock (faketime) moves it too

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], env=env, capture_output=True, text=True, timeout=120
        )

    dry = run(
        "import",
        "--team",
        "T9",
        str(path),
        "--map",
        "amount=Bedrag",
        "--map",
        "stage=Fase",
        "--owner",
        "UALICE",
        "--dry-run",
    )
    assert dry.returncode == 0, dry.stderr
    assert "dry run: 1 rows read, 1 would be imported, 0 rejected" in dry.stdout
    done = run(
        "import",
        "--team",
        "T9",
        str(path),
        "--map",
        "amount=Bedrag",
        "--map",
        "stage=Fase",
        "--owner",
        "UALICE",
    )
    assert "1 imported (#1–#1)" in done.stdout, done.stdout + done.stderr
    out = run("export", "--team", "T9", "--out", str(tmp_path / "out"))
    assert out.returncode == 0
    rows = list(csv.DictReader((tmp_path / "out" / "deals.csv").open()))
    assert [(r["name"], r["amount"], r["stage"]) for r in rows] == [("Wonka", "40000.00", "Negotiation")]
    bad = run("import", "--team", "T9", str(path), "--map", "amount=Nope")
    assert bad.returncode == 2 and "no column `Nope`" in bad.stderr
