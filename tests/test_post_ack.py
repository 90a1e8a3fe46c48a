"""The post-ack queue (bot/post_ack.py): at most `workers` listeners past their ack, the rest in
arrival order, and a clear "try again" once `limit` are waiting, with nothing changed."""

import asyncio

import pytest

from bot import metrics
from bot.post_ack import Busy, PostAck
from tests.nudging import setup_team


async def test_at_most_workers_run_and_the_rest_start_in_arrival_order():
    queue, running, peak, started = PostAck(workers=2, limit=10), 0, 0, []

    async def job(n: int) -> None:
        nonlocal running, peak
        await queue.enter()
        started.append(n)
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        queue.leave()

    tasks = []
    for n in range(6):
        tasks.append(asyncio.create_task(job(n)))
        await asyncio.sleep(0)  # each enters in turn
    await asyncio.gather(*tasks)
    assert peak == 2 and started == [0, 1, 2, 3, 4, 5]
    assert (queue.running, queue.waiting) == (0, 0)


async def test_past_the_limit_a_request_is_refused_and_counted():
    queue = PostAck(workers=1, limit=1)
    await queue.enter()
    waiter = asyncio.create_task(queue.enter())
    await asyncio.sleep(0)
    before = metrics.POST_ACK_REFUSED._value.get()
    with pytest.raises(Busy):
        await queue.enter()
    assert metrics.POST_ACK_REFUSED._value.get() == before + 1
    queue.leave()  # the turn passes to the waiter
    await waiter
    assert (queue.running, queue.waiting) == (1, 0)
    queue.leave()
    assert queue.running == 0


async def test_a_waiter_cancelled_leaves_the_queue_and_a_turn_handed_to_it_passes_on():
    queue = PostAck(workers=1, limit=5)
    await queue.enter()
    first, second = asyncio.create_task(queue.enter()), asyncio.create_task(queue.enter())
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.sleep(0)
    assert queue.waiting == 1
    queue.leave()
    await second
    assert (queue.running, queue.waiting) == (1, 0)


async def test_a_full_queue_tells_the_rep_to_try_again_and_adds_nothing(bench):
    setup_team(bench)
    queue = bench.deps.post_ack  # the app's own, handed to its listeners when it was built
    queue.workers, queue.limit = 1, 0
    await queue.enter()  # the one turn is taken, and no one may wait
    sent = await bench.client.command("UALICE", "add Acme 50k")
    assert sent.status == 200  # acked all the same
    reply = await bench.client.reply(sent)
    assert reply.text == "Salesbot has a lot to do right now. Try again in a minute."
    queue.leave()
    listed = await bench.client.reply(await bench.client.command("UALICE", "list"))
    assert "Acme" not in listed.text and "Acme" not in str(listed.blocks)
