"""Goals: attainment of a won-amount goal and the thresholds a rep crosses on the way. Pure: the won
cents come from the caller, the day is an argument (issue 19; definitions in docs/metrics.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from bot.i18n import N_
from domain.amounts import Amount, AmountError, amount_error, parse_amount
from domain.commands import parse_mention
from domain.errors import UserError, clean
from domain.months import add_months, month_start, quarter_start

THRESHOLDS = (50, 90, 100)  # percent; a DM goes out once for each one crossed


@dataclass(frozen=True)
class Attainment:
    won_cents: int
    goal_cents: int
    percent: Fraction | None  # None when the goal is zero: nothing to attain
    days_left: int  # days after `today` up to and including the period's last day; 0 once over


def attainment(won_cents: int, goal_cents: int, today: date, period_end: date) -> Attainment:
    """Won so far against the goal, as an exact percentage, and the days left in the period."""
    percent = Fraction(100 * won_cents, goal_cents) if goal_cents > 0 else None
    return Attainment(won_cents, goal_cents, percent, max((period_end - today).days, 0))


def crossed(before_cents: int, after_cents: int, goal_cents: int) -> tuple[int, ...]:
    """The thresholds passed when the won amount moves from `before` to `after` (a threshold is
    reached at exactly its share: 50 % of 1000 is reached at 500)."""
    if goal_cents <= 0:
        return ()
    return tuple(t for t in THRESHOLDS if 100 * before_cents < t * goal_cents <= 100 * after_cents)


MONTH, QUARTER = "month", "quarter"
PERIODS = (MONTH, QUARTER)
TEAM = ""  # the user id under which the team's own goal is kept


def period_start(period: str, today: date) -> date:
    """The first day of the month or quarter `today` falls in."""
    return quarter_start(today) if period == QUARTER else month_start(today)


def period_end(period: str, first: date) -> date:
    """The last day of the period that begins on `first`."""
    return add_months(first, 3 if period == QUARTER else 1) - timedelta(days=1)


def highest_new(percent: Fraction | None, announced: int) -> int | None:
    """The highest threshold reached that was not announced yet: one DM names it, even when a big
    win passes two at once (40 % to 95 % says 90 %, not 50 % and then 90 %)."""
    if percent is None:
        return None
    reached = [t for t in THRESHOLDS if announced < t <= percent]
    return max(reached) if reached else None


@dataclass(frozen=True)
class GoalCommand:
    """`/pipeline goals set <who> <amount> [month|quarter] [deals:N]`; who: a mention, `me` or `team`."""

    who: str  # a user id, or TEAM
    amount: Amount
    period: str
    deal_count: int | None


_SET_USAGE = N_(
    "Set a goal like `/pipeline goals set @anna 50k month` or `/pipeline goals set team 200k quarter`."
)


def parse_goal_command(text: str, me: str) -> GoalCommand:
    """The words after `/pipeline goals set`. A rep's mistake raises UserError and sets nothing."""
    words = clean(text).split()
    if len(words) < 2:
        raise UserError(_SET_USAGE)
    who_word, *rest = words
    if who_word.lower() == "team":
        who = TEAM
    elif who_word.lower() == "me":
        who = me
    else:
        who = parse_mention(who_word, _SET_USAGE, handles=False)
    period, deal_count, amount_words = MONTH, None, []
    for word in rest:
        lowered = word.lower()
        if lowered in PERIODS:
            period = lowered
        elif lowered.startswith("deals:"):
            deal_count = parse_deal_count(lowered.removeprefix("deals:"))
        else:
            amount_words.append(word)
    if not amount_words:
        raise UserError(_SET_USAGE)
    return GoalCommand(who, parse_goal_amount(" ".join(amount_words)), period, deal_count)


def parse_deal_count(count: str) -> int:
    """A goal's number of deals, from the command (`deals:5`) or the settings form."""
    if not count.isdigit() or not 0 < int(count) <= 10_000:
        raise UserError(N_("Give the number of deals as a whole number, like `deals:5`."))
    return int(count)


def parse_goal_amount(text: str) -> Amount:
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise amount_error(exc, text) from exc
