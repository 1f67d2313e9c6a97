"""Where the engine's events land in the window: status area, pages, message bar.

The supervisor posts typed events on the engine's thread; the bridge queues
them to the GUI thread and this module says what each one changes. Start-up
work (the demo's sign-ins) reports here too, so its failure is shown once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.sync.events import EngineStopped, ReconnectNeeded
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.running_app import RunningApp

log = logging.getLogger(__name__)


def wire_engine(
    window: MainWindow, bridge: Bridge, console: RunningApp, reporter: ErrorReporter
) -> None:
    """The engine's events reach the status area and the message bar through the bridge."""
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
    bridge.reconnect_needed.connect(lambda event: ask_to_reconnect(window, event))
    console.sync.listener = bridge.post  # on the engine's thread; the bridge queues to ours
    bridge.on_event_changed({"accounts"})
    for task in console.startup:
        task.add_done_callback(lambda t: _startup_done(t, bridge, reporter))


def ask_to_reconnect(window: MainWindow, event: ReconnectNeeded) -> None:
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
