"""The queue's demo opens the board and the counter page on a queue in progress."""

from app.counter.queue_demo import load_queue_demo
from app.counter.tables import Counter, Ticket
from tests.helpers import seen, text_of


async def test_the_demo_has_counters_and_a_queue_in_progress(browser, world):
    await load_queue_demo(world.a.id, counters=3, people=10, seed=1)
    await load_queue_demo(world.a.id, counters=3, people=10, seed=1)  # loaded once
    assert await seen(Counter.count()) == 3
    statuses = [r["status"] for r in await seen(Ticket.select(Ticket.status))]
    assert len(statuses) == 10 and {"done", "serving", "called", "waiting"} <= set(statuses)
    board = text_of((await (await browser()).get("/w/ward-a/board")).text)
    assert "Counter 1" in board and "Counter 3" in board and "Now calling" in board
