"""One function decides the workspace of a request (handlers/workspace.py): the installation Bolt
authorized; a request whose fields name another workspace is refused before anything reads it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from handlers.workspace import WorkspaceMismatch, workspace_of
from models.tables import Deal
from tests.installs import two_workspaces

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def deals(db):
    with db.read() as s:
        return sorted((d.team_id, d.name) for d in s.exec(select(Deal)))


async def new_deal_form(bench, user: str, team: str | None = None) -> dict:
    await bench.client.command(user, "", team=team)
    return await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_new"), None)
    )


def test_the_workspace_is_the_authorized_one_and_every_field_must_name_it():
    agreeing = {
        "team_id": "T1",
        "team": {"id": "T1"},
        "view": {"team_id": "T1", "app_installed_team_id": "T1"},
    }
    assert workspace_of("T1", agreeing) == "T1"
    assert workspace_of("T1", {}) == "T1"  # a request naming none acts where it was authorized
    assert workspace_of(None, {"team_id": "T1"}) == "T1"  # url_verification and the like
    for disagreeing in (
        {"team_id": "T2", "team": {"id": "T1"}},
        {"team": {"id": "T2"}},
        {"team": "T2"},
        {"team_id": "T1", "view": {"team_id": "T2"}},
        {"team_id": "T1", "view": {"app_installed_team_id": "T2"}},
    ):
        with pytest.raises(WorkspaceMismatch):
            workspace_of("T1", disagreeing)
    with pytest.raises(WorkspaceMismatch):
        workspace_of(None, {"team_id": "T1", "team": {"id": "T2"}})


async def test_one_workspace_a_submission_naming_two_workspaces_gets_401_and_creates_nothing(bench):
    bench.fixed_now = NOW
    form = await new_deal_form(bench, "UALICE")
    planted = await bench.client.submit("UALICE", form, {"name": "Planted"}, extra={"team_id": "TOTHER"})
    assert planted.status == 401
    assert deals(bench.db) == []
    honest = await bench.client.submit("UALICE", form, {"name": "Honest", "amount": "10k"})
    assert honest.status == 200
    await bench.slack.wait_for(lambda: deals(bench.db))
    assert deals(bench.db) == [("T0LOCAL", "Honest")]


@pytest.fixture
async def two(db):
    async with two_workspaces(db, NOW) as bench:
        yield bench


async def test_many_workspaces_a_user_cannot_plant_a_deal_in_another_workspace(two):
    form = await new_deal_form(two, "UBEA", team="T0BBB")
    planted = await two.client.submit(
        "UBEA", form, {"name": "Planted"}, team="T0BBB", extra={"team_id": "T0AAA"}
    )
    assert planted.status == 401
    assert deals(two.db) == []
    own = await two.client.submit("UBEA", form, {"name": "Bea own", "amount": "5k"}, team="T0BBB")
    assert own.status == 200
    await two.slack.wait_for(lambda: deals(two.db))
    assert deals(two.db) == [("T0BBB", "Bea own")]


async def test_many_workspaces_a_command_is_authorized_without_calling_slack(two):
    before = len(two.slack.calls_to("auth.test"))
    sent = [
        await two.client.command(user, "help", team=team)
        for user, team in [("UADA", "T0AAA")] * 2 + [("UBEA", "T0BBB")]
    ]
    assert [s.status for s in sent] == [200, 200, 200]
    for s in sent:
        assert (await two.client.reply(s)).text == "What I can do"
    assert len(two.slack.calls_to("auth.test")) == before  # the stored installation says who the bot is
