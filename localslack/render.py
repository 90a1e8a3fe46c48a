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
    text = re.sub(
        r":(tada|rocket|warning|x|white_check_mark|zzz|bell|bar_chart):",
        lambda m: {
            "tada": "🎉",
            "rocket": "🚀",
            "warning": "⚠️",
            "x": "❌",
            "white_check_mark": "✅",
            "zzz": "💤",
            "bell": "🔔",
            "bar_chart": "📊",
        }[m.group(1)],
        text,
    )
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


def _input_value(element: dict, users: dict[str, str]) -> str:
    """What an input shows before anyone types: its initial value, choice(s), date, time or people."""
    options = [o["text"]["text"] for o in element.get("initial_options", [])]
    people = ["@" + users.get(u, u) for u in element.get("initial_users", [])]
    if element.get("initial_user"):
        people.append("@" + users.get(element["initial_user"], element["initial_user"]))
    return (
        element.get("initial_value")
        or element.get("initial_date")
        or element.get("initial_time")
        or (element.get("initial_option") or {}).get("text", {}).get("text")
        or ("#" + element["initial_conversation"] if element.get("initial_conversation") else "")
        or ", ".join(options + people)
    )


def blocks(
    items: list[dict],
    users: dict[str, str],
    style: Style,
    indent: str = "│ ",
    optional_label: str = "(optional)",
) -> list[str]:
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
                row = ["{:<44}".format(" ".join(p).strip()[:44]) for p in pairs[i : i + 2]]
                lines.append("  ".join(row).rstrip())
            if block.get("accessory"):
                lines.append("    " + _element(block["accessory"]))
        elif kind == "context":
            lines.extend(
                style.dim(line)
                for e in block.get("elements", [])
                for line in mrkdwn(e.get("text", ""), users, style).splitlines()
            )
        elif kind == "divider":
            lines.append(style.dim("─" * 40))
        elif kind == "actions":
            lines.append(" ".join(_element(e) for e in block.get("elements", [])))
        elif kind == "input":
            optional = "" if not block.get("optional") else style.dim(" " + optional_label)
            value = _input_value(block["element"], users)
            if "\n" in value:  # a multi-line text box: its lines under the label
                lines.append(f"{block['label']['text']}{optional}:")
                lines.extend("  │ " + line for line in value.splitlines())
            else:
                lines.append(f"{block['label']['text']}{optional}: [ {value or '________'} ]")
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
    return [indent + line for line in lines]


def message(title: str, items: list[dict], users: dict[str, str], color: bool, text: str = "") -> str:
    style = Style(color)
    body = blocks(items, users, style) if items else ["│ " + mrkdwn(text, users, style)]
    return "\n".join([style.accent("┌─ " + title), *body, style.accent("└" + "─" * 40)])


def view(
    title: str, view_: dict, users: dict[str, str], color: bool, optional_label: str = "(optional)"
) -> str:
    """A modal or Home tab; Slack's own word for an optional input is in the viewer's language."""
    style = Style(color)
    head = view_.get("title", {}).get("text") or ("Home" if view_.get("type") == "home" else "")
    lines = [style.accent("╔═ " + title + (f" — {head}" if head else ""))]
    lines += blocks(view_.get("blocks", []), users, style, indent="║ ", optional_label=optional_label)
    if view_.get("submit"):
        lines.append(
            "║ " + f"[ {view_['submit']['text']} ]  [ {view_.get('close', {}).get('text', 'Cancel')} ]"
        )
    lines.append(style.accent("╚" + "═" * 40))
    return "\n".join(lines)
