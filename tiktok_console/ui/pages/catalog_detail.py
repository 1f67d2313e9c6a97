"""The Catalog page's detail pane: a product's problems, the forms that fix them, its listing.

Three tabs. "Fix in Shopify" edits what lives in Shopify (a variant's SKU,
price and weight; a weight for every variant without one): the catalog job
writes it back with ``productVariantsBulkUpdate``. "TikTok only" sets the
overrides that keep sync on (title, description, price rule, category, the
attributes only the merchant can give, queue priority). "As TikTok sees it"
shows the listing the job would send. The pane only reads and checks what is
typed; the page saves it (off the GUI thread) and nudges the job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.storage.catalog import listings
from tiktok_console.ui.widgets import button, frame, label


def _scrolled(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


MAX_SKU = 50  # TikTok's seller SKU limit (12052054)
_QUOTED = re.compile(r"“([^”]+)”")
GRAMS_PER = {
    "GRAMS": Decimal(1), "KILOGRAMS": Decimal(1000), "OUNCES": Decimal("28.349523125"),
    "POUNDS": Decimal("453.59237"),
}  # fmt: skip


class FixError(ValueError):
    """What the merchant typed cannot be saved; the message says why."""


@dataclass(frozen=True)
class VariantChoice:
    """A variant as the Shopify form shows it."""

    variant_id: str
    name: str
    sku: str
    price: str
    grams: str
    flawed: bool  # a Shopify-side problem names it
    blocking: bool = False  # and that problem keeps the product off TikTok


def variant_choices(entry: listings.Listing) -> list[VariantChoice]:
    """The product's variants, those with a Shopify-side problem first (blocking ones first)."""
    # Blocking problems first: they keep the product off TikTok; warnings (low stock) after.
    rank = {p.variant_id: 0 for p in entry.problems if p.variant_id and p.fix_in == "shopify"}
    rank.update({p.variant_id: 1 for p in entry.blocking if p.variant_id and p.fix_in == "shopify"})
    found = []
    for node in (entry.payload.get("variants") or {}).get("nodes") or []:
        options = [o.get("value", "") for o in node.get("selectedOptions") or []]
        name = " / ".join(v for v in options if v and v != "Default Title") or "Default"
        found.append(VariantChoice(
            str(node["id"]), name, str(node.get("sku") or ""), str(node.get("price") or ""),
            _grams(node), str(node["id"]) in rank, rank.get(str(node["id"])) == 1,
        ))  # fmt: skip
    return sorted(found, key=lambda v: -rank.get(v.variant_id, -1))


def _grams(node: Mapping[str, Any]) -> str:
    weight = ((node.get("inventoryItem") or {}).get("measurement") or {}).get("weight") or {}
    value, unit = weight.get("value"), str(weight.get("unit") or "GRAMS")
    if not value:
        return ""
    factor = GRAMS_PER.get(unit, Decimal(1))
    return f"{(Decimal(str(value)) * factor).normalize():f}"


def _decimal(text: str, what: str, *, positive: bool = False) -> Decimal | None:
    if not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise FixError(f"{what} must be a number, like 12.50.") from None
    if positive and not value > 0:
        raise FixError(f"{what} must be above zero.")
    return value


def variant_fix(choice: VariantChoice, sku: str, price: str, grams: str) -> dict[str, str]:
    """The fix for one variant: only the fields the merchant changed.

    Raises:
        FixError: a SKU empty, too long or with spaces; a price or weight not above zero;
            nothing changed.
    """
    fix = {"variant_id": choice.variant_id}
    sku = sku.strip()
    if sku != choice.sku:
        if not sku or " " in sku or len(sku) > MAX_SKU:
            raise FixError(f"A SKU needs 1 to {MAX_SKU} characters and no spaces.")
        fix["sku"] = sku
    new_price = _decimal(price, "The price", positive=True)
    if new_price is not None and new_price != _decimal(choice.price, "The price"):
        fix["price"] = f"{new_price:.2f}"
    new_grams = _decimal(grams, "The weight", positive=True)
    if new_grams is not None and str(new_grams) != choice.grams:
        fix["weight_grams"] = str(new_grams)
    if len(fix) == 1:
        raise FixError("Nothing changed for this variant.")
    return fix


def missing_attributes(entry: listings.Listing) -> list[tuple[str, str]]:
    """(attribute id, name) of the required attributes TikTok still needs from the merchant."""
    found = []
    for problem in entry.problems:
        if problem.attribute_id:
            named = _QUOTED.search(problem.message)
            found.append((problem.attribute_id, named.group(1) if named else problem.attribute_id))
    return found


def _attribute_text(text: str) -> dict[str, str]:
    """``"100198=Harbor & Pine; 100420=Aloe"`` as {attribute id: value}."""
    pairs = (part.split("=", 1) for part in text.split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs if key.strip() and value.strip()}


class CatalogDetail(QWidget):
    """The detail pane; ``show_entry`` fills it, the page reads the forms to save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: listings.Listing | None = None
        self.choices: list[VariantChoice] = []
        self._attribute_edits: dict[str, QLineEdit] = {}
        pane = frame("Card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(pane)
        box = QVBoxLayout(pane)
        box.setContentsMargins(16, 12, 16, 12)
        self.title = label("Select a product to see its problems.", wrap=True)
        self.title.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.problems = label("", "CardNote", wrap=True)
        self.tabs = QTabWidget()
        # Scrolled, so a short window still gives the table most of the height.
        self.tabs.addTab(_scrolled(self._shopify_tab()), "Fix in Shopify")
        self.tabs.addTab(_scrolled(self._tiktok_tab()), "TikTok only")
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText("The listing as TikTok will see it.")
        self.tabs.addTab(self.preview, "As TikTok sees it")
        box.addWidget(self.title)
        box.addWidget(self.problems)
        box.addWidget(self.tabs, 1)

    def _shopify_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.variant = QComboBox()
        self.variant.currentIndexChanged.connect(self._on_variant_changed)
        self.sku = QLineEdit(placeholderText="Seller SKU (no spaces, up to 50 characters)")
        self.price = QLineEdit(placeholderText="Price in Shopify, like 24.00")
        self.grams = QLineEdit(placeholderText="Weight in grams")
        self.variant_button = button("Save variant to Shopify", "Primary")
        self.variant_button.setToolTip("Written to this variant in Shopify at the next sync")
        self.weight = QLineEdit(placeholderText="Weight in grams")
        self.weight_button = button("Save to every variant without a weight", "Secondary")
        row = QHBoxLayout()
        row.addWidget(self.weight, 1)
        row.addWidget(self.weight_button)
        form.addRow("Variant", self.variant)
        form.addRow("SKU", self.sku)
        form.addRow("Price", self.price)
        form.addRow("Weight (g)", self.grams)
        form.addRow("", self.variant_button)
        form.addRow("All variants", row)
        return tab

    def _tiktok_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.title_override = QLineEdit(placeholderText="TikTok-only title (blank: Shopify's)")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("TikTok-only description, HTML (blank: Shopify's)")
        self.description.setMaximumHeight(72)
        self.percent = QDoubleSpinBox(minimum=-90, maximum=500, decimals=2, suffix=" %")
        self.amount = QLineEdit(placeholderText="+ amount, like 2.00 or -1.50")
        rule = QHBoxLayout()
        rule.addWidget(label("Shopify price +", "CardNote"))
        rule.addWidget(self.percent)
        rule.addWidget(self.amount, 1)
        self.category = QLineEdit(placeholderText="TikTok category id (blank: TikTok's pick)")
        self.attributes_form = QFormLayout()
        self.attributes = QLineEdit(placeholderText="Other attributes: id=value; …")
        self.priority = QSpinBox(minimum=-100, maximum=100)
        self.priority.setToolTip("Higher goes first through TikTok's daily cap on new listings")
        self.tiktok_button = button("Save TikTok settings", "Primary")
        form.addRow("Title", self.title_override)
        form.addRow("Description", self.description)
        form.addRow("Price rule", rule)
        form.addRow("Category", self.category)
        form.addRow(self.attributes_form)
        form.addRow("Attributes", self.attributes)
        bottom = QHBoxLayout()
        bottom.addWidget(label("Queue priority", "CardNote"))
        bottom.addWidget(self.priority)
        bottom.addStretch(1)
        bottom.addWidget(self.tiktok_button)
        form.addRow(bottom)
        return tab

    # -- showing -------------------------------------------------------------

    def show_entry(self, entry: listings.Listing, preview: str) -> None:
        self.entry = entry
        lines = [
            f"{'⛔' if p.blocking else '⚠'} {p.message} → {p.fix}"
            + (f" (suggested: {p.suggestion})" if p.suggestion else "")
            for p in entry.problems
        ]
        lines += [f"TikTok review: {reason}" for reason in entry.audit_reasons]
        lines += [entry.notice] if entry.notice else []
        self.problems.setText("\n".join(lines) or "No problems: ready for TikTok.")
        self.choices = variant_choices(entry)
        self.variant.blockSignals(True)
        self.variant.clear()
        for choice in self.choices:
            mark = "⛔ " if choice.blocking else "⚠ " if choice.flawed else ""
            self.variant.addItem(f"{mark}{choice.name}  ·  {choice.sku}")
        self.variant.blockSignals(False)
        self._on_variant_changed(0)
        self.weight_button.setEnabled(bool(self.weightless()))
        overrides = entry.overrides
        self.title_override.setText(str(overrides.get("title") or ""))
        self.description.setPlainText(str(overrides.get("description_html") or ""))
        self.percent.setValue(float(Decimal(str(overrides.get("price_percent") or 0))))
        self.amount.setText(str(overrides.get("price_amount") or ""))
        self.category.setText(str(overrides.get("category_id") or ""))
        self._show_attributes(entry)
        self.priority.setValue(entry.priority)
        self.preview.setPlainText(preview)
        shopify_first = any(p.fix_in == "shopify" for p in entry.blocking)
        self.tabs.setCurrentIndex(0 if shopify_first or not entry.blocking else 1)

    def _show_attributes(self, entry: listings.Listing) -> None:
        while self.attributes_form.rowCount():
            self.attributes_form.removeRow(0)
        chosen = {str(k): str(v) for k, v in dict(entry.overrides.get("attributes") or {}).items()}
        self._attribute_edits = {}
        for attribute_id, name in missing_attributes(entry):
            edit = QLineEdit(chosen.pop(attribute_id, ""), placeholderText=f"TikTok needs {name}")
            self._attribute_edits[attribute_id] = edit
            self.attributes_form.addRow(name, edit)
        self.attributes.setText("; ".join(f"{k}={v}" for k, v in chosen.items()))

    def _on_variant_changed(self, index: int) -> None:
        choice = self.choices[index] if 0 <= index < len(self.choices) else None
        self.sku.setText(choice.sku if choice else "")
        self.price.setText(choice.price if choice else "")
        self.grams.setText(choice.grams if choice else "")
        self.variant_button.setEnabled(choice is not None)

    # -- reading the forms ----------------------------------------------------

    def weightless(self) -> list[str]:
        """Variants the shown product lacks a weight for."""
        entry = self.entry
        return [p.variant_id for p in entry.problems
                if p.field == "weight" and p.variant_id] if entry else []  # fmt: skip

    def variant_fix(self) -> dict[str, str]:
        """The Shopify fix typed for the chosen variant (raises ``FixError``)."""
        index = self.variant.currentIndex()
        if not 0 <= index < len(self.choices):
            raise FixError("Choose a variant first.")
        return variant_fix(self.choices[index], self.sku.text(), self.price.text(),
                           self.grams.text())  # fmt: skip

    def weight_fixes(self) -> list[dict[str, str]]:
        """One weight for every variant without one (raises ``FixError``)."""
        grams = _decimal(self.weight.text(), "The weight", positive=True)
        if grams is None or not self.weightless():
            raise FixError("Enter a weight above zero, in grams.")
        return [{"variant_id": v, "weight_grams": str(grams)} for v in self.weightless()]

    def overrides(self) -> dict[str, Any]:
        """The TikTok-only settings typed (raises ``FixError``)."""
        amount = _decimal(self.amount.text(), "The amount")
        attributes = _attribute_text(self.attributes.text())
        attributes.update({k: e.text().strip() for k, e in self._attribute_edits.items()
                           if e.text().strip()})  # fmt: skip
        percent = Decimal(str(self.percent.value())).quantize(Decimal("0.01"))
        return {
            "title": self.title_override.text().strip(),
            "description_html": self.description.toPlainText().strip(),
            "price_percent": str(percent) if percent else "",
            "price_amount": str(amount) if amount else "",
            "category_id": self.category.text().strip(),
            "attributes": attributes,
        }
