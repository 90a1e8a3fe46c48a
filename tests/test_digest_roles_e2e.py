"""`/pipeline digest` follows the role rule: a rep sees the team's totals and only their own deals
(stalled list, By rep); managers and admins see everything."""

import re

from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC, seed, setup_team


def stalled_section(text: str) -> str:
    return text[text.index("Stalled deals") :]


async def preview_for(bench, user: str) -> str:
    sent = await bench.client.command(user, "digest", command="/pipeline")
    return text_of(await bench.client.reply(sent))


async def test_a_rep_sees_team_totals_and_only_their_own_deals(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES")
    seed(bench, "UALICE", "Alice secret merger", "proposal", idle_days=30, cents=25_000_000)
    seed(bench, "UBOB", "Bob small deal", "proposal", idle_days=20, cents=1_000_000)

    bob = await preview_for(bench, "UBOB")
    assert "Alice secret merger" not in bob and "<@UALICE>" not in bob
    assert "Bob small deal" in stalled_section(bob)
    assert "Stalled deals (1)" in bob  # his own, counted on their own
    assert "<@UBOB>" in bob
    # The team's totals still count both deals: 2 open, €250,000 + €10,000.
    assert re.search(r"2 deals · €260,000", bob), bob

    admin = await preview_for(bench, "UADMIN")  # a workspace admin sees everything
    assert "Stalled deals (2)" in admin
    assert "Alice secret merger" in admin and "Bob small deal" in admin
    assert "<@UALICE>" in admin and "<@UBOB>" in admin


async def test_a_manager_sees_every_rep(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", manager_ids="UBOB")
    seed(bench, "UALICE", "Alice secret merger", "proposal", idle_days=30, cents=25_000_000)
    bob = await preview_for(bench, "UBOB")
    assert "Alice secret merger" in stalled_section(bob) and "<@UALICE>" in bob
