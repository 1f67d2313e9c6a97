"""Mapping one carrier per delivery option: a small dialog opened from the Carriers page.

TikTok accepts, per order, only the providers of that order's delivery
option, so a carrier may need a different provider for "Express" than for
"Standard". The dialog lists the carrier's delivery options (those seen in
its shipments, plus any already mapped) with a chooser each, offering only
that option's providers; "Every delivery option" is the fallback mapping.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.storage.fulfillment.views import CarrierLine, ProviderChoice
from tiktok_console.ui.widgets import label

EVERY_OPTION = ""
FALLBACK = "Use the mapping for every option"
UNMAPPED = "Not mapped"


def make_searchable(combo: QComboBox) -> QComboBox:
    """Let the merchant type part of a provider's name to find it among a long list."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    return combo


class CarrierOptionsDialog(QDialog):
    """One provider chooser per delivery option of a carrier; ``changes()`` after OK."""

    def __init__(
        self, line: CarrierLine, providers: Sequence[ProviderChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Map {line.carrier}")
        self.setMinimumWidth(460)
        self.line = line
        current = {m.delivery_option_id: m.provider_id for m in line.mappings}
        names = {p.delivery_option_id: p.delivery_option_name for p in providers}
        options = sorted(
            set(line.delivery_options) | (set(current) - {EVERY_OPTION}),
            key=lambda o: (names.get(o) or o).casefold(),
        )
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        every = {p.provider_id: p.provider_name for p in providers}
        self.combos[EVERY_OPTION] = self._combo(UNMAPPED, every, current.get(EVERY_OPTION, ""))
        form.addRow("Every delivery option", self.combos[EVERY_OPTION])
        for option in options:
            offered = {p.provider_id: p.provider_name for p in providers
                       if p.delivery_option_id == option}  # fmt: skip
            self.combos[option] = self._combo(FALLBACK, offered, current.get(option, ""))
            form.addRow(names.get(option) or option, self.combos[option])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(label(
            f"TikTok accepts only its own providers for each delivery option. Shipments by "
            f"{line.carrier} use the provider of their order's option, else the one for every "
            "option.", "Muted", wrap=True,
        ))  # fmt: skip
        box.addLayout(form)
        box.addWidget(buttons)

    def _combo(self, empty: str, offered: dict[str, str], current: str) -> QComboBox:
        combo = make_searchable(QComboBox())
        combo.addItem(empty, "")
        for provider_id, name in sorted(offered.items(), key=lambda item: item[1].casefold()):
            combo.addItem(name, provider_id)
        if current and combo.findData(current) < 0:
            combo.addItem(f"{current} (no longer offered)", current)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        return combo

    def changes(self) -> dict[str, str]:
        """Delivery option -> provider id ("" = remove) for every option the merchant changed."""
        current = {m.delivery_option_id: m.provider_id for m in self.line.mappings}
        changed = {}
        for option, combo in self.combos.items():
            chosen = str(combo.currentData() or "")
            if chosen != current.get(option, ""):
                changed[option] = chosen
        return changed
