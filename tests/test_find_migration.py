"""Migration 0024 folds the deals and logged notes a database already holds (SQLite; PostgreSQL's
trigram indexes are checked by tests/test_migrations.py against the models)."""

from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from bot.migrate import upgrade

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_the_migration_folds_the_deals_and_notes_there_are(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0019")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO team (id, currency, language, formal, next_deal_number, created_at, "
                "timezone, manager_ids, work_days, work_start, work_end, escalation, digest_weekday, "
                "digest_time) VALUES ('T1', 'EUR', 'en', 0, 3, :now, 'UTC', '', '12345', '09:00', "
                "'17:00', 'channel', 1, '09:00')"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO stage (id, team_id, key, name, position, kind, probability, active) "
                "VALUES (1, 'T1', 'proposal', 'Proposal', 1, 'open', 60, 1)"
            )
        )
        for number, name, company, notes in [
            (1, "München Messe", "Löwe AG", "Straße"),
            (2, "Plain", None, None),
        ]:
            conn.execute(
                text(
                    "INSERT INTO deal (id, team_id, number, name, company, currency, stage_id, owner_id, "
                    "created_by, notes, created_at, updated_at, last_activity_at, version) "
                    "VALUES (:n, 'T1', :n, :name, :company, 'EUR', 1, 'U1', 'U1', :notes, :now, :now, :now, "
                    "1)"
                ),
                {"n": number, "name": name, "company": company, "notes": notes, "now": NOW},
            )
        for at, note in [("2026-11-20 10:00:00", "Rückruf"), ("2026-11-21 10:00:00", "Angebot")]:
            conn.execute(
                text(
                    "INSERT INTO deal_note (team_id, deal_id, user_id, text, at) VALUES "
                    "('T1', 1, 'U1', :text, :at)"
                ),
                {"text": note, "at": at},
            )
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT search_name, search_company, search_text, search_log FROM deal ORDER BY number")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        (
            "munchen messe muenchen",
            "lowe ag loewe",
            "munchen messe muenchen lowe ag loewe strasse",
            "angebot ruckruf rueckruf",
        ),
        ("plain", "", "plain", ""),
    ]
