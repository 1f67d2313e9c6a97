"""Keyboard shortcuts and the window's size, as the merchant meets them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_main_window import _window
from tiktok_console.core.settings import WindowSettings


def active(qtbot, window) -> None:
    """Show ``window`` and make it the active one (shortcuts work in the active window)."""
    window.show()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def test_ctrl_digits_show_the_sidebar_pages_in_order(qtbot, console) -> None:
    window, _ = _window(qtbot, console, dismissed=True)
    active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "orders"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "catalog"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "overview"


def test_ctrl_f_puts_the_cursor_in_the_page_search(qtbot, console) -> None:
    window, _ = _window(qtbot, console, dismissed=True)
    active(qtbot, window)
    window.show_page("activity")
    qtbot.waitUntil(lambda: window.settled)
    search = window.current_page().search
    assert search.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)


def test_f5_asks_for_sync_now(qtbot, console) -> None:
    window, _ = _window(qtbot, console, dismissed=True)
    active(qtbot, window)
    with qtbot.waitSignal(window.sync_requested, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_F5)


def test_the_default_window_fits_a_1366_by_768_screen() -> None:
    default = WindowSettings()
    assert default.width <= 1366 and default.height <= 768 - 40 - 48  # title bar, taskbar


def test_a_saved_size_larger_than_the_screen_is_shrunk_to_it(qtbot, console) -> None:
    window, _ = _window(qtbot, console, dismissed=True)
    free = window.screen().availableGeometry()
    window.fit_to_screen(free.width() + 500, free.height() + 500)
    # Never below the minimum (usable at 1024×640), never above the screen otherwise.
    assert window.width() == max(free.width(), window.minimumWidth())
    assert window.height() == max(free.height() - 40, window.minimumHeight())
