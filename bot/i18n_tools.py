"""The message catalogs' chores, one command each (run from anywhere; paths are the repository's):

    python -m bot.i18n_tools extract   # the code's strings -> bot/locales/messages.pot
    python -m bot.i18n_tools update    # messages.pot -> bot/locales/{nl,de}/LC_MESSAGES/messages.po
    python -m bot.i18n_tools compile   # messages.po -> messages.mo, next to it
    python -m bot.i18n_tools check     # every string of the code translated in nl and de, placeholders kept

The first three are pybabel (Babel's own command line) with this project's options, so they behave
exactly as `pybabel extract|update|compile` do; see docs/i18n.md.
"""

from __future__ import annotations

import os
import re
import string
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
POT = LOCALES_DIR / "messages.pot"
TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
# Slack markup a translation must keep: emoji codes and mentions; backticks and asterisks are counted.
_EMOJI = re.compile(r":[a-z0-9_+\-]+:")
_MENTION = re.compile(r"<[@#!][^>]*>")


@contextmanager
def _in_root() -> Iterator[None]:
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def _pybabel(*args: str, quiet: bool = True) -> None:
    with _in_root():
        CommandLineInterface().run(["pybabel", *(["-q"] if quiet else []), *args])


def _version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _undated(text: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", text)


def extract() -> None:
    """Sorted, with file names but no line numbers, and its date kept when nothing else changed:
    the .pot (and so the .po files) change only when the strings do."""
    before = POT.read_bytes() if POT.exists() else b""
    _pybabel(
        "extract",
        "-F",
        str(MAPPING),
        "-o",
        str(POT),
        "--sort-output",
        "--add-location",
        "file",
        "--project",
        "salesbot",
        "--version",
        _version(),
        "--copyright-holder",
        "the Salesbot authors",
        ".",
    )
    if before and _undated(POT.read_bytes()) == _undated(before):
        POT.write_bytes(before)
    with POT.open("rb") as fh:
        print(f"{POT.relative_to(ROOT)}: {len(read_po(fh))} messages")


def update() -> None:
    """Merge the template into each language's catalog (made if missing). Changed strings come back
    fuzzy with a guess, new ones empty; strings gone from the code are dropped (git keeps them)."""
    for lang in TRANSLATED:
        _pybabel(
            "update",
            "-i",
            str(POT),
            "-d",
            str(LOCALES_DIR),
            "-l",
            lang,
            "--init-missing",
            "--ignore-obsolete",
            "--previous",
        )
    report()


def compile_() -> None:
    for lang in TRANSLATED:
        _pybabel("compile", "-d", str(LOCALES_DIR), "-l", lang, "--statistics", quiet=False)


# -- checking ------------------------------------------------------------------------------------


def code_messages() -> dict:
    """Every msgid in the code (a str, or (singular, plural)), read with Babel's extractor and babel.cfg."""
    with MAPPING.open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str | tuple[str, ...], str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        key = tuple(message) if isinstance(message, (tuple, list)) else message
        if key:
            found.setdefault(key, filename)
    return found


def load(lang: str) -> Catalog:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def markup(text: str) -> tuple:
    return (sorted(_EMOJI.findall(text)), sorted(_MENTION.findall(text)), text.count("`"), text.count("*"))


@dataclass
class Problem:
    lang: str
    msgid: object
    what: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.what}: {self.msgid!r}"


def problems(lang: str, wanted: dict | None = None) -> list[Problem]:
    """What keeps `lang` from being complete: strings without a (non-fuzzy) translation, and
    translations that drop or add a {placeholder}, Slack markup, or do not format."""
    wanted = code_messages() if wanted is None else wanted
    catalog = load(lang)
    out = []
    for key in wanted:
        msgid = key if isinstance(key, str) else key[0]
        m = catalog.get(msgid)
        if m is None or m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string):
            out.append(Problem(lang, key, "fuzzy" if m is not None and m.fuzzy else "not translated"))
            continue
        if isinstance(key, tuple) != isinstance(m.id, tuple):
            out.append(Problem(lang, key, "plural and singular mixed up"))
            continue
        sources = list(key) if isinstance(key, tuple) else [key]
        # m.string is set: untranslated entries were reported above
        targets = list(m.string) if isinstance(m.string, (tuple, list)) else [m.string or ""]
        if isinstance(key, tuple) and len(targets) != catalog.num_plurals:
            out.append(
                Problem(lang, key, f"{len(targets)} plural forms, the language has {catalog.num_plurals}")
            )
        expected = fields(sources[-1])
        for target in targets:
            try:
                got = fields(target)
                target.format(**dict.fromkeys(got, ""))
            except (ValueError, IndexError, KeyError) as exc:
                out.append(Problem(lang, key, f"does not format ({exc}): {target!r}"))
                continue
            if got != expected:
                out.append(Problem(lang, key, f"placeholders {sorted(got)} instead of {sorted(expected)}"))
            elif markup(target) != markup(sources[-1]):
                out.append(Problem(lang, key, f"Slack markup changed: {target!r}"))
    return out


def report() -> int:
    wanted = code_messages()
    found = [p for lang in TRANSLATED for p in problems(lang, wanted)]
    for p in found:
        print(p)
    print(
        f"{len(wanted)} messages in the code; "
        + ", ".join(
            f"{lang}: {len(wanted) - len({str(p.msgid) for p in found if p.lang == lang})} complete"
            for lang in TRANSLATED
        )
    )
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"extract": extract, "update": update, "compile": compile_, "check": report}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]]() or 0


if __name__ == "__main__":
    raise SystemExit(main())
