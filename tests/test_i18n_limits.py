"""Every button label and modal title the bot renders fits in every language: a button's visible
text within ~30 characters (Slack allows 75, but a longer label wraps or is cut on a phone), a modal
title within Slack's 24 for deal numbers up to #99999 and the longest default stage name.

The labels are found in the code (every `button(_(...))` and `modal(..., _(title), _(submit))` under
views/), so a new button is checked without being listed here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.i18n import translator
from domain.stages import DEFAULT_STAGES
from views.common import MAX_MODAL_TITLE

ROOT = Path(__file__).resolve().parent.parent
MAX_BUTTON_VISIBLE = 30
# Each language, and the formal variants ("Sie", "u") a team may choose.
LANGUAGES = [("en", False), ("nl", False), ("de", False), ("nl", True), ("de", True)]
_EMOJI = re.compile(r":[a-z0-9_+\-]+:")


def _message(node: ast.AST) -> str | None:
    """The msgid of a `_("…")` call, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_" and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def rendered_labels() -> tuple[set[str], set[str]]:
    """(button labels, modal titles and submit labels) as msgids, from views/."""
    buttons: set[str] = set()
    modals: set[str] = set()
    for path in (ROOT / "views").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id == "button" and node.args and (msgid := _message(node.args[0])):
                buttons.add(msgid)
            if node.func.id == "modal":
                for arg in node.args[1:3]:
                    if msgid := _message(arg):
                        modals.add(msgid)
    return buttons, modals


BUTTONS, MODALS = rendered_labels()


def visible(text: str) -> int:
    return len(_EMOJI.sub("x", text))  # an emoji code shows as one picture


def longest(msgid: str, lang: str, formal: bool) -> str:
    """The message with its longest likely parameters: deal #99999, the longest open stage name."""
    _ = translator(lang, formal)
    stages = [_(name) for _key, name, kind, *_rest in DEFAULT_STAGES if kind == "open"]
    return max((_(msgid, number=99999, stage=stage) for stage in stages), key=len)


def test_the_labels_are_found():
    assert {"Move to {stage}", "Stop", "Log note", "Mark lost"} <= BUTTONS
    assert {"Snooze deal #{number}", "Edit deal #{number}", "Pipeline settings"} <= MODALS


@pytest.mark.parametrize("lang, formal", LANGUAGES)
def test_every_button_label_fits(lang, formal):
    too_long = {m: text for m in BUTTONS if visible(text := longest(m, lang, formal)) > MAX_BUTTON_VISIBLE}
    assert not too_long


@pytest.mark.parametrize("lang, formal", LANGUAGES)
def test_every_modal_title_fits(lang, formal):
    too_long = {m: text for m in MODALS if len(text := longest(m, lang, formal)) > MAX_MODAL_TITLE}
    assert not too_long
