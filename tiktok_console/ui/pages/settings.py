"""Settings: how orders, stock and shipments flow, in the merchant's words.

The form edits a copy; Save validates it through the settings models and
copies the values into the live objects the sync jobs hold, so a change takes
effect on the next run of each job without a restart. Leaving the page with
unsaved edits asks first. The appearance (light, dark, system) is applied and
kept at once, as merchants expect of it. The fields, cards and choice texts
it is built of are in ``settings_form``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.core.settings import (
    DeadlineSettings,
    FulfillmentSettings,
    InventorySettings,
    LivestreamSettings,
    OrderSettings,
    Settings,
)
from tiktok_console.domain.deadlines import parse_thresholds
from tiktok_console.storage.inventory.locations import location_choices, location_label
from tiktok_console.sync.payouts.inputs import shop_region
from tiktok_console.sync.payouts.reconciling import refresh_results
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages import settings_payouts as fee_section
from tiktok_console.ui.pages.base import Page
from tiktok_console.ui.pages.settings_form import (
    APPEARANCE,
    BAD_TRACKING,
    MASKED_BUYERS,
    NO_LOCATIONS,
    apply_in_place,
    card,
    combo,
    select,
    spin,
    thresholds_text,
)
from tiktok_console.ui.pages.settings_payouts import FeeRateFields
from tiktok_console.ui.theme import DANGER, SUCCESS, apply_theme
from tiktok_console.ui.widgets import button, label


class SettingsPage(Page):
    """Every setting that changes what the sync does, grouped by flow.

    Built from the page context: its ``settings`` are the profile's live
    settings (edited in place on Save), ``save_settings`` writes the file.
    """

    page_id = "settings"
    title = "Settings"
    icon = "settings.svg"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__("How orders, stock and shipments move between your stores.", parent)
        self._context = context
        self._settings = context.settings
        self._save = context.save_settings
        self._sections: list[tuple[str, str, QFormLayout]] = []
        self._locations: list[str] = []
        self._location_names: dict[str, str] = {}  # id -> name, as Shopify last gave it
        self._build_appearance()
        self._build_orders()
        self._build_inventory()
        self._build_livestream()
        self._build_fulfillment()
        self._build_deadlines()
        self._build_payouts()
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(14)
        for title, note, form in self._sections:
            column.addWidget(card(title, note, form))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        self.body.addWidget(scroll, 1)
        self.body.addLayout(self._buttons())
        self._show(self._settings)
        self.refresh()

    # -- building ----------------------------------------------------------
    def _section(self, title: str, note: str) -> QFormLayout:
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._sections.append((title, note, form))
        return form

    def _build_appearance(self) -> None:
        form = self._section("Appearance", "Applied at once and kept.")
        self.appearance = combo(APPEARANCE)
        self.appearance.setMinimumWidth(200)
        self.appearance.currentIndexChanged.connect(lambda _n: self._on_appearance())
        form.addRow("Colours", self.appearance)

    def _on_appearance(self) -> None:
        chosen = str(self.appearance.currentData())
        if chosen == self._settings.theme:
            return
        self._settings.theme = chosen  # type: ignore[assignment]  # one of APPEARANCE's keys
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, chosen)
        try:
            self._save()
        except OSError as error:
            self._say(f"Appearance not kept: the settings file could not be written ({error}).",
                      DANGER)  # fmt: skip

    def _build_orders(self) -> None:
        form = self._section(
            "Orders · TikTok → Shopify",
            "TikTok orders become Shopify orders once their one-hour on-hold window ends.",
        )
        self.include_fbt = QCheckBox("Also create orders that TikTok fulfils (FBT)")
        self.masked_buyer = combo(MASKED_BUYERS)
        form.addRow("", self.include_fbt)
        form.addRow("When TikTok hides the buyer", self.masked_buyer)

    def _build_inventory(self) -> None:
        form = self._section(
            "Stock · Shopify → TikTok",
            "Shopify is the master. TikTok shows Shopify's available units minus a buffer "
            "and minus units in TikTok orders that have not reached Shopify yet. "
            "The larger of the two buffers applies; each SKU can override it on the "
            "Inventory page.",
        )
        self.buffer_units = spin(0, 9999, " units")
        self.buffer_percent = spin(0, 100, " %")
        self.deactivate_at_zero = QCheckBox(
            "Take a listing off sale at 0 and relist it when stock returns"
        )
        self.reconcile_minutes = spin(1, 24 * 60, " min")
        form.addRow("Buffer per SKU", self.buffer_units)
        form.addRow("or a share of stock", self.buffer_percent)
        form.addRow("", self.deactivate_at_zero)
        form.addRow("Full check of every SKU every", self.reconcile_minutes)
        self.locations = QListWidget()
        self.locations.setMinimumWidth(300)
        self.locations.setMaximumHeight(120)
        self.locations_note = label(NO_LOCATIONS, "CardNote", wrap=True)
        self.locations_note.setMinimumWidth(380)
        self.locations_note.setMaximumWidth(520)
        form.addRow("Stock from these locations", self.locations)
        form.addRow("", self.locations_note)

    def _build_livestream(self) -> None:
        form = self._section(
            "Livestream mode",
            "While a livestream is on, stock is checked every half second, buffers "
            "tighten to these values if they are larger, and each SKU shows at most its cap.",
        )
        self.live_buffer_units = spin(0, 9999, " units")
        self.live_buffer_percent = spin(0, 100, " %")
        self.live_cap = spin(0, 99_999, " units")
        self.live_cap.setSpecialValueText("No cap")
        form.addRow("Buffer during a live", self.live_buffer_units)
        form.addRow("or a share of stock", self.live_buffer_percent)
        form.addRow("Default cap per SKU", self.live_cap)

    def _build_fulfillment(self) -> None:
        form = self._section(
            "Shipments · Shopify → TikTok",
            "Tracking numbers are checked against the TikTok carrier they map to before "
            "they are sent, so TikTok never rejects them.",
        )
        self.bad_tracking = combo(BAD_TRACKING)
        form.addRow("A tracking number looks wrong", self.bad_tracking)

    def _build_deadlines(self) -> None:
        form = self._section(
            "Deadlines",
            "A desktop notification when a deadline comes within each of these times left "
            "(once each per deadline), also when the window is minimised.",
        )
        self.notify_deadlines = QCheckBox("Notify me as deadlines near")
        self.deadline_thresholds = QLineEdit()
        self.deadline_thresholds.setMinimumWidth(200)
        self.deadline_thresholds.setPlaceholderText("24h, 4h, 1h")
        form.addRow("", self.notify_deadlines)
        form.addRow("Notify at (hours h, minutes m)", self.deadline_thresholds)

    def _build_payouts(self) -> None:
        self.fee_rates = FeeRateFields(self._section(fee_section.TITLE, fee_section.NOTE))

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = label("", "Muted")
        self.defaults_button = button("Restore defaults", "Secondary")
        self.defaults_button.clicked.connect(self._on_defaults)
        self.save_button = button("Save", "Primary")
        self.save_button.clicked.connect(self._on_save)
        row.addWidget(self.status, 1)
        row.addWidget(self.defaults_button)
        row.addWidget(self.save_button)
        return row

    # -- reading and writing -----------------------------------------------
    def refresh(self) -> None:
        if not self.has_unsaved_changes():  # never overwrite what the merchant is editing
            self._show(self._settings)
        self._context.work.query(
            f"{self.page_id}:locations", location_choices, self._show_locations, owner=self
        )
        self._context.work.query(
            f"{self.page_id}:region", shop_region, self.fee_rates.show_region, owner=self
        )

    def _show_locations(self, found: dict[str, str]) -> None:
        """``found``: location id -> its name (as Shopify last gave it)."""
        chosen = set(self._settings.inventory.location_ids)
        if self.has_unsaved_changes():
            chosen = set(self._checked_locations())
        self._location_names = found
        every = set(found) | set(self._settings.inventory.location_ids)
        self._locations = sorted(every, key=lambda loc: self._location_label(loc).casefold())
        self._fill_locations(chosen)

    def _location_label(self, location: str) -> str:
        return self._location_names.get(location) or location_label(location, {})

    def _fill_locations(self, chosen: set[str]) -> None:
        self.locations.clear()
        for location in self._locations:
            item = QListWidgetItem(self._location_label(location))
            item.setData(Qt.ItemDataRole.UserRole, location)
            item.setToolTip(location)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            every = not chosen  # nothing chosen: every location counts
            on = every or location in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.locations.addItem(item)
        self.locations.setVisible(bool(self._locations))
        rows = max(min(len(self._locations), 5), 1)  # as tall as its rows, scrolling past 5
        self.locations.setFixedHeight(rows * self.locations.sizeHintForRow(0) + 8)
        self.locations_note.setText(
            "Stock at the ticked locations is what TikTok sells; all ticked means every active "
            "location, including new ones." if self._locations else NO_LOCATIONS
        )  # fmt: skip

    def _checked_locations(self) -> list[str]:
        """The ticked locations; [] (every location) when all are ticked."""
        items = [self.locations.item(n) for n in range(self.locations.count())]
        ticked = [str(i.data(Qt.ItemDataRole.UserRole)) for i in items
                  if i.checkState() == Qt.CheckState.Checked]  # fmt: skip
        return [] if len(ticked) == len(items) else ticked

    def _show(self, settings: Settings) -> None:
        select(self.appearance, settings.theme)
        if self._locations:
            self._fill_locations(set(settings.inventory.location_ids))
        orders, stock, fulfillment = settings.orders, settings.inventory, settings.fulfillment
        self.include_fbt.setChecked(orders.include_fbt)
        select(self.masked_buyer, orders.customer)
        self.buffer_units.setValue(stock.buffer_units)
        self.buffer_percent.setValue(stock.buffer_percent)
        self.deactivate_at_zero.setChecked(stock.deactivate_at_zero)
        self.reconcile_minutes.setValue(round(stock.reconcile_minutes))
        self.live_buffer_units.setValue(stock.livestream.buffer_units)
        self.live_buffer_percent.setValue(stock.livestream.buffer_percent)
        self.live_cap.setValue(stock.livestream.default_cap or 0)
        select(self.bad_tracking, fulfillment.bad_tracking)
        self.notify_deadlines.setChecked(settings.deadlines.notify)
        self.deadline_thresholds.setText(thresholds_text(settings.deadlines.threshold_minutes))
        self.fee_rates.show(settings.payouts)

    def edited(self) -> Settings:
        """The settings as the form shows them (validated; raises ValidationError)."""
        current = self._settings
        orders: dict[str, Any] = {
            **current.orders.model_dump(),
            "include_fbt": self.include_fbt.isChecked(),
            "customer": self.masked_buyer.currentData(),
        }
        live = {
            **current.inventory.livestream.model_dump(),
            "buffer_units": self.live_buffer_units.value(),
            "buffer_percent": self.live_buffer_percent.value(),
            "default_cap": self.live_cap.value() or None,
        }
        stock = {
            **current.inventory.model_dump(),
            "buffer_units": self.buffer_units.value(),
            "buffer_percent": self.buffer_percent.value(),
            "deactivate_at_zero": self.deactivate_at_zero.isChecked(),
            "reconcile_minutes": float(self.reconcile_minutes.value()),
            "location_ids": self._checked_locations()
            if self._locations
            else current.inventory.location_ids,
            "livestream": LivestreamSettings.model_validate(live),
        }
        fulfillment = {
            **current.fulfillment.model_dump(),
            "bad_tracking": self.bad_tracking.currentData(),
        }
        spans = parse_thresholds(self.deadline_thresholds.text())  # ValueError: not saved
        deadlines = {
            "notify": self.notify_deadlines.isChecked(),
            "threshold_minutes": [int(span.total_seconds() // 60) for span in spans],
        }
        return current.model_copy(
            update={
                "payouts": self.fee_rates.edited(current.payouts),  # RateError: not saved
                "deadlines": DeadlineSettings.model_validate(deadlines),
                "orders": OrderSettings.model_validate(orders),
                "inventory": InventorySettings.model_validate(stock),
                "fulfillment": FulfillmentSettings.model_validate(fulfillment),
            }
        )

    def has_unsaved_changes(self) -> bool:
        """Whether the form shows something other than the saved settings."""
        try:
            edited = self.edited()
        except ValueError:  # ValidationError is one: a value that cannot be saved is unsaved
            return True
        return any(
            getattr(edited, part) != getattr(self._settings, part)
            for part in ("orders", "inventory", "fulfillment", "payouts")
        )

    def may_leave(self) -> bool:
        """Ask what to do with unsaved edits before the page is left; False: stay."""
        if not self.has_unsaved_changes():
            return True
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box = QMessageBox(
            QMessageBox.Icon.Question, "Save your changes?",
            "Some settings were changed but not saved. Save them before leaving?", buttons, self,
        )  # fmt: skip
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self._on_save()
        if answer == QMessageBox.StandardButton.Discard:
            self._show(self._settings)
            self._say("", "")
            return True
        return False

    def _on_save(self) -> bool:
        try:
            edited = self.edited()
        except ValidationError as error:
            self._say(f"Not saved: {error.errors()[0]['msg']}", DANGER)
            return False
        except ValueError as error:  # a threshold that is not a time
            self._say(f"Not saved: {error}", DANGER)
            return False
        rates_changed = edited.payouts != self._settings.payouts
        for part in ("orders", "inventory", "fulfillment", "deadlines", "payouts"):
            apply_in_place(getattr(self._settings, part), getattr(edited, part))
        try:
            self._save()
        except OSError as error:
            self._say(f"Not saved: the settings file could not be written ({error}).", DANGER)
            return False
        self._say("Saved. The sync uses the new settings from its next run.", SUCCESS)
        if rates_changed:
            self._reconcile_payouts()
        return True

    def _reconcile_payouts(self) -> None:
        """New fee rates: Payouts names fees against them at once (no sync needed)."""
        rates = self._settings.payouts.model_copy()
        self._context.work.run(
            "checking payouts against the new fee rates",
            lambda _p, _c: refresh_results(shop_region(), rates),
            topics=frozenset({"payouts"}), owner=self,
            finished="Payouts checked against the new fee rates.",
        )  # fmt: skip
        self._context.engine.nudge("payouts")

    def _on_defaults(self) -> None:
        defaults = Settings(profile_id=self._settings.profile_id, theme=self._settings.theme)
        self._show(defaults)
        self._say("Defaults shown: press Save to keep them.", "")

    def _say(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};" if color else "")
