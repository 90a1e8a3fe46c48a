"""The pages a browser sees while installing Salesbot: ours, in its language, with honest status
codes, through the real HTTP server and the local Slack's OAuth."""

import aiohttp
import pytest
from sqlalchemy import select

from bot.i18n import browser_language
from localslack.bench import Bench
from models.installations import installations
from tests.installs import begin, come_back, install


def saved(db) -> int:
    with db.write_engine.connect() as conn:
        return len(conn.execute(select(installations.c.id)).all())


@pytest.fixture
async def multi(db):
    async with Bench(db, multi_workspace=True) as bench:
        bench.slack.add_user("UADA", "ada", team_id="T0AAA")
        async with aiohttp.ClientSession() as http:
            yield bench, http


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr-FR, es;q=0.9", "en"),
        ("nl-NL", "nl"),
        ("de-AT,de;q=0.9,en;q=0.8", "de"),
        ("en;q=0.5, de-CH;q=0.8, nl;q=0.9", "nl"),
        ("nl;q=0, de;q=0.1", "de"),
        ("de;q=oops, nl;q=0.2", "nl"),
        ("*", "en"),
    ],
)
def test_browser_language_respects_quality_values(header, language):
    assert browser_language(header) == language


async def test_install_page_is_ours_in_the_browsers_language(multi):
    bench, http = multi
    english = await begin(bench, http)
    assert "<title>Install Salesbot</title>" in english.page and '<html lang="en">' in english.page
    assert "Add Salesbot to Slack</a>" in english.page and "Slack App Installation" not in english.page
    dutch = await begin(bench, http, {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.8"})
    assert '<html lang="nl">' in dutch.page and "Salesbot toevoegen aan Slack</a>" in dutch.page
    german = await begin(bench, http, {"Accept-Language": "en;q=0.3, de"})
    assert '<html lang="de">' in german.page and "Salesbot zu Slack hinzufügen</a>" in german.page


async def test_success_page_links_to_the_app_in_slack(multi):
    bench, http = multi
    page = await install(bench, http, "T0AAA", "Acme <Sales>", "UADA")
    assert "<h1>Salesbot is installed</h1>" in page
    assert '<a href="https://slack.com/app_redirect?app=A0LOCAL&amp;team=T0AAA">' in page
    # The workspace's name is Slack's data: escaped, never markup.
    assert "Acme &lt;Sales&gt;" in page and "<Sales>" not in page
    german = await install(bench, http, "T0AAA", "Acme", "UADA", {"Accept-Language": "de-DE"})
    assert "<h1>Salesbot ist installiert</h1>" in german
    # What to do next is on the page itself too, not only in the welcome DM.
    assert "/invite @Salesbot" in page and "So legen Sie los" in german


async def test_cancelled_on_slack_is_403_and_says_what_to_do(multi):
    bench, http = multi
    started = await begin(bench, http)
    status, page = await come_back(bench, http, f"error=access_denied&state={started.state}", started.cookie)
    assert status == 403
    assert "<h1>Salesbot was not installed</h1>" in page and "choose Allow" in page
    assert "Oops" not in page and "access_denied" not in page
    status, page = await come_back(
        bench, http, f"error=access_denied&state={started.state}", started.cookie, {"Accept-Language": "nl"}
    )
    assert status == 403 and "<h1>Salesbot is niet geïnstalleerd</h1>" in page


async def test_bad_expired_or_reused_state_is_400(multi):
    bench, http = multi
    started = await begin(bench, http)
    code = bench.slack.approve_install("T0AAA", "Acme", "UADA")
    # A state that is not the one the cookie holds.
    status, page = await come_back(bench, http, f"code={code}&state=forged", started.cookie)
    assert status == 400 and "<h1>This installation link has expired</h1>" in page
    assert "Start the installation again" in page
    # The right one works once; coming back with it again is a reused state.
    status, _page = await come_back(bench, http, f"code={code}&state={started.state}", started.cookie)
    assert status == 200
    again = bench.slack.approve_install("T0AAA", "Acme", "UADA")
    status, page = await come_back(
        bench, http, f"code={again}&state={started.state}", started.cookie, {"Accept-Language": "de"}
    )
    assert status == 400 and "<h1>Dieser Installationslink ist abgelaufen</h1>" in page


async def test_a_code_slack_refuses_is_400(multi):
    bench, http = multi
    started = await begin(bench, http)
    status, page = await come_back(bench, http, f"code=never-issued&state={started.state}", started.cookie)
    assert status == 400 and "<h1>Slack did not confirm the installation</h1>" in page
    # Slack was asked, and said invalid_code; nothing was saved.
    assert [c.ok for c in bench.slack.calls if c.method == "oauth.v2.access"] == [False]
    assert saved(bench.db) == 0


async def test_slack_unreachable_is_502(multi):
    bench, http = multi
    started = await begin(bench, http)
    code = bench.slack.approve_install("T0AAA", "Acme", "UADA")
    bench.slack.inject("oauth.v2.access", drop=True, times=5)
    status, page = await come_back(bench, http, f"code={code}&state={started.state}", started.cookie)
    assert status == 502 and "<h1>Slack could not be reached</h1>" in page
    assert "Wait a minute, then start again." in page
