"""Where the welcome page's buttons lead: the Overview, the Accounts page, or the demo.

The welcome page only says what was asked; the window knows the pages and
"Try the demo" starts another process, so the links are made here.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

from tiktok_console.ui.demo_launch import StartDetached, demo_launcher
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.pages.welcome import WelcomePage


def link_welcome(
    window: MainWindow,
    pages: Iterable[QWidget],
    reporter: ErrorReporter,
    start_detached: StartDetached | None = None,
) -> None:
    """Connect the welcome page's requests (if it is among ``pages``) to the window."""
    for page in pages:
        if isinstance(page, WelcomePage):
            page.continue_requested.connect(lambda: window.show_page("overview"))
            page.connect_requested.connect(lambda: window.show_page("accounts"))
            page.demo_requested.connect(demo_launcher(window, reporter, start_detached))
