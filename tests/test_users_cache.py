"""The users.info cache: simultaneous first lookups of one user all get the profile; a sweep's many
lookups go a few at a time and leave out whoever cannot be looked up."""

import asyncio

import pytest

from services import users

TEAM = "T0LOCAL"


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_simultaneous_first_lookups_of_one_user_all_succeed(bench):
    # Each inserts the cache row; all but one find it taken. Two sweeps or replicas do this.
    results = await asyncio.gather(
        *(users.profile(bench.db, bench.bolt.client, TEAM, "UALICE", bench.now()) for _ in range(8))
    )
    assert {p.tz for p in results} == {"Europe/Amsterdam"} and not any(p.deleted for p in results)


async def test_a_dry_lookup_leaves_the_cache_alone(bench):
    bench.slack.users["UALICE"].tz = "America/New_York"
    looked = await users.profile(bench.db, bench.bolt.client, TEAM, "UALICE", bench.now(), save=False)
    assert looked.tz == "America/New_York" and users.cached(bench.db, TEAM, "UALICE") is None
    gone = await users.profile(bench.db, bench.bolt.client, TEAM, "UNOBODY", bench.now(), save=False)
    assert gone.deleted and users.cached(bench.db, TEAM, "UNOBODY") is None


class Counting:
    """A Web API client that counts the users.info calls in flight and fails one user's lookups."""

    def __init__(self, client, broken: str):
        self.client, self.broken = client, broken
        self.in_flight = self.most = 0

    async def users_info(self, **kwargs):
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.01)  # let the other lookups start
            if kwargs["user"] == self.broken:
                raise ConnectionError("Slack is unreachable")
            return await self.client.users_info(**kwargs)
        finally:
            self.in_flight -= 1


async def test_many_lookups_go_two_at_a_time_and_leave_out_whoever_fails(bench, caplog):
    people = ["UALICE", "UBOB", "UBROKEN", "UNOBODY"]
    client = Counting(bench.bolt.client, broken="UBROKEN")
    found = await users.profiles(
        bench.db, client, TEAM, people, bench.now(), lanes=2, save=False, waits="their deals wait"
    )
    assert sorted(found) == ["UALICE", "UBOB", "UNOBODY"]  # UNOBODY is gone: a profile that says so
    assert found["UNOBODY"].deleted and not found["UALICE"].deleted
    assert client.most == 2
    [warning] = [r.getMessage() for r in caplog.records if "could not look up" in r.getMessage()]
    failed = "ConnectionError('Slack is unreachable')"
    assert warning == f"team {TEAM}: could not look up UBROKEN ({failed}); their deals wait"
