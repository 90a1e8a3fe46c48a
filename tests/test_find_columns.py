"""The folded search columns are written by the bulk paths too: a CRM import (new and updated deals,
COPY on PostgreSQL) and a restore from a backup; and the SQL ranks as domain.search.score does."""

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from domain.search import Search, score
from models import search as search_queries
from models.deals import add_note
from models.tables import Deal
from services.search import find
from services.transfer import export_team, restore_team
from tests.importing import deals_of, import_offline

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def folded(db, team: str) -> list[tuple[str, str, str, str]]:
    return [(d.name, d.search_name, d.search_company, d.search_text) for d in deals_of(db, team)]


def test_an_import_folds_the_deals_it_creates_and_those_it_updates(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "ID,Deal,Organization,Notes,Owner\n1,Düsseldorf rollout,Löwe AG,Met at the Messe,UALICE\n",
        encoding="utf-8",
    )
    assert import_offline(db, path, NOW).created == 1
    assert folded(db, "T1") == [
        (
            "Düsseldorf rollout",
            "dusseldorf rollout duesseldorf",
            "lowe ag loewe",
            "dusseldorf rollout duesseldorf lowe ag loewe met at the messe",
        )
    ]
    path.write_text("ID,Deal,Organization,Notes,Owner\n1,Köln rollout,Löwe AG,,UALICE\n", encoding="utf-8")
    again = import_offline(db, path, NOW + timedelta(days=1))
    assert again.updated == 1
    koeln = ("koln rollout koeln", "lowe ag loewe", "koln rollout koeln lowe ag loewe")
    assert folded(db, "T1")[0][1:] == koeln
    [deal], total = _find(db, "T1", ("koeln",))
    assert (deal.number, total) == (1, 1)


def test_a_restore_folds_the_deals_it_brings_back(db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Deal,Organization,Notes,Owner\nÉcole rénovation,Ørsted,Straße 1,UALICE\n", encoding="utf-8"
    )
    import_offline(db, path, NOW)
    with db.write() as s:  # two logged notes, as /deal note adds them
        [deal] = s.exec(select(Deal).where(Deal.team_id == "T1")).all()
        add_note(s, "T1", deal.number, "UALICE", "Rückruf Jürgen", NOW)
        add_note(s, "T1", deal.number, "UALICE", "Angebot geschickt", NOW + timedelta(hours=1))
    export_team(db, "T1", tmp_path / "backup")
    restore_team(db, "T2", tmp_path / "backup", NOW)
    assert folded(db, "T2") == folded(db, "T1")
    logs = {d.team_id: d.search_log for team in ("T1", "T2") for d in deals_of(db, team)}
    assert logs == dict.fromkeys(("T1", "T2"), "angebot geschickt ruckruf jurgen rueckruf juergen")
    assert _find(db, "T2", ("juergen",))[1] == 1
    assert folded(db, "T2")[0][3] == "ecole renovation orsted strasse 1"
    assert _find(db, "T2", ("strasse",))[1] == 1 and _find(db, "T1", ("zzz",))[1] == 0


def test_the_database_ranks_as_the_domain_rule_does(db, tmp_path):
    """Thirty deals whose words overlap in many ways; the SQL's order is score()'s, then activity."""
    words = ("alpha", "beta", "gamma")
    vocabulary = ["alpha", "beta", "gamma", "delta"]
    rng = random.Random(3)
    lines = ["Deal,Organization,Notes,Owner,Last activity"]
    for n in range(30):
        name, company, notes = (" ".join(rng.sample(vocabulary, rng.randint(0, 2))) for _ in range(3))
        when = (NOW - timedelta(days=rng.randint(0, 5))).date().isoformat()  # ties, broken by number
        lines.append(f"{name} {n},{company},{notes},UALICE,{when}")
    path = tmp_path / "crm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_offline(db, path, NOW)
    with db.read() as s:
        every = list(s.exec(select(Deal).where(Deal.team_id == "T1").order_by(col(Deal.number))))

    def rank(d):
        return score(words, d.search_name, d.search_company, d.search_text)

    matching = [d for d in every if rank(d).matched]
    expected = sorted(matching, key=lambda d: (rank(d), d.last_activity_at, d.number), reverse=True)
    found, total = _find(db, "T1", words, limit=50)  # every match: the order of all of them is checked
    assert [d.number for d in found] == [d.number for d in expected] and total == len(expected)
    assert len({rank(d) for d in found}) > 3  # the order is really tested


def _find(db, team, words, limit=10):
    with db.read() as s:
        return search_queries.find_deals(s, team, words, limit=limit)


def test_the_service_answers_a_number_within_what_the_actor_sees(db):
    assert find(db, "T3", Search(number=1), NOW).rows == []
