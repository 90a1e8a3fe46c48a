"""`salesbot demo --lang en|nl|de`: the tour runs against the local Slack in each language, and
the bot answers the demo's people in theirs."""

import pytest

from bot.cli import main
from bot.demo import run_demo


@pytest.mark.parametrize(
    "lang, narration, reply",
    [
        ("en", "Reps log deals from Slack", "Added deal #1."),
        ("nl", "Verkopers leggen deals vast in Slack", "Deal #1 toegevoegd."),
        ("de", "Der Vertrieb erfasst Deals direkt in Slack", "Deal #1 hinzugefügt."),
    ],
)
async def test_the_tour_in_each_language(lang, narration, reply, capsys):
    assert await run_demo(language=lang) == 0
    out = capsys.readouterr().out
    assert narration in out and reply in out
    # The form's first submission was refused and the second made #4; the qualification tour adds #5.
    assert reply.replace("#1", "#5") in out and reply.replace("#1", "#6") not in out
    if lang != "en":  # nothing of the bot's or the tour's is left in English
        for english in (
            "Added deal",
            "only alice sees this",
            "Move stage",
            "Expected close",
            "Proposal",
            "Negotiation",
            "No budget",
            "Your pipeline",
            "That was the tour",
        ):
            assert english not in out, english
    # The message shortcut's step: the rep's message, in their language, fills in the New deal form.
    shortcut_form = out[out.index("#sales: ") :]
    assert "[ 50000 ]" in shortcut_form and "-03-31 ]" in shortcut_form
    assert "[ https://local.slack.com/archives/C0SALES/p" in shortcut_form
    # The search step: a word of the company, in capitals, finds Acme's deal.
    found = out[out.index("/deal find ACME") :]
    assert "#1 Acme" in found[: found.index("└")]
    # The forecast step: imported history, last month's check and the backtest's MAPE.
    assert "salesbot forecast --backtest --months 3" in out and "MAPE" in out
    if lang == "en":  # the managers hear of the channel nobody invited the bot to
        assert "Salesbot is not in #C0EMEA, so a reminder could not be posted" in out
    if lang == "en":  # next-step hygiene, in the nudge and in the digest
        assert "No next step yet" in out and "Open deals without a next step:" in out
    if lang == "en":  # the celebrations: a big deal in dollars, with the euros that made it big
        assert "@bob added a big one: Wayne expansion, $60,000 (about €55,200), in Proposal." in out
    if lang == "nl":
        assert "(optioneel)" in out and "(optional)" not in out


def test_the_command_line_takes_the_language():
    with pytest.raises(SystemExit):
        main(["demo", "--lang", "fr"])
