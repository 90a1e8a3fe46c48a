"""`/pipeline insights` as Block Kit: the stages that stand out, the deals behind them, and every
stage's time and forward share against its own trailing figures."""

from __future__ import annotations

from bot.i18n import Translator
from domain.bottlenecks import PERIOD_DAYS, TRAILING_DAYS, StageFlow
from services.insights import Insights
from views.common import MAX_MESSAGE_BLOCKS, clip, context, divider, escape, header, section, stage_label
from views.digest import percent


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


def insights_message(insights: Insights, _: Translator) -> dict:
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
    return {"text": _("Pipeline insights"), "blocks": blocks[:MAX_MESSAGE_BLOCKS]}
