"""Starting asyncio work from the UI without losing it or its errors.

Widgets have no async methods: they call ``TaskRunner.spawn`` with a coroutine.
The runner keeps a reference to every task (asyncio only keeps weak ones, so an
unreferenced task can vanish mid-flight) and routes any exception to the
error reporter, which logs it and shows it on the message bar.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

ErrorHandler = Callable[[str, BaseException], None]
DoneHandler = Callable[["asyncio.Task[Any]"], None]


class TaskRunner:
    """Spawns coroutines on the running loop and keeps them alive until done."""

    def __init__(self, on_error: ErrorHandler) -> None:
        self._on_error = on_error
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def running(self) -> int:
        """How many spawned tasks are still running."""
        return len(self._tasks)

    def spawn(
        self,
        coroutine: Coroutine[Any, Any, Any],
        description: str,
        on_done: DoneHandler | None = None,
    ) -> asyncio.Task[Any]:
        """Run ``coroutine`` in the background; ``description`` names it in errors.

        With ``on_done``, the finished task (result, error or cancellation) goes
        there instead: for work whose error the caller shows itself, such as a
        sign-in dialog. An error raised by ``on_done`` is reported as usual.
        """
        task = asyncio.ensure_future(coroutine)
        task.set_name(description)
        self._tasks.add(task)
        task.add_done_callback(lambda finished: self._finished(finished, on_done))
        return task

    def cancel_all(self) -> None:
        """Cancel every running task (on shutdown)."""
        for task in list(self._tasks):
            task.cancel()

    def _finished(self, task: asyncio.Task[Any], on_done: DoneHandler | None) -> None:
        self._tasks.discard(task)
        if on_done is not None:
            try:
                on_done(task)
            except Exception as handler_error:
                self._on_error(task.get_name(), handler_error)
            return
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._on_error(task.get_name(), error)
