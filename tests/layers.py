"""The layer rule, read from the source with `ast`: handlers -> services -> models -> domain.

Views read domain objects, rows and the result types services return (a CapWords name); the
scheduler and the CLI take what they share from bot/, never from handlers/; one handler module
uses another's helpers only through handlers/common.py (and its router, handlers/routes.py), and
only handlers/__init__.py (which registers them) and bot/app.py (which builds the app) import the
listener modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "domain", "models", "services", "views", "handlers", "scheduler", "localslack")

# bot/'s plumbing, which every layer may use: the catalog, the database and its schema, settings, HTTP,
# the post-ack queue.
PLUMBING = {"bot.i18n", "bot.db", "bot.migrate", "bot.config", "bot.http", "bot.metrics", "bot.post_ack"}

# Which packages a module of each layer may import (besides its own package and the plumbing).
MAY_IMPORT = {
    "domain": set(),
    "models": {"domain"},
    "services": {"models", "domain"},
    "views": {"services", "models", "domain"},
    "handlers": {"services", "models", "domain", "views", "bot.deps"},
    "scheduler": {"services", "models", "domain", "views", "bot.deps"},
}
SHARED_HANDLERS = {"handlers.common", "handlers.routes", "handlers.workspace"}  # what a listener may take
COMPOSERS = {"bot.app", "handlers"}  # where the listeners are put together


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(source: str, name: str, is_module=lambda n: False) -> list[tuple[int, str]]:
    """(line, module) for every import in the source, at the top or inside a function; `from a
    import b` names a.b when that is a module."""
    found = []
    package = name if is_module(name + ".__init__") else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if is_module(sub) else base))
    return found


def allowed(importer: str, imported: str) -> bool:
    layer, target = importer.split(".")[0], imported.split(".")[0]
    if target not in PACKAGES or imported in PLUMBING:
        return True
    if target == "handlers":
        if importer in COMPOSERS:
            return True
        return layer == "handlers" and (imported in SHARED_HANDLERS or importer == imported)
    if layer == "bot":
        # bot/deps, the CLIs and the demo wire things together below the listeners; the rest is plumbing.
        demo = importer == "bot.demo" or importer.startswith("bot.demo_")  # the tour and its data
        if importer in ("bot.app", "bot.deps", "bot.runtime") or demo or importer.endswith("cli"):
            return True  # (handlers/ was decided above: only bot/app.py registers them)
        return target in ("bot", "models")
    if layer not in MAY_IMPORT or layer == target:
        return True
    may = MAY_IMPORT[layer]
    return target in may or imported in may or any(imported.startswith(m + ".") for m in may)


def violations(root: Path = ROOT) -> list[str]:
    def is_module(name: str) -> bool:
        path = root.joinpath(*name.split("."))
        return path.with_suffix(".py").exists() or (path / "__init__.py").exists()

    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = module_name(path, root)
            for line, imported in sorted(set(imports(path.read_text(), name, is_module))):
                if not allowed(name, imported):
                    found.append(f"{path.relative_to(root)}:{line}: {name} imports {imported}")
            if name.startswith("views."):
                found += _views_take_only_types(path, root)
    return found


def _views_take_only_types(path: Path, root: Path) -> list[str]:
    """A view takes a service's result types (Card, Computed), never its use cases."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("services"):
            for alias in node.names:
                if not alias.name[:1].isupper():
                    found.append(
                        f"{path.relative_to(root)}:{node.lineno}: a view imports {node.module}.{alias.name}"
                    )
    return found
