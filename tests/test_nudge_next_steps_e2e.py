"""A nudge about a stalled deal with no next step, or an overdue one, says so in one line, and its
Next step button sets one from the nudge: the deal's line then shows it in place of its buttons."""

from datetime import timedelta

from sqlmodel import select

from bot.i18n import translator
from models.tables import Deal
from services import nudges
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, nudge_dms, run_sweep, seed, stage_id

TODAY = TUESDAY_10_UTC.date()  # 11:00 in Amsterdam, the same day


def deal_text(message, number: int) -> str:
    return text_of([b for b in message.blocks if b.get("block_id") == f"nudge_deal:{number}"])


def buttons(message, number: int) -> list[str]:
    block = next((b for b in message.blocks if b.get("block_id") == f"nudge_actions:{number}"), None)
    return [e["action_id"] for e in block["elements"]] if block else []


def set_step(bench, number: int, text: str, due) -> None:
    with bench.db.write() as s:
        row = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()
        row.next_step, row.next_step_due = text, due
        s.add(row)


def step_of(bench, number: int):
    found = nudges.state(bench.db, TEAM, number)[0]
    return found.next_step, found.next_step_due, found.last_activity_at


async def test_the_nudge_names_a_missing_or_overdue_step_and_sets_one(bench):
    bench.fixed_now = TUESDAY_10_UTC
    none_yet = seed(bench, "UALICE", "Acme", idle_days=20)
    late = seed(bench, "UALICE", "Beta", idle_days=20)
    fine = seed(bench, "UALICE", "Gamma", idle_days=20)
    set_step(bench, late, "Call back", TODAY - timedelta(days=3))
    set_step(bench, fine, "Send the contract", TODAY)  # due today: not overdue
    await run_sweep(bench)
    [message] = nudge_dms(bench, "UALICE")

    assert "No next step yet" in deal_text(message, none_yet)
    overdue = deal_text(message, late)
    since = translator("en").date(TODAY - timedelta(days=3))
    assert f"Next step overdue since {since}: Call back" in overdue, overdue
    assert "No next step" not in overdue
    assert ":memo:" not in deal_text(message, fine) and "Next step" not in deal_text(message, fine)
    assert all("nudge_next_step" in buttons(message, n) for n in (none_yet, late, fine))

    # A blank step is refused in the modal and changes nothing.
    before = step_of(bench, none_yet)
    bench.fixed_now = TUESDAY_10_UTC + timedelta(minutes=5)
    await bench.client.click(
        "UALICE", message, "nudge_next_step", value=f"{none_yet}:{stage_id(bench, 'proposal')}"
    )
    view = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "nudge_next_step"), None)
    )
    refused = await bench.client.submit("UALICE", view, {"step": "   "})
    assert refused.json["response_action"] == "errors" and "step" in refused.json["errors"]
    assert step_of(bench, none_yet) == before and message.history == []

    due = TODAY + timedelta(days=2)
    sent = await bench.client.submit("UALICE", view, {"step": "Book the demo", "due": due.isoformat()})
    assert sent.status == 200
    await bench.slack.wait_for(lambda: len(message.history) >= 1)
    done = next(b for b in message.blocks if b.get("block_id") == f"nudge_done:{none_yet}")
    assert text_of([done]) == "✓ Next step set."
    assert buttons(message, none_yet) == [] and "nudge_next_step" in buttons(message, late)
    assert step_of(bench, none_yet) == ("Book the demo", due, bench.fixed_now)  # activity: the clock restarts
