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
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tiktok_console.console import Console
from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.logs import ErrorCounter, SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, resolve_paths, start_logging
from tiktok_console.self_test import run_self_test, self_test_status
from tiktok_console.sync.accounts import AccountService

if TYPE_CHECKING:  # Qt is imported lazily so headless commands never load it
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
            from tiktok_console.ui.qt_application import cannot_start

            return cannot_start(error, dialog=not options.self_test)
        errors = ErrorCounter()
        logging.getLogger().addHandler(errors)
        try:
            return _run_qt(options, paths, redactor, errors)
        finally:
            logging.getLogger().removeHandler(errors)


def _run_qt(
    options: GuiOptions, paths: AppPaths, redactor: SecretRedactor, errors: ErrorCounter
) -> int:
    from tiktok_console.ui.qt_log import qt_messages_logged

    log.info("Starting TikTok Console with data in %s", paths.data_dir)
    with qt_messages_logged():
        status = _run_app(options, paths, redactor, errors)
    if options.self_test:
        # Counted after shutdown: an error while closing fails the self-test too.
        return status or self_test_status(errors)
    return status


def _run_app(
    options: GuiOptions, paths: AppPaths, redactor: SecretRedactor, errors: ErrorCounter
) -> int:
    import qasync

    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.gc_guard import GuiThreadCollector
    from tiktok_console.ui.profile_opening import open_profile_asking
    from tiktok_console.ui.qt_application import qt_application
    from tiktok_console.ui.shutdown import shut_down
    from tiktok_console.ui.termination import QuitOnTerminate
    from tiktok_console.ui.theme import apply_theme

    app = qt_application()
    collector = GuiThreadCollector(app)  # cycles holding QObjects are freed on this thread only
    terminate = QuitOnTerminate(app)  # a SIGTERM shuts down like closing the window
    profile = open_profile_asking(paths, redactor, self_test=options.self_test)
    if profile is None:  # why was said (dialog and log)
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
        loop.run_until_complete(shut_down(console))
        terminate.restore()
    profile.close()
    collector.stop()
    return 0


def _console(profile: Profile, demo: bool) -> Console:
    http = httpx.AsyncClient(timeout=30)
    if not demo:
        return Console(profile, AccountService(profile.token_store(), http), http)
    from tiktok_console.sandbox.demo import demo_world_options
    from tiktok_console.sandbox.runner import SandboxRunner
    from tiktok_console.stores.tokens import InMemoryKeyring

    # The demo's tokens live in memory: trying it leaves nothing in the OS keyring.
    service = AccountService(profile.token_store(InMemoryKeyring()), http)
    demo_world = demo_world_options()
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


def build_window(
    console: Console, reporter: ErrorReporter, start_detached: StartDetached | None = None
) -> MainWindow:
    """Compose the main window, its pages and the status area (the database must be open).

    ``start_detached`` starts another process ("Try the demo"); QProcess by default.
    """
    from tiktok_console.ui.accounts_controller import AccountsController
    from tiktok_console.ui.bridge import Bridge
    from tiktok_console.ui.deadline_alerts import install_deadline_alerts
    from tiktok_console.ui.engine_wiring import wire_engine
    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.page_context import PageContext
    from tiktok_console.ui.pages.registry import build_pages
    from tiktok_console.ui.welcome_links import link_welcome
    from tiktok_console.ui.window_memory import restore_window
    from tiktok_console.ui.work_runners import install_runners

    window = MainWindow(demo=console.demo)
    bridge = Bridge(window)
    reporter.error_shown.connect(window.message_bar.show_message)
    for problem in console.profile.problems:  # settings reset: say which, once
        window.message_bar.show_message(problem)
    tasks, work = install_runners(window, bridge, reporter)
    accounts = AccountsController(console.accounts, bridge, tasks)
    context = PageContext(
        bridge, work, console.sync, console.profile.settings,
        console.profile.save_settings, reporter, accounts, demo=console.demo,
    )  # fmt: skip
    pages = build_pages(context)
    for page in pages:
        window.add_page(page)
    link_welcome(window, pages, reporter, start_detached)
    wire_engine(window, bridge, console, reporter)
    install_deadline_alerts(window, context, console.accounts.token_store)
    window.sync_requested.connect(context.engine.nudge)
    restore_window(window, console)
    return window
