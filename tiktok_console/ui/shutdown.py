"""Closing the running app in order: start-up work, the engine, the client, the demo stores.

The order matters: the engine's last events are for a window that may be
gone, so its listener is cut first; the sandbox (demo only) stops last, off
the loop, since it joins its server thread.
"""

from __future__ import annotations

import asyncio

from tiktok_console.sync.events import ignore
from tiktok_console.ui.running_app import RunningApp


async def shut_down(console: RunningApp) -> None:
    """Cancel start-up work, stop the engine and its thread, close HTTP and the demo stores."""
    for task in console.startup:
        task.cancel()
    await asyncio.gather(*console.startup, return_exceptions=True)
    # The window may be going: the engine's last events are for nobody.
    console.sync.listener = ignore
    await console.sync.aclose()  # stops the engine, its thread, loop and HTTP client
    await console.http.aclose()
    if console.sandbox is not None:
        await asyncio.to_thread(console.sandbox.stop)
