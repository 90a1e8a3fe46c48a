"""The message catalogs' chores, one command each (run from anywhere; paths are the repository's):

    python -m bot.i18n_tools extract   # the code's strings -> bot/locales/messages.pot
    python -m bot.i18n_tools update    # messages.pot -> bot/locales/{nl,de}/LC_MESSAGES/{messages,formal}.po
    python -m bot.i18n_tools compile   # each .po -> .mo, next to it
    python -m bot.i18n_tools check     # every string of the code translated in nl and de, informal and
                                       # formal, placeholders kept, and each catalog in its own register

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

from bot.i18n import DEFAULT_LANGUAGE, FORMAL, LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
POT = LOCALES_DIR / "messages.pot"
TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
DOMAINS = ("messages", FORMAL)
# How each language addresses the reader informally: "du", "dein", and the du-imperatives this
# bot's German uses (Wähle, Füge ... hinzu); Dutch "je", "jij", "jouw". An informal translation that
# matches needs its own entry in the formal catalog, and a formal one must not match.
INFORMAL = {
    "de": re.compile(
        r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure)\b|"
        r"(^|[.:;!?]\s+|\s[–-]\s|,\s+|\bund\s+)(Warte|Wähle|Füge|Versuche|Prüfe|Setze|Schreibe|Sage|Nenne|Tippe|Gib|Nimm|Lass"
        r"|Sieh|Öffne|Starte|Bearbeite|Erfasse|Markiere|Verschiebe|Qualifiziere|Liste|Zeige|Bleibe|Grenze"
        r"|Mache|Ordne|Richte|Beschreibe|Ändere|Lösche|Stelle|Kürze|Behalte|Halte|Lade"
        r"|Übergib|Archiviere|Hole|Plane|Lege|Trage|Finde|Schalte|Melde|Klicke|Gehe)\b",
        re.IGNORECASE,
    ),
    "nl": re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE),
}
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
    """Merge the template into each language's catalogs (made if missing). Changed strings come back
    fuzzy with a guess, new ones empty; strings gone from the code are dropped (git keeps them).
    A formal entry whose informal translation does not address the reader is the same text, so it
    is copied (and changes with it); the rest wait for a translator, and `check` lists them."""
    for lang in TRANSLATED:
        for domain in DOMAINS:
            _pybabel(
                "update",
                "-i",
                str(POT),
                "-d",
                str(LOCALES_DIR),
                "-l",
                lang,
                "-D",
                domain,
                "--init-missing",
                "--ignore-obsolete",
                "--previous",
            )
        _copy_impersonal(lang)
    report()


def _copy_impersonal(lang: str) -> None:
    from babel.messages.pofile import write_po

    informal, formal = load(lang), load(lang, FORMAL)
    changed = False
    for m in formal:
        if not m.id:
            continue
        source = informal.get(m.id)
        if source is None or source.fuzzy or not _done(source.string):
            continue
        if addresses_informally(lang, source.string):
            continue  # addresses the reader: the formal text is a translator's
        if m.string != source.string or m.fuzzy:
            m.string, changed = source.string, True
            m.flags.discard("fuzzy")
    if changed:
        with _path(lang, FORMAL).open("wb") as fh:
            write_po(fh, formal, include_previous=True, ignore_obsolete=True)


def _forms(string: object) -> list[str]:
    return list(string) if isinstance(string, (tuple, list)) else [str(string or "")]


# Words in quotes are quoted, not said to the reader: „du“ in the setting that offers it.
_QUOTED = re.compile(r"„[^“]*“|“[^”]*”|\"[^\"]*\"|‘[^’]*’")


def addresses_informally(lang: str, string: object) -> bool:
    return any(INFORMAL[lang].search(_QUOTED.sub(" ", t)) for t in _forms(string))


def _done(string: object) -> bool:
    return all(_forms(string)) and bool(string)


def compile_() -> None:
    for lang in TRANSLATED:
        for domain in DOMAINS:
            _pybabel("compile", "-d", str(LOCALES_DIR), "-l", lang, "-D", domain, "--statistics", quiet=False)


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


def _path(lang: str, domain: str = "messages") -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def load(lang: str, domain: str = "messages") -> Catalog:
    with _path(lang, domain).open("rb") as fh:
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


def problems(lang: str, wanted: dict | None = None, domain: str = "messages") -> list[Problem]:
    """What keeps `lang`'s catalog (`domain`: messages, or formal) from being complete: strings
    without a (non-fuzzy) translation, translations that drop or add a {placeholder}, Slack markup,
    or do not format, and in the formal catalog, informal address ("du", "je")."""
    wanted = code_messages() if wanted is None else wanted
    catalog = load(lang, domain)
    name = lang if domain == "messages" else f"{lang} {domain}"
    out = _problems(catalog, name, wanted)
    if domain == FORMAL:
        for key in wanted:
            m = catalog.get(key if isinstance(key, str) else key[0])
            if m is not None and not m.fuzzy and addresses_informally(lang, m.string):
                out.append(Problem(name, key, f"informal address in the formal catalog: {m.string!r}"))
    return out


def _problems(catalog: Catalog, lang: str, wanted: dict) -> list[Problem]:
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
    found = [p for lang in TRANSLATED for domain in DOMAINS for p in problems(lang, wanted, domain)]
    for p in found:
        print(p)
    names = [
        lang if domain == "messages" else f"{lang} {domain}" for lang in TRANSLATED for domain in DOMAINS
    ]
    print(
        f"{len(wanted)} messages in the code; "
        + ", ".join(
            f"{name}: {len(wanted) - len({str(p.msgid) for p in found if p.lang == name})} complete"
            for name in names
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
