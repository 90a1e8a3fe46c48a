"""The weekly digest as a Block Kit message (and as plain text, for `salesbot digest --dry-run`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from babel.numbers import format_decimal, format_percent

from bot.i18n import NO_VALUE, Translator
from domain import digest_schedule as schedule
from domain.metrics import Money, StageInfo
from domain.stages import reason_label, stage_label
from services.digest import Computed
from views.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    clip,
    context,
    divider,
    escape,
    fields,
    header,
    section,
    shown_stage,
)
from views.converted import currency_note

MAX_REPS = 20
LATE = timedelta(hours=1)  # a digest posted this long after its time says why


# -- numbers -------------------------------------------------------------------------------------
def percent(value: Fraction | None, _: Translator) -> str:
    return _("n/a") if value is None else format_percent(float(value), locale=_.language)


def days(value: Fraction | None, _: Translator) -> str:
    return _(NO_VALUE) if value is None else format_decimal(float(value), format="#,##0.0", locale=_.language)


def money(values: Money, _: Translator, fallback: str = "EUR") -> str:
    shown = [_.money(cents, cur) for cur, cents in sorted(values.items()) if cents]
    return " + ".join(shown) if shown else _.money(0, next(iter(sorted(values)), fallback))


def signed_money(values: Money, _: Translator, fallback: str = "EUR") -> str:
    shown = [
        ("+" if cents > 0 else "-") + _.money(abs(cents), cur)
        for cur, cents in sorted(values.items())
        if cents
    ]
    return " ".join(shown) if shown else _.money(0, next(iter(sorted(values)), fallback))


def signed(count: int) -> str:
    return f"+{count}" if count > 0 else str(count)


def label(stage: StageInfo, _: Translator) -> str:
    """For the chart (a picture: nothing to escape); the message uses shown()."""
    return stage_label(stage, _)


def shown(stage: StageInfo, _: Translator) -> str:
    return shown_stage(stage, _)


# -- the message ---------------------------------------------------------------------------------
def summary(c: Computed, _: Translator, currency: str = "EUR") -> str:
    h = c.digest.headline
    return _(
        "Weekly pipeline digest: {count} open deals, {value}, weighted forecast {weighted}.",
        count=h.count,
        value=money(h.value, _, currency),
        weighted=money(h.weighted, _, currency),
    )


def digest_blocks(
    c: Computed, _: Translator, sent_at: datetime | None = None, preview: bool = False
) -> list[dict]:
    d = c.digest
    h = d.headline
    first = schedule.local_date(d.week_start, c.timezone)
    last = schedule.local_date(d.as_of, c.timezone)
    blocks = [
        header(_("Weekly pipeline digest")),
        context(
            _(
                "The week of {start} to {end} · rates over the last {days} days",
                start=_.date(first),
                end=_.date(last),
                days=d.rates.days,
            )
        ),
    ]
    if preview:
        blocks.append(
            context(
                _(
                    "Preview, only you can see it. Each week the digest goes to the team's digest "
                    "channel and to its managers, with a chart."
                )
            )
        )
    if sent_at is not None and sent_at - d.as_of > LATE:
        blocks.append(context(_(":hourglass: Sent late: I was offline when this digest was due.")))
    # A bare _ inside _.n(...) hides the plural from Babel's extractor: values are worked out first.
    value = money(h.value, _)
    blocks.append(
        fields(
            (
                _("Open pipeline"),
                _.n("{count} deal · {value}", "{count} deals · {value}", h.count, value=value),
            ),
            (_("Weighted forecast"), money(h.weighted, _)),
            (
                _("Since last week"),
                _(
                    "{count} deals · {value}",
                    count=signed(h.delta_count),
                    value=signed_money(h.delta_value, _),
                ),
            ),
            (_("Forecast since last week"), signed_money(h.delta_weighted, _)),
        )
    )
    if c.insights is not None and c.insights.standouts:
        from views import insights as insights_view  # here: it builds on this module's number formats

        blocks.extend(
            _sections(
                _("Where deals are held up"),
                [insights_view.standout_line(f, c.insights, _) for f in c.insights.standouts],
            )
        )
    if c.forecast is not None:
        from views import forecast as forecast_view  # here: it builds on this module's number formats

        blocks.append(divider())
        blocks.extend(_sections(_("Forecast by month"), forecast_view.digest_lines(c.forecast, _)))
    if c.goals:
        from views.goals import goal_line  # here: goals build on the forecast's month names

        blocks.append(divider())
        blocks.extend(_sections(_("Goals"), [goal_line(g, _) for g in c.goals]))
    blocks.append(divider())
    blocks.extend(
        _sections(
            _("Pipeline by stage"), [_stage_line(line, _) for line in d.stages] or [_("No open stages.")]
        )
    )
    blocks.append(divider())
    blocks.extend(_sections(_("This week"), _week_lines(c, _)))
    blocks.append(divider())
    blocks.extend(_sections(_("Last {days} days", days=d.rates.days), _rate_lines(c, _)))
    blocks.append(divider())
    blocks.extend(_sections(_("By rep"), _rep_lines(c, _) or [_("No open or won deals.")]))
    blocks.extend(
        _sections(
            _("Stalled deals ({count}), idle longest first", count=d.stalled_count),
            _stalled_lines(c, _) or [_("No deal is stalled.")],
        )
    )
    notes = [
        _(
            "BANT qualification coverage (open deals past Qualification): {share}",
            share=percent(d.coverage, _),
        )
    ]
    if (note := currency_note(d.converted, d.currencies, _)) is not None:
        notes.append(note)
    blocks.append(context("\n".join(notes)))
    return blocks[:MAX_MESSAGE_BLOCKS]


def digest_message(
    c: Computed, _: Translator, sent_at: datetime | None = None, preview: bool = False
) -> dict:
    return {"text": summary(c, _), "blocks": digest_blocks(c, _, sent_at, preview)}


def chart_comment(c: Computed, _: Translator) -> str:
    parts = [_("{stage}: {count}", stage=shown(line.stage, _), count=line.count) for line in c.digest.stages]
    return _("Open deals by stage: {stages}.", stages=", ".join(parts))


def as_text(blocks: list[dict]) -> str:
    """The digest readable in a terminal: every text of every block, in order."""
    out = []
    for block in blocks:
        if block.get("type") == "divider":
            out.append("")
        for part in [block.get("text")] + list(block.get("fields") or []) + list(block.get("elements") or []):
            if isinstance(part, dict) and part.get("text"):
                out.append(part["text"])
    return "\n".join(out)


def _sections(title: str, lines: list[str]) -> list[dict]:
    """A titled list, packed into sections that stay under Slack's 3,000 characters."""
    blocks, buf = [], f"*{title}*"
    for line in lines:
        line = clip(line, MAX_SECTION_TEXT - 100)
        if len(buf) + len(line) + 1 > MAX_SECTION_TEXT - 50:
            blocks.append(section(buf))
            buf = ""
        buf = f"{buf}\n{line}" if buf else line
    blocks.append(section(buf))
    return blocks


def _stage_line(line, _: Translator) -> str:
    value = money(line.value, _)
    text = f"*{shown(line.stage, _)}* ({_.percent(line.stage.probability / 100)}) — " + _.n(
        "{count} deal · {value}", "{count} deals · {value}", line.count, value=value
    )
    if line.count:
        text += " · " + _("{days} days in stage on average", days=days(line.avg_age_days, _))
    if line.stalled:
        text += " · " + _("{count} stalled", count=line.stalled)
    return text


def _week_lines(c: Computed, _: Translator) -> list[str]:
    w = c.digest.week
    lines = [
        _("New deals: {count} · {value}", count=w.new_count, value=money(w.new_value, _)),
        _("Stage advances: {count}", count=w.advanced),
    ]
    if w.moved_back:
        lines[-1] += " · " + _("moved back: {count}", count=w.moved_back)
    if w.reopened:
        lines[-1] += " · " + _("reopened: {count}", count=w.reopened)
    lines.append(_("Won: {count} · {value}", count=w.won_count, value=money(w.won_value, _)))
    lost = _("Lost: {count} · {value}", count=w.lost_count, value=money(w.lost_value, _))
    if w.reasons:
        named = [f"{_reason(r.key, c, _)} ({r.count})" for r in w.reasons]
        lost += " · " + _("top reasons: {reasons}", reasons=", ".join(named))
    lines.append(lost)
    if c.nurture and (c.nurture.waiting or c.nurture.back):
        lines.append(
            _(
                "In nurture: {count} · came back this week: {back}",
                count=c.nurture.waiting,
                back=c.nurture.back,
            )
        )
    slipped = money(w.slipped_value, _)
    lines.append(
        _.n(
            "Slipped close dates: {count} open deal is past its expected close date ({value}); "
            "{new} of them passed it this week.",
            "Slipped close dates: {count} open deals are past their expected close date ({value}); "
            "{new} of them passed it this week.",
            w.slipped_count,
            value=slipped,
            new=w.slipped_this_week,
        )
    )
    steps = c.digest.next_steps
    lines.append(
        _(
            "Open deals without a next step: {missing} · with an overdue next step: {overdue}",
            missing=steps.missing,
            overdue=steps.overdue,
        )
    )
    return lines


def _reason(key: str | None, c: Computed, _: Translator) -> str:
    if key is None:
        return _("reason written in or not given")
    return escape(reason_label(key, c.reasons.get(key, key), _))


def _rate_lines(c: Computed, _: Translator) -> list[str]:
    r = c.digest.rates
    lines = [
        _(
            "{stage} → a later stage: {rate} ({moved} of {entered})",
            stage=shown(cv.stage, _),
            rate=percent(cv.rate, _),
            moved=cv.moved_on,
            entered=cv.entered,
        )
        for cv in r.conversions
    ]
    lines.append(
        _("Win rate: {rate} ({won} won, {lost} lost)", rate=percent(r.win_rate, _), won=r.won, lost=r.lost)
    )
    lines.append(_("Average won deal: {value}", value=money(r.avg_won, _) if r.avg_won else _("n/a")))
    lines.append(
        _("Average sales cycle: {days} days from creation to won", days=days(r.avg_cycle_days, _))
        if r.avg_cycle_days is not None
        else _("Average sales cycle: n/a")
    )
    lines.append(
        _("Sales velocity: {value} per 30 days", value=money(r.velocity, _))
        if r.velocity
        else _("Sales velocity: n/a")
    )
    return lines


def _rep_lines(c: Computed, _: Translator) -> list[str]:
    from views.rep_load import steps_line  # here: it builds on this module's number formats

    reps = c.digest.reps
    lines = [
        _(
            "<@{user}> — open: {open} ({open_value}) · won this week: {won} ({won_value}) "
            "· stalled: {stalled}",
            user=r.owner_id,
            open=r.open_count,
            open_value=money(r.open_value, _),
            won=r.won_count,
            won_value=money(r.won_value, _),
            stalled=r.stalled,
        )
        + (f"\n{steps_line(r.steps, _)}" if r.steps else "")
        for r in reps[:MAX_REPS]
    ]
    if len(reps) > MAX_REPS:
        lines.append(_.n("…and {count} more rep.", "…and {count} more reps.", len(reps) - MAX_REPS))
    return lines


def _stalled_lines(c: Computed, _: Translator) -> list[str]:
    stages = {s.id: s for s in c.stages}
    lines = []
    for deal in c.digest.stalled_top:
        parts = [f"*#{deal.number}* {escape(clip(deal.name, 80))}"]
        if deal.cents is not None:
            parts.append(_.money(deal.cents, deal.currency))
        parts.append(shown(stages[deal.stage_id], _))
        parts.append(_.n("{count} day idle", "{count} days idle", deal.idle_days))
        parts.append(f"<@{deal.owner_id}>")
        lines.append(" · ".join(parts))
    return lines
