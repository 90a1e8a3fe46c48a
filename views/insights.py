"""`/pipeline insights` as Block Kit: the stages that stand out, the deals behind them, and every
stage's time and forward share against its own trailing figures."""

from __future__ import annotations

from bot.i18n import Translator
from domain.bottlenecks import PERIOD_DAYS, TRAILING_DAYS, StageFlow
from domain.disqualify import BANT, NUDGED, NUDGED_TIMES, PAST_CLOSE_DAYS, Candidate, LostRef
from domain.stage_hygiene import Hygiene
from domain.stages import stage_label
from services.insights import Insights
from views.common import (
    MAX_MESSAGE_BLOCKS,
    button,
    clip,
    context,
    divider,
    escape,
    header,
    section,
)
from views.digest import percent
from views.ids import Action

MAX_CANDIDATES = 10


def _days(value: int | None, _: Translator) -> str:
    return _("n/a") if value is None else _.n("{count} day", "{count} days", value)


def flow_line(f: StageFlow, _: Translator) -> str:
    return _(
        "*{stage}*: {count} deals now, median {now} in the stage (usually {usual}) · moved on: "
        "{rate} of {exits} this period (usually {usual_rate})",
        stage=stage_label(f.stage, _),
        count=f.now_count,
        now=_days(f.now_median, _),
        usual=_days(f.trailing_median, _),
        rate=percent(f.period_rate, _),
        exits=f.period_exits,
        usual_rate=percent(f.trailing_rate, _),
    )


def standout_line(f: StageFlow, insights: Insights, _: Translator) -> str:
    lines = [":rotating_light: " + flow_line(f, _)]
    for deal in insights.behind.get(f.stage.id, []):
        amount = _.money(deal.cents, deal.currency) if deal.cents is not None else _("no amount")
        lines.append(
            _(
                "• #{number} {name} · {amount} · {days} in the stage · <@{owner}>",
                number=deal.number,
                name=escape(clip(deal.name, 80)),
                amount=amount,
                days=_days(deal.idle_days, _),
                owner=deal.owner_id,
            )
        )
    return "\n".join(lines)


def candidate_why(c: Candidate, _: Translator) -> str:
    """Why the deal is a candidate (also in the owner's nudge, views/nudges.py)."""
    if c.why == BANT:
        return _("BANT verdict: disqualify")
    if c.why == NUDGED:
        return _.n(
            "nudged {count} time without progress",
            "nudged {count} times without progress",
            c.nudges,
        )
    return _.n(
        "{count} day past its expected close",
        "{count} days past its expected close",
        c.days_past_close or 0,
    )


def candidate_line(c: Candidate, _: Translator) -> str:
    amount = _.money(c.deal.cents, c.deal.currency) if c.deal.cents is not None else _("no amount")
    why = candidate_why(c, _)
    return _(
        "*#{number}* {name} · {amount} · {why} · <@{owner}>",
        number=c.deal.number,
        name=escape(clip(c.deal.name, 80)),
        amount=amount,
        why=why,
        owner=c.deal.owner_id,
    )


def candidate_blocks(listed: list[Candidate], _: Translator, manager: bool) -> list[dict]:
    bant = sum(c.why == BANT for c in listed)
    nudged = sum(c.why == NUDGED for c in listed)
    title = _("Worth disqualifying?") if not manager else _("Worth disqualifying? (the whole team)")
    blocks = [section("*" + title + "*")]
    if not listed:
        blocks.append(
            context(
                _(
                    "No open deal has a BANT verdict of disqualify, was nudged {times} times without "
                    "progress or is long past its close date.",
                    times=NUDGED_TIMES,
                )
            )
        )
        return blocks
    blocks.append(
        context(
            _(
                "{count} open deals: {bant} with a BANT verdict of disqualify, {nudged} nudged {times} "
                "or more times without progress, {late} more than {days} days past their expected "
                "close. Mark lost prefills the reason; you can change it.",
                count=len(listed),
                bant=bant,
                nudged=nudged,
                times=NUDGED_TIMES,
                late=len(listed) - bant - nudged,
                days=PAST_CLOSE_DAYS,
            )
        )
    )
    for c in listed[:MAX_CANDIDATES]:
        ref = LostRef(c.deal.number, c.reason_key).encode()
        blocks.append(
            section(candidate_line(c, _), accessory=button(_("Mark lost"), Action.DISQUALIFY_LOST, ref))
        )
    if len(listed) > MAX_CANDIDATES:
        more = len(listed) - MAX_CANDIDATES
        blocks.append(context(_.n("…and {count} more deal.", "…and {count} more deals.", more)))
    return blocks


def hygiene_line(h: Hygiene, _: Translator) -> str:
    return _(
        "*{stage}*: skipped by {skip} of the deals that moved past it ({skipped} of {passed}) · "
        "left within a day: {quick} ({quick_n} of {exits}) · went back: {back} ({back_n} of {exits})",
        stage=stage_label(h.stage, _),
        skip=percent(h.skip_share, _),
        skipped=h.skipped,
        passed=h.passed,
        quick=percent(h.quick_share, _),
        quick_n=h.quick,
        exits=h.exits,
        back=percent(h.back_share, _),
        back_n=h.backwards,
    )


def hygiene_blocks(insights: Insights, _: Translator) -> list[dict]:
    suggested = [h for h in insights.hygiene if h.suggested]
    blocks = [section("*" + _("Stages to review") + "*")]
    if not suggested:
        blocks.append(context(_("No stage is mostly skipped, passed in under a day, or left backwards.")))
        return blocks
    blocks.append(
        context(
            _(
                "Most deals skip these stages, pass through them in under a day, or go back from them "
                "(over the last {days} days): candidates to merge with a neighbour or to rename.",
                days=TRAILING_DAYS + PERIOD_DAYS,
            )
        )
    )
    blocks.extend(section(hygiene_line(h, _)) for h in suggested)
    return blocks


def insights_message(
    insights: Insights, _: Translator, listed: list[Candidate] | None = None, manager: bool = True
) -> dict:
    blocks = [
        header(_("Pipeline insights")),
        context(
            _(
                "Each stage now against the {trailing} days before the last {period}: how long its deals "
                "have been in it (median), and the share of the deals that left it that moved on "
                "(a later stage, or won).",
                trailing=TRAILING_DAYS,
                period=PERIOD_DAYS,
            )
        ),
    ]
    if insights.standouts:
        blocks.append(section("*" + _("Where deals are held up") + "*"))
        blocks.extend(section(standout_line(f, insights, _)) for f in insights.standouts)
    else:
        blocks.append(section(_("No stage stands out: every stage is close to its usual pace.")))
    blocks.append(divider())
    blocks.extend(section(flow_line(f, _)) for f in insights.flows)
    blocks.append(divider())
    blocks.extend(hygiene_blocks(insights, _))
    if listed is not None:
        blocks.append(divider())
        blocks.extend(candidate_blocks(listed, _, manager))
    return {"text": _("Pipeline insights"), "blocks": blocks[:MAX_MESSAGE_BLOCKS]}
