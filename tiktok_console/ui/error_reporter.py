"""The one exception hook: every unhandled error is logged, and shown once.

Installed for ``sys.excepthook`` (errors in Qt slots land there), threads, and
the asyncio loop. Errors meant for the merchant (``ConsoleError``) are shown
with their own message; anything else is a bug and says so plainly.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Signal

from tiktok_console.core.errors import ConsoleError

log = logging.getLogger(__name__)


def describe(error: BaseException, context: str = "") -> tuple[str, str]:
    """The merchant-facing text and the technical detail of an error."""
    where = f" while {context}" if context else ""
    if isinstance(error, ConsoleError):
        return error.message, error.detail
    text = (
        f"Something went wrong{where}: {type(error).__name__}: {error}. "
        "The details are in the log; the console keeps running."
    )
    return text, "".join(traceback.format_exception_only(type(error), error)).strip()


class ErrorReporter(QObject):
    """Logs errors and asks the UI to show each distinct one once.

    Signals:
        error_shown(str, str): merchant text and technical detail of a new error.
    """

    error_shown = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self._shown: set[tuple[str, str]] = set()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Become the handler for sys, threading and the asyncio loop."""
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        loop.set_exception_handler(self._loop_hook)

    def report(self, error: BaseException, context: str = "", note: str = "") -> None:
        """Log ``error`` and show it if this kind of error was not shown yet.

        ``context`` completes "Something went wrong while ..." for the merchant;
        ``note`` is technical and goes to the log only.
        """
        if isinstance(error, ConsoleError):
            log.error("%s%s", error.message, f" ({error.detail})" if error.detail else "")
        else:
            where = f" while {context}" if context else ""
            log.error("Unhandled error%s%s", where, f" ({note})" if note else "", exc_info=error)
        text, detail = describe(error, context)
        key = (type(error).__name__, str(error))
        if key in self._shown:
            return
        self._shown.add(key)
        self.error_shown.emit(text, detail)

    def _sys_hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self.report(error.with_traceback(tb))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            name = args.thread.name if args.thread else "a background thread"
            self.report(args.exc_value, f"running {name}")

    def _loop_hook(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            # asyncio's message ("Task exception was never retrieved", a callback's file
            # and line) helps whoever reads the log, not the merchant.
            self.report(error, "running a background task", str(context.get("message", "")))
        else:
            log.error("Event loop problem: %s", context.get("message"))
