"""The bot as a real process: a free port, and waiting until it answers /healthz."""

from __future__ import annotations

import asyncio
import socket

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_healthy(url: str, proc, timeout: float = 30) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(int(timeout * 10)):
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError("serve never became healthy")
