"""Deal use cases: one transaction each, returning what the views need.

These are the blocking halves of the handlers; handlers run them with ``db.run`` so the
event loop (and Slack's three-second ack) is never held by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.db import Database
from bot.i18n import N_, Translator
from domain.commands import DealCommand, with_team_stages
from domain.deal_form import NewDeal
from domain.errors import UserError
from domain.stages import QUALIFICATION, stage_label
from models import deal_lists, owner_history
from models import deals as deal_queries
from models import qualify as qualify_queries
from models.access import restricted_to
from models.qualify import Snapshot
from models.tables import LOST, OPEN, WON, Deal, DealNote, LostReason, OwnerChange, Stage, Team, saved_id
from models.teams import cached_stages, ensure_team, forget_stages, lost_reasons, stage_refs, stages
from services import lost_deals
from services.owner_dm import DmView, tell_new_owner
from services.teams import ensure

LIST_LIMIT = 20


@dataclass
class Card:
    """What a deal card shows: the deal, its stage, the team's stages and the latest notes."""

    deal: Deal
    stage: Stage
    stages: list[Stage]
    notes: list[DealNote] = field(default_factory=list)
    bant: Snapshot | None = None  # the deal's BANT qualification, if it has one
    entered_qualification: bool = False  # this change put the deal in Qualification: offer to qualify it
    owners: list[OwnerChange] = field(default_factory=list)  # its latest changes of hands, newest first


@dataclass
class PipelineRow:
    stage: Stage
    count: int
    values: dict[str, int]  # currency -> cents


@dataclass
class Changed:
    """A deal after a change, as a card, and whether anything changed."""

    card: Card
    changed: bool = True


def card_for(session, team_id: str, deal: Deal, entered: Stage | None = None, created: bool = False) -> Card:
    """`entered`: the stage the deal was put in by this change, if it was moved or created. `created`:
    the deal was made in this transaction, so it has no qualification yet (one is only offered once
    its card is shown, and a deleted deal's qualification lets go of its id): no query for it."""
    every = known_stages(session, team_id, deal.stage_id)
    stage = next((st for st in every if st.id == deal.stage_id), None) or session.get(Stage, deal.stage_id)
    deal_id = saved_id(deal)
    bant = None if created else qualify_queries.snapshots(session, team_id, [deal_id]).get(deal_id)
    return Card(
        deal=deal,
        stage=stage,
        stages=[st for st in every if st.active],
        notes=deal_queries.recent_notes(session, deal),
        bant=bant,
        entered_qualification=entered is not None and entered.key == QUALIFICATION,
        # A deal at its first version has never changed hands: no query for the card of a new deal.
        owners=owner_history.recent(session, deal) if deal.version > 1 else [],
    )


def known_stages(session, team_id: str, stage_id: int | None = None) -> list[Stage]:
    """Every stage of the team (inactive too) from memory, read again if `stage_id` is not among them
    (another replica added it a moment ago). For showing, not for deciding a write."""
    every = cached_stages(session, team_id, include_inactive=True)
    if stage_id is not None and all(st.id != stage_id for st in every):
        forget_stages(session, team_id)
        every = cached_stages(session, team_id, include_inactive=True)
    return every


def card(db: Database, team_id: str, number: int, now: datetime) -> Card:
    ensure(db, team_id, now)
    with db.read() as s:
        return card_for(s, team_id, deal_queries.get_deal(s, team_id, number))


def for_modal(db: Database, team_id: str, number: int, now: datetime) -> Deal:
    """The deal a modal is opened on (Log note, Next step), if the actor may see it: the deal alone,
    not its card."""
    ensure(db, team_id, now)
    with db.read() as s:
        return deal_queries.get_deal(s, team_id, number)


def shown_names(rows: list[Stage], _: Translator) -> dict[int, str]:
    return {saved_id(s): stage_label(s, _) for s in rows}


def add(db: Database, team_id: str, user_id: str, cmd: DealCommand, _: Translator, now: datetime) -> Card:
    ensure(db, team_id, now)
    with db.write() as s:
        stage_id = None
        rows = cached_stages(s, team_id)
        shown, open_rows = shown_names(rows, _), [st for st in rows if st.kind == OPEN]
        # A bare last word may be one of the team's own stage names, which the parser cannot know.
        cmd = with_team_stages(cmd, stage_refs(open_rows), now.date(), shown)
        if cmd.stage:  # create_deal checks the stage again in this transaction
            # Said without `stage:`, only an open stage: `"Deal" 50k won` is not how a deal is won.
            among = open_rows if cmd.bare_stage else rows
            stage_id = deal_queries.resolve_stage(s, team_id, cmd.stage, shown, among).id
        assert cmd.name is not None  # parse_deal_command names every deal it adds
        new = NewDeal(
            name=cmd.name,
            owner_id=user_id,
            company=cmd.company,
            amount=cmd.amount,
            stage_id=stage_id,
            close_date=cmd.close,
        )
        deal = deal_queries.create_deal(s, team_id, user_id, new, now)
        return card_for(s, team_id, deal, entered=s.get(Stage, deal.stage_id), created=True)


def create(db: Database, team_id: str, user_id: str, new: NewDeal, now: datetime) -> Card:
    ensure(db, team_id, now)
    with db.write() as s:
        ensure_team(s, team_id, now)
        deal = deal_queries.create_deal(s, team_id, user_id, new, now)
        return card_for(s, team_id, deal, entered=s.get(Stage, deal.stage_id), created=True)


def update(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    new: NewDeal,
    now: datetime,
    dm: DmView | None = None,
) -> Card:
    """The Edit form's change; a new owner (managers and admins only: update_deal checks) gets `dm`."""
    with db.write() as s:
        found = deal_queries.get_deal(s, team_id, number, lock=True)
        before, owner = found.stage_id, found.owner_id
        deal = deal_queries.update_deal(s, team_id, number, user_id, new, now)
        if dm is not None and deal.owner_id != owner:
            tell_new_owner(s, deal, user_id, dm, now)
        return card_for(
            s, team_id, deal, entered=s.get(Stage, deal.stage_id) if deal.stage_id != before else None
        )


def move(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    stage_text: str | None,
    _: Translator,
    now: datetime,
    stage_id: int | None = None,
    expected_stage_id: int | None = None,
) -> Changed:
    """Move by the rep's words (a command) or by stage id (the select on a card)."""
    ensure(db, team_id, now)
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True)
        deal_queries.check_unchanged(s, deal, expected_stage_id)
        if stage_id is not None:
            target = s.get(Stage, stage_id)
            if target is None or target.team_id != team_id or not target.active:
                raise UserError(N_("That stage no longer exists. Pick another."))
        else:
            assert stage_text is not None  # a command gives the rep's words, a card's select the id
            rows = stages(s, team_id)
            target = deal_queries.resolve_stage(s, team_id, stage_text, shown_names(rows, _), rows)
        if target.kind == LOST:
            raise UserError(
                N_("To mark a deal lost, use `/deal lost #{number} <reason>` or the Lost button."),
                number=number,
            )
        changed = deal_queries.move_deal(s, deal, target, user_id, now)
        return Changed(card_for(s, team_id, deal, entered=target if changed else None), changed)


def won(
    db: Database, team_id: str, user_id: str, number: int, now: datetime, expected_stage_id: int | None = None
) -> Card:
    ensure(db, team_id, now)
    with db.write() as s:
        deal = deal_queries.close_deal(
            s, team_id, number, WON, user_id, now, expected_stage_id=expected_stage_id
        )
        return card_for(s, team_id, deal)


def reopen(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    stage_text: str | None,
    _: Translator,
    now: datetime,
    expected_stage_id: int | None = None,
) -> Card:
    """Bring a won or lost deal back: into the stage named, else the one it was closed from."""
    ensure(db, team_id, now)
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True)
        deal_queries.check_unchanged(s, deal, expected_stage_id)
        current = s.get(Stage, deal.stage_id)
        assert current is not None  # deal.stage_id is a foreign key, and stages are never deleted
        if current.kind == OPEN:
            raise UserError(N_("Deal #{number} is still open: there is nothing to reopen."), number=number)
        rows = stages(s, team_id)
        if stage_text:
            target = deal_queries.resolve_stage(s, team_id, stage_text, shown_names(rows, _), rows)
            if target.kind != OPEN:
                raise UserError(
                    N_("Reopen a deal into an open stage, like `/deal reopen #{number} proposal`."),
                    number=number,
                )
        else:
            target = deal_queries.reopen_stage(s, deal, rows)
        deal_queries.move_deal(s, deal, target, user_id, now)
        return card_for(s, team_id, deal, entered=target)


def lost(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    reason_key: str | None,
    details: str | None,
    _: Translator,
    now: datetime,
    expected_stage_id: int | None = None,
    nurture_on: date | None = None,
) -> Card:
    """Lost, for a reason; with `nurture_on` (the Lost form's Nurture day) waiting for that day too."""
    ensure(db, team_id, now)
    with db.write() as s:
        deal = lost_deals.close_as_lost(
            s, team_id, number, user_id, reason_key, details, _, now, expected_stage_id, nurture_on
        )
        return card_for(s, team_id, deal)


def note(db: Database, team_id: str, user_id: str, number: int, text: str, now: datetime) -> Card:
    ensure(db, team_id, now)
    with db.write() as s:
        return card_for(s, team_id, deal_queries.add_note(s, team_id, number, user_id, text, now))


def for_lost_form(db: Database, team_id: str, number: int, now: datetime) -> tuple[Deal, list[LostReason]]:
    ensure(db, team_id, now)
    with db.read() as s:
        deal = deal_queries.get_deal(s, team_id, number)
        stage = s.get(Stage, deal.stage_id)
        assert stage is not None  # deal.stage_id is a foreign key, and stages are never deleted
        if stage.kind != OPEN:
            raise UserError(N_("Deal #{number} is already closed."), number=number)
        return deal, lost_reasons(s, team_id)


def form_data(db: Database, team_id: str, now: datetime, number: int | None = None):
    """What the deal modal needs: stages, the team's currency, and the deal when editing."""
    ensure(db, team_id, now)
    with db.read() as s:
        team = s.get(Team, team_id)
        assert team is not None  # ensure made it
        deal = deal_queries.get_deal(s, team_id, number) if number is not None else None
        return cached_stages(s, team_id), team.currency, deal


@dataclass
class Listing:
    rows: list[tuple[Deal, Stage]]
    total: int
    title: str
    empty: str
    note: str | None = None  # why a rep sees only their own deals


def listing(
    db: Database, team_id: str, user_id: str, cmd: DealCommand, _: Translator, now: datetime
) -> Listing:
    ensure(db, team_id, now)
    with db.read() as s:
        all_stages = cached_stages(s, team_id)
        by_id = {st.id: st for st in known_stages(s, team_id)}
        kwargs: dict = {"limit": LIST_LIMIT}
        if cmd.text == "mine":
            kwargs["owner_id"] = user_id
            title, empty = _("Your open deals"), _("You have no open deals. Add one with `/deal add`.")
        elif cmd.text == "all":
            title, empty = _("All open deals"), _("The team has no open deals yet.")
        elif cmd.text == "overdue":  # the rep's own day: their steps, whoever else they may see
            kwargs.update(owner_id=user_id, due_before=now.date())
            title, empty = _("Your overdue next steps"), _("No next step is overdue. Nice work.")
        elif cmd.text == "today":
            kwargs.update(owner_id=user_id, due_on=now.date())
            title, empty = _("Your next steps due today"), _("No next step is due today.")
        elif cmd.text == "stalled":
            kwargs["stalled_at"] = now
            title, empty = _("Stalled deals"), _("No deal is stalled. Nice work.")
        else:
            assert cmd.stage is not None  # the parser names the stage of a "stage" filter
            stage = deal_queries.resolve_stage(s, team_id, cmd.stage, shown_names(all_stages, _), all_stages)
            kwargs["stage_id"] = stage.id
            title = _("Deals in {stage}", stage=stage_label(stage, _))
            empty = _("No deals in {stage}.", stage=stage_label(stage, _))
        note = None
        if cmd.text not in ("mine", "overdue", "today") and restricted_to(s, team_id):
            kwargs["owner_id"] = user_id
            note = _(
                "You see your own deals here; the team's managers see everyone's. `/pipeline` shows the "
                "team's totals."
            )
        rows, total = deal_lists.list_deals(s, team_id, **kwargs)
        title = f"{title} ({total})"
        missing = {d.stage_id for d in rows} - by_id.keys()
        if missing:  # a stage another replica added a moment ago
            by_id.update({st.id: st for st in known_stages(s, team_id, next(iter(missing)))})
        return Listing([(d, by_id[d.stage_id]) for d in rows], total, title, empty, note)


def pipeline(db: Database, team_id: str, now: datetime, owner_id: str | None = None):
    """Rows per open stage and the weighted forecast per currency."""
    ensure(db, team_id, now)
    with db.read() as s:
        totals = deal_lists.pipeline_totals(s, team_id, owner_id)
    rows: dict[int, PipelineRow] = {}
    forecast: dict[str, int] = {}
    for t in totals:
        row = rows.setdefault(saved_id(t.stage), PipelineRow(t.stage, 0, {}))
        if t.currency is None:
            continue
        row.count += t.count
        row.values[t.currency] = row.values.get(t.currency, 0) + t.cents
        forecast[t.currency] = forecast.get(t.currency, 0) + t.cents * t.stage.probability // 100
    return list(rows.values()), forecast


def home(db: Database, team_id: str, user_id: str, now: datetime, limit: int = 200):
    """The rep's stages, open deals (and how many in all), and those deals' qualifications by deal number."""
    ensure(db, team_id, now)
    with db.read() as s:
        rows, total = deal_lists.list_deals(s, team_id, owner_id=user_id, limit=limit)
        bant = qualify_queries.snapshots(s, team_id, [saved_id(d) for d in rows])
        return cached_stages(s, team_id), rows, total, {d.number: bant[d.id] for d in rows if d.id in bant}
