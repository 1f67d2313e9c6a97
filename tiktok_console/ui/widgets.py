"""Small constructors for styled widgets (the stylesheet keys on object names)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QWidget


def label(text: str = "", name: str = "", *, wrap: bool = False) -> QLabel:
    """A label styled by ``name`` (e.g. ``PageTitle``, ``Muted``)."""
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    return widget


def frame(name: str, parent: QWidget | None = None) -> QFrame:
    """A frame styled by ``name`` (e.g. ``Card``, ``Sidebar``)."""
    widget = QFrame(parent)
    widget.setObjectName(name)
    return widget


def button(text: str, name: str = "") -> QPushButton:
    """A push button styled by ``name`` (``Primary`` or ``Secondary``)."""
    widget = QPushButton(text)
    if name:
        widget.setObjectName(name)
    return widget
