"""The pieces the Settings page is built of: choice texts, fields, cards, and value helpers.

Apart from ``settings`` (the page: its sections, reading the form and saving)
so the page holds only what is particular to each setting: the widgets every
section uses, the texts of the choices, how thresholds read as text, and the
in-place copy that lets the running jobs see a saved change.
"""

from __future__ import annotations

from pydantic import BaseModel
from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from tiktok_console.ui.widgets import frame, label

MASKED_BUYERS = {"none": "No customer on the order", "placeholder": "A placeholder customer"}
APPEARANCE = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
NO_LOCATIONS = (
    "No Shopify location seen yet: once the stock sync has read Shopify, its locations "
    "are listed here. Until then every active location counts."
)
BAD_TRACKING = {
    "hold": "Hold the shipment for me to check",
    "warn": "Send it anyway and warn me",
}


def apply_in_place(target: BaseModel, source: BaseModel) -> None:
    """Copy every field of ``source`` into ``target``, keeping ``target`` the same object.

    The jobs hold references to the sub-settings they read (``settings.orders``,
    ``settings.inventory`` …): replacing the objects would leave them reading old values.
    """
    for name in type(source).model_fields:
        value = getattr(source, name)
        current = getattr(target, name)
        if isinstance(value, BaseModel) and isinstance(current, BaseModel):
            apply_in_place(current, value)
        else:
            setattr(target, name, value)


def thresholds_text(minutes: list[int]) -> str:
    """``[1440, 240, 30]`` as the merchant types it: ``24h, 4h, 30m``."""
    return ", ".join(f"{m // 60}h" if m % 60 == 0 else f"{m}m" for m in minutes)


def spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    """A number field from ``low`` to ``high``, with its unit after the number."""
    field = QSpinBox()
    field.setRange(low, high)
    field.setSuffix(suffix)
    field.setMinimumWidth(110)
    return field


def combo(choices: dict[str, str]) -> QComboBox:
    """A choice among ``choices`` (value -> the text the merchant reads)."""
    box = QComboBox()
    box.setMinimumWidth(300)
    for value, text in choices.items():
        box.addItem(text, value)
    return box


def select(box: QComboBox, value: str) -> None:
    """Show ``value`` in ``box`` (its first choice when ``value`` is not one)."""
    box.setCurrentIndex(max(0, box.findData(value)))


def card(title: str, note: str, form: QFormLayout) -> QWidget:
    """A section of the form: its title and note over its rows, labels lined up."""
    section = frame("Card")
    box = QVBoxLayout(section)
    box.setContentsMargins(16, 14, 16, 14)
    box.setSpacing(8)
    box.addWidget(label(title, "CardTitle"))
    box.addWidget(label(note, "CardNote", wrap=True))
    for row in range(form.rowCount()):  # one label column width, so the cards line up
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setMinimumWidth(230)
    box.addLayout(form)
    return section
