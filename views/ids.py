"""The names that travel through Slack: action ids, callback ids and block ids.

Views emit them and handlers register them, so both spell them from here. The values are the wire
format: messages and modals already posted carry them, so a value never changes once released.
"""

from __future__ import annotations

import re
from enum import StrEnum

from domain.nurture_form import DAY


class Action(StrEnum):
    """The action_id of a button, select or picker."""

    HOME_NEW_DEAL = "home_new_deal"
    DEAL_PICK = "deal_pick"  # the deal search's external select (also its options)
    DEAL_MOVE = "deal_move"
    DEAL_EDIT = "deal_edit"
    DEAL_NOTE = "deal_note"
    DEAL_NEXT_STEP = "deal_next_step"
    DEAL_WON = "deal_won"
    DEAL_LOST = "deal_lost"
    DEAL_REOPEN = "deal_reopen"
    DEAL_ARCHIVE = "deal_archive"  # in the Edit form
    NUDGE_MOVE = "nudge_move"
    NUDGE_NOTE = "nudge_note"
    NUDGE_NEXT_STEP = "nudge_next_step"
    NUDGE_SNOOZE = "nudge_snooze"
    NUDGE_LOST = "nudge_lost"
    NUDGE_CANDIDATE_LOST = "nudge_candidate_lost"  # a disqualify candidate's Mark lost in the nudge
    QUALIFY_START = "qualify_start"
    QUALIFY_YES = "qualify_yes"  # the quick answers: the suffix is the answer (handlers/qualify.py)
    QUALIFY_NO = "qualify_no"
    QUALIFY_UNSURE = "qualify_unsure"
    QUALIFY_SKIP = "qualify_skip"  # the controls: the suffix is the command
    QUALIFY_BACK = "qualify_back"
    QUALIFY_STOP = "qualify_stop"
    QUALIFY_SWITCH = "qualify_switch"
    QUALIFY_KEEP = "qualify_keep"
    QUALIFY_EDIT = "qualify_edit"
    QUALIFY_ADVANCE = "qualify_advance"
    QUALIFY_LOST = "qualify_lost"
    DISQUALIFY_LOST = "disqualify_lost"
    NURTURE_REOPEN = "nurture_reopen"
    NURTURE_NOT_YET = "nurture_not_yet"
    NURTURE_DROP = "nurture_drop"
    REMINDER_DONE = "reminder_done"
    REMINDER_SNOOZE = "reminder_snooze"
    REMINDER_OPEN = "reminder_open"
    NOTIFY_NUDGES = "notify_nudges"
    NOTIFY_REMINDERS = "notify_reminders"
    NOTIFY_SUMMARY = "notify_summary"
    LEAVER_DEAL = "leaver_deal"
    LEAVER_ALL = "leaver_all"
    VALUE = "value"  # the one element of every modal input block, read as values[block]["value"]


# The quick answers and the controls of a qualification question, as the handlers match them.
QUALIFY_ANSWERS = (Action.QUALIFY_YES, Action.QUALIFY_NO, Action.QUALIFY_UNSURE)
QUALIFY_CONTROLS = (Action.QUALIFY_SKIP, Action.QUALIFY_BACK, Action.QUALIFY_STOP)
QUALIFY_PREFIX = "qualify_"


class View(StrEnum):
    """The callback_id of a modal. Several share their value with the button that opens them."""

    DEAL_NEW = "deal_new"
    DEAL_EDIT = "deal_edit"
    DEAL_NOTE = "deal_note"
    DEAL_LOST = "deal_lost"
    DEAL_NEXT_STEP = "deal_next_step"
    NUDGE_NOTE = "nudge_note"
    NUDGE_NEXT_STEP = "nudge_next_step"
    NUDGE_LOST = "nudge_lost"
    NUDGE_SNOOZE = "nudge_snooze"
    NURTURE_NOT_YET = "nurture_not_yet"
    REMINDER_SNOOZE = "reminder_snooze"
    SETTINGS = "settings"


class Shortcut(StrEnum):
    """The callback_id of a shortcut, as manifest.yml declares it (features.shortcuts)."""

    DEAL_FROM_MESSAGE = "deal_from_message"  # type message
    DEAL_NEW_GLOBAL = "deal_new_global"  # type global


class Block(StrEnum):
    """The block_id of a message or Home block (most are keyed by what they show: see `keyed`), and of
    a modal's input that a handler reads. A form read in domain/ has its fields named there, where the
    reader and the view can both import them (domain/goal_form.py)."""

    HOME_TOP = "home_top"
    HOME_FIND = "home_find"
    NOTIFY_CHOICES = "notify_choices"
    DEAL_ACTIONS = "deal_actions"  # :<deal number>
    DEAL_ARCHIVE = "deal_archive"
    NUDGE_DEAL = "nudge_deal"  # :<deal number>
    NUDGE_ACTIONS = "nudge_actions"  # :<deal number>
    NUDGE_DONE = "nudge_done"  # :<deal number>, once acted on
    NUDGE_CANDIDATE = "nudge_candidate"  # :<deal number>, a disqualify candidate's line
    NUDGE_CANDIDATE_DONE = "nudge_candidate_done"  # :<deal number>, once acted on
    QUALIFY = "qualify"  # :<qualification id>
    QUALIFY_SUMMARY = "qualify_summary"  # :<deal number>
    QUALIFY_SWITCH = "qualify_switch"  # :<deal number>
    QUALIFY_OFFER = "qualify_offer"  # :<deal number>
    NURTURE_ACTIONS = "nurture_actions"  # :<deal number>
    NURTURE_OUTCOME = "nurture_outcome"  # :<deal number>, once answered
    NURTURE_DAY = DAY  # the datepicker in the Lost form and the Not yet modal (domain.nurture_form)
    REMINDER_ACTIONS = "reminder_actions"  # :<deal number>
    REMINDER_OUTCOME = "reminder_outcome"  # :<deal number>, once acted on
    REMINDER_DUE = "due"  # the datepicker of the reminder's Snooze modal
    NUDGE_SNOOZE_FOR = "snooze_for"  # the nudge's Snooze modal: a preset, a day, a reason
    NUDGE_SNOOZE_UNTIL = "snooze_until"
    NUDGE_SNOOZE_REASON = "snooze_reason"
    LEAVER_DEAL = "leaver_deal"  # :<leaver's user id>:<deal number>
    LEAVER_ALL = "leaver_all"  # :<leaver's user id>


def keyed(block: Block, *keys: object) -> str:
    """A block id for one of many alike blocks: `nudge_actions:12`."""
    return ":".join([block.value, *(str(k) for k in keys)])


def one_of(ids: tuple[Action, ...]) -> re.Pattern[str]:
    """A matcher for any of these action ids, for one listener that answers several buttons."""
    return re.compile("^(" + "|".join(re.escape(i) for i in ids) + ")$")
