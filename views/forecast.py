"""The forecast by month as Block Kit (`/pipeline forecast`, the digest's section) and the backtest
as plain text (`salesbot forecast --backtest`)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton

from bot.i18n import Translator
from domain.forecast import (
    HISTORY,
    METHODS,
    TRAILING_MONTHS,
    WEIGHTED,
    Backtest,
    Bucket,
    Forecast,
    MonthCheck,
)
from domain.metrics import Money
from domain.stages import stage_label
from views.common import MAX_MESSAGE_BLOCKS, context, fields, header, section
from views.converted import currency_note
from views.digest import money, percent, signed_money


def month_name(first: date, _: Translator) -> str:
    """ "November 2026", "november 2026", "November 2026"."""
    return format_skeleton("yMMMM", first, locale=_.language)


def bucket_title(bucket: Bucket, _: Translator) -> str:
    return _("Overdue") if bucket.month is None else month_name(bucket.month, _)


def bucket_line(bucket: Bucket, _: Translator) -> str:
    count = _.n("{count} open deal", "{count} open deals", bucket.count)
    return _(
        "*{title}*: {count} · {open} open · weighted {weighted} · from history {history}",
        title=bucket_title(bucket, _),
        count=count,
        open=money(bucket.open, _),
        weighted=money(bucket.weighted, _),
        history=money(bucket.history, _),
    )


def check_line(check: MonthCheck, _: Translator) -> str:
    """Last month's forecasts, as made at its start, against what was won in it."""
    parts = []
    for method, name in ((WEIGHTED, _("weighted")), (HISTORY, _("from history"))):
        parts.append(
            _(
                "{method} {forecast} (off by {error})",
                method=name,
                forecast=money(check.predicted(method), _),
                error=signed_money(_errors(check, method), _),
            )
        )
    return _(
        "*{month}*: forecast at its start {forecasts}; won {actual}",
        month=month_name(check.month, _),
        forecasts="; ".join(parts),
        actual=money(check.actual, _),
    )


def _errors(check: MonthCheck, method: str) -> Money:
    currencies = sorted(set(check.predicted(method)) | set(check.actual))
    return {c: check.error(method, c) for c in currencies}


def won_lines(f: Forecast, _: Translator) -> list[str]:
    return [
        _("Won so far this month: {value}", value=money(f.won_month, _)),
        _("Won so far this quarter: {value}", value=money(f.won_quarter, _)),
    ]


def digest_lines(f: Forecast, _: Translator) -> list[str]:
    """The digest's section: the buckets, won so far, and last month's check."""
    lines = [bucket_line(b, _) for b in f.buckets]
    lines.extend(won_lines(f, _))
    if f.last_month is not None:
        lines.append(check_line(f.last_month, _))
    return lines


def rate_line(f: Forecast, _: Translator) -> str:
    parts = [
        _(
            "{stage} {rate} ({won} of {due}; set: {configured})",
            stage=stage_label(r.stage, _),
            rate=percent(r.rate, _),
            won=r.won,
            due=r.due,
            configured=_.percent(r.stage.probability / 100),
        )
        for r in f.rates
    ]
    return _(
        "History rates (due deals won within their month, last {months} months): {rates}",
        months=TRAILING_MONTHS,
        rates=", ".join(parts),
    )


def forecast_blocks(f: Forecast, _: Translator) -> list[dict]:
    blocks = [
        header(_("Forecast by month")),
        context(
            _(
                "By expected close date, as of {today}. Weighted: amount × the stage's probability. "
                "From history: amount × the share of such deals your team won within their month.",
                today=_.date(f.today),
            )
        ),
    ]
    blocks.extend(section(bucket_line(b, _)) for b in f.buckets)
    pairs = [
        (_("Won so far this month"), money(f.won_month, _)),
        (_("Won so far this quarter"), money(f.won_quarter, _)),
    ]
    blocks.append(fields(*pairs))
    if f.last_month is not None:
        blocks.append(section(check_line(f.last_month, _)))
    blocks.append(context(rate_line(f, _)))
    if (note := currency_note(f.converted, f.currencies, _)) is not None:
        blocks.append(context(note))
    return blocks[:MAX_MESSAGE_BLOCKS]


def forecast_message(f: Forecast, _: Translator) -> dict:
    this_month = f.buckets[1]
    return {
        "text": _(
            "Forecast for {month}: weighted {weighted}, from history {history}.",
            month=month_name(f.today.replace(day=1), _),
            weighted=money(this_month.weighted, _),
            history=money(this_month.history, _),
        ),
        "blocks": forecast_blocks(f, _),
    }


def backtest_text(b: Backtest, _: Translator, team_id: str) -> str:
    """One line per month and currency, then the MAPE per method and currency."""
    names = {WEIGHTED: _("weighted"), HISTORY: _("from history")}
    out = [_("Forecast backtest for {team}: each month's forecast made at its first moment.", team=team_id)]
    if not b.months:
        return out[0]
    currencies = b.currencies
    if not currencies:
        out.append(_("Nothing was forecast or won in these months."))
        return "\n".join(out)
    error = _("error")
    out.append(
        " | ".join([_("month"), _("currency"), _("won"), *(f"{names[m]} ({error}, APE)" for m in METHODS)])
    )
    for m in b.months:
        for currency in currencies:
            cells = [month_name(m.month, _), currency, _.money(m.actual.get(currency, 0), currency)]
            for method in METHODS:
                cells.append(
                    f"{_.money(m.predicted(method).get(currency, 0), currency)} "
                    f"({signed_money({currency: m.error(method, currency)}, _, currency)}, "
                    f"{percent(m.ape(method, currency), _)})"
                )
            out.append(" | ".join(cells))
    for currency in currencies:
        out.append(
            _(
                "MAPE in {currency}: {scores}",
                currency=currency,
                scores=", ".join(f"{names[m]} {percent(b.mape(m, currency), _)}" for m in METHODS),
            )
        )
    return "\n".join(out)
