"""The buttons on a nudge: each acts, resets the deal's clock and updates the nudge in place; a stale
nudge changes nothing and says why; the snooze modal refuses a past date."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from localslack.state import Message
from models.tables import Deal, DealNudge, Stage
from services import nudges
from tests.helpers import text_of
from tests.nudging import TEAM, TUESDAY_10_UTC, nudge_dms, queued, run_sweep, seed, setup_team, stage_id


async def nudged(bench, *deals: tuple[str, str, float]):
    """Alice's deals (name, stage, idle days) and the nudge she got about them."""
    bench.fixed_now = TUESDAY_10_UTC
    numbers = [seed(bench, "UALICE", name, stage, idle_days=idle) for name, stage, idle in deals]
    await run_sweep(bench)
    [message] = nudge_dms(bench, "UALICE")
    return numbers, message


def value(bench, number: int, stage: str = "proposal") -> str:
    return f"{number}:{stage_id(bench, stage)}"


async def modal(bench, callback_id: str) -> dict:
    return await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == callback_id), None)
    )


async def updated(bench, message, versions: int = 1):
    """Wait until the nudge has been replaced `versions` times."""
    await bench.slack.wait_for(lambda: len(message.history) >= versions)
    return message


def line_status(message, number: int) -> str:
    """What the nudge says of the deal's line once acted on; "" while it says nothing yet."""
    block = next((b for b in message.blocks if b.get("block_id") == f"nudge_done:{number}"), None)
    return text_of([block]) if block else ""


def has_buttons(message, number: int) -> bool:
    return any(b.get("block_id") == f"nudge_actions:{number}" for b in message.blocks)


def nudge_row(bench, number: int) -> DealNudge:
    row = nudges.state(bench.db, TEAM, number)[1]
    assert row is not None, f"deal #{number} has no nudge row"
    return row


def deal(bench, number: int) -> Deal:
    return nudges.state(bench.db, TEAM, number)[0]


def stage_key(bench, number: int) -> str:
    with bench.db.read() as s:
        return s.get(Stage, deal(bench, number).stage_id).key


async def test_log_note_from_the_nudge(bench):
    (acme, beta), message = await nudged(bench, ("Acme", "proposal", 20), ("Beta", "proposal", 20))
    bench.fixed_now = TUESDAY_10_UTC + timedelta(minutes=5)
    await bench.client.click("UALICE", message, "nudge_note", value=value(bench, acme))
    sent = await bench.client.submit("UALICE", await modal(bench, "nudge_note"), {"note": "Called the CFO"})
    assert sent.status == 200 and sent.json == {}
    await updated(bench, message)
    assert line_status(message, acme) == "✓ Note logged."
    assert not has_buttons(message, acme) and has_buttons(message, beta)
    assert "Acme" in text_of(message)  # the deal's line stays; only its buttons give way
    found, _row, notes = nudges.state(bench.db, TEAM, acme)
    assert [n.text for n in notes] == ["Called the CFO"]
    assert found.last_activity_at == bench.fixed_now  # the clock restarts


async def test_move_stage_from_the_nudge(bench):
    (acme,), message = await nudged(bench, ("Acme", "proposal", 20))
    target = stage_id(bench, "negotiation")
    await bench.client.click("UALICE", message, "nudge_move", option=f"{value(bench, acme)}:{target}")
    await updated(bench, message)
    assert line_status(message, acme) == "✓ Moved to Negotiation."
    assert stage_key(bench, acme) == "negotiation" and deal(bench, acme).last_activity_at == TUESDAY_10_UTC


async def test_mark_lost_from_the_nudge(bench):
    (acme,), message = await nudged(bench, ("Acme", "proposal", 20))
    await bench.client.click("UALICE", message, "nudge_lost", value=value(bench, acme))
    view = await modal(bench, "nudge_lost")
    refused = await bench.client.submit("UALICE", view, {})
    assert refused.json["response_action"] == "errors" and "reason" in refused.json["errors"]
    sent = await bench.client.submit(
        "UALICE", view, {"reason": "price", "details": "Went with a cheaper tool"}
    )
    assert sent.json == {}
    await updated(bench, message)
    assert line_status(message, acme) == "✓ Marked lost."
    lost = deal(bench, acme)
    assert stage_key(bench, acme) == "lost" and lost.lost_reason == "Price — Went with a cheaper tool"


async def snooze_beta_for_a_week(bench, reason: str):
    """Beta (Qualification, idle 6 days) nudged, and snoozed from its nudge for a week with `reason`."""
    (beta,), message = await nudged(bench, ("Beta", "qualification", 6))
    await bench.client.click("UALICE", message, "nudge_snooze", value=value(bench, beta, "qualification"))
    view = await modal(bench, "nudge_snooze")
    sent = await bench.client.submit("UALICE", view, {"snooze_for": "1w", "snooze_reason": reason})
    assert sent.json == {}
    await updated(bench, message)
    return beta, message


async def test_snooze_presets_and_the_nudges_they_hold_back(bench):
    # Qualification stalls after 5 days; a week's snooze holds the nudge past that.
    beta, message = await snooze_beta_for_a_week(bench, "Client on holiday")
    assert line_status(message, beta) == "💤 Snoozed until Dec 1, 2026. Client on holiday"
    row = nudge_row(bench, beta)
    assert (row.snoozed_until, row.snooze_reason, row.snoozed_by) == (
        TUESDAY_10_UTC + timedelta(weeks=1),
        "Client on holiday",
        "UALICE",
    )

    bench.fixed_now = TUESDAY_10_UTC + timedelta(days=6)  # stalled again (6 > 5), but snoozed
    assert queued(await run_sweep(bench)) == []
    bench.fixed_now = TUESDAY_10_UTC + timedelta(weeks=1, minutes=1)  # the snooze is over
    assert [m.kind for m in queued(await run_sweep(bench))] == ["nudge"]
    assert len(nudge_dms(bench, "UALICE")) == 2


async def test_a_snooze_reason_with_control_characters_is_stored_without_them(bench):
    # PostgreSQL refuses NUL in text: before clean() this submission failed there and saved nothing.
    beta, message = await snooze_beta_for_a_week(bench, "Client\x00 on\x07 holiday\x00")
    assert nudge_row(bench, beta).snooze_reason == "Client on holiday"
    assert line_status(message, beta) == "💤 Snoozed until Dec 1, 2026. Client on holiday"


async def test_snooze_until_a_date(bench):
    (acme,), message = await nudged(bench, ("Acme", "proposal", 20))
    await bench.client.click("UALICE", message, "nudge_snooze", value=value(bench, acme))
    view = await modal(bench, "nudge_snooze")
    sent = await bench.client.submit("UALICE", view, {"snooze_for": "date", "snooze_until": "2026-12-10"})
    assert sent.json == {}
    await updated(bench, message)
    assert line_status(message, acme) == "💤 Snoozed until Dec 10, 2026."
    row = nudge_row(bench, acme)
    assert row.snoozed_until == datetime(2026, 12, 10, 8, tzinfo=UTC)  # 09:00 that day in Amsterdam


async def test_the_snooze_modal_refuses_a_past_date_and_a_missing_one(bench):
    (acme,), message = await nudged(bench, ("Acme", "proposal", 20))
    await bench.client.click("UALICE", message, "nudge_snooze", value=value(bench, acme))
    view = await modal(bench, "nudge_snooze")
    past = await bench.client.submit("UALICE", view, {"snooze_until": "2026-11-20"})
    assert past.json == {
        "response_action": "errors",
        "errors": {"snooze_until": "Nov 20, 2026 is in the past. Pick a day after today."},
    }
    missing = await bench.client.submit("UALICE", view, {"snooze_for": "date"})
    assert missing.json["errors"] == {"snooze_until": "Pick the date to snooze until."}
    assert nudge_row(bench, acme).snoozed_until is None  # no snooze recorded
    assert deal(bench, acme).last_activity_at == TUESDAY_10_UTC - timedelta(days=20)
    assert message.history == [] and has_buttons(message, acme)


async def test_outcomes_of_several_lines_add_up(bench):
    """A direct action and a modal's action on two lines of one nudge: both outcomes stay."""
    (acme, beta), message = await nudged(bench, ("Acme", "proposal", 20), ("Beta", "proposal", 20))
    await bench.client.click(
        "UALICE", message, "nudge_move", option=f"{value(bench, beta)}:{stage_id(bench, 'negotiation')}"
    )
    await updated(bench, message)
    await bench.client.click("UALICE", message, "nudge_note", value=value(bench, acme))
    await bench.client.submit("UALICE", await modal(bench, "nudge_note"), {"note": "Sent the proposal again"})
    await updated(bench, message, 2)
    assert line_status(message, beta) == "✓ Moved to Negotiation."
    assert line_status(message, acme) == "✓ Note logged."


async def test_a_stale_nudge_changes_nothing_and_says_what_changed(bench):
    (acme, beta, gamma), message = await nudged(
        bench, ("Acme", "proposal", 20), ("Beta", "proposal", 20), ("Gamma", "proposal", 20)
    )
    # Meanwhile: Acme is won from its card, Beta moves on, Gamma goes to Bob.
    reply = await bench.client.reply(await bench.client.command("UALICE", f"won #{acme}"))
    assert "won" in text_of(reply)
    await bench.client.reply(await bench.client.command("UALICE", f"move #{beta} negotiation"))
    with bench.db.write() as s:
        row = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == gamma)).one()
        row.owner_id = "UBOB"
        s.add(row)
    before = {n: (deal(bench, n).stage_id, deal(bench, n).last_activity_at) for n in (acme, beta, gamma)}

    await bench.client.click(
        "UALICE", message, "nudge_move", option=f"{value(bench, acme)}:{stage_id(bench, 'prospecting')}"
    )
    await updated(bench, message)
    assert line_status(message, acme) == (
        f":warning: Deal #{acme} changed meanwhile: it is now in Won. I changed nothing."
    )
    await bench.client.click("UALICE", message, "nudge_note", value=value(bench, beta))
    await updated(bench, message, 2)
    assert "changed meanwhile: it is now in Negotiation" in line_status(message, beta)
    await bench.client.click("UALICE", message, "nudge_snooze", value=value(bench, gamma))
    await updated(bench, message, 3)
    assert "changed meanwhile: it now belongs to <@UBOB>" in line_status(message, gamma)
    # The nudge as another of Alice's devices still shows it, buttons and all.
    old_copy = Message(message.channel, message.ts, message.text, message.history[0][1])
    await bench.client.click("UALICE", old_copy, "nudge_lost", value=value(bench, acme))
    await bench.slack.wait_for(lambda: old_copy.history)
    assert "changed meanwhile: it is now in Won" in line_status(old_copy, acme)

    assert {
        n: (deal(bench, n).stage_id, deal(bench, n).last_activity_at) for n in (acme, beta, gamma)
    } == before
    assert [v for v in bench.slack.views.values() if v["callback_id"].startswith("nudge_")] == []
    assert all(nudges.state(bench.db, TEAM, n)[2] == [] for n in (acme, beta, gamma))  # no notes
    with bench.db.read() as s:
        assert list(s.exec(select(DealNudge).where(DealNudge.snoozed_until != None))) == []  # noqa: E711


async def test_a_deal_that_changes_while_its_modal_is_open(bench):
    (acme,), message = await nudged(bench, ("Acme", "proposal", 20))
    await bench.client.click("UALICE", message, "nudge_snooze", value=value(bench, acme))
    view = await modal(bench, "nudge_snooze")
    await bench.client.reply(await bench.client.command("UALICE", f"won #{acme}"))
    sent = await bench.client.submit("UALICE", view, {"snooze_for": "3d"})
    assert sent.json["errors"]["snooze_for"] == (
        f"Deal #{acme} changed meanwhile: it is now in Won. I changed nothing."
    )
    assert nudge_row(bench, acme).snoozed_until is None


async def test_the_team_reminder_and_escalation_have_no_buttons_and_stay_within_limits(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    for i in range(30):  # more deals than fit with buttons
        seed(bench, "UALICE", f"Deal {i} " + "x" * 150, idle_days=40 + i)
    await run_sweep(bench)
    [message] = nudge_dms(bench, "UALICE")
    assert len(message.blocks) <= 50
    assert sum(b["block_id"].startswith("nudge_actions:") for b in message.blocks if "block_id" in b) == 20
    assert "And 10 more" in text_of(message)
    for posted in bench.slack.channel_messages("C0SALES"):
        assert not any(b["type"] == "actions" for b in posted.blocks)
