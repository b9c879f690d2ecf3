"""Reads in turn (web/app.py): at most a few reads answered at once, writes never wait for a turn, and a slow read
gives its turn back instead of holding every other read up for as long as it takes."""

import asyncio

from samestory.web.app import _ReadsInTurn


async def _sent(message) -> None:
    pass


def test_reads_take_turns_writes_do_not_and_a_slow_read_gives_its_turn_back():
    inside = most = 0
    release = asyncio.Event()

    async def app(scope, receive, send) -> None:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        if scope["path"] == "/slow":
            await release.wait()  # as long as the test says: far longer than a turn
        else:
            await asyncio.sleep(0.01)
        inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    gate = _ReadsInTurn(app, 2)

    def call(path: str, method: str = "GET"):
        return gate({"type": "http", "method": method, "path": path}, None, _sent)

    async def run() -> None:
        nonlocal most
        await asyncio.gather(*(call("/quick") for _ in range(8)))
        assert most == 2  # eight reads at once, never more than two being answered
        slow = [asyncio.create_task(call("/slow")) for _ in range(2)]  # both turns taken
        await asyncio.sleep(0)
        most = inside
        await asyncio.wait_for(call("/quick", "POST"), 10)  # a write goes ahead of the turns
        await asyncio.wait_for(call("/quick"), 10)  # a read gets a turn the slow ones gave back
        assert not any(t.done() for t in slow)  # ... while they still run
        release.set()
        await asyncio.gather(*slow)

    asyncio.run(run())
