"""Dependencies point one way: no layer imports one above it (tests/layers.py says which may)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.layers import violations


def test_no_module_imports_a_layer_above_its_own():
    assert violations() == []


def write(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"services/deals.py": "from views.deals import Card\n"}, "services.deals imports views.deals"),
        ({"models/q.py": "def f():\n    import services.deals\n"}, "models.q imports services.deals"),
        ({"domain/d.py": "from models import tables\n"}, "domain.d imports models.tables"),
        ({"scheduler/job.py": "from handlers.common import Deps\n"}, "scheduler.job imports handlers.common"),
        ({"bot/cli.py": "from handlers import home\n"}, "bot.cli imports handlers.home"),
        ({"handlers/a.py": "from handlers.home import publish\n"}, "handlers.a imports handlers.home"),
        ({"views/v.py": "from services.deals import listing\n"}, "a view imports services.deals.listing"),
        ({"services/s.py": "from scheduler.outbox import enqueue\n"}, "services.s imports scheduler.outbox"),
    ],
)
def test_the_check_finds_an_import_that_points_up(tmp_path, files, expected):
    for package in ("bot", "domain", "models", "services", "views", "handlers", "scheduler"):
        files.setdefault(f"{package}/__init__.py", "")
    files.update({"views/deals.py": "", "services/deals.py": files.get("services/deals.py", "")})
    files.update({"models/tables.py": "", "handlers/home.py": "", "handlers/common.py": ""})
    files.setdefault("scheduler/outbox.py", "")
    found = violations(write(tmp_path, files))
    assert len(found) == 1 and expected in found[0], found


def test_the_check_lets_each_layer_use_those_below_it(tmp_path):
    files = {f"{p}/__init__.py": "" for p in ("bot", "domain", "models", "services", "views", "handlers")}
    files.update(
        {
            "domain/stages.py": "from bot.i18n import N_\n",
            "models/tables.py": "from domain import stages\n",
            "services/deals.py": "from models.tables import Deal\nclass Card: ...\n",
            "views/deals.py": "from services.deals import Card\nfrom models.tables import Deal\n",
            "handlers/common.py": "from bot.deps import Deps\n",
            "handlers/deal.py": "from handlers.common import Deps\nfrom services import deals\n",
            "handlers/__init__.py": "from handlers import deal\n",
            "bot/app.py": "from handlers import register_all\n",
        }
    )
    assert violations(write(tmp_path, files)) == []


def test_no_test_module_imports_another():
    """Shared helpers live in helper modules (tests/helpers.py, tests/chat.py, ...), never in a test_*.py;
    the benchmarks take them from there too."""
    found = []
    root = Path(__file__).parents[1]
    for path in sorted([*root.glob("tests/*.py"), *root.glob("benchmarks/*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [
                f"{path.relative_to(root)}:{node.lineno}: {n}" for n in names if n.startswith("tests.test_")
            ]
    assert found == []


PRODUCT = ("bot", "domain", "models", "services", "views", "handlers", "scheduler", "localslack")
MAX_LINES = 400  # issue 14: no product file too big to hold in mind; migrations are written once


def test_no_product_file_is_over_400_lines():
    root = Path(__file__).resolve().parent.parent
    too_long = {
        str(path.relative_to(root)): lines
        for package in PRODUCT
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
