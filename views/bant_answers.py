"""A qualification's answers and verdict in words ("Yes · €40,000–€60,000", "Needs sign-off from
the CFO", ":warning: Needs work · score 55/100"), as the DM, the deal card and the Home tab show them."""

from __future__ import annotations

from bot.i18n import N_, Translator
from domain.bant import DISQUALIFY, QUALIFIED, Answer, Score
from views.common import clip, escape

TITLES = {
    "budget": N_("Budget"),
    "authority": N_("Authority"),
    "need": N_("Need"),
    "timeline": N_("Timeline"),
}
VERDICTS = {
    QUALIFIED: N_(":white_check_mark: Qualified"),
    "needs_work": N_(":warning: Needs work"),
    DISQUALIFY: N_(":x: Disqualify"),
}
EVIDENCE_LIMIT = 400


def _money(cents: int, currency: str | None, fallback: str, _: Translator) -> str:
    return _.money(cents, currency or fallback)


def answer_text(answer: Answer | None, _: Translator, currency: str = "EUR") -> str:
    """One answer in a few words: "Yes · €40,000–€60,000", "Needs sign-off from CFO", "By 31 Mar 2027"."""
    if answer is None:
        return "–"
    s, q = answer.status, answer.question
    if s == "skipped":
        return _("Skipped")
    if s == "unknown":
        return _("Not sure")
    if q == "budget":
        low, high = answer.min_cents, answer.max_cents
        if low is not None and high is not None and low != high:
            amount = (
                f"{_money(low, answer.currency, currency, _)}–{_money(high, answer.currency, currency, _)}"
            )
        elif (one := low if low is not None else high) is not None:
            value = _money(one, answer.currency, currency, _)
            amount = (
                value
                if low == high
                else (
                    _("up to {amount}", amount=value) if low is None else _("at least {amount}", amount=value)
                )
            )
        else:
            amount = ""
        if s == "yes":
            return _("Yes") + (f" · {amount}" if amount else "")
        text = _("No budget now") + (f" · {amount}" if amount else "")
        return text + (" · " + _("from {date}", date=_.date(answer.on_date)) if answer.on_date else "")
    if q == "authority":
        if s == "decision_maker":
            return _("Your contact decides")
        if answer.who:
            return _("Needs sign-off from {who}", who=escape(clip(answer.who, 100)))
        return _("Needs sign-off; nobody named")
    if q == "need":
        return {"clear": _("Clear"), "vague": _("Vague"), "none": _("No need")}.get(s, s)
    if s == "date":
        return _("By {date}", date=_.date(answer.on_date))
    return _("No rush") if s == "no_rush" else s


def evidence(answer: Answer | None, _: Translator) -> str:
    if answer is None or answer.skipped or not answer.evidence:
        return ""
    quick = {"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure")}
    shown = " / ".join(quick.get(part, part) for part in answer.evidence.split(" / "))
    return "“" + escape(clip(shown, EVIDENCE_LIMIT)) + "”"


def verdict_line(score: Score, _: Translator) -> str:
    return _("{verdict} · score *{score}*/100", verdict=_(VERDICTS[score.verdict]), score=score.total)
