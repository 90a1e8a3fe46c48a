"""Spreadsheet formula injection: a cell we export that starts like a formula is written so that
Excel, LibreOffice and Google Sheets show it as text, and reading our export gives the text back.

As OWASP's "CSV Injection" page recommends: a cell starting with =, +, -, @, a tab or a carriage
return gets a leading single quote. A cell that already starts with a quote gets one more, so that
`unguard(guard(x)) == x` for every x.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    return "'" + text if text.startswith(TRIGGERS) or text.startswith("'") else text


def unguard(text: str) -> str:
    """Undo guard(): a quote in front of a trigger or of another quote is ours."""
    if text.startswith("'") and text[1:].startswith((*TRIGGERS, "'")):
        return text[1:]
    return text
