"""Goals as Block Kit: `/pipeline goals`, the line beside the pipeline and the Home tab, and the DM
told when a threshold is reached."""

from __future__ import annotations

from bot.i18n import Translator
from domain.goals import QUARTER, TEAM
from services.goals import Standing
from views.common import context, header, section
from views.forecast import month_name

BAR = 10  # cells in the progress bar


def period_name(standing: Standing, _: Translator) -> str:
    goal = standing.goal
    if goal.period == QUARTER:
        return _("Q{quarter} {year}", quarter=(goal.starts.month - 1) // 3 + 1, year=goal.starts.year)
    return month_name(goal.starts, _)


def whose(standing: Standing, _: Translator) -> str:
    return _("Team") if standing.goal.user_id == TEAM else f"<@{standing.goal.user_id}>"


def bar(standing: Standing) -> str:
    percent = standing.attained.percent or 0
    filled = min(BAR, int(percent * BAR / 100))
    return "▰" * filled + "▱" * (BAR - filled)


def progress(standing: Standing, _: Translator) -> str:
    goal, attained = standing.goal, standing.attained
    text = _(
        "{won} of {goal} ({percent})",
        won=_.money(attained.won_cents, goal.currency),
        goal=_.money(goal.amount_cents, goal.currency),
        percent=_.percent(float(attained.percent or 0) / 100),
    )
    if goal.deal_count:
        text += " · " + _("{won} of {goal} deals", won=standing.deals_won, goal=goal.deal_count)
    return text


def goal_line(standing: Standing, _: Translator) -> str:
    days = standing.attained.days_left
    left = _.n("{count} day left", "{count} days left", days) if days else _("period over")
    head = f"*{whose(standing, _)}* · {period_name(standing, _)}"
    return f"{head}: {bar(standing)} {progress(standing, _)} · {left}"


def goals_message(standings: list[Standing], _: Translator) -> dict:
    """`/pipeline goals`: every goal of this month and quarter (a rep's: theirs and the team's)."""
    if not standings:
        text = _(
            "No goals for this month or quarter yet. A manager sets one with `/pipeline goals set @anna 50k`."
        )
        return {"text": text, "blocks": [section(text)]}
    blocks = [header(_("Goals")), *[section(goal_line(s, _)) for s in standings[:45]]]
    blocks.append(context(conversion_note(standings, _)))
    return {"text": _("Goals"), "blocks": blocks}


def conversion_note(standings: list[Standing], _: Translator) -> str:
    """How deals in other currencies counted: converted at the rates of a day, or not at all."""
    converted = [s.converted_at for s in standings if s.converted_at is not None]
    if not converted:
        currencies = ", ".join(sorted({s.goal.currency for s in standings}))
        return _(
            "Only deals won in {currencies} count toward a goal in that currency.", currencies=currencies
        )
    note = _(
        "Deals won in other currencies are converted at the rates of the day they closed (rates of {day}).",
        day=max(converted),
    )
    missing = sorted({c for s in standings for c in s.unconverted})
    if missing:
        note += " " + _(
            "No rate for {currencies}: those deals are not counted.", currencies=", ".join(missing)
        )
    return note


def goal_context(standings: list[Standing], _: Translator) -> list[dict]:
    """One context line under `/pipeline` and on the Home tab; nothing when there are no goals."""
    if not standings:
        return []
    return [context(" \n".join(goal_line(s, _) for s in standings[:5]))]


def goal_set(standing: Standing, _: Translator) -> dict:
    text = _(
        "Goal set: {who}, {period}, {amount}.",
        who=whose(standing, _),
        period=period_name(standing, _),
        amount=_.money(standing.goal.amount_cents, standing.goal.currency),
    )
    return {"text": text, "blocks": [section(text), section(goal_line(standing, _))]}


def goal_reached(standing: Standing, threshold: int, user: str, _: Translator) -> dict:
    """The DM: to the rep about their own goal, or to a manager about a rep's or the team's."""
    goal, period = standing.goal, period_name(standing, _)
    if goal.user_id == user:
        head = _(
            "You've reached {share} of your goal for {period}.",
            share=_.percent(threshold / 100),
            period=period,
        )
        if threshold >= 100:
            head = _("Goal reached: you've hit your goal for {period}. Well done!", period=period)
    elif goal.user_id == TEAM:
        head = _(
            "The team has reached {share} of its goal for {period}.",
            share=_.percent(threshold / 100),
            period=period,
        )
    else:
        head = _(
            "<@{rep}> has reached {share} of their goal for {period}.",
            rep=goal.user_id,
            share=_.percent(threshold / 100),
            period=period,
        )
    return {"text": head, "blocks": [section(head), context(f"{bar(standing)} {progress(standing, _)}")]}
