"""Text a person typed is shown as typed on every surface: never a link, a mention or a reversed
line (domain/text_safety.py); a name nobody could see is refused."""

from __future__ import annotations

import json

import pytest

from domain.text_safety import escape_mrkdwn, is_blank
from tests.helpers import text_of
from tests.nudging import TUESDAY_10_UTC, run_sweep, seed, setup_team

FAKE_LINK = "<http://evil.example|Click to renew SSO>"
RLO = "\u202e"
NAME = f"{FAKE_LINK} {RLO}Acme 000,05€"
ESCAPED = "&lt;http://evil.example|Click to renew SSO&gt;"


def everything_sent(slack) -> str:
    """Every message, reply, view and Home tab the bot sent, fallback texts included, as one text."""
    parts = [json.dumps({"text": m.text, "blocks": m.blocks}) for m in slack.messages]
    parts += [json.dumps({"text": m.text, "blocks": m.blocks}) for ms in slack.responses.values() for m in ms]
    parts += [json.dumps(v) for v in slack.views.values()]
    return json.loads(json.dumps("\n".join(parts)))  # JSON's \u escapes back to the characters


async def test_a_deal_named_like_a_link_shows_as_text_on_every_surface(bench):
    bench.fixed_now = TUESDAY_10_UTC
    setup_team(bench, channel_id="C0SALES", manager_ids="UADMIN", escalation="managers")
    seed(bench, "UALICE", NAME, idle_days=40)  # stalled past twice its threshold: escalated too
    await run_sweep(bench)
    card = await bench.client.reply(await bench.client.command("UALICE", "#1"))
    await bench.client.reply(await bench.client.command("UALICE", "list"))
    await bench.client.reply(await bench.client.command("UADMIN", "digest", command="/pipeline"))
    await bench.client.open_home("UALICE")
    await bench.client.click("UALICE", card, "deal_note")
    await bench.client.click("UALICE", card, "deal_lost")
    await bench.slack.wait_for(
        lambda: len([v for v in bench.slack.views.values() if v.get("type") == "modal"]) == 2
    )
    sent = everything_sent(bench.slack)
    kinds = {m.channel for m in bench.slack.messages}
    assert {"DUALICE", "C0SALES", "DUADMIN"} <= kinds, kinds  # the nudge, the reminder, the escalation
    assert FAKE_LINK not in sent
    assert RLO not in sent
    assert sent.count(ESCAPED) >= 8  # card, list, digest, Home, two modals, nudge, reminder, escalation
    assert "Click to renew SSO" not in text_of(card).replace(ESCAPED, "")


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u2060 \ufeff", "\u202e\u202c", "\u3164", " \u00ad "])
async def test_a_name_nobody_could_see_is_refused_and_nothing_is_added(bench, name):
    bench.fixed_now = TUESDAY_10_UTC
    reply = await bench.client.reply(await bench.client.command("UALICE", f'add "{name}" 10k'))
    assert "name" in text_of(reply).lower() and "Added" not in text_of(reply)
    await bench.client.command("UALICE", "")
    form = await bench.slack.wait_for(
        lambda: next((v for v in bench.slack.views.values() if v["callback_id"] == "deal_new"), None)
    )
    ack = await bench.client.submit("UALICE", form, {"name": name, "amount": "10k"})
    assert "errors" in ack.json and "name" in ack.json["errors"]
    assert (await bench.client.reply(await bench.client.command("UALICE", "list"))).text


def test_the_rule_escapes_slacks_control_characters_and_drops_bidi_overrides():
    table = [
        ("<@U123> & <!channel>", "&lt;@U123&gt; &amp; &lt;!channel&gt;"),
        ("\u202eAcme 000,05€", "Acme 000,05€"),
        ("a\u2066b\u2069c\u202a\u202b\u202c\u202d\u2067\u2068", "abc"),
        ("Müller & Söhne", "Müller &amp; Söhne"),
    ]
    for typed, shown in table:
        assert escape_mrkdwn(typed) == shown
    assert is_blank("\u200b\u200c\u200d\u2060\ufeff \t\n\u202e")
    assert not is_blank("\u200bA") and not is_blank("€") and not is_blank("東京")
