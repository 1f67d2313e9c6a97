"""What the window remembers between runs: its size, and that the welcome was seen.

Read when the window is composed (which page opens first, how big it is) and
written when it closes; a full or read-only disk at closing is said, not raised.
"""

from __future__ import annotations

import logging

from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.running_app import RunningApp

log = logging.getLogger(__name__)


def restore_window(window: MainWindow, console: RunningApp) -> None:
    """Size the window as it was left and open the first page; remember both on close."""
    settings = console.profile.settings
    window.fit_to_screen(settings.window.width, settings.window.height)
    first_run = not load_accounts() and not console.demo and not settings.welcome_dismissed
    window.show_page("welcome" if first_run else "overview")
    window.closing.connect(lambda: remember_window(window, console))


def remember_window(window: MainWindow, console: RunningApp) -> None:
    """Keep the window's size, and once a store is connected, skip the welcome next time."""
    settings = console.profile.settings
    settings.window.width = window.width()
    settings.window.height = window.height()
    if load_accounts():
        settings.welcome_dismissed = True
    try:
        console.profile.save_settings()
    except ConsoleError as error:  # closing on a full or read-only disk: say it, go on
        log.warning("%s", error.message)
