""" "Try the demo": start this app again in demo mode, as its own process, and close.

The demo runs apart so this window (and the merchant's profile) is left as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QWidget

from tiktok_console.core.errors import ConsoleError
from tiktok_console.ui.error_reporter import ErrorReporter

StartDetached = Callable[[str, list[str]], bool]


def demo_launcher(
    window: QWidget, reporter: ErrorReporter, start_detached: StartDetached | None = None
) -> Callable[[], None]:
    """What "Try the demo" does: start ``--demo`` detached (QProcess by default), then close."""

    def launch() -> None:
        program, arguments = own_command()
        command = [*arguments, "--demo"]
        if (start_detached or _start_detached)(program, command):
            window.close()
        else:
            detail = f"could not run {program} {' '.join(command)}"
            reporter.report(ConsoleError("The demo could not be started.", detail))

    return launch


def own_command() -> tuple[str, list[str]]:
    """How to start this app again: the frozen binary, or this Python with ``-m``."""
    if getattr(sys, "frozen", False):
        return sys.executable, []
    return sys.executable, ["-m", "tiktok_console"]


def _start_detached(program: str, arguments: list[str]) -> bool:
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)
