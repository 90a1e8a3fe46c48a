"""Every set of migration files main has shipped, to build the databases those commits made.

tests/migration_history/ holds verbatim copies of each version of each revision file, named
`<file>.<first commit that had this text>.py` (`git show COMMIT:models/migrations/versions/...`).
Formatting-only commits (cd3e98e, 35e08af) are left out: they built the same schema as a53249d.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.migrate import SCRIPTS

HISTORY = Path(__file__).parent / "migration_history"

_BASE = ["0001_initial.d31a604", "0002_outbox.51a351f", "0003_team_settings.0f4e721"]

# commit: (what happened, the revision files it had). Found with
# `git log -- models/migrations/versions` and `git ls-tree COMMIT models/migrations/versions/`.
STATES: dict[str, tuple[str, list[str]]] = {
    "d31a604": ("first migration", _BASE[:1]),
    "51a351f": ("outbox", _BASE[:2]),
    "0f4e721": ("team settings", _BASE),
    "5ad1030": ("deal_nudge, 0004", [*_BASE, "0004_nudges.5ad1030"]),
    "594aa71": ("qualifications without turn, 0006 on 0003", [*_BASE, "0006_bant.594aa71"]),
    "5cf3d2d": ("installations, 0007 on 0003", [*_BASE, "0007_installations.5cf3d2d"]),
    "5b6d595": ("0007 re-chained on 0004", [*_BASE, "0004_nudges.5ad1030", "0007_installations.5b6d595"]),
    "f7679c7": ("digest indexes, 0005 on 0003", [*_BASE, "0005_digest.f7679c7"]),
    "b9aa2f0": ("qualification.turn, 0006 on 0003", [*_BASE, "0006_bant.b9aa2f0"]),
    "ee429a6": (
        "0005 re-chained on 0007",
        [*_BASE, "0004_nudges.5ad1030", "0007_installations.5b6d595", "0005_digest.ee429a6"],
    ),
    "d0797c0": (
        "0006 re-chained on 0005",
        [
            *_BASE,
            "0004_nudges.5ad1030",
            "0007_installations.5b6d595",
            "0005_digest.ee429a6",
            "0006_bant.d0797c0",
        ],
    ),
    "0ea9787": (
        "0008 on 0005, without 0006",
        [
            *_BASE,
            "0004_nudges.5ad1030",
            "0007_installations.5b6d595",
            "0005_digest.ee429a6",
            "0008_bench_indexes.0ea9787",
        ],
    ),
    "a53249d": (
        "0008 re-chained on 0006",
        [
            *_BASE,
            "0004_nudges.5ad1030",
            "0007_installations.5b6d595",
            "0005_digest.ee429a6",
            "0006_bant.d0797c0",
            "0008_bench_indexes.a53249d",
        ],
    ),
}


def scripts_of(commit: str, folder: Path) -> Path:
    """An Alembic script directory in `folder` with today's env.py and `commit`'s revision files."""
    scripts = folder / f"scripts_{commit}"
    (scripts / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(SCRIPTS / name, scripts / name)
    for stored in STATES[commit][1]:
        revision_file = stored.rsplit(".", 1)[0] + ".py"  # 0004_nudges.5ad1030 -> 0004_nudges.py
        shutil.copy(HISTORY / f"{stored}.py", scripts / "versions" / revision_file)
    return scripts
