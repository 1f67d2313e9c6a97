"""Wires the application together: the only module that knows every layer.

``run_gui`` opens the profile (paths, logging, settings, database), builds the
services and the window, and runs the Qt event loop with asyncio on it
(qasync). In demo mode it also starts the sandbox stores in-process and
connects to them through the real sign-in flows, with tokens kept in memory.

``build_window`` only composes the UI: one ``PageContext`` (bridge, long-work
runner, the engine as ``EngineControl``, settings, error reporter) from which
every page in ``ui/pages/registry.py`` builds itself.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tiktok_console.console import Console
from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.logs import ErrorCounter
from tiktok_console.profile import Profile, open_profile, resolve_paths, start_logging
from tiktok_console.self_test import run_self_test, self_test_status
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.database import ConfirmReset, refuse_reset
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.events import ReconnectNeeded, ignore

if TYPE_CHECKING:  # Qt is imported lazily so headless commands never load it
    from PySide6.QtWidgets import QApplication

    from tiktok_console.ui.bridge import Bridge
    from tiktok_console.ui.demo_launch import StartDetached
    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.main_window import MainWindow

log = logging.getLogger(__name__)


SELF_TEST_SIZE = (1280, 800)  # the screenshots' size unless --window-size says otherwise


@dataclass(frozen=True)
class GuiOptions:
    """What the command line asked of the GUI."""

    profile: Path | None = None
    debug: bool = False
    self_test: bool = False
    screenshots: Path | None = None
    settle: float = 0.0  # self-test: seconds of sync after the first pass
    theme: str | None = None
    demo: bool = False
    window_size: tuple[int, int] | None = None  # exact size (the self-test's screenshots)


def run_gui(options: GuiOptions) -> int:
    """Start the desktop app; returns the process exit status."""
    if options.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with ExitStack() as stack:
        profile_dir = options.profile
        if profile_dir is None and (options.self_test or options.demo):
            # The demo and the self-test never touch the merchant's own profile.
            prefix = "ttc-demo-" if options.demo else "ttc-selftest-"
            profile_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
        try:
            paths = resolve_paths(profile_dir)
            redactor = start_logging(paths, options.debug)
        except ConsoleError as error:  # a read-only or full disk, before any log exists
            return _cannot_start(error, options)
        errors = ErrorCounter()
        logging.getLogger().addHandler(errors)
        try:
            return _run_qt(options, paths, redactor, errors)
        finally:
            logging.getLogger().removeHandler(errors)


def _run_qt(options: GuiOptions, paths: Any, redactor: Any, errors: ErrorCounter) -> int:
    from tiktok_console.ui.qt_log import qt_messages_logged

    log.info("Starting TikTok Console with data in %s", paths.data_dir)
    with qt_messages_logged():
        status = _run_app(options, paths, redactor, errors)
    if options.self_test:
        # Counted after shutdown: an error while closing fails the self-test too.
        return status or self_test_status(errors)
    return status


def _run_app(options: GuiOptions, paths: Any, redactor: Any, errors: ErrorCounter) -> int:
    import qasync

    from tiktok_console.ui.dialogs import ask_reset_database, show_startup_error
    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.gc_guard import GuiThreadCollector
    from tiktok_console.ui.termination import QuitOnTerminate
    from tiktok_console.ui.theme import apply_theme

    app = _qt_application()
    collector = GuiThreadCollector(app)  # cycles holding QObjects are freed on this thread only
    terminate = QuitOnTerminate(app)  # a SIGTERM shuts down like closing the window
    confirm: ConfirmReset = refuse_reset if options.self_test else ask_reset_database
    try:
        profile = open_profile(paths, redactor, confirm)
    except ConsoleError as error:
        log.error("Cannot start: %s", error.message)
        if not options.self_test:
            show_startup_error(error)
        terminate.restore()
        collector.stop()
        return 2
    apply_theme(app, options.theme or profile.settings.theme)  # --theme wins over the setting
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    reporter = ErrorReporter()
    reporter.install(loop)
    with loop:
        console = _console(profile, options.demo)
        window = build_window(console, reporter)
        if options.window_size or options.self_test:  # exact, not fitted to the screen
            window.resize(*(options.window_size or SELF_TEST_SIZE))
        window.show()
        console.sync.start()  # the engine's own thread; it syncs once both stores are connected
        if options.self_test:
            task = loop.create_task(
                run_self_test(app, window, console, options.screenshots, options.settle)
            )
            console.startup.append(task)
        if not terminate.requested:  # a SIGTERM during start-up: straight to shutdown
            loop.run_forever()
        loop.run_until_complete(_shutdown(console))
        terminate.restore()
    profile.close()
    collector.stop()
    return 0


def _cannot_start(error: ConsoleError, options: GuiOptions) -> int:
    """Say why the profile cannot be used: in a dialog (the packaged app has no console)."""
    print(f"error: {error.message}", file=sys.stderr)
    if not options.self_test:
        from tiktok_console.ui.dialogs import show_startup_error

        _qt_application()
        show_startup_error(error)
    return 2


def _qt_application() -> QApplication:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from tiktok_console.core.resources import resource_path

    app = QApplication.instance() or QApplication([sys.argv[0], "--name", "tiktok-console"])
    assert isinstance(app, QApplication)
    app.setApplicationName("tiktok-console")
    app.setApplicationDisplayName("TikTok Console")
    app.setDesktopFileName("tiktok-console")
    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    return app


def _console(profile: Profile, demo: bool) -> Console:
    http = httpx.AsyncClient(timeout=30)
    if not demo:
        return Console(profile, AccountService(profile.token_store(), http), http)
    from tiktok_console.sandbox.runner import SandboxRunner
    from tiktok_console.sandbox.world import WorldOptions
    from tiktok_console.stores.tokens import InMemoryKeyring

    # The demo's tokens live in memory: trying it leaves nothing in the OS keyring.
    service = AccountService(profile.token_store(InMemoryKeyring()), http)
    # A lively shop: a month of history, an order every 20 s, a short hold so new
    # orders reach Shopify while the merchant watches, and a warehouse that ships a
    # minute later, so the Carriers page fills in the first minutes too.
    demo_world = WorldOptions(
        seed=7,
        products=40,
        orders=400,
        orders_per_minute=3,
        hold_minutes=2,
        warehouse_minutes=1,
        orphan_rate=0.2,  # a few orphans to map, as the demo's headline
        seller_center_ship_share=0.1,  # some orders the merchant ships in Seller Center
    )
    runner = SandboxRunner(demo_world)
    info = runner.start()
    log.info("Demo: sandbox stores running (Shopify at %s)", info.shopify.url)
    console = Console(profile, service, http, demo=True, sandbox=runner)
    connect = _connect_demo(service, info.model_dump(), http, info.control_url, profile)
    console.startup.append(asyncio.ensure_future(connect))
    return console


async def _connect_demo(
    service: AccountService,
    info: dict[str, Any],
    http: httpx.AsyncClient,
    control: str,
    profile: Profile,
) -> None:
    """Connect the demo stores, then import the demo bank's statement (Payouts' bank leg)."""
    await service.connect_sandbox(info, demo=True)
    from tiktok_console.sync.payouts.demo_bank import import_demo_bank

    await import_demo_bank(http, control, profile.paths.data_dir)


async def _shutdown(console: Console) -> None:
    for task in console.startup:
        task.cancel()
    await asyncio.gather(*console.startup, return_exceptions=True)
    # The window may be going: the engine's last events are for nobody.
    console.sync.listener = ignore
    await console.sync.aclose()  # stops the engine, its thread, loop and HTTP client
    await console.http.aclose()
    if console.sandbox is not None:
        await asyncio.to_thread(console.sandbox.stop)


def build_window(
    console: Console, reporter: ErrorReporter, start_detached: StartDetached | None = None
) -> MainWindow:
    """Compose the main window, its pages and the status area (the database must be open).

    ``start_detached`` starts another process ("Try the demo"); QProcess by default.
    """
    from tiktok_console.ui.accounts_controller import AccountsController
    from tiktok_console.ui.bridge import Bridge
    from tiktok_console.ui.deadline_alerts import install_deadline_alerts
    from tiktok_console.ui.demo_launch import demo_launcher
    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.operations import LongWork
    from tiktok_console.ui.page_context import PageContext
    from tiktok_console.ui.pages.registry import build_pages
    from tiktok_console.ui.pages.welcome import WelcomePage
    from tiktok_console.ui.tasks import TaskRunner
    from tiktok_console.ui.work_progress import WorkProgress

    window = MainWindow(demo=console.demo)
    bridge = Bridge(window)
    reporter.error_shown.connect(window.message_bar.show_message)
    for problem in console.profile.problems:  # settings reset: say which, once
        window.message_bar.show_message(problem)
    tasks = TaskRunner(lambda description, error: reporter.report(error, description))
    work = LongWork(lambda error, description: reporter.report(error, description), parent=window)
    work.changed.connect(bridge.on_event_changed)
    window.closing.connect(work.shutdown)
    window.work = work
    window.status_area.addPermanentWidget(WorkProgress(work))
    accounts = AccountsController(console.accounts, bridge, tasks)
    context = PageContext(
        bridge, work, console.sync, console.profile.settings,
        console.profile.save_settings, reporter, accounts, demo=console.demo,
    )  # fmt: skip
    for page in build_pages(context):
        window.add_page(page)
        if isinstance(page, WelcomePage):
            page.continue_requested.connect(lambda: window.show_page("overview"))
            page.connect_requested.connect(lambda: window.show_page("accounts"))
            page.demo_requested.connect(demo_launcher(window, reporter, start_detached))
    _wire_status(window, bridge, console, reporter)
    install_deadline_alerts(window, context, console.accounts.token_store)
    settings = console.profile.settings
    window.fit_to_screen(settings.window.width, settings.window.height)
    window.sync_requested.connect(context.engine.nudge)
    first_run = not load_accounts() and not console.demo and not settings.welcome_dismissed
    window.show_page("welcome" if first_run else "overview")
    window.closing.connect(lambda: _remember(window, console))
    return window


def _wire_status(
    window: MainWindow, bridge: Bridge, console: Console, reporter: ErrorReporter
) -> None:
    """The engine's events reach the status area and the message bar through the bridge."""
    from tiktok_console.sync.events import EngineStopped

    area = window.status_area

    def update(topics: frozenset[str]) -> None:
        if "accounts" in topics:
            area.show_accounts(load_accounts(), demo=console.demo)
            console.sync.rebuild_soon()  # a connect or disconnect here: act on it now
        window.refresh_for(topics)

    def engine_state(event: Any) -> None:
        if isinstance(event, EngineStopped):
            area.show_sync_stopped("" if len(load_accounts()) < 2 else "stopped")

    bridge.changed.connect(update)
    bridge.job_state.connect(area.show_job_state)
    bridge.engine_state.connect(engine_state)
    bridge.reconnect_needed.connect(lambda event: _ask_to_reconnect(window, event))
    console.sync.listener = bridge.post  # on the engine's thread; the bridge queues to ours
    bridge.on_event_changed({"accounts"})
    for task in console.startup:
        task.add_done_callback(lambda t: _startup_done(t, bridge, reporter))


def _ask_to_reconnect(window: MainWindow, event: ReconnectNeeded) -> None:
    """Once per refused sign-in: say which store, with a button to the Accounts page."""
    window.message_bar.show_message(
        f"Reconnect {event.title}: it no longer accepts the console's sign-in, "
        f"so syncing with it stopped.",
        event.error.detail,
        action="Open Accounts",
        on_action=lambda: _show_accounts(window),
    )


def _show_accounts(window: MainWindow) -> None:
    window.show_page("accounts")


def _startup_done(task: asyncio.Task[Any], bridge: Bridge, reporter: ErrorReporter) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        reporter.report(error, "connecting the demo stores")
    bridge.on_event_changed({"accounts"})


def _remember(window: MainWindow, console: Console) -> None:
    settings = console.profile.settings
    settings.window.width = window.width()
    settings.window.height = window.height()
    if load_accounts():
        settings.welcome_dismissed = True
    try:
        console.profile.save_settings()
    except ConsoleError as error:  # closing on a full or read-only disk: say it, go on
        log.warning("%s", error.message)
