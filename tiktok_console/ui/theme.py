"""Light and dark appearance that follows the system.

Fusion style everywhere (the same look on every desktop), with a palette
chosen from the system colour scheme and switched live when it changes. The
merchant can force light or dark with the ``theme`` setting or ``--theme``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from tiktok_console.core.resources import resource_path

ACCENT = "#2f6fed"
DANGER = "#d93a4a"
WARNING = "#d98a1c"
SUCCESS = "#1f9d62"
MUTED = "#8a93a6"


def is_dark(app: QGuiApplication, preference: str) -> bool:
    """Whether to draw dark, given the setting (``system``/``light``/``dark``)."""
    if preference in ("light", "dark"):
        return preference == "dark"
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


_PREFERENCE = "themePreference"  # application properties: the latest choice, and
_FOLLOWING = "themeFollowsSystem"  # whether the scheme signal is connected (once)


def apply_theme(app: QApplication, preference: str = "system") -> None:
    """Style the whole app; with ``system``, keep following the platform's scheme live.

    May be called again with another preference: the latest one wins.
    """
    app.setStyle("Fusion")
    app.setProperty(_PREFERENCE, preference)
    _apply(app, is_dark(app, preference))
    if not app.property(_FOLLOWING):
        app.setProperty(_FOLLOWING, True)
        app.styleHints().colorSchemeChanged.connect(lambda scheme: _scheme_changed(app, scheme))


def _scheme_changed(app: QApplication, scheme: Qt.ColorScheme) -> None:
    if app.property(_PREFERENCE) == "system":
        _apply(app, scheme == Qt.ColorScheme.Dark)


def _apply(app: QApplication, dark: bool) -> None:
    app.setPalette(_dark_palette() if dark else _light_palette())
    app.setProperty("darkTheme", dark)
    app.setStyleSheet(_stylesheet(dark))


def _light_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#f4f6fa",
        QPalette.ColorRole.WindowText: "#1b2333",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f7f8fb",
        QPalette.ColorRole.Text: "#1b2333",
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: "#1b2333",
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#1b2333",
        QPalette.ColorRole.ToolTipText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: MUTED,
        QPalette.ColorRole.Mid: "#d5dae4",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    return palette


def _dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#161b26",
        QPalette.ColorRole.WindowText: "#e4e8f1",
        QPalette.ColorRole.Base: "#1d2330",
        QPalette.ColorRole.AlternateBase: "#222938",
        QPalette.ColorRole.Text: "#e4e8f1",
        QPalette.ColorRole.Button: "#252c3b",
        QPalette.ColorRole.ButtonText: "#e4e8f1",
        QPalette.ColorRole.Highlight: "#4f86f7",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#e4e8f1",
        QPalette.ColorRole.ToolTipText: "#161b26",
        QPalette.ColorRole.PlaceholderText: "#7d869a",
        QPalette.ColorRole.Mid: "#323a4c",
        QPalette.ColorRole.Link: "#7aa5ff",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#5d6578"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#5d6578"))
    return palette


def _stylesheet(dark: bool) -> str:
    sidebar = "#10141d" if dark else "#1b2333"
    card = "#1d2330" if dark else "#ffffff"
    border = "#2b3344" if dark else "#e1e5ee"
    muted = "#8f98ab" if dark else "#667085"
    # Check boxes drawn by us: Fusion's dark-on-dark box is nearly invisible in dark mode.
    box = "#8f98ab" if dark else "#98a2b3"
    check = resource_path("icons", "check.svg").as_posix()
    return f"""
    QCheckBox::indicator, QListView::indicator {{ width: 16px; height: 16px;
        border: 1.5px solid {box}; border-radius: 4px; background: {card}; }}
    QCheckBox::indicator:hover, QListView::indicator:hover {{ border-color: {ACCENT}; }}
    QCheckBox::indicator:checked, QListView::indicator:checked {{ background: {ACCENT};
        border-color: {ACCENT}; image: url("{check}"); }}
    QCheckBox::indicator:disabled {{ border-color: {border}; background: {border}; }}
    #Sidebar {{ background: {sidebar}; border: none; }}
    #SidebarTitle {{ color: #ffffff; font-size: 15px; font-weight: 600;
        padding: 18px 16px 4px 16px; }}
    #SidebarSubtitle {{ color: #9aa5bd; font-size: 11px; padding: 0 16px 14px 16px; }}
    #Sidebar QListWidget {{ background: transparent; border: none; color: #c9d1e3;
        font-size: 13px; outline: 0; }}
    #Sidebar QListWidget::item {{ padding: 9px 12px; margin: 1px 8px; border-radius: 6px; }}
    #Sidebar QListWidget::item:hover {{ background: rgba(255,255,255,0.06); }}
    #Sidebar QListWidget::item:selected {{ background: {ACCENT}; color: #ffffff; }}
    #PageTitle {{ font-size: 22px; font-weight: 600; }}
    #PageSubtitle {{ color: {muted}; font-size: 13px; }}
    #Card {{ background: {card}; border: 1px solid {border}; border-radius: 10px; }}
    #CardTitle {{ color: {muted}; font-size: 12px; font-weight: 600; text-transform: uppercase; }}
    #CardValue {{ font-size: 20px; font-weight: 600; }}
    #CardNote {{ color: {muted}; font-size: 12px; }}
    #Muted {{ color: {muted}; }}
    #AttentionList {{ background: {card}; border: 1px solid {border}; border-radius: 10px;
        padding: 6px; font-size: 13px; }}
    #AttentionList::item {{ padding: 6px 8px; border-bottom: 1px solid {border}; }}
    #MessageBar {{ background: {"#3a1f26" if dark else "#fdecee"}; border: 1px solid {DANGER};
        border-radius: 8px; }}
    #MessageBar QLabel {{ color: {"#ffd9de" if dark else "#7a1d29"}; }}
    #HeroTitle {{ font-size: 28px; font-weight: 700; }}
    #HeroText {{ font-size: 14px; color: {muted}; }}
    QPushButton#Primary {{ background: {ACCENT}; color: #ffffff; border: none; border-radius: 6px;
        padding: 8px 18px; font-weight: 600; }}
    QPushButton#Primary:hover {{ background: #245fd6; }}
    QPushButton#Secondary {{ border: 1px solid {border}; border-radius: 6px; padding: 8px 18px; }}
    QStatusBar {{ border-top: 1px solid {border}; }}
    QStatusBar QLabel {{ padding: 0 10px; }}
    """
