"""End to end: `/deal find` and the deal picker, through the local Slack, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from localslack import options
from models.tables import Deal
from tests.helpers import text_of

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


async def say(bench, user, text):
    return await bench.client.reply(await bench.client.command(user, text))


async def edit(bench, user, number, values):
    """`/deal edit #N`, then the form submitted with these fields changed."""
    before = set(bench.slack.views)
    await bench.client.command(user, f"edit #{number}")
    view = await bench.slack.wait_for(
        lambda: next((bench.slack.views[v] for v in bench.slack.views if v not in before), None)
    )
    ack = await bench.client.submit(user, view, values)
    assert ack.status == 200 and ack.body == "", ack.body


def numbers_found(reply) -> list[int]:
    """The deal numbers a search lists, in the order shown."""
    lines = text_of(reply).splitlines()
    return [int(line.split("*")[1].lstrip("#")) for line in lines if line.startswith("*#")]


def versions(db) -> dict[int, int]:
    with db.read() as s:
        return {d.number: d.version for d in s.exec(select(Deal).order_by(col(Deal.number)))}


def search_row(db, number):
    with db.read() as s:
        deal = s.exec(select(Deal).where(Deal.number == number)).one()
        return deal.search_name, deal.search_company, deal.search_text


async def test_best_matches_come_first_all_words_then_name_company_notes_then_recent(bench):
    start = TUESDAY_10 - timedelta(days=10)
    for day, line in enumerate(
        [
            '"Acme renewal" 50k company:Globex',  # 1: both words in the name
            '"Server upgrade" 20k company:Acme GmbH',  # 2: acme in the company
            '"Cloud migration" 30k',  # 3: acme in its notes (below)
            '"Acme support renewal" 10k',  # 4: both words in the name, and more recent than #1
            '"Renewal of licences" 5k',  # 5: renewal in the name only
            '"Unrelated" 1k',  # 6: neither word anywhere
        ]
    ):
        bench.fixed_now = start + timedelta(days=day)
        await say(bench, "UADMIN", "add " + line)
    bench.fixed_now = start + timedelta(days=2, hours=1)  # #3's edit: still older than #4's creation
    await edit(bench, "UADMIN", 3, {"notes": "Referred by ACME's CTO"})
    bench.fixed_now = TUESDAY_10
    reply = await say(bench, "UADMIN", "find acme renewal")
    # Both words (#4, then #1: equal matches, newer activity first), then one word: name (#5, weight
    # 4), company (#2, 2), notes (#3, 1). #6 holds neither word.
    assert numbers_found(reply) == [4, 1, 5, 2, 3]
    assert 'Deals matching "acme renewal"* (5)' in text_of(reply)
    assert "more" not in text_of(reply)


async def test_case_and_accents_do_not_matter(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "München Messe" 50k company:Bäckerei Groß')
    await say(bench, "UALICE", 'add "Naïve Café" 5k')
    await say(bench, "UALICE", 'add "Munich office" 5k')
    for typed, expected in [
        ("munchen", [1]),
        ("MÜNCHEN", [1]),
        ("muenchen", [1]),  # the German spelling without the umlaut
        ("gross", [1]),  # ß is ss
        ("baeckerei", [1]),
        ("naive cafe", [2]),
        ("naïve", [2]),
        ("munich", [3]),
    ]:
        assert numbers_found(await say(bench, "UALICE", f"find {typed}")) == expected, typed


async def test_a_rep_finds_only_their_own_deals_and_managers_find_everyones(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Zeta private" 50k')
    await say(bench, "UBOB", 'add "Zeta shared" 20k')
    bob = await say(bench, "UBOB", "find zeta")
    assert numbers_found(bob) == [2]
    assert "You see your own deals here" in text_of(bob)
    assert "Zeta private" not in text_of(bob)
    nothing = await say(bench, "UBOB", "find private")
    assert numbers_found(nothing) == [] and 'No deal matches "private"' in text_of(nothing)
    assert numbers_found(await say(bench, "UADMIN", "find zeta")) == [2, 1]
    # The number is the fast path, with the same rule as /deal #N.
    assert "Zeta shared" in text_of(await say(bench, "UBOB", "find #2"))
    assert "Deal #1 is <@UALICE>'s" in text_of(await say(bench, "UBOB", "find #1"))


async def test_a_long_result_shows_ten_and_says_how_many_more(bench):
    start = TUESDAY_10 - timedelta(days=12)
    for n in range(1, 13):
        bench.fixed_now = start + timedelta(days=n)
        await say(bench, "UALICE", f'add "Widget {n}" {n}k')
    reply = await say(bench, "UALICE", "find widget")
    assert numbers_found(reply) == list(range(12, 2, -1))  # the ten most recently active
    assert "(12)" in text_of(reply) and "…and 2 more. Add a word to narrow the search." in text_of(reply)


async def test_bad_searches_get_a_clear_private_answer_and_change_nothing(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Acme" 5k')
    before = versions(bench.db)
    for typed, expected in [
        ("find", "Say what to look for, like `/deal find acme`."),
        ("find   ", "Say what to look for"),
        ("find ?!… --", "There is nothing to search for in that."),
        ("find " + "a" * 250, "That search is too long (250 characters). Keep it under 200."),
        ("find " + "x" * 5000, "That command is too long"),
        ("find a b c d e f g h i", "Search with at most 8 words."),
    ]:
        sent = await bench.client.command("UALICE", typed)
        reply = await bench.client.reply(sent)
        assert expected in text_of(reply), (typed[:20], text_of(reply))
        assert reply.kind != "message"  # private: only the rep sees it
    assert versions(bench.db) == before


async def test_the_home_tabs_picker_suggests_deals_over_http_and_a_pick_sends_the_card(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "München Messe" 50k company:Messe GmbH')
    await say(bench, "UBOB", 'add "Münster fair" 20k')
    home = await bench.client.open_home("UALICE")
    assert "Find a deal" in text_of(home)
    sent = await options.suggest(bench.client, "UALICE", home, "deal_pick", "munchen")
    assert sent.status == 200
    assert sent.json == {
        "options": [
            {
                "text": {"type": "plain_text", "text": "#1 München Messe · Messe GmbH", "emoji": True},
                "value": "1",
            }
        ]
    }
    # Bob's deal is not Alice's to see, though "mun" is in its name too.
    mun = await options.suggest(bench.client, "UALICE", home, "deal_pick", "mün")
    assert [o["value"] for o in mun.json["options"]] == ["1"]
    for value in ("", "?!", "x" * 300):  # no search: no options, and no error in a menu
        assert (await options.suggest(bench.client, "UALICE", home, "deal_pick", value)).json == {
            "options": []
        }
    await options.choose(bench.client, "UALICE", home, "deal_pick", sent.json["options"][0])
    dm_channel = bench.slack.dm_channel("UALICE")
    dm = await bench.slack.wait_for(
        lambda: next((m for m in bench.slack.messages if m.channel == dm_channel and m.blocks), None)
    )
    assert "Here is deal #1." in text_of(dm) and "München Messe" in text_of(dm)


async def test_a_picked_deal_that_is_not_yours_is_refused_privately(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Alpha" 5k')
    home = await bench.client.open_home("UBOB")
    forged = {"text": {"type": "plain_text", "text": "#1 Alpha"}, "value": "1"}
    await options.choose(bench.client, "UBOB", home, "deal_pick", forged)
    told = await bench.slack.wait_for(
        lambda: next((m for m in bench.slack.messages if m.channel == bench.slack.dm_channel("UBOB")), None)
    )
    assert "Deal #1 is <@UALICE>'s" in text_of(told)


async def test_the_search_columns_follow_every_edit(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Acme renewal" 5k company:Initech')
    assert search_row(bench.db, 1) == ("acme renewal", "initech", "acme renewal initech")
    await edit(bench, "UALICE", 1, {"name": "Zürich expansion", "company": "", "notes": "Spoke to Ørsted"})
    everything = "zurich expansion zuerich spoke to orsted"
    assert search_row(bench.db, 1) == ("zurich expansion zuerich", "", everything)
    assert numbers_found(await say(bench, "UALICE", "find acme")) == []
    assert numbers_found(await say(bench, "UALICE", "find zuerich orsted")) == [1]
    await say(bench, "UALICE", "move #1 proposal")  # a change that is not to the text keeps it
    assert search_row(bench.db, 1)[0] == "zurich expansion zuerich"


@pytest.mark.parametrize("transport", ["socket"], indirect=True)
async def test_the_picker_answers_over_socket_mode_too(bench):
    bench.fixed_now = TUESDAY_10
    await say(bench, "UALICE", 'add "Straßenbau Köln" 50k')
    home = await bench.client.open_home("UALICE")
    sent = await options.suggest(bench.client, "UALICE", home, "deal_pick", "strasse")
    assert [o["value"] for o in sent.json["options"]] == ["1"]


async def test_logged_notes_are_searched_too_and_count_as_notes(bench):
    start = TUESDAY_10 - timedelta(days=3)
    bench.fixed_now = start
    await say(bench, "UALICE", 'add "Siemens framework" 50k')  # 1: the word in its name
    bench.fixed_now = start + timedelta(days=1)
    await say(bench, "UALICE", 'add "Cloud migration" 30k')  # 2: the word in a logged note
    bench.fixed_now = start + timedelta(days=2)
    await say(bench, "UALICE", "note #2 Called Jürgen at Siemens Energy")
    await say(bench, "UALICE", "note #2 Sent the offer")
    assert search_row(bench.db, 2) == ("cloud migration", "", "cloud migration")
    with bench.db.read() as s:
        log = s.exec(select(Deal.search_log).where(Deal.number == 2)).one()
    assert log == "sent the offer called jurgen at siemens energy juergen"  # newest first
    assert numbers_found(await say(bench, "UALICE", "find siemens")) == [1, 2]  # name over notes
    assert numbers_found(await say(bench, "UALICE", "find juergen offer")) == [2]
    assert numbers_found(await say(bench, "UBOB", "find juergen")) == []  # Alice's deal, Alice's note
