"""Block Kit as a person would read it, in a terminal: for `salesbot demo`."""

from __future__ import annotations

import html
import re
import shutil

WIDTH = min(100, shutil.get_terminal_size((100, 20)).columns)


class Style:
    def __init__(self, color: bool):
        self.color = color

    def bold(self, s: str) -> str:
        return f"\033[1m{s}\033[0m" if self.color else s

    def dim(self, s: str) -> str:
        return f"\033[2m{s}\033[0m" if self.color else s

    def accent(self, s: str) -> str:
        return f"\033[36m{s}\033[0m" if self.color else s


def mrkdwn(text: str, users: dict[str, str], style: Style) -> str:
    text = re.sub(r"<@(\w+)>", lambda m: "@" + users.get(m.group(1), m.group(1)), text)
    text = re.sub(r"<#(\w+)(\|([^>]+))?>", lambda m: "#" + (m.group(3) or m.group(1)), text)
    text = re.sub(r"<([^|>]+)\|([^>]+)>", r"\2", text)
    text = re.sub(r"\*([^*\n]+)\*", lambda m: style.bold(m.group(1)), text)
    text = re.sub(r"`([^`\n]+)`", lambda m: style.accent(m.group(1)), text)
    text = re.sub(r":(tada|warning|x|white_check_mark|zzz|bell|bar_chart):",
                  lambda m: {"tada": "🎉", "warning": "⚠️", "x": "❌", "white_check_mark": "✅", "zzz": "💤",
                             "bell": "🔔", "bar_chart": "📊"}[m.group(1)], text)
    return html.unescape(text)


def _element(element: dict) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[ {element['text']['text']} ]"
    if kind in ("static_select", "users_select", "overflow"):
        label = (element.get("placeholder") or {}).get("text") or "…"
        chosen = (element.get("initial_option") or {}).get("text", {}).get("text")
        return f"[ {chosen or label} ▾ ]"
    if kind == "datepicker":
        return f"[ {element.get('initial_date') or 'pick a date'} 📅 ]"
    return f"[ {kind} ]"


def blocks(items: list[dict], users: dict[str, str], style: Style, indent: str = "│ ",
           optional_label: str = "(optional)") -> list[str]:
    lines: list[str] = []
    for block in items:
        kind = block.get("type")
        if kind == "header":
            lines.append(style.bold(block["text"]["text"].upper()))
        elif kind == "section":
            if block.get("text"):
                lines.extend(mrkdwn(block["text"]["text"], users, style).splitlines())
            pairs = [mrkdwn(f["text"], users, style).split("\n", 1) for f in block.get("fields", [])]
            for i in range(0, len(pairs), 2):
                row = ["{:<44}".format(" ".join(p).strip()[:44]) for p in pairs[i:i + 2]]
                lines.append("  ".join(row).rstrip())
            if block.get("accessory"):
                lines.append("    " + _element(block["accessory"]))
        elif kind == "context":
            lines.extend(style.dim(mrkdwn(e.get("text", ""), users, style)) for e in block.get("elements", []))
        elif kind == "divider":
            lines.append(style.dim("─" * 40))
        elif kind == "actions":
            lines.append(" ".join(_element(e) for e in block.get("elements", [])))
        elif kind == "input":
            element = block["element"]
            value = element.get("initial_value") or element.get("initial_date") or \
                (element.get("initial_option") or {}).get("text", {}).get("text") or \
                ("@" + users.get(element["initial_user"], element["initial_user"]) if element.get("initial_user")
                 else "")
            optional = "" if not block.get("optional") else style.dim(" " + optional_label)
            lines.append(f"{block['label']['text']}{optional}: [ {value or '________'} ]")
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
    return [indent + line for line in lines]


def message(title: str, items: list[dict], users: dict[str, str], color: bool, text: str = "") -> str:
    style = Style(color)
    body = blocks(items, users, style) if items else ["│ " + mrkdwn(text, users, style)]
    return "\n".join([style.accent("┌─ " + title), *body, style.accent("└" + "─" * 40)])


def view(title: str, view_: dict, users: dict[str, str], color: bool, optional_label: str = "(optional)") -> str:
    """A modal or Home tab; Slack's own word for an optional input is in the viewer's language."""
    style = Style(color)
    head = view_.get("title", {}).get("text") or ("Home" if view_.get("type") == "home" else "")
    lines = [style.accent("╔═ " + title + (f" — {head}" if head else ""))]
    lines += blocks(view_.get("blocks", []), users, style, indent="║ ", optional_label=optional_label)
    if view_.get("submit"):
        lines.append("║ " + f"[ {view_['submit']['text']} ]  [ {view_.get('close', {}).get('text', 'Cancel')} ]")
    lines.append(style.accent("╚" + "═" * 40))
    return "\n".join(lines)
