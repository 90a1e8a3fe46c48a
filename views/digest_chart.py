"""The digest's picture: open deals per stage next to how many moved on in the last 90 days, as a PNG.

Drawn on a bare matplotlib Figure with the Agg canvas, never through pyplot: no global state, so
it is safe in the worker threads the scheduler uses, and no display is needed.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime

from bot.i18n import Translator
from services.digest import Computed
from views.common import clip
from views.digest import chart_comment, label, money, percent

BAR, MOVED = "#4a90d9", "#7bc47f"


def render_png(c: Computed, _: Translator) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    lines = c.digest.stages
    names = [clip(label(line.stage, _), 24) for line in lines]
    counts = [line.count for line in lines]
    conversions = {cv.stage.id: cv for cv in c.digest.rates.conversions}
    rates = [
        float(conversions[line.stage.id].rate or 0) * 100 if line.stage.id in conversions else 0.0
        for line in lines
    ]

    fig = Figure(figsize=(10, 1.2 + 0.5 * max(len(lines), 1)), dpi=100)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    rows = list(range(len(lines)))

    left.barh(rows, counts, color=BAR)
    left.set_title(_("Open deals by stage"), fontsize=11)
    widest = max(counts, default=0) or 1
    for row, line in zip(rows, lines, strict=False):
        text = f"{line.count}" + (f" · {money(line.value, _)}" if line.count else "")
        left.text(line.count + widest * 0.02, row, text, va="center", fontsize=8)
    left.set_xlim(0, widest * 1.8)
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_yticks(rows, labels=names)
    left.invert_yaxis()

    right.barh(rows, rates, color=MOVED)
    right.set_title(_("Moved to a later stage, last {days} days (%)", days=c.digest.rates.days), fontsize=11)
    right.set_xlim(0, 118)
    for row, rate, line in zip(rows, rates, lines, strict=False):
        cv = conversions.get(line.stage.id)
        text = percent(cv.rate if cv is not None else None, _)
        right.text(rate + 2, row, text, va="center", fontsize=8)

    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def chart_upload(computed: Computed, _: Translator, week: str, expires: datetime) -> dict:
    """The chart's outbox payload; unsent by `expires` (the team's next digest), it is dropped: it
    would only confuse beside the next week's."""
    png = render_png(computed, _)
    return {
        "text": chart_comment(computed, _),
        "file": {
            "content_b64": base64.b64encode(png).decode("ascii"),
            "filename": f"pipeline-{week}.png",
            "title": _("Pipeline by stage"),
            "alt_txt": chart_comment(computed, _)[:1000],
        },
        "expires_at": expires.isoformat(),
    }
