"""/pipeline settings: who may open it, valid changes, and each invalid value as a field error."""

from sqlmodel import col, select

from models.tables import Deal, LostReason, Stage, Team
from tests.helpers import open_settings, text_of


def team(db):
    with db.read() as s:
        return s.get(Team, "T0LOCAL")


def open_stages(db):
    with db.read() as s:
        return [
            (st.key, st.name, st.probability, st.stall_days)
            for st in s.exec(
                select(Stage)
                .where(Stage.kind == "open", Stage.active == True)  # noqa: E712
                .order_by(col(Stage.position))
            )
        ]


async def test_a_rep_cannot_open_settings(bench):
    sent = await bench.client.command("UALICE", "settings", command="/pipeline")
    reply = await bench.client.reply(sent)
    assert "Only workspace admins and the team's managers" in text_of(reply)
    assert bench.slack.views == {}


async def test_a_listed_manager_can_open_settings(bench):
    await bench.client.reply(await bench.client.command("UALICE", "add Seed 1k"))
    with bench.db.write() as s:
        row = s.get(Team, "T0LOCAL")
        row.manager_ids = "UBOB"
        s.add(row)
    view = await open_settings(bench, "UBOB")
    assert view["callback_id"] == "settings"


async def test_an_admin_changes_the_pipeline_and_the_teams_habits(bench):
    await bench.client.reply(await bench.client.command("UALICE", "add Busy 1k stage:proposal"))
    view = await open_settings(bench)
    stages_text = next(b for b in view["blocks"] if b["block_id"] == "stages")["element"]["initial_value"]
    assert stages_text.splitlines()[0] == "prospecting: Prospecting | 10% | 7d"
    new_stages = "\n".join(
        [
            "qualification: Discovery | 25% | 6d",  # renamed, moved first
            "prospecting: Prospecting | 5% | -",  # reordered, never stalls
            "proposal: Proposal | 65% | 21d",
            "Legal review | 85% | 5d",  # new
            "negotiation: Negotiation | 90% | 10d",
        ]
    )  # first_contact and needs_assessment removed (empty)
    ack = await bench.client.submit(
        "UADMIN",
        view,
        {
            "stages": new_stages,
            "reasons": "Price\nChose a competitor\nNo budget",
            "channel": "C0SALES",
            "digest_weekday": "5",
            "digest_time": "16:30",
            "timezone": "Europe/Berlin",
            "managers": ["UBOB"],
            "work_days": ["1", "2", "3", "4"],
            "work_start": "08:00",
            "work_end": "18:00",
            "escalation": "managers",
            "currency": "USD",
            "language": "de",
        },
    )
    assert ack.body == "", ack.body
    assert open_stages(bench.db) == [
        ("qualification", "Discovery", 25, 6),
        ("prospecting", "Prospecting", 5, None),
        ("proposal", "Proposal", 65, 21),
        ("legal_review", "Legal review", 85, 5),
        ("negotiation", "Negotiation", 90, 10),
    ]
    row = team(bench.db)
    assert (
        row.channel_id,
        row.digest_weekday,
        row.digest_time,
        row.timezone,
        row.manager_ids,
        row.work_days,
        row.work_start,
        row.work_end,
        row.escalation,
        row.currency,
        row.language,
    ) == ("C0SALES", 5, "16:30", "Europe/Berlin", "UBOB", "1234", "08:00", "18:00", "managers", "USD", "de")
    with bench.db.read() as s:
        assert [r.text for r in s.exec(select(LostReason).order_by(col(LostReason.position)))] == [
            "Price",
            "Chose a competitor",
            "No budget",
        ]
        deal = s.exec(select(Deal)).one()
        assert s.get(Stage, deal.stage_id).key == "proposal"  # deals keep their stage through a reorder
    # The new stage is usable at once, by name and by prefix.
    reply = await bench.client.reply(await bench.client.command("UALICE", "move #1 legal"))
    assert "Legal review" in text_of(reply)


async def test_a_stage_with_open_deals_cannot_be_removed(bench):
    await bench.client.reply(await bench.client.command("UALICE", "add Busy 1k stage:proposal"))
    view = await open_settings(bench)
    text = next(b for b in view["blocks"] if b["block_id"] == "stages")["element"]["initial_value"]
    without_proposal = "\n".join(line for line in text.splitlines() if not line.startswith("proposal:"))
    ack = await bench.client.submit("UADMIN", view, {"stages": without_proposal})
    assert "Proposal still has open deals (1)" in ack.json["errors"]["stages"]
    assert len(open_stages(bench.db)) == 6


async def test_every_invalid_value_comes_back_as_a_field_error(bench):
    view = await open_settings(bench)
    cases = {
        "stages": ("bogus line without bars", "should look like"),
        "timezone": ("Mars/Olympus", "timezone name"),
        "work_end": ("07:00", "must end after it starts"),
        "reasons": ("   ", "at least one lost reason"),
        "work_days": ([], "at least one working day"),
        "escalation": ("managers", "at least one manager"),
    }
    for block, (value, expected) in cases.items():
        ack = await bench.client.submit("UADMIN", view, {block: value, "managers": []})
        assert expected in ack.json["errors"][block], (block, ack.json)
    for stages, expected in [
        ("nosuch: X | 10% | 5d", "there is no stage `nosuch`"),
        ("A | 101% | 5d", "between 0 and 100"),
        ("A | 10% | 0d", "between 1 and 365"),
        ("A | 10% | 5d\na | 20% | 5d", "two stages are called"),
        ("", "at least one stage"),
    ]:
        ack = await bench.client.submit("UADMIN", view, {"stages": stages})
        assert expected in ack.json["errors"]["stages"], (stages, ack.json)
    assert len(open_stages(bench.db)) == 6 and team(bench.db).timezone == "Europe/Amsterdam"
