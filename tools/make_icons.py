"""Render resources/icon.svg to the PNG and ICO files the packagers want.

Run after changing the SVG: ``uv run python tools/make_icons.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(RESOURCES / "icon.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    ok = render(256).save(str(RESOURCES / "icon.png"))
    ok &= render(256).save(str(RESOURCES / "icon.ico"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
