"""Light and dark: a forced choice wins; 'system' follows the desktop, live."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from tiktok_console.ui.theme import apply_theme, is_dark


def _window_lightness(qapp) -> int:
    return qapp.palette().color(QPalette.ColorRole.Window).lightness()


def test_forced_dark_and_light_palettes(qapp) -> None:
    apply_theme(qapp, "dark")
    assert _window_lightness(qapp) < 64
    apply_theme(qapp, "light")
    assert _window_lightness(qapp) > 200


def test_system_preference_follows_the_platform_scheme(qapp) -> None:
    system_dark = qapp.styleHints().colorScheme() == Qt.ColorScheme.Dark
    assert is_dark(qapp, "system") == system_dark
    apply_theme(qapp, "system")
    assert (_window_lightness(qapp) < 64) == system_dark


def test_system_preference_follows_a_live_change_of_the_desktop(qapp) -> None:
    apply_theme(qapp, "system")
    hints = qapp.styleHints()
    # Offscreen Qt cannot switch its own scheme, so announce it as the desktop would.
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _window_lightness(qapp) < 64
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _window_lightness(qapp) > 200


def test_a_forced_theme_stays_when_the_desktop_changes(qapp) -> None:
    apply_theme(qapp, "system")
    apply_theme(qapp, "dark")
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _window_lightness(qapp) < 64
