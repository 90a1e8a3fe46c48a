"""Exchange rates as Block Kit: `/pipeline rates` and the answer to `/pipeline rates set`."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.i18n import Translator
from domain.rates import Rate
from services.rates import Converted, RateTable
from views.common import context, header, section

MAX_LINES = 40


def rate_text(currency: str, base: str, rate, _: Translator) -> str:
    return _(
        "1 {currency} = {rate} {base}",
        currency=currency,
        rate=format_decimal(rate, format="#,##0.######", locale=_.language),
        base=base,
    )


def rate_set(rate: Rate, _: Translator) -> dict:
    text = _(
        "Rate saved: {rate} from {day}.",
        rate=rate_text(rate.currency, rate.base, rate.rate, _),
        day=_.date(rate.day),
    )
    return {"text": text, "blocks": [section(text)]}


def rates_message(table: RateTable, _: Translator) -> dict:
    lines = [
        _("{rate} from {day}", rate=rate_text(r.currency, r.base, r.rate, _), day=_.date(r.day))
        for r in table.own[-MAX_LINES:]
    ]
    blocks = [header(_("Exchange rates"))]
    if lines:
        blocks.append(section("\n".join(lines)))
    else:
        blocks.append(
            section(_("The team has no rates of its own. Set one with `/pipeline rates set USD 0.92`."))
        )
    if table.feed_day is not None:
        blocks.append(
            context(
                _(
                    "ECB reference rates up to {day}; the team's own rates come first.",
                    day=_.date(table.feed_day),
                )
            )
        )
    blocks.append(
        context(
            _(
                "Goals and the pipeline's total are converted to {currency} at these rates; "
                "each deal keeps its own currency.",
                currency=table.currency,
            )
        )
    )
    return {"text": _("Exchange rates"), "blocks": blocks}


def converted_context(converted: Converted | None, _: Translator) -> list[dict]:
    """Under `/pipeline`: the per-currency totals added up in the team currency, with the rates' day."""
    if converted is None:
        return []
    text = _(
        "All currencies in {currency}: {total} · weighted {weighted} (converted at rates of {day})",
        currency=converted.currency,
        total=_.money(converted.cents, converted.currency),
        weighted=_.money(converted.weighted, converted.currency),
        day=_.date(converted.day),
    )
    if converted.missing:
        text += " · " + _("no rate for {currencies}", currencies=", ".join(converted.missing))
    return [context(text)]
