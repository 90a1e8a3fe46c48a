"""`/pipeline team` as Block Kit: each rep's load and results beside the team's median rep."""

from __future__ import annotations

from fractions import Fraction

from babel.numbers import format_decimal

from bot.i18n import Translator
from domain.rep_load import Load, RepLine
from views.common import MAX_MESSAGE_BLOCKS, context, header, section
from views.digest import days, money, percent

MAX_REPS = 40


def times(value: Fraction | None, _: Translator) -> str:
    return _("n/a") if value is None else format_decimal(float(value), format="0.0", locale=_.language) + "×"


def rep_line(rep: RepLine, load: Load, _: Translator) -> str:
    text = _(
        "<@{user}> — {count} open ({value}), {load} the median rep · win rate {rate} · cycle {cycle} days",
        user=rep.owner_id,
        count=rep.open_count,
        value=money(rep.open_value, _),
        load=times(rep.load, _),
        rate=percent(rep.win_rate, _),
        cycle=days(rep.cycle_days, _),
    )
    if rep.flag == "overload":
        text += " · " + _(":warning: overloaded")
    elif rep.flag == "idle":
        text += " · " + _(":seedling: room for more")
    return text


def team_line(load: Load, _: Translator) -> str:
    return _(
        "Team: the median rep has {median} open deals · win rate {rate} · cycle {cycle} days",
        median=format_decimal(float(load.median_open or 0), format="0.#", locale=_.language),
        rate=percent(load.win_rate, _),
        cycle=days(load.cycle_days, _),
    )


def rep_load_message(load: Load, _: Translator, only: str | None = None) -> dict:
    """Every rep for a manager; `only` a rep's own line beside the team's median for a rep."""
    title = _("Rep load") if only is None else _("Your load")
    blocks = [
        header(title),
        context(
            _(
                "Open deals now against the median rep (over 1.5× is overloaded, under 0.5× has room "
                "for more); win rate and sales cycle over the last {days} days.",
                days=load.days,
            )
        ),
        section(team_line(load, _)),
    ]
    reps = load.reps if only is None else [r for r in load.reps if r.owner_id == only]
    if not reps:
        blocks.append(section(_("No open deals and none closed lately.")))
    blocks.extend(section(rep_line(r, load, _)) for r in reps[:MAX_REPS])
    if len(reps) > MAX_REPS:
        blocks.append(context(_.n("…and {count} more rep.", "…and {count} more reps.", len(reps) - MAX_REPS)))
    return {"text": title, "blocks": blocks[:MAX_MESSAGE_BLOCKS]}
