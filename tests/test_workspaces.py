"""Many workspaces: the OAuth install, isolation between workspaces, and uninstalling."""

import asyncio

import pytest
from sqlmodel import select

from models.tables import Deal
from tests.helpers import text_of
from tests.installs import two_workspaces


@pytest.fixture
async def two(db):
    async with two_workspaces(db) as bench:
        yield bench


def deals(db):
    with db.read() as s:
        return sorted((d.team_id, d.number, d.name, d.closed_at is None) for d in s.exec(select(Deal)))


async def test_each_workspace_installs_and_works_with_its_own_token(two):
    for user, name in (("UADA", "Ada deal"), ("UBEA", "Bea deal")):
        reply = await two.client.reply(await two.client.command(user, f'add "{name}" 10k'))
        assert "Added deal #1" in text_of(reply)
    assert deals(two.db) == [("T0AAA", 1, "Ada deal", True), ("T0BBB", 1, "Bea deal", True)]
    # Each workspace got a token of its own at install, and its requests were answered with it.
    assert len([t for t, team in two.slack.tokens.items() if team in ("T0AAA", "T0BBB")]) == 2


async def test_a_user_of_one_workspace_can_never_touch_anothers_deal(two):
    await two.client.reply(await two.client.command("UADA", 'add "Secret A" 90k stage:proposal'))
    await two.client.reply(await two.client.command("UADA", 'add "Secret A2" 10k'))
    await two.client.reply(await two.client.command("UBEA", 'add "Bea own" 5k'))
    # By number.
    for text in ("#2", "won #2", "move #2 negotiation", "note #2 hi", "lost #2 price"):
        reply = await two.client.reply(await two.client.command("UBEA", text))
        assert "There is no deal #2" in text_of(reply), text
    # By a button value: Bea presses Won on Ada's card for #1 (her own #1 has another stage).
    card = await two.client.reply(await two.client.command("UADA", "#1"))
    await two.client.click("UBEA", card, "deal_won", team="T0BBB")
    await two.slack.wait_for(lambda: card.history)
    assert "changed meanwhile" in text_of(card) and "Secret A" not in text_of(card)
    # By a crafted payload: a modal submission naming deal #2 and Ada's stage.
    await two.client.command("UADA", "")
    form = await two.slack.wait_for(
        lambda: next((v for v in two.slack.views.values() if v["callback_id"] == "deal_new"), None)
    )
    proposal_of_a = next(
        o["value"]
        for b in form["blocks"]
        if b.get("block_id") == "stage"
        for o in b["element"]["options"]
        if o["text"]["text"] == "Proposal"
    )
    as_sent = await two.client.submit("UBEA", form, {"name": "Hijacked"}, team="T0BBB")
    assert as_sent.status == 401  # the view names T0AAA, the request T0BBB (handlers/workspace.py)
    form = dict(form, team_id="T0BBB")  # made to agree, it still reaches nothing of T0AAA's
    crafted = dict(form, private_metadata='{"o":"msg","n":2}', callback_id="deal_edit")
    ack = await two.client.submit("UBEA", crafted, {"name": "Hijacked"}, team="T0BBB")
    assert "There is no deal #2" in ack.json["errors"]["name"]
    ack = await two.client.submit(
        "UBEA", form, {"name": "Sneaky", "stage": proposal_of_a, "owner": "UBEA"}, team="T0BBB"
    )
    assert ack.json["errors"]["stage"] == "That stage no longer exists. Pick another."
    assert deals(two.db) == [
        ("T0AAA", 1, "Secret A", True),
        ("T0AAA", 2, "Secret A2", True),
        ("T0BBB", 1, "Bea own", True),
    ]


async def test_uninstalling_removes_the_workspaces_tokens(two):
    store = two.deps.installations
    assert await store.async_find_bot(enterprise_id=None, team_id="T0BBB") is not None
    sent = await two.client.event({"type": "app_uninstalled"}, team="T0BBB")
    assert sent.status == 200  # events are acked first; the deletion follows
    await gone(store, "T0BBB")
    assert await store.async_find_bot(enterprise_id=None, team_id="T0AAA") is not None
    assert await two.deps.client_for("T0BBB") is None
    await two.client.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}, team="T0AAA")
    await gone(store, "T0AAA")


async def gone(store, team, timeout=15.0):
    for _ in range(int(timeout / 0.05)):
        if await store.async_find_bot(enterprise_id=None, team_id=team) is None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{team}'s bot token is still stored")


async def test_the_scheduler_speaks_to_each_workspace_with_its_own_token(two):
    from datetime import UTC, datetime, timedelta

    from scheduler.runner import tick

    tuesday = datetime(2026, 11, 24, 10, tzinfo=UTC)  # 11:00 in Amsterdam: working hours
    two.fixed_now = tuesday - timedelta(days=20)
    for user in ("UADA", "UBEA"):
        await two.client.reply(await two.client.command(user, 'add "Quiet deal" 10k stage:proposal'))
    await two.client.event({"type": "app_uninstalled"}, team="T0BBB")
    await gone(two.deps.installations, "T0BBB")
    two.fixed_now = tuesday
    await tick(two.deps, two.deps.client_for)
    ada = [text_of(m) for m in two.slack.dms("UADA")]
    assert len(ada) == 2 and "Welcome to Salesbot" in ada[0] and "Quiet deal" in ada[1]  # install, then nudge
    assert two.slack.dms("UBEA") == []
    ada_token = next(t for t, team in two.slack.tokens.items() if team == "T0AAA")
    assert ada_token.startswith("xoxb-T0AAA-")
