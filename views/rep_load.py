"""`/pipeline team` as Block Kit: each rep's load and results beside the team's median rep."""

from __future__ import annotations

from fractions import Fraction

from babel.numbers import format_decimal

from bot.i18n import Translator
from domain.rep_load import Load, RepLine, Step
from views.common import MAX_MESSAGE_BLOCKS, context, header, section
from views.converted import currency_note
from views.digest import days, money, percent, shown

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
    if rep.steps:
        text += "\n" + steps_line(rep.steps, _)
    return text


def step_text(step: Step, _: Translator) -> str:
    """ "Proposal 40% (2 of 5; team 60%)", with a mark when it is a gap."""
    text = _(
        "{stage} {rate} ({moved} of {entered}; team {team})",
        stage=shown(step.stage, _),
        rate=percent(step.rate, _),
        moved=step.moved_on,
        entered=step.entered,
        team=percent(step.team, _),
    )
    return f":small_red_triangle_down: {text}" if step.gap else text


def steps_line(steps: list[Step], _: Translator) -> str:
    return _("Moved on from: {steps}", steps=", ".join(step_text(s, _) for s in steps))


def team_line(load: Load, _: Translator) -> str:
    text = _(
        "Team: the median rep has {median} open deals · win rate {rate} · cycle {cycle} days",
        median=format_decimal(float(load.median_open or 0), format="0.#", locale=_.language),
        rate=percent(load.win_rate, _),
        cycle=days(load.cycle_days, _),
    )
    if load.steps:
        parts = [
            _(
                "{stage} {rate} ({moved} of {entered})",
                stage=shown(t.stage, _),
                rate=percent(t.rate, _),
                moved=t.moved_on,
                entered=t.entered,
            )
            for t in load.steps
        ]
        text += "\n" + _("Moved on from: {steps}", steps=", ".join(parts))
    return text


def rep_load_message(load: Load, _: Translator, only: str | None = None) -> dict:
    """Every rep for a manager; `only` a rep's own line beside the team's median for a rep."""
    title = _("Rep load") if only is None else _("Your load")
    blocks = [
        header(title),
        context(
            _(
                "Open deals now against the median rep (over 1.5× is overloaded, under 0.5× has room "
                "for more); win rate, sales cycle and the share of deals that moved on from each "
                "stage over the last {days} days (:small_red_triangle_down: 20 points or more below "
                "the team's, from 5 deals or more).",
                days=load.days,
            )
        ),
        section(team_line(load, _)),
    ]
    if load.converted is not None:
        blocks.append(context(currency_note(load.converted, [], _) or ""))
    reps = load.reps if only is None else [r for r in load.reps if r.owner_id == only]
    if not reps:
        blocks.append(section(_("No open deals and none closed lately.")))
    blocks.extend(section(rep_line(r, load, _)) for r in reps[:MAX_REPS])
    if len(reps) > MAX_REPS:
        blocks.append(context(_.n("…and {count} more rep.", "…and {count} more reps.", len(reps) - MAX_REPS)))
    return {"text": title, "blocks": blocks[:MAX_MESSAGE_BLOCKS]}
