"""Wires the application together: the only module that knows every layer.

``run_gui`` opens the profile (paths, logging, settings, database), builds the
services and the window, and runs the Qt event loop with asyncio on it
(qasync). In demo mode it also starts the sandbox stores in-process and
connects to them through the real sign-in flows, with tokens kept in memory.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
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
from tiktok_console.sync.events import ReconnectNeeded

if TYPE_CHECKING:  # Qt is imported lazily so headless commands never load it
    from PySide6.QtWidgets import QApplication

    from tiktok_console.storage.orders.views import ActivityEntry
    from tiktok_console.ui.bridge import Bridge
    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.pages.base import Page

log = logging.getLogger(__name__)


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
        paths = resolve_paths(profile_dir)
        redactor = start_logging(paths, options.debug)
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
    from tiktok_console.ui.theme import apply_theme

    app = _qt_application()
    confirm: ConfirmReset = refuse_reset if options.self_test else ask_reset_database
    try:
        profile = open_profile(paths, redactor, confirm)
    except ConsoleError as error:
        log.error("Cannot start: %s", error.message)
        if not options.self_test:
            show_startup_error(error)
        return 2
    apply_theme(app, options.theme or profile.settings.theme)  # --theme wins over the setting
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    reporter = ErrorReporter()
    reporter.install(loop)
    with loop:
        console = _console(profile, options.demo)
        window = build_window(console, reporter)
        window.show()
        console.sync.start()  # the engine's own thread; it syncs once both stores are connected
        if options.self_test:
            task = loop.create_task(
                run_self_test(app, window, console, options.screenshots, options.settle)
            )
            console.startup.append(task)
        loop.run_forever()
        loop.run_until_complete(_shutdown(console))
    profile.close()
    return 0


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
    )
    runner = SandboxRunner(demo_world)
    info = runner.start()
    log.info("Demo: sandbox stores running (Shopify at %s)", info.shopify.url)
    console = Console(profile, service, http, demo=True, sandbox=runner)
    connect = service.connect_sandbox(info.model_dump(), demo=True)
    console.startup.append(asyncio.ensure_future(connect))
    return console


async def _shutdown(console: Console) -> None:
    for task in console.startup:
        task.cancel()
    await asyncio.gather(*console.startup, return_exceptions=True)
    await console.sync.aclose()  # stops the engine, its thread, loop and HTTP client
    await console.http.aclose()
    if console.sandbox is not None:
        await asyncio.to_thread(console.sandbox.stop)


StartDetached = Callable[[str, list[str]], bool]


def build_window(
    console: Console, reporter: ErrorReporter, start_detached: StartDetached | None = None
) -> MainWindow:
    """Compose the main window, its pages and the status area (the database must be open).

    ``start_detached`` starts another process ("Try the demo"); QProcess by default.
    """
    from tiktok_console.storage.orders.views import recent_activity
    from tiktok_console.ui.accounts_controller import AccountsController
    from tiktok_console.ui.bridge import Bridge
    from tiktok_console.ui.connect_dialog import ConnectDialog
    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.pages.accounts import AccountsPage
    from tiktok_console.ui.pages.activity import ActivityPage
    from tiktok_console.ui.pages.overview import OverviewPage
    from tiktok_console.ui.pages.overview_data import load_overview
    from tiktok_console.ui.pages.settings import SettingsPage
    from tiktok_console.ui.pages.welcome import WelcomePage
    from tiktok_console.ui.tasks import TaskRunner

    window = MainWindow(demo=console.demo)
    bridge = Bridge(window)
    reporter.error_shown.connect(window.message_bar.show_message)
    tasks = TaskRunner(lambda description, error: reporter.report(error, description))
    controller = AccountsController(console.accounts, bridge, tasks)

    def open_connect(store: Any) -> None:
        ConnectDialog(store, controller, window).exec()

    window.add_page(
        OverviewPage(
            lambda: load_overview(console.sync.job_names() or None),
            sync_now=console.nudge,
            toggle_pause=lambda name, paused: _pause(console, bridge, name, paused),
        )
    )
    window.add_page(_orphans_page(console))
    window.add_page(_inventory_page(console))
    window.add_page(_carriers_page(console))
    window.add_page(ActivityPage(recent_activity, lambda entry: _retry(console, entry)))
    window.add_page(AccountsPage(controller, open_connect))
    window.add_page(SettingsPage(console.profile.settings, console.profile.save_settings))
    welcome = WelcomePage(
        try_demo=None if console.demo else _launch_demo(window, reporter, start_detached),
        connect=lambda: _show(window, "accounts"),
    )
    welcome.continue_requested.connect(lambda: window.show_page("overview"))
    window.add_page(welcome)
    _wire_status(window, bridge, console, reporter)
    settings = console.profile.settings
    window.resize(settings.window.width, settings.window.height)
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
        on_action=lambda: _show(window, "accounts"),
    )


def _startup_done(task: asyncio.Task[Any], bridge: Bridge, reporter: ErrorReporter) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        reporter.report(error, "connecting the demo stores")
    bridge.on_event_changed({"accounts"})


def _orphans_page(console: Console) -> Page:
    from tiktok_console.domain.sku_matching import suggest
    from tiktok_console.storage.catalog.variants import all_variants, recent_mappings
    from tiktok_console.storage.orders.views import orders_for_sku, orphan_skus
    from tiktok_console.sync.orders.mapping import map_skus, undo
    from tiktok_console.ui.pages.orphans import OrphansPage

    return OrphansPage(
        orphan_skus, orders_for_sku, suggest, map_skus, undo,
        lambda: console.nudge("orders"), load_variants=all_variants,
        load_mappings=recent_mappings,
        grace_seconds=console.profile.settings.orders.undo_grace_seconds,
    )  # fmt: skip


def _inventory_page(console: Console) -> Page:
    from tiktok_console.storage.inventory.stock_ledger import stock_ledger
    from tiktok_console.storage.inventory.views import inventory_size, inventory_skus
    from tiktok_console.sync.inventory import actions as inventory
    from tiktok_console.ui.pages.inventory import InventoryActions, InventoryPage

    actions = InventoryActions(
        set_frozen=inventory.set_frozen, set_buffer=inventory.set_buffer,
        set_cap=inventory.set_cap, start_livestream=inventory.start_livestream,
        end_livestream=inventory.end_livestream, active_livestream=inventory.active_livestream,
        livestream_reports=inventory.livestream_reports, sync_now=lambda job: _nudge(console, job),
    )  # fmt: skip
    return InventoryPage(inventory_skus, stock_ledger, actions, count_skus=inventory_size)


def _nudge(console: Console, job: str) -> None:
    """ "Sync now" for ``job`` if sync runs and has that job (nothing otherwise)."""
    console.sync.nudge(job)


def _carriers_page(console: Console) -> Page:
    from tiktok_console.domain.carriers import Provider, suggest_provider
    from tiktok_console.storage.fulfillment.views import (
        ProviderChoice,
        carrier_lines,
        provider_choices,
        stuck_shipments,
    )
    from tiktok_console.sync.fulfillment import carrier_actions
    from tiktok_console.ui.pages.carriers import CarrierActions, CarriersPage

    def suggest(carrier: str, numbers: Sequence[str], choices: Sequence[ProviderChoice]) -> Any:
        # One entry per provider: TikTok lists the same provider under each option.
        providers = {c.provider_id: Provider(c.provider_id, c.provider_name) for c in choices}
        return suggest_provider(carrier, numbers, list(providers.values()))

    def map_carrier(carrier: str, provider_id: str, option: str, source: str) -> int:
        return carrier_actions.map_carrier(
            carrier, provider_id, delivery_option_id=option, source=source
        )

    actions = CarrierActions(
        map_carrier=map_carrier, unmap_carrier=carrier_actions.unmap_carrier,
        retry_fulfillment=carrier_actions.retry_fulfillment,
        sync_now=lambda: _nudge(console, "fulfillment"),
    )  # fmt: skip
    return CarriersPage(carrier_lines, stuck_shipments, provider_choices, suggest, actions)


def _pause(console: Console, bridge: Bridge, name: str, paused: bool) -> None:
    # The engine tells the bridge "sync" changed once the switch is thrown on its thread.
    if paused:
        console.sync.pause(name)
    else:
        console.sync.resume(name)


def _retry(console: Console, entry: ActivityEntry) -> None:
    from tiktok_console.sync.orders.actions import retry_order

    if entry.subject and retry_order(entry.subject):
        console.nudge("orders")
    else:
        console.nudge(entry.job if entry.job in console.sync.job_names() else None)


def _show(window: MainWindow, page_id: str) -> None:
    window.show_page(page_id)


def _launch_demo(
    window: MainWindow, reporter: ErrorReporter, start_detached: StartDetached | None
) -> Callable[[], None]:
    """The demo runs as its own process, so this window (and its profile) is left as it is."""

    def launch() -> None:
        program, arguments = _own_command()
        command = [*arguments, "--demo"]
        if (start_detached or _start_detached)(program, command):
            window.close()
        else:
            detail = f"could not run {program} {' '.join(command)}"
            reporter.report(ConsoleError("The demo could not be started.", detail))

    return launch


def _start_detached(program: str, arguments: list[str]) -> bool:
    from PySide6.QtCore import QProcess

    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)


def _own_command() -> tuple[str, list[str]]:
    """How to start this app again: the frozen binary, or this Python with ``-m``."""
    if getattr(sys, "frozen", False):
        return sys.executable, []
    return sys.executable, ["-m", "tiktok_console"]


def _remember(window: MainWindow, console: Console) -> None:
    settings = console.profile.settings
    settings.window.width = window.width()
    settings.window.height = window.height()
    if load_accounts():
        settings.welcome_dismissed = True
    console.profile.save_settings()
