"""Waiting for what the engine or the sandbox does, without a clock bounding the wait.

A test waits for a condition (a job's runs, an event told, the sandbox's own
state), however long a slow machine takes; how long it took is never the
assertion. pytest-timeout ends a real hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

LOOK_EVERY = 0.02  # seconds between looks at state another thread or loop changes


async def until(condition: Callable[[], bool]) -> None:
    """Return once ``condition`` holds."""
    while not condition():  # noqa: ASYNC110 (state another thread owns: no event to await)
        await asyncio.sleep(LOOK_EVERY)
