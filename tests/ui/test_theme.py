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


def _box_contrast(qtbot, checked: bool) -> int:
    """How far the check box's drawn pixels stand from the window colour (0-255 lightness)."""
    from PySide6.QtWidgets import QCheckBox, QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    box = QCheckBox("Deactivate at zero", holder)
    box.setChecked(checked)
    holder.resize(200, 30)
    box.move(4, 4)
    image = holder.grab().toImage()
    ground = holder.palette().color(QPalette.ColorRole.Window).lightness()
    return max(
        abs(image.pixelColor(x, y).lightness() - ground) for x in range(4, 24) for y in range(4, 24)
    )


def test_dark_mode_check_boxes_are_clearly_visible(qapp, qtbot) -> None:
    apply_theme(qapp, "dark")
    try:
        assert _box_contrast(qtbot, checked=False) >= 60
        assert _box_contrast(qtbot, checked=True) >= 60
    finally:
        apply_theme(qapp, "light")
