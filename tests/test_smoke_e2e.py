from tests.helpers import text_of


async def test_add_and_show(bench):
    client = bench.client
    sent = await client.command(
        "UALICE", 'add "Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme'
    )
    assert sent.status == 200
    reply = await client.reply(sent)
    assert "#1" in text_of(reply), text_of(reply)
    sent = await client.command("UALICE", "#1")
    reply = await client.reply(sent)
    assert "Acme renewal" in text_of(reply)
