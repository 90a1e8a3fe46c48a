"""The users.info cache: simultaneous first lookups of one user all get the profile."""

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
