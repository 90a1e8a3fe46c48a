"""The BANT qualification in Slack: questions in the DM, re-prompts, the summary card, and what
the deal card and the Home tab show of it."""

from __future__ import annotations

from bot.i18n import N_, Translator
from domain.bant import DISQUALIFY, QUALIFIED, QUESTIONS, Answer
from domain.refs import CardRef, QuestionRef
from domain.stages import stage_label
from views.bant_answers import TITLES, VERDICTS, answer_text, evidence, verdict_line
from views.common import actions, button, clip, context, escape, option, person, section, shown_stage
from views.ids import Action, Block, keyed

PROMPTS = {
    "budget": N_("Do they have a budget for this? An amount or range helps, like “about 40k, approved”."),
    "authority": N_("Can your contact sign? If not, who does, like “the CFO signs”?"),
    "need": N_("Do they have a clear need or pain we solve? Say it in a few words."),
    "timeline": N_("Is there a date they need this by, like “live by March”? Or is there no rush?"),
}
EXPECTED = {
    "budget": N_("yes, no, not sure, or an amount like “40k approved”"),
    "authority": N_("who signs, like “she decides” or “the CFO signs”"),
    "need": N_("the problem they want solved, in a few words"),
    "timeline": N_("a date or month like “live by March”, or “no rush”"),
}
# Asked back instead of guessing: one per Ambiguous reason of domain.bant.readers, and the two
# follow-ups of domain.bant.score.follow_up_for.
FOLLOW_UPS = {
    "amount_unclear": N_(
        "Is that an amount of money? Write it with a currency or k, like “40k” or “€40,000”."
    ),
    "several_amounts": N_(
        "I read more than one amount. What is the budget: one amount, or a range like “40–60k”?"
    ),
    "range_unclear": N_("Is that a range, or one of two amounts? Give one amount, or a range like “40–60k”."),
    "currency_mismatch": N_("The amounts have different currencies. Which currency is the budget in?"),
    "contradictory": N_("I read both a yes and a no. Is there a budget for this?"),
    "no_amount_or_yes_no": N_("Is there a budget, yes or no? An amount helps if you know it."),
    "when_budget": N_("No budget now. Is one expected later? Say from when, like “from Q3”, or “no”."),
    "who_decides_unclear": N_("Who signs in the end? Name one person or role, like “the CFO”."),
    "shared_decision": N_("Who has the final say: your contact or the other one? Name who signs."),
    "who_signs": N_("So your contact can't sign. Who can? A name or a role, like “Jan” or “the CFO”."),
    "asap": N_("As soon as possible, by when? A real date keeps the forecast honest, like “end of March”."),
    "vague": N_("Can you pin that to a month or a date, like “by June” or “Q3”?"),
    "several_dates": N_("I read more than one date. Which one is the target?"),
    "unsure": N_("Is that date firm enough to plan on? Give the date, or say “not sure”."),
    "in_past": N_("That date has passed. When do they want to start now?"),
    "which_date": N_("By when? A date or a month, like “by March” or “2027-03-31”."),
}
UNKNOWN_FOLLOW_UP = N_("I'm not sure what you meant. Could you say it another way?")
REPROMPTS = {
    "no_answer": N_("That doesn't look like an answer."),
    "too_long": N_("That message is too long for me to read as an answer; a sentence or two is plenty."),
    "thread": N_("I only read answers in our main chat, not in threads."),
    "file": N_("I can't read files here."),
    "stale": N_("That question is already behind us."),
}
NOTES = {
    "started": N_("Four short questions: budget, authority, need and timeline."),
    "resumed": N_("Picking up where we left off."),
    "restarted": N_("Starting over: the earlier answers are cleared."),
    "first_question": N_("This is the first question; there is none before it."),
}
ENDED = {
    "won": N_(
        "Deal #{number} was won meanwhile, so I've ended its qualification. The answers stay on the deal."
    ),
    "lost": N_(
        "Deal #{number} was lost meanwhile, so I've ended its qualification. The answers stay on the deal."
    ),
    "deleted": N_("Deal #{number} no longer exists, so I've ended its qualification."),
}


def deal_title(deal) -> str:
    return f"*#{deal.number} {escape(clip(deal.name, 120))}*" if deal.name else f"*#{deal.number}*"


def _prompt(question: str, follow_up: str | None, _: Translator) -> str:
    text = _(FOLLOW_UPS.get(follow_up, UNKNOWN_FOLLOW_UP)) if follow_up else _(PROMPTS[question])
    return f"*{_(TITLES[question])}* — {text}"


def _buttons(qid: int, question: str, follow_up: str | None, _: Translator) -> dict:
    value = QuestionRef(qid, question).encode()
    if not follow_up:
        quick = [
            button(_("Yes"), Action.QUALIFY_YES, value),
            button(_("No"), Action.QUALIFY_NO, value),
            button(_("Not sure"), Action.QUALIFY_UNSURE, value),
        ]
    elif follow_up == "when_budget":
        quick = [
            button(_("None expected"), Action.QUALIFY_NO, value),
            button(_("Not sure"), Action.QUALIFY_UNSURE, value),
        ]
    elif follow_up == "who_signs":
        quick = [button(_("Don't know"), Action.QUALIFY_UNSURE, value)]
    elif question == "timeline":
        quick = [
            button(_("No rush"), Action.QUALIFY_NO, value),
            button(_("Not sure"), Action.QUALIFY_UNSURE, value),
        ]
    else:
        quick = [button(_("Not sure"), Action.QUALIFY_UNSURE, value)]
    controls = [
        button(_("Skip"), Action.QUALIFY_SKIP, value),
        button(_("Back"), Action.QUALIFY_BACK, value),
        button(_("Stop"), Action.QUALIFY_STOP, value),
    ]
    return actions(quick + controls, block_id=keyed(Block.QUALIFY, qid))


def noted_text(noted: list[Answer], _: Translator, currency: str) -> str:
    parts = [f"*{_(TITLES[a.question])}* {answer_text(a, _, currency)}" for a in noted if not a.skipped]
    return _("Got it: {answers}", answers=" · ".join(parts)) if parts else ""


def question_message(turn, _: Translator) -> dict:
    """The open question, with its buttons."""
    deal, question = turn.deal, turn.asking
    position = QUESTIONS.index(question) + 1
    head = _("Qualifying {deal} · question {position} of 4", deal=deal_title(deal), position=position)
    if turn.note in NOTES:
        head += " · " + _(NOTES[turn.note])
    blocks = [context(head)]
    got = noted_text(turn.noted, _, deal.currency)
    if got:
        blocks.append(section(got))
    blocks.append(section(_prompt(question, turn.follow_up, _)))
    current = turn.answers.get(question)
    if current is not None and not turn.follow_up:
        blocks.append(context(_("Now: {answer}", answer=answer_text(current, _, deal.currency))))
    blocks.append(_buttons(turn.qid, question, turn.follow_up, _))
    blocks.append(
        context(
            _(
                "Type the answer; several at once is fine (“40k budget, CFO decides, live by March”). "
                "Say skip, back, stop or restart any time."
            )
        )
    )
    return {
        "text": _("{question}: {prompt}", question=_(TITLES[question]), prompt=_(PROMPTS[question])),
        "blocks": blocks,
    }


def closed_question(turn, _: Translator) -> dict:
    """The previous question's message once it is behind us: the question and its answer, no buttons."""
    question, follow_up = turn.closed
    blocks = [section(_prompt(question, follow_up, _))]
    answer = turn.answers.get(question)
    if answer is not None:
        blocks.append(context(":white_check_mark: " + answer_text(answer, _, turn.deal.currency)))
    return {"text": _(TITLES[question]), "blocks": blocks}


def reprompt_message(turn, _: Translator) -> dict:
    """A short answer to a message that is no answer: what is wrong, and what is expected."""
    problem = _(REPROMPTS.get(turn.reprompt, REPROMPTS["no_answer"]))
    if turn.follow_up:
        expected = _("I'm asking: {prompt}", prompt=_(FOLLOW_UPS.get(turn.follow_up, UNKNOWN_FOLLOW_UP)))
    else:
        expected = _(
            "I'm asking about *{question}*: type {expected}, or use the buttons above.",
            question=_(TITLES[turn.asking]),
            expected=_(EXPECTED[turn.asking]),
        )
    return {"text": problem, "blocks": [section(f"{problem} {expected}")]}


def _letter(question: str, answer: Answer | None, points: int, _: Translator, currency: str) -> dict:
    lines = [f"*{_(TITLES[question])}* · {points}/25 — {answer_text(answer, _, currency)}"]
    said = [
        part
        for part in (
            evidence(answer, _),
            f"{person(answer.answered_by, _)}, {_.date(answer.answered_on)}"
            if answer is not None and answer.answered_by
            else "",
        )
        if part
    ]
    if said:
        lines.append(" · ".join(said))
    return section("\n".join(lines))


def summary_message(turn, _: Translator, headline: str | None = None) -> dict:
    """The result: each letter with the rep's own words, the score, the verdict, and what to do next."""
    deal, score = turn.deal, turn.score
    blocks = [context(headline)] if headline else []
    blocks.append(section(_("BANT for {deal}", deal=deal_title(deal)) + "\n" + verdict_line(score, _)))
    blocks.extend(_letter(q, turn.answers.get(q), score.points[q], _, deal.currency) for q in QUESTIONS)
    blocks.append(context(" ".join(_(r) for r in score.reasons)))
    if deal.open:
        elements = []
        ref = CardRef(deal.number, deal.stage.id)
        value = ref.encode()
        if deal.next_stage is not None:
            elements.append(
                button(
                    _("Move to {stage}", stage=stage_label(deal.next_stage, _)),
                    Action.QUALIFY_ADVANCE,
                    ref.to(deal.next_stage.id).encode(),
                    style="primary" if score.verdict == QUALIFIED else None,
                )
            )
        elements.append(
            button(
                _("Mark lost: not qualified"),
                Action.QUALIFY_LOST,
                value,
                style="danger" if score.verdict == DISQUALIFY else None,
            )
        )
        elements.append(
            {
                "type": "static_select",
                "action_id": Action.QUALIFY_EDIT,
                "placeholder": {"type": "plain_text", "text": _("Edit an answer")},
                "options": [option(_(TITLES[q]), QuestionRef(deal.number, q).encode()) for q in QUESTIONS],
            }
        )
        blocks.append(actions(elements, block_id=keyed(Block.QUALIFY_SUMMARY, deal.number)))
    text = _(
        "BANT for #{number}: {verdict}, {score}/100",
        number=deal.number,
        verdict=_(VERDICTS[score.verdict]),
        score=score.total,
    )
    return {"text": text, "blocks": blocks}


def switch_message(turn, _: Translator) -> dict:
    current, target = turn.deal, turn.target
    current_ref = f"#{current.number}"  # outside the call: Babel's extractor warns on an f-string in it
    text = _(
        "You're in the middle of qualifying {current}. Switch to {target}? {current_ref} keeps its answers; "
        "pick it up later with `/deal qualify #{number}`.",
        current=deal_title(current),
        target=deal_title(target),
        current_ref=current_ref,
        number=current.number,
    )
    value = QuestionRef(target.number, turn.edit).encode()
    return {
        "text": _("Switch to deal #{number}?", number=target.number),
        "blocks": [
            section(text),
            actions(
                [
                    button(
                        _("Switch to #{number}", number=target.number),
                        Action.QUALIFY_SWITCH,
                        value,
                        style="primary",
                    ),
                    button(_("Keep #{number}", number=current.number), Action.QUALIFY_KEEP, str(turn.qid)),
                ],
                block_id=keyed(Block.QUALIFY_SWITCH, target.number),
            ),
        ],
    }


def stopped_message(turn, _: Translator) -> dict:
    text = _(
        "Stopped qualifying {deal}. The answers so far are saved; pick up where you "
        "left off with `/deal qualify #{number}`.",
        deal=deal_title(turn.deal),
        number=turn.deal.number,
    )
    return {"text": text, "blocks": [section(text)]}


def ended_message(turn, _: Translator) -> dict:
    text = _(ENDED[turn.ended], number=turn.deal.number)
    return {"text": text, "blocks": [section(text)]}


def turn_message(turn, _: Translator) -> dict:
    builders = {
        "ask": question_message,
        "reprompt": reprompt_message,
        "summary": summary_message,
        "switch": switch_message,
        "stopped": stopped_message,
        "ended": ended_message,
    }
    return builders[turn.kind](turn, _)


def offer_message(deal, _: Translator) -> dict:
    """Sent to the owner when a deal enters the Qualification stage."""
    text = _(
        "{deal} is now in {stage}. Qualify it now? I'll ask four short questions about budget, authority, "
        "need and timeline, right here.",
        deal=deal_title(deal),
        stage=shown_stage(deal.stage, _),
    )
    return {
        "text": _("Qualify deal #{number}?", number=deal.number),
        "blocks": [
            section(text),
            actions(
                [
                    button(
                        _("Qualify now"), Action.QUALIFY_START, CardRef(deal.number).encode(), style="primary"
                    )
                ],
                block_id=keyed(Block.QUALIFY_OFFER, deal.number),
            ),
        ],
    }


def started_text(turn, user_id: str, _: Translator) -> str:
    """The answer to whoever started it, where they started it."""
    number = turn.target.number if turn.kind == "switch" else turn.deal.number
    if turn.owner_id != user_id and turn.kind == "summary":
        return _(
            "I've sent <@{owner}> the BANT summary of deal #{number}.", owner=turn.owner_id, number=number
        )
    if turn.owner_id != user_id:
        return _("I've asked <@{owner}> about deal #{number} in a DM.", owner=turn.owner_id, number=number)
    if turn.kind == "switch":
        return _("You're qualifying another deal; I've asked in our DM whether to switch.")
    if turn.kind == "summary":
        return _(
            "The BANT summary of deal #{number} is in our DM; you can edit any answer there.", number=number
        )
    return _("The questions for deal #{number} are in our DM.", number=number)


HINT = N_(
    "I read answers here while we qualify a deal. Start one with `/deal qualify #N`, or see `/deal help`."
)


# ---- On the deal card and the Home tab ---------------------------------------------------------------


def card_blocks(snapshot, _: Translator, currency: str) -> list[dict]:
    """The qualification's result, or how far it is, on the deal card."""
    score = snapshot.score
    if score.complete or score.verdict == DISQUALIFY:
        head = _("*BANT* {line}", line=verdict_line(score, _))
    else:
        head = _("*BANT* in progress · {count} of 4 answered", count=score.answered)
    lines = [f"{_(TITLES[q])}: {answer_text(snapshot.answers.get(q), _, currency)}" for q in QUESTIONS]
    return [section(head + "\n" + " · ".join(lines))]


def badge(snapshot, _: Translator) -> str:
    """A few characters for the deal's line on the Home tab."""
    score = snapshot.score
    if score.complete or score.verdict == DISQUALIFY:
        icon = {QUALIFIED: ":white_check_mark:", DISQUALIFY: ":x:"}.get(score.verdict, ":warning:")
        return _("BANT {score}", score=score.total) + " " + icon
    return _("BANT {count}/4", count=score.answered)


def qualify_button(deal, _: Translator) -> dict:
    return button(_("Qualify"), Action.QUALIFY_START, CardRef(deal.number).encode())
