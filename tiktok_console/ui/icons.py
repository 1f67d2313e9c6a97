"""Icons from ``resources/icons``, tinted to suit where they are drawn."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from tiktok_console.core.resources import resource_path


def tinted_icon(name: str, color: str, size: int = 18) -> QIcon:
    """The SVG icon ``name`` drawn in ``color`` (the files are drawn in black)."""
    renderer = QSvgRenderer(str(resource_path("icons", name)))
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), QColor(color))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        icon.addPixmap(pixmap)
    return icon
