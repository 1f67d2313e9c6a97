"""The self-test: let the app start (and the demo sync), then screenshot every page.

Used by ``--self-test [--screenshots DIR]`` from source and from the frozen build.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tiktok_console.console import Console
from tiktok_console.core.logs import ErrorCounter

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from tiktok_console.ui.main_window import MainWindow

log = logging.getLogger(__name__)


async def run_self_test(
    app: QApplication,
    window: MainWindow,
    console: Console,
    screenshots: Path | None,
    settle: float = 0.0,
) -> None:
    """Wait for start-up (and the demo's first sync pass, plus ``settle`` seconds), then
    capture and exit."""
    from PySide6.QtCore import QTimer

    await asyncio.sleep(0.1)
    _check_keyring()
    startup = [t for t in console.startup if t is not asyncio.current_task()]
    if startup:
        await asyncio.wait(startup, timeout=60)
        await _first_sync_pass(console, limit=90)
        await asyncio.sleep(settle)
    # Pages are drawn with processEvents(), which must not run inside an asyncio task.
    QTimer.singleShot(0, lambda: _capture_and_exit(app, window, screenshots))


async def _first_sync_pass(console: Console, limit: float) -> None:
    """Wait until sync started and every job ran once (so the pages show data)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        engine = console.engine
        if engine is not None and all(
            engine.runner(name).runs or engine.runner(name).failures for name in engine.names
        ):
            await asyncio.sleep(0.5)  # the bridge coalesces for a moment
            return
        await asyncio.sleep(0.1)
    log.warning("Self-test: sync did not finish a first pass in %.0f s", limit)


def _capture_and_exit(app: QApplication, window: MainWindow, screenshots: Path | None) -> None:
    from tiktok_console.ui.selftest import capture_pages

    try:
        files = capture_pages(window, screenshots)
        log.info("Self-test opened %d pages", len(window.pages))
        for path in files:
            print(path)
    except Exception:
        log.exception("Self-test failed")
    window.close()
    app.exit()


def self_test_status(errors: ErrorCounter) -> int:
    """The self-test's exit status, once the app has shut down: 1 if anything logged an error."""
    if errors.count:
        print(f"self-test: {errors.count} error(s) logged: {errors.messages}", file=sys.stderr)
    return 1 if errors.count else 0


def _check_keyring() -> None:
    """Log an error if no keyring backend is bundled; say which one is usable."""
    from tiktok_console.stores.keyring_support import bundled_backends, usable_backend

    bundled = bundled_backends()
    if not bundled:
        log.error("Self-test: no keyring backend is bundled; tokens could not be stored")
    usable = usable_backend()
    log.info("Keyring backends: %s; in use: %s", ", ".join(bundled), usable or "none available")
    print(f"keyring: bundled {bundled}; usable {usable or 'none'}")
