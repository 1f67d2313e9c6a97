"""The Carriers page's carrier list: its rows, columns, and inline editing of the mapping.

The mapping column is edited in place: a double click opens a chooser of
TikTok's cached providers, and picking one asks the page (through
``CarrierTableModel.mapping_chosen``) to save it. Kept apart from the page so
the page holds the layout and the actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from tiktok_console.storage.fulfillment.views import CarrierLine, ProviderChoice
from tiktok_console.ui.cell_text import iso_local, local_time
from tiktok_console.ui.pages.carrier_options import make_searchable
from tiktok_console.ui.table_model import RIGHT, ROW_ROLE, Column, RowTableModel
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING

AnyIndex = QModelIndex | QPersistentModelIndex


class Suggestion(Protocol):
    """A suggested provider for a carrier (``domain.carriers.Suggestion``)."""

    @property
    def provider_id(self) -> str: ...

    @property
    def provider_name(self) -> str: ...

    @property
    def score(self) -> float: ...  # 0..1

    @property
    def why(self) -> str: ...


@dataclass(frozen=True)
class CarrierRow:
    """A carrier line as the page shows it: with its mapping in words and a suggestion."""

    line: CarrierLine
    mapping_text: str
    suggestion: Suggestion | None

    @property
    def carrier(self) -> str:
        return self.line.carrier

    @property
    def suggestion_is_new(self) -> bool:
        """A suggestion that differs from what the carrier maps to for every option."""
        if self.suggestion is None:
            return False
        current = {m.provider_id for m in self.line.mappings if not m.delivery_option_id}
        return self.suggestion.provider_id not in current


class CarrierColumn(IntEnum):
    CARRIER = 0
    SHIPMENTS = 1
    BLOCKED = 2
    MAPPING = 3
    SUGGESTION = 4
    WHY = 5
    LAST = 6


def mapping_text(line: CarrierLine, option_names: dict[str, str]) -> str:
    """ "UPS", or per delivery option: "Standard: USPS · Express: UPS"; "" when unmapped."""
    if not line.mappings:
        return ""
    if len(line.mappings) == 1 and not line.mappings[0].delivery_option_id:
        return line.mappings[0].provider_name or line.mappings[0].provider_id
    parts = []
    for mapped in line.mappings:
        option = mapped.delivery_option_id
        name = option_names.get(option, option) if option else "Other options"
        parts.append(f"{name}: {mapped.provider_name or mapped.provider_id}")
    return " · ".join(parts)


def _mapping_color(row: CarrierRow) -> str | None:
    if row.mapping_text:
        return None
    return DANGER if row.line.blocked else WARNING


def _suggestion_text(row: CarrierRow) -> str:
    s = row.suggestion
    if s is None:
        return ""
    text = f"{s.provider_name} ({s.score * 100:.0f}%)"
    return text if row.suggestion_is_new else f"{text}, as mapped"


def carrier_columns() -> list[Column[CarrierRow]]:
    stuck = "Shipments whose tracking waits for this carrier to be mapped"
    return [
        Column("Shopify carrier", lambda r: r.carrier, width=140, tooltip=lambda r: r.carrier),
        Column("Shipments", lambda r: f"{r.line.shipments:,}", sort_key=lambda r: r.line.shipments,
               align=RIGHT, searchable=False, width=94),
        Column("Blocked", lambda r: f"{r.line.blocked:,}" if r.line.blocked else "",
               sort_key=lambda r: r.line.blocked, align=RIGHT, searchable=False, width=74,
               color=lambda r: DANGER if r.line.blocked else None,
               bold=lambda r: r.line.blocked > 0,
               tooltip=lambda _r: stuck, export=lambda r: str(r.line.blocked)),
        Column("TikTok provider", lambda r: r.mapping_text or "Not mapped: double-click to map",
               color=_mapping_color, width=222, export=lambda r: r.mapping_text,
               tooltip=lambda r: "Double-click to choose TikTok's shipping provider"),
        Column("Suggestion", _suggestion_text, width=200,
               color=lambda r: SUCCESS if r.suggestion_is_new else MUTED,
               sort_key=lambda r: r.suggestion.score if r.suggestion else None,
               tooltip=lambda r: r.suggestion.why if r.suggestion else ""),
        Column("Why", lambda r: r.suggestion.why if r.suggestion else "", searchable=False,
               tooltip=lambda r: r.suggestion.why if r.suggestion else ""),
        Column("Last shipment", lambda r: local_time(r.line.last_shipment_at),
               sort_key=lambda r: r.line.last_shipment_at, searchable=False, width=122,
               export=lambda r: iso_local(r.line.last_shipment_at)),
    ]  # fmt: skip


class CarrierTableModel(RowTableModel[CarrierRow]):
    """The carrier rows, with the mapping column editable.

    Signals:
        mapping_chosen(str, str): the merchant picked provider id for carrier.
    """

    mapping_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(carrier_columns(), key=lambda r: r.carrier, parent=parent)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CarrierColumn.MAPPING:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != CarrierColumn.MAPPING or not value:
            return False
        self.mapping_chosen.emit(self.row(index.row()).carrier, str(value))
        return True  # the page saves it, then refreshes the row


class ProviderDelegate(QStyledItemDelegate):
    """Edits the mapping column with a chooser of TikTok's providers, by name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.providers: list[tuple[str, str]] = []  # (provider id, name), by name

    def set_providers(self, choices: Sequence[ProviderChoice]) -> None:
        """Offer these providers (one entry per provider, whatever its delivery options)."""
        names = {c.provider_id: c.provider_name for c in choices}
        self.providers = sorted(names.items(), key=lambda item: item[1].casefold())

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = make_searchable(QComboBox(parent))
        editor.addItem("Choose a TikTok provider…", "")
        for provider_id, name in self.providers:
            editor.addItem(name, provider_id)
        # Picking a provider saves it at once (not only when the editor loses focus).
        editor.activated.connect(lambda _n: self._commit(editor))
        return editor

    def _commit(self, editor: QComboBox) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        row = index.data(ROW_ROLE)
        if isinstance(row, CarrierRow):
            current = [m.provider_id for m in row.line.mappings if not m.delivery_option_id]
            suggested = row.suggestion.provider_id if row.suggestion else ""
            found = editor.findData(current[0] if current else suggested)
            editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
