"""The one QApplication: its names and icon, and how a start-up failure is shown.

Kept apart from ``app.py`` so composing the app does not carry Qt's set-up
details; the packaged app has no console, so a failure before the window
exists is said in a dialog as well as on stderr.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.resources import resource_path
from tiktok_console.ui.dialogs import show_startup_error


def qt_application() -> QApplication:
    """The process's QApplication (created once), named and with its icon."""
    app = QApplication.instance() or QApplication([sys.argv[0], "--name", "tiktok-console"])
    assert isinstance(app, QApplication)
    app.setApplicationName("tiktok-console")
    app.setApplicationDisplayName("TikTok Console")
    app.setDesktopFileName("tiktok-console")
    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    return app


def cannot_start(error: ConsoleError, *, dialog: bool) -> int:
    """Say why the profile cannot be used (a dialog unless ``dialog`` is off); exit status 2."""
    print(f"error: {error.message}", file=sys.stderr)
    if dialog:
        qt_application()
        show_startup_error(error)
    return 2
