"""Every length a form allows fits the column it goes into: each form submitted at its maximum
lengths is stored whole, on PostgreSQL (which checks lengths) as on SQLite."""

from datetime import timedelta

from sqlmodel import select

from domain.stages import LOST_DETAILS_MAX, LOST_REASON_MAX, REASON_TEXT_MAX
from models.tables import Deal, DealNote, DealNudge, LostReason, Stage, Team
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC, nudge_dms, run_sweep, seed, setup_team, stage_id

# Multi-byte letters: PostgreSQL's VARCHAR(n) counts characters, as Slack's max_length does.
NAME, COMPANY, NOTES = "Ä" * 200, "ß" * 200, "€" * 3000


def max_length(view: dict, block_id: str) -> int:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]["max_length"]


async def opened(bench, callback_id: str, before: set) -> dict:
    return await bench.slack.wait_for(
        lambda: next(
            (v for k, v in bench.slack.views.items() if k not in before and v["callback_id"] == callback_id),
            None,
        )
    )


def deals_of(bench) -> Deal | None:
    with bench.db.read() as s:
        return s.exec(select(Deal)).first()


def the_deal(bench) -> Deal:
    with bench.db.read() as s:
        return s.exec(select(Deal)).one()


async def test_the_deal_forms_at_their_limits(bench):
    bench.fixed_now = TUESDAY_10_UTC
    await bench.client.command("UALICE", "")
    new = await opened(bench, "deal_new", set())
    assert (max_length(new, "name"), max_length(new, "company"), max_length(new, "notes")) == (200, 200, 3000)
    ack = await bench.client.submit("UALICE", new, {"name": NAME, "company": COMPANY, "notes": NOTES})
    assert ack.status == 200 and ack.body == "", ack.body
    deal = await bench.slack.wait_for(lambda: deals_of(bench))
    assert (deal.name, deal.company, deal.notes) == (NAME, COMPANY, NOTES)

    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    before = set(bench.slack.views)
    await bench.client.click("UALICE", card, "deal_edit")
    edit = await opened(bench, "deal_edit", before)
    ack = await bench.client.submit(
        "UALICE", edit, {"name": "Ö" * 200, "company": "ü" * 200, "notes": "ñ" * 3000}
    )
    assert ack.status == 200 and ack.body == "", ack.body
    await bench.slack.wait_for(lambda: the_deal(bench).name == "Ö" * 200)
    assert (the_deal(bench).company, the_deal(bench).notes) == ("ü" * 200, "ñ" * 3000)

    before = set(bench.slack.views)
    await bench.client.click("UALICE", card, "deal_note")
    note = await opened(bench, "deal_note", before)
    ack = await bench.client.submit("UALICE", note, {"note": "é" * max_length(note, "note")})
    assert ack.status == 200 and ack.body == "", ack.body

    def notes() -> list[DealNote]:
        with bench.db.read() as s:
            return list(s.exec(select(DealNote)))

    await bench.slack.wait_for(lambda: notes())
    assert notes()[0].text == "é" * 3000

    # The longest lost reason: the team's longest reason, and the rep's own words at the form's limit.
    with bench.db.write() as s:
        longest = s.exec(select(LostReason).where(LostReason.key == "price")).one()
        longest.text = "P" * REASON_TEXT_MAX
        s.add(longest)
    before = set(bench.slack.views)
    await bench.client.click("UALICE", card, "deal_lost")
    lost = await opened(bench, "deal_lost", before)
    assert max_length(lost, "details") == LOST_DETAILS_MAX
    details = "ö" * LOST_DETAILS_MAX
    ack = await bench.client.submit("UALICE", lost, {"reason": "price", "details": details})
    assert ack.status == 200 and ack.body == "", ack.body
    await bench.slack.wait_for(lambda: the_deal(bench).lost_reason is not None)
    assert the_deal(bench).lost_reason == "P" * REASON_TEXT_MAX + " — " + details
    assert len(the_deal(bench).lost_reason or "") == LOST_REASON_MAX == 403


async def test_lost_with_price_and_300_characters(bench):
    """The case that failed: "Price" and 300 characters make 308, over the old VARCHAR(300)."""
    bench.fixed_now = TUESDAY_10_UTC
    await bench.client.reply(await bench.client.command("UALICE", "add Acme 10k"))
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    await bench.client.click("UALICE", card, "deal_lost")
    lost = await opened(bench, "deal_lost", set())
    ack = await bench.client.submit("UALICE", lost, {"reason": "price", "details": "x" * 300})
    assert ack.status == 200 and ack.body == "", ack.body
    await bench.slack.wait_for(lambda: the_deal(bench).lost_reason is not None)
    assert the_deal(bench).lost_reason == "Price — " + "x" * 300


async def test_lost_typed_longer_than_the_form_allows_is_refused(bench):
    bench.fixed_now = TUESDAY_10_UTC
    await bench.client.reply(await bench.client.command("UALICE", "add Acme 10k"))
    reply = await bench.client.reply(await bench.client.command("UALICE", "lost #1 " + "y" * 301))
    assert "Keep it under 300 characters" in text_of(reply)
    assert the_deal(bench).lost_reason is None and the_deal(bench).closed_at is None


async def test_the_snooze_form_at_its_limit(bench):
    bench.fixed_now = TUESDAY_10_UTC
    number = seed(bench, "UALICE", "Acme", "proposal", idle_days=20)
    await run_sweep(bench)
    [message] = nudge_dms(bench, "UALICE")
    await bench.client.click(
        "UALICE", message, "nudge_snooze", value=f"{number}:{stage_id(bench, 'proposal')}"
    )
    snooze = await opened(bench, "nudge_snooze", set())
    reason = "ä" * max_length(snooze, "snooze_reason")
    ack = await bench.client.submit("UALICE", snooze, {"snooze_for": "1w", "snooze_reason": reason})
    assert ack.status == 200, ack.body

    def snoozed() -> DealNudge | None:
        with bench.db.read() as s:
            return s.exec(select(DealNudge).where(DealNudge.snooze_reason.is_not(None))).first()  # type: ignore[union-attr]

    row = await bench.slack.wait_for(snoozed)
    assert row.snooze_reason == reason and len(reason) == 300
    assert row.snoozed_until == TUESDAY_10_UTC + timedelta(weeks=1)


async def test_the_settings_form_at_its_limits(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench)
    await bench.client.command("UADMIN", "settings", command="/pipeline")
    view = await opened(bench, "settings", set())
    # 20 stages (the most) with 60-character names, 29 lost reasons of 100 characters (what fits in
    # the 3,000 characters of the field).
    stages = "\n".join(f"{chr(65 + i)}{'ü' * 59} | 50% | 10d" for i in range(20))
    reasons = "\n".join(f"{chr(65 + i)}{'é' * 99}" for i in range(29))
    assert len(stages) <= max_length(view, "stages") and len(reasons) <= max_length(view, "reasons")
    ack = await bench.client.submit("UADMIN", view, {"stages": stages, "reasons": reasons})
    assert ack.status == 200 and ack.body == "", ack.body

    def saved() -> tuple[list[Stage], list[LostReason]]:
        with bench.db.read() as s:
            return (
                list(s.exec(select(Stage).where(Stage.kind == "open", Stage.active))),
                list(s.exec(select(LostReason))),
            )

    await bench.slack.wait_for(lambda: len(saved()[1]) == 29)
    open_stages, lost_reasons = saved()
    assert sorted(len(st.name) for st in open_stages) == [60] * 20
    assert all(len(r.text) == 100 and len(r.key) <= 40 for r in lost_reasons)


async def test_the_most_managers_the_form_takes_fit_and_one_more_is_refused(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench)
    await bench.client.command("UADMIN", "settings", command="/pipeline")
    view = await opened(bench, "settings", set())
    managers = next(b for b in view["blocks"] if b.get("block_id") == "managers")["element"]
    most = managers["max_selected_items"]
    ids = [f"U{i:031d}" for i in range(most + 1)]  # the longest ids the form accepts (32 characters)
    refused = await bench.client.submit("UADMIN", view, {"managers": ids})
    assert f"at most {most} managers" in refused.json["errors"]["managers"]
    ack = await bench.client.submit("UADMIN", view, {"managers": ids[:most]})
    assert ack.status == 200 and ack.body == "", ack.body

    def manager_ids() -> str:
        with bench.db.read() as s:
            return s.exec(select(Team.manager_ids)).one()

    await bench.slack.wait_for(lambda: manager_ids() != "")
    assert manager_ids().split(",") == ids[:most]
