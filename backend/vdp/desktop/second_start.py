"""A second start of the desktop app brings the running window forward instead of failing unseen.

The data folder admits one running app (storage/instance_lock.py). The desktop app listens on a port of 127.0.0.1
and writes it into the folder's lock file; a second desktop start on the folder, refused, knocks there, and the
running app shows its window (restored from the tray or a minimised state). A knock carries nothing but the word
`show`: whoever may connect to 127.0.0.1 can at most raise the window.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Callable

log = logging.getLogger(__name__)

KNOCK = b"show\n"
KNOCK_TIMEOUT = 2.0  # seconds a second start waits for the running app to take its knock


async def listen_for_knocks(on_knock: Callable[[], None]) -> asyncio.Server:
    """Call `on_knock` for each knock; the server's port is in `server.sockets[0]`."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            word = await asyncio.wait_for(reader.readexactly(len(KNOCK)), KNOCK_TIMEOUT)
            if word == KNOCK:
                log.info("a second start asked for this window")
                on_knock()
                writer.write(KNOCK)
                await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            pass  # not a knock: nothing to answer
        finally:
            writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0)


def knock(port: int) -> bool:
    """Ask the app listening on `port` to show its window; True once it said it did."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=KNOCK_TIMEOUT) as connection:
            connection.sendall(KNOCK)
            return connection.recv(len(KNOCK)) == KNOCK
    except OSError:
        return False
