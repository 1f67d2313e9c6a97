"""The bank CSV's column mapping: which column is the date, amount, reference, currency.

Shown with the file's first rows and the mapping remembered for the bank (or
a guess from the headers), so a bank is mapped once.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.sync.payouts.bank_csv import REQUIRED, ROLES, BankPreview

_NONE = "(none)"


class BankMappingDialog(QDialog):
    """Pick the bank and its columns; ``mapping()`` and ``bank()`` after ``exec``."""

    def __init__(
        self,
        preview: BankPreview,
        banks: list[str],
        remembered: dict[str, dict[str, str]],
        currency: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bank statement columns")
        self._preview, self._remembered = preview, remembered
        self.bank_name = QComboBox()
        self.bank_name.setEditable(True)
        self.bank_name.addItems(banks or ["My bank"])
        self.bank_name.currentTextChanged.connect(self._on_bank_changed)
        self.currency = QLineEdit(currency)
        self.pickers: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow("Bank", self.bank_name)
        for role in ROLES:
            picker = QComboBox()
            picker.addItems([_NONE, *preview.headers])
            self.pickers[role] = picker
            form.addRow(role.capitalize() + (" *" if role in REQUIRED else ""), picker)
        form.addRow("Currency when the file names none", self.currency)
        sample = QTableWidget(len(preview.rows), len(preview.headers))
        sample.setHorizontalHeaderLabels(list(preview.headers))
        for r, row in enumerate(preview.rows):
            for c, value in enumerate(row[: len(preview.headers)]):
                sample.setItem(r, c, QTableWidgetItem(value))
        sample.setMaximumHeight(160)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(sample)
        box.addWidget(buttons)
        self._on_bank_changed(self.bank_name.currentText())

    def _on_bank_changed(self, name: str) -> None:
        chosen = self._remembered.get(name) or self._preview.guess
        for role, picker in self.pickers.items():
            header = chosen.get(role, "")
            picker.setCurrentText(header if header in self._preview.headers else _NONE)

    def bank(self) -> str:
        """The bank's name as typed or picked."""
        return self.bank_name.currentText().strip() or "My bank"

    def mapping(self) -> dict[str, str]:
        """role -> header, for the roles given a column."""
        return {
            role: picker.currentText()
            for role, picker in self.pickers.items()
            if picker.currentText() != _NONE
        }

    def currency_code(self) -> str:
        """The currency for rows that name none."""
        return self.currency.text().strip().upper() or "USD"
