"""The sweep's decisions over plain rows (domain.nudges.decide), worked out by hand, and a first
sweep whose owner has more stalled deals than a message shows: only those lines read in full."""

from datetime import timedelta

import pytest

from domain.amounts import Amount
from domain.deal_form import NewDeal
from domain.nudges import decide
from models.teams import ensure_team, stages
from services import deals, nudge_sweep
from services.users import Profile
from tests.nudging import TEAM, TUESDAY_10_UTC
from views import nudges as nudge_views

NOW = TUESDAY_10_UTC
WEEK, NEVER_STALLS, FORTNIGHT = 1, 2, 3  # stage ids: 7 days, no threshold (won), 14 days
LIMITS = {WEEK: 7, NEVER_STALLS: None, FORTNIGHT: 14}


def row(deal_id, stage, idle_days, nudged_days=None, escalated_days=None, snoozed_days=None, nudges=0):
    """A stalled_deals row: (id, number, stage, owner, last activity, has state, nudged, escalated,
    snoozed until, nudges); the times as days before NOW (snoozed: days after)."""
    ago = lambda days: None if days is None else NOW - timedelta(days=days)  # noqa: E731
    state = None if nudged_days is escalated_days is snoozed_days is None else deal_id
    snoozed = None if snoozed_days is None else NOW + timedelta(days=snoozed_days)
    return (
        deal_id,
        100 + deal_id,
        stage,
        "U1",
        ago(idle_days),
        state,
        ago(nudged_days),
        ago(escalated_days),
        snoozed,
        nudges,
    )


ROWS = [
    row(1, WEEK, 8),  # past 7 days: nudged, not escalated (8 < 14)
    row(2, WEEK, 15),  # past 14 days: nudged and escalated
    row(3, NEVER_STALLS, 100),  # a stage without a threshold never stalls
    row(4, WEEK, 6.9),  # not yet
    row(5, WEEK, 20, nudged_days=3, nudges=2),  # nudged 3 days ago: its clock runs from then
    row(6, WEEK, 20, nudged_days=8, escalated_days=9, nudges=2),  # a week since the nudge: again
    row(7, FORTNIGHT, 30, snoozed_days=1),  # snoozed until tomorrow: neither
    row(8, FORTNIGHT, 15),  # past 14, not past 28
]


def test_each_row_is_decided_by_its_stage_its_clock_and_its_episode():
    found = decide(ROWS, LIMITS, NOW, escalating=True)
    assert [r[0] for r in found.due] == [1, 2, 6, 8]
    assert [r[0] for r in found.escalate] == [2, 5]  # 6 was escalated this episode already
    # Never nudged: the first nudge; 6's streak goes on (nudged after its last activity).
    assert found.nudges == {1: 1, 2: 1, 6: 3, 8: 1}
    iso = lambda days: (NOW - timedelta(days=days)).isoformat()  # noqa: E731
    # A nudge's key part is its clock start (6's: the last nudge); an escalation's, the activity.
    assert found.clocks == {1: f"1@{iso(8)}", 2: f"2@{iso(15)}", 6: f"6@{iso(8)}", 8: f"8@{iso(15)}"}
    assert found.episodes == {2: f"2@{iso(15)}", 5: f"5@{iso(20)}"}


def test_without_escalation_or_keys_only_the_nudges_are_decided():
    found = decide(ROWS, LIMITS, NOW, escalating=False, keys=False)
    assert [r[0] for r in found.due] == [1, 2, 6, 8] and found.escalate == []
    assert found.nudges == {1: 1, 2: 1, 6: 3, 8: 1}
    assert found.clocks == {} and found.episodes == {}  # "find owners due" makes no keys


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_message_reads_only_the_deals_it_shows_in_full(db, dry_run):
    """130 stalled deals of one owner: the DM shows the 120 oldest (20 with buttons, 100 lines) and
    the channel's reminder the 100 oldest, each ending with the rest counted."""
    with db.write() as s:
        team = ensure_team(s, TEAM, NOW - timedelta(days=60))
        team.channel_id = "C0SALES"
        s.add(team)
        proposal = next(st.id for st in stages(s, TEAM) if st.key == "proposal")
    for n in range(130):  # deal #n+1 idle 20 days and n hours: #130 is the oldest
        new = NewDeal(name=f"Deal {n + 1}", owner_id="U1", amount=Amount(100_00, "EUR"), stage_id=proposal)
        deals.create(db, TEAM, "U1", new, NOW - timedelta(days=20, hours=n))
    profiles = {"U1": Profile(TEAM, "U1", "Ann", "Europe/Amsterdam", "en-US", None, False, False)}
    result = nudge_sweep.record(db, TEAM, profiles, NOW, nudge_views, dry_run=dry_run)
    assert sorted(result.nudged) == list(range(1, 131))
    nudge, reminder = result.messages
    oldest_first = list(range(130, 0, -1))
    assert shown(nudge.message) == oldest_first[:120]
    assert shown(reminder.message) == oldest_first[:100]
    assert shown(nudge.fallback) == oldest_first[:100]
    assert nudge.message["blocks"][-2]["elements"][0]["text"].startswith("…and more.")


def shown(message) -> list[int]:
    """The deal numbers a message's blocks list, in order."""
    text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    return [int(part.split("*", 1)[0]) for part in text.split("*#")[1:]]
