"""The settings modal: pipeline stages, lost reasons, digest, managers, nudges, currency, language,
and a goal."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from domain.amounts import CODES
from domain.goal_form import AMOUNT, DEALS, PERIOD, WHO
from domain.goals import MONTH, QUARTER
from domain.settings_form import MAX_MANAGERS, SettingsField, stage_line
from domain.stages import reason_label, stage_label
from models.tables import LostReason, Stage, Team
from views.common import option, plain, section
from views.ids import Action, View
from views.modals import input_block, modal, select, text_input

# Each language's own name: the same in every language, so a manager finds theirs.
LANGUAGE_NAMES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch")]


def _weekday_options(_: Translator) -> list[dict]:
    """Weekday names come from Babel's locale data, like dates: no catalog entry needed."""
    return [option(_.weekday(n), str(n)) for n in range(1, 8)]


def _time(initial: str) -> dict:
    return {"type": "timepicker", "action_id": Action.VALUE, "initial_time": initial}


def _channel(initial: str | None) -> dict:
    element = {
        "type": "conversations_select",
        "action_id": Action.VALUE,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return element


def settings_modal(_: Translator, team: Team, stages: list[Stage], reasons: list[LostReason]) -> dict:
    days = _weekday_options(_)
    work_days = {
        "type": "checkboxes",
        "action_id": Action.VALUE,
        "options": days,
        "initial_options": [o for o in days if o["value"] in team.work_days],
    }
    managers: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": Action.VALUE,
        "max_selected_items": MAX_MANAGERS,  # what team.manager_ids holds
    }
    if team.managers:
        managers["initial_users"] = team.managers
    escalations = [
        option(_("Off"), "off"),
        option(_("The team channel"), "channel"),
        option(_("The managers"), "managers"),
    ]
    # Escalating to a channel that is not set reaches no one: show it as what it is, off.
    escalation = "off" if team.escalation == "channel" and not team.channel_id else team.escalation
    blocks = [
        input_block(
            SettingsField.STAGES,
            _("Stages, in pipeline order"),
            text_input(
                "\n".join(stage_line(s.key, stage_label(s, _), s.probability, s.stall_days) for s in stages),
                3000,
                multiline=True,
            ),
            hint=_(
                "One per line: key: Name | win probability | days before it stalls (- for "
                "never). Change a name "
                "to rename, move a line to reorder, add a line without a key for a new stage, delete a line "
                "to remove a stage with no open deals. Won and Lost always close the pipeline."
            ),
        ),
        input_block(
            SettingsField.REASONS,
            _("Lost reasons, one per line"),
            text_input("\n".join(reason_label(r.key, r.text, _) for r in reasons), 3000, multiline=True),
        ),
        input_block(
            SettingsField.CHANNEL,
            _("Team channel (reminders, digest)"),
            _channel(team.channel_id),
            optional=True,
        ),
        input_block(
            SettingsField.DIGEST_CHANNEL,
            _("Digest channel, if another"),
            _channel(team.digest_channel_id),
            optional=True,
        ),
        input_block(SettingsField.DIGEST_WEEKDAY, _("Digest day"), select(days, str(team.digest_weekday))),
        input_block(SettingsField.DIGEST_TIME, _("Digest time"), _time(team.digest_time)),
        input_block(
            SettingsField.TIMEZONE,
            _("Team timezone"),
            text_input(team.timezone, 64),
            hint=_("For the digest and team reminders, e.g. Europe/Amsterdam."),
        ),
        input_block(SettingsField.MANAGERS, _("Managers"), managers, optional=True),
        input_block(SettingsField.WORK_DAYS, _("Nudge days"), work_days),
        input_block(SettingsField.WORK_START, _("Nudges from"), _time(team.work_start)),
        input_block(
            SettingsField.WORK_END,
            _("Nudges until"),
            _time(team.work_end),
            hint=_("In each owner's own timezone."),
        ),
        input_block(
            SettingsField.ESCALATION,
            _("Escalate deals idle twice their threshold to"),
            {
                "type": "radio_buttons",
                "action_id": Action.VALUE,
                "options": escalations,
                "initial_option": next(o for o in escalations if o["value"] == escalation),
            },
        ),
        input_block(
            SettingsField.CURRENCY,
            _("Default currency"),
            select([option(c, c) for c in sorted(CODES)], team.currency),
        ),
        input_block(
            SettingsField.LANGUAGE,
            _("Team language (channel messages)"),
            select([option(name, code) for code, name in LANGUAGE_NAMES], team.language),
        ),
        input_block(
            SettingsField.ADDRESS,
            _("Form of address"),
            select(
                [option(_("Informal"), "informal"), option(_("Formal"), "formal")],
                "formal" if team.formal else "informal",
            ),
            optional=True,
            hint=_("How messages in German and Dutch address people."),
        ),
        *_announcements(_, team),
    ]
    blocks.extend(goal_blocks(_))
    view = modal(View.SETTINGS, _("Pipeline settings"), _("Save"), blocks, "{}", _)
    view["title"] = plain(_("Pipeline settings"), 24)
    return view


def _announcements(_: Translator, team: Team) -> list[dict]:
    """Celebrate in the team channel: won deals (off by default), and new deals over an amount."""
    won = option(_("Announce won deals in the team channel"), "won")
    checkbox: dict[str, Any] = {"type": "checkboxes", "action_id": Action.VALUE, "options": [won]}
    if team.announce_won:
        checkbox["initial_options"] = [won]
    over = (
        ""
        if team.announce_over_cents is None
        else f"{team.announce_over_cents / 100:.2f}".rstrip("0").rstrip(".")
    )
    return [
        input_block(
            SettingsField.ANNOUNCE_WON,
            _("Celebrate"),
            checkbox,
            optional=True,
            hint=_("Who won what, how much, and how many days it took to close."),
        ),
        input_block(
            SettingsField.ANNOUNCE_OVER,
            _("Announce new deals over"),
            text_input(over, 20, placeholder=_("50k")),
            optional=True,
            hint=_(
                "In the default currency; other currencies at today's exchange rate, if there is one. "
                "Leave it empty to announce none."
            ),
        ),
    ]


def not_in_private_channel(_: Translator, channel: str) -> str:
    return _(
        "Salesbot is not in <#{channel}>, a private channel. Type /invite @Salesbot in it, then save again.",
        channel=channel,
    )


def saved_message(_: Translator, joined: list[str], unchecked: list[str]) -> str:
    """ "Settings saved.", and what was done or is left to do about the channels."""
    lines = [_("Settings saved.")]
    lines += [_("Salesbot joined <#{channel}> so it can post there.", channel=c) for c in joined]
    lines += [
        _(
            "Salesbot could not check that it is in <#{channel}>. If nothing arrives there, "
            "type /invite @Salesbot in it.",
            channel=c,
        )
        for c in unchecked
    ]
    return "\n".join(lines)


def goal_blocks(_: Translator) -> list[dict]:
    """A goal for this month or quarter, the team's or a rep's: the same as `/pipeline goals set`.
    Empty, it changes no goal; the goals set are on `/pipeline goals`, where a form left blank
    cannot be mistaken for one."""
    periods = [option(_("This month"), MONTH), option(_("This quarter"), QUARTER)]
    return [
        section(_("*Goal* · set one for the team or a rep; `/pipeline goals` shows the goals set.")),
        input_block(
            WHO,
            _("Goal for"),
            {"type": "users_select", "action_id": Action.VALUE},
            optional=True,
            hint=_("Leave empty for the team's goal."),
        ),
        input_block(PERIOD, _("Goal period"), select(periods, MONTH), optional=True),
        input_block(
            AMOUNT,
            _("Goal: won amount"),
            text_input(None, 40),
            optional=True,
            hint=_("Like 50k or 200,000 USD (default: the team currency). Leave empty to change no goal."),
        ),
        input_block(
            DEALS,
            _("Goal: number of deals won"),
            text_input(None, 6),
            optional=True,
            hint=_("Optional, like 5."),
        ),
    ]
