"""The message catalogs are complete: every string in the code has a Dutch and a German translation
that keeps its {placeholders} and Slack markup. The code's strings are read here with Babel's own
extractor over the folders babel.cfg names, not from the committed .pot, so a string added without
re-running `python -m bot.i18n_tools extract` and `update` fails this test."""

from __future__ import annotations

import ast
import os
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import bot.i18n as i18n
from bot.i18n import translator

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"


def code_messages() -> dict:
    """msgid (a str, or (singular, plural) for _.n) -> where it is, as pybabel reads babel.cfg."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        key = tuple(message) if isinstance(message, (tuple, list)) else message
        if key:
            found.setdefault(key, f"{filename}:{lineno}")
    return found


CODE = code_messages()


# Each language's informal catalog, and its formal variant ("Sie", "u"), kept complete alike.
CATALOGS = ["nl", "de", "nl:formal", "de:formal"]


def catalog(name: str):
    lang, _, domain = name.partition(":")
    with (LOCALES / lang / "LC_MESSAGES" / f"{domain or 'messages'}.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_the_code_has_messages_to_translate():
    assert len(CODE) > 250
    assert ("{count} deal", "{count} deals") in CODE and "Proposal" in CODE  # _.n and N_ are extracted


@pytest.mark.parametrize("lang", CATALOGS)
def test_every_message_is_translated_and_keeps_its_placeholders(lang):
    po = catalog(lang)
    problems = []
    for key, where in CODE.items():
        m = po.get(key if isinstance(key, str) else key[0])
        forms = () if m is None else (m.string if isinstance(m.string, tuple) else (m.string,))
        if m is None or m.fuzzy or not all(forms):
            problems.append(f"{where}: no {lang} translation for {key!r}")
            continue
        if isinstance(key, tuple) != isinstance(m.id, tuple) or (
            isinstance(key, tuple) and tuple(m.id) != key
        ):
            problems.append(f"{where}: {lang} has {m.id!r} for {key!r}")
            continue
        expected = fields(key[-1] if isinstance(key, tuple) else key)
        for form in forms:
            try:
                got = fields(form)
            except ValueError as exc:
                problems.append(f"{where}: {lang} {form!r} is not a format string: {exc}")
                continue
            if got != expected:
                problems.append(f"{where}: {lang} {form!r} has {sorted(got)}, not {sorted(expected)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", CATALOGS)
def test_translations_keep_slack_markup(lang):
    """Backticks, *bold*, emoji codes and mentions stay as they are."""
    from bot.i18n_tools import markup

    po = catalog(lang)
    changed = []
    for m in po:
        if not m.id or not m.string:
            continue
        source = m.id[-1] if isinstance(m.id, tuple) else m.id
        for form in m.string if isinstance(m.string, tuple) else (m.string,):
            if markup(form) != markup(source):
                changed.append(f"{source!r} -> {form!r}")
    assert not changed, "\n".join(changed)


def test_the_tool_agrees():
    from bot.i18n_tools import DOMAINS, problems

    assert [str(p) for lang in ("nl", "de") for domain in DOMAINS for p in problems(lang, CODE, domain)] == []


@pytest.mark.parametrize("lang", ["nl", "de"])
def test_the_formal_catalog_never_says_du_or_je(lang):
    """Where the informal text addresses the reader, the formal one has its own text, in "Sie"/"u"."""
    from bot.i18n_tools import FORMAL, addresses_informally, load

    informal, formal = load(lang), load(lang, FORMAL)
    slips = [m.string for m in formal if m.id and addresses_informally(lang, m.string)]
    assert not slips
    addressed = [m.id for m in informal if m.id and addresses_informally(lang, m.string)]
    assert len(addressed) > 20  # the check sees the informal address it is there to catch
    assert all(formal.get(i).string != informal.get(i).string for i in addressed)
    assert addresses_informally("de", "Wähle eine Phase.") and not addresses_informally(
        "de", "Wählen Sie eine Phase."
    )
    assert addresses_informally("nl", "Kun je dat zeggen?") and not addresses_informally(
        "nl", "Kunt u dat zeggen?"
    )
    assert not addresses_informally("de", "Informell („du“)")  # quoted, not said


def _plural_calls() -> list[tuple[str, tuple[str, str]]]:
    """Every _.n("…", "…", …) in the code, read with Python's own parser."""
    found = []
    for folder in ("bot", "domain", "handlers", "models", "scheduler", "services", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "n"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "_"
                    and all(isinstance(a, ast.Constant) for a in node.args[:2])
                ):
                    found.append(
                        (f"{path.relative_to(ROOT)}:{node.lineno}", (node.args[0].value, node.args[1].value))
                    )
    return found


def test_every_plural_reaches_the_catalog_as_a_plural():
    """Babel's extractor loses a plural when a bare `_` is an argument inside _.n(...): the
    message would then never be found at run time. Work such values out before the call."""
    calls = _plural_calls()
    assert len(calls) > 10
    lost = [f"{where}: {key!r}" for where, key in calls if key not in CODE]
    assert not lost, "\n".join(lost)


def test_no_message_is_built_with_format_before_translation():
    """N_("… {x} …").format(...) is looked up formatted, so never found: pass parameters instead."""
    offenders = []
    for folder in ("bot", "domain", "handlers", "models", "scheduler", "services", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "format"
                    and isinstance(node.func.value, ast.Call)
                    and isinstance(node.func.value.func, ast.Name)
                    and node.func.value.func.id in ("_", "N_")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_runtime_reads_a_fresh_mo_and_falls_back_to_the_po(tmp_path, monkeypatch):
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po_text = (LOCALES / "nl" / "LC_MESSAGES" / "messages.po").read_bytes()
    (folder / "messages.po").write_bytes(po_text)
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n._load_catalog.cache_clear()
    try:
        assert i18n.catalog_file("nl") == folder / "messages.po"
        from_po = translator("nl")
        assert (
            from_po("Proposal") == "Voorstel" and from_po.n("{count} deal", "{count} deals", 2) == "2 deals"
        )

        compiled = catalog("nl")
        compiled.get("Proposal").string = "Voorstel (mo)"  # to tell which file was read
        with (folder / "messages.mo").open("wb") as fh:
            write_mo(fh, compiled)
        po_time = (folder / "messages.po").stat().st_mtime
        os.utime(folder / "messages.mo", (po_time + 10, po_time + 10))
        i18n._load_catalog.cache_clear()
        assert i18n.catalog_file("nl") == folder / "messages.mo"
        from_mo = translator("nl")
        assert from_mo("Proposal") == "Voorstel (mo)"
        assert from_mo.n("{count} day idle", "{count} days idle", 1) == "1 dag stil"
        assert from_mo("Deal #{number} saved.", number=4) == "Deal #4 opgeslagen."

        os.utime(folder / "messages.po", (po_time + 20, po_time + 20))  # the .po was edited since: it wins
        i18n._load_catalog.cache_clear()
        assert (
            i18n.catalog_file("nl") == folder / "messages.po" and translator("nl")("Proposal") == "Voorstel"
        )
    finally:
        i18n._load_catalog.cache_clear()


def test_an_unknown_message_or_language_falls_back_to_english():
    assert translator("nl")("A sentence no catalog has, {x}.", x=1) == "A sentence no catalog has, 1."
    assert translator("fr-FR")("Proposal") == "Proposal" and translator("fr-FR").language == "en"
