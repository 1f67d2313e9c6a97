"""Wires the application together: the only module that knows every layer.

``run_gui`` builds the profile, logging, database and window, then runs the Qt
event loop with asyncio on it (qasync). Everything is passed explicitly; there
are no global singletons beyond the database proxy.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.logs import ErrorCounter, SecretRedactor, setup_logging
from tiktok_console.core.paths import AppPaths
from tiktok_console.core.settings import Settings, load_settings, save_settings
from tiktok_console.storage.activity import activity_summary
from tiktok_console.storage.database import ConfirmReset, open_database, refuse_reset

if TYPE_CHECKING:  # Qt is imported lazily so headless commands never load it
    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.main_window import MainWindow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuiOptions:
    """What the command line asked of the GUI."""

    profile: Path | None = None
    debug: bool = False
    self_test: bool = False
    screenshots: Path | None = None
    theme: str | None = None


def run_gui(options: GuiOptions) -> int:
    """Start the desktop app; returns the process exit status."""
    if options.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with ExitStack() as stack:
        profile = options.profile
        if profile is None and options.self_test:
            profile = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ttc-selftest-")))
        paths = (AppPaths.for_profile(profile) if profile else AppPaths.default()).ensure()
        redactor = SecretRedactor()
        setup_logging(paths.log_file, redactor, debug=options.debug)
        errors = ErrorCounter()
        logging.getLogger().addHandler(errors)
        try:
            return _run_qt(options, paths, errors)
        finally:
            logging.getLogger().removeHandler(errors)


def _run_qt(options: GuiOptions, paths: AppPaths, errors: ErrorCounter) -> int:
    import qasync
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from tiktok_console.core.resources import resource_path
    from tiktok_console.ui.dialogs import ask_reset_database, show_startup_error
    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.theme import apply_theme

    log.info("Starting TikTok Console with data in %s", paths.data_dir)
    settings = load_settings(paths.settings_file)
    app = QApplication.instance() or QApplication([sys.argv[0], "--name", "tiktok-console"])
    assert isinstance(app, QApplication)
    app.setApplicationName("tiktok-console")
    app.setApplicationDisplayName("TikTok Console")
    app.setDesktopFileName("tiktok-console")
    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    apply_theme(app, options.theme or settings.theme)
    confirm: ConfirmReset = refuse_reset if options.self_test else ask_reset_database
    try:
        open_database(paths.database, confirm_reset=confirm)
    except ConsoleError as error:
        log.error("Cannot start: %s", error.message)
        if not options.self_test:
            show_startup_error(error)
        return 2
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    reporter = ErrorReporter()
    reporter.install(loop)
    window = build_window(paths, settings, reporter)
    window.show()
    outcome = {"status": 0}
    if options.self_test:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(100, lambda: _finish_self_test(app, window, options, errors, outcome))
    with loop:
        loop.run_forever()
    return outcome["status"]


def build_window(paths: AppPaths, settings: Settings, reporter: ErrorReporter) -> MainWindow:
    """Compose the main window and its pages (the database must be open)."""
    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.pages.overview import OverviewData, OverviewPage, StoreStatus
    from tiktok_console.ui.pages.welcome import WelcomePage

    def load_overview() -> OverviewData:
        midnight = datetime.combine(datetime.now().astimezone().date(), time(), tzinfo=None)
        summary = activity_summary(midnight.astimezone())
        return OverviewData(
            shopify=StoreStatus(connected=False),
            tiktok=StoreStatus(connected=False),
            sync_state="Idle",
            actions_today=summary.actions,
            errors_today=summary.errors,
            last_activity=summary.last_at,
        )

    window = MainWindow()
    reporter.error_shown.connect(window.message_bar.show_message)
    window.add_page(OverviewPage(load_overview))
    welcome = WelcomePage()
    welcome.continue_requested.connect(lambda: window.show_page("overview"))
    window.add_page(welcome)
    window.resize(settings.window.width, settings.window.height)
    window.show_page("welcome" if not settings.welcome_dismissed else "overview")

    def remember() -> None:
        settings.window.width = window.width()
        settings.window.height = window.height()
        save_settings(settings, paths.settings_file)

    window.closing.connect(remember)
    return window


def _check_keyring() -> None:
    """Log an error if no keyring backend is bundled; say which one is usable."""
    from tiktok_console.stores.keyring_support import bundled_backends, usable_backend

    bundled = bundled_backends()
    if not bundled:
        log.error("Self-test: no keyring backend is bundled; tokens could not be stored")
    usable = usable_backend()
    log.info("Keyring backends: %s; in use: %s", ", ".join(bundled), usable or "none available")
    print(f"keyring: bundled {bundled}; usable {usable or 'none'}")


def _finish_self_test(
    app: object, window: object, options: GuiOptions, errors: ErrorCounter, outcome: dict[str, int]
) -> None:
    from PySide6.QtWidgets import QApplication

    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.selftest import capture_pages

    assert isinstance(app, QApplication) and isinstance(window, MainWindow)
    _check_keyring()
    try:
        files = capture_pages(window, options.screenshots)
        log.info("Self-test opened %d pages", len(window.pages))
        for path in files:
            print(path)
    except Exception:
        log.exception("Self-test failed")
    if errors.count:
        print(f"self-test: {errors.count} error(s) logged: {errors.messages}", file=sys.stderr)
    outcome["status"] = 1 if errors.count else 0
    window.close()
    app.exit(outcome["status"])
