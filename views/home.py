"""The App Home tab: the rep's own open deals, grouped by stage, with the card buttons."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from models.qualify import Snapshot
from models.tables import Deal, Stage
from views.common import (
    MAX_VIEW_BLOCKS,
    actions,
    button,
    context,
    divider,
    header,
    section,
    shown_stage,
)
from views.deals import card_actions, money_list, summary_line
from views.ids import Action, Block
from views.qualify import badge, qualify_button
from views.search import home_finder

# Each deal takes two blocks; keep room for the header, the stage titles and the footer.
HOME_DEAL_LIMIT = 30


def home(
    _: Translator,
    user_id: str,
    stages: list[Stage],
    deals: list[Deal],
    total: int,
    now: datetime,
    bant: dict[int, Snapshot] | None = None,
    goals: list[dict] | None = None,
    notify: list[dict] | None = None,
) -> dict:
    """`bant`: deal number -> its qualification, shown as a badge on the deal's line; `goals`: the
    rep's and the team's goal line (views/goals.goal_context); `notify`: the rep's choice of DMs
    (views/preferences.home_section), kept below the deals whatever their number."""
    blocks = [
        header(_("Your pipeline")),
        *(goals or []),
        actions(
            [button(_("New deal"), Action.HOME_NEW_DEAL, "new", style="primary")], block_id=Block.HOME_TOP
        ),
        home_finder(_),
    ]
    by_stage = {s.id: s for s in stages}
    if not deals:
        blocks.append(section(_("You have no open deals. Add one with the button above or `/deal add`.")))
    shown = 0
    for stage in stages:
        mine = [d for d in deals if d.stage_id == stage.id]
        if not mine:
            continue
        values: dict[str, int] = {}
        for d in mine:
            values[d.currency] = values.get(d.currency, 0) + (d.amount_cents or 0)
        blocks.append(divider())
        blocks.append(
            section(
                f"*{shown_stage(stage, _)}* · "
                + _.n("{count} deal", "{count} deals", len(mine))
                + f" · {money_list(values, _)}"
            )
        )
        for deal in mine:
            if shown >= HOME_DEAL_LIMIT:
                break
            line = summary_line(deal, by_stage[deal.stage_id], _, now)
            if bant and deal.number in bant:
                line += " · " + badge(bant[deal.number], _)
            blocks.append(section(line))
            blocks.append(card_actions(deal, by_stage[deal.stage_id], stages, _, [qualify_button(deal, _)]))
            shown += 1
    if total > shown:
        blocks.append(
            context(
                _.n(
                    "…and {count} more open deal. See them all with `/deal list`.",
                    "…and {count} more open deals. See them all with `/deal list`.",
                    total - shown,
                )
            )
        )
    tail = [divider(), *notify] if notify else []
    tail.append(context(_("Updated {time} UTC", time=_.datetime(now))))
    return {"type": "home", "blocks": blocks[: MAX_VIEW_BLOCKS - len(tail)] + tail}
