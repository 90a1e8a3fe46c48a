"""The DM a manager gets when someone left: the leaver's open deals, each with a picker for its new
owner, and one picker for all of them; after a pick, the same DM says what changed hands."""

from __future__ import annotations

from bot.i18n import Translator
from services.leavers import Leaver
from views.common import MAX_MESSAGE_BLOCKS, clip, context, escape, plain, section
from views.deals import ref
from views.ids import Action, Block, keyed

# The pickers' action ids (the lead folds them into the action-id enums). The block id carries the
# leaver and the deal: leaver_deal:<user>:<number>, leaver_all:<user>.
# Blocks besides the deals': the heading, what was given away, the "all" picker, the "more" line.
OTHER_BLOCKS = 4


def _picker(action_id: str, placeholder: str) -> dict:
    return {"type": "users_select", "action_id": action_id, "placeholder": plain(placeholder)}


def leaver_message(_: Translator, left: Leaver) -> dict:
    who = f"<@{left.user_id}>"
    count = len(left.open_deals)
    if count:
        text = _.n(
            "{who} has left the workspace and still owns {count} open deal. Pick who takes it over.",
            "{who} has left the workspace and still owns {count} open deals. Pick who takes each over.",
            count,
            who=who,
        )
    else:
        text = _("Every open deal of {who} has a new owner.", who=who)
    blocks = [section(text)]
    if left.given:
        lines = [
            _("Deal {ref} {name} is now <@{owner}>'s.", ref=ref(d), name=escape(clip(d.name, 80)), owner=to)
            for d, to in left.given
        ]
        blocks.append(context(clip("\n".join(lines), 2900)))
    shown = left.open_deals[: MAX_MESSAGE_BLOCKS - OTHER_BLOCKS]
    for deal in shown:
        line = f"*{ref(deal)}* {escape(clip(deal.name, 80))}"
        if deal.amount_cents is not None:
            line += f" · {_.money(deal.amount_cents, deal.currency)}"
        blocks.append(
            section(
                line,
                accessory=_picker(Action.LEAVER_DEAL, _("New owner")),
                block_id=keyed(Block.LEAVER_DEAL, left.user_id, deal.number),
            )
        )
    if len(left.open_deals) > len(shown):
        more = len(left.open_deals) - len(shown)
        blocks.append(context(_.n("…and {count} more.", "…and {count} more.", more)))
    if count > 1:
        blocks.append(
            section(
                _("*All to one person*"),
                accessory=_picker(Action.LEAVER_ALL, _("Everything to…")),
                block_id=keyed(Block.LEAVER_ALL, left.user_id),
            )
        )
    return {"text": text, "blocks": blocks}
