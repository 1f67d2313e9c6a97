"""Carriers: Shopify carrier names mapped to TikTok shipping providers, and shipments stuck on them.

TikTok accepts tracking only with one of its own shipping providers, so each
carrier name Shopify uses must map to one. An unmapped carrier blocks only
its own shipments, which go out by themselves once it is mapped. The page
lists every carrier seen (shipments, blocked pushes, mapping, a suggestion
from the name and the tracking numbers), edits mappings in place or applies
suggestions in bulk, and lists the blocked, held and failed shipments with a
one-click retry. Built from the page context: reads and every mapping change
run as long work (off the GUI thread, through ``sync.fulfillment.carrier_actions``),
and "sync now" reaches the fulfillment job through ``EngineControl``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.carriers import Provider, suggest_provider
from tiktok_console.storage.fulfillment.views import (
    ProviderChoice,
    StuckShipment,
    carrier_lines,
    provider_choices,
    stuck_shipments,
)
from tiktok_console.sync.fulfillment import carrier_actions
from tiktok_console.sync.fulfillment.release_report import (
    LIKELY_REFUSAL,
    ShipmentOutcome,
    map_and_report,
    report_text,
)
from tiktok_console.ui.cell_text import iso_local, local_time, plural
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, export_rows, split_vertically
from tiktok_console.ui.pages.carrier_options import CarrierOptionsDialog
from tiktok_console.ui.pages.carrier_table import (
    CarrierColumn,
    CarrierRow,
    CarrierTableModel,
    ProviderDelegate,
    mapping_text,
)
from tiktok_console.ui.table_model import Column, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import ACCENT, DANGER, SUCCESS, WARNING
from tiktok_console.ui.widgets import button, label

ABOUT = (
    "Each Shopify carrier name must map to a TikTok shipping provider for tracking to reach TikTok."
)
EMPTY = (
    "No shipments yet. When you fulfil a TikTok order in Shopify, its carrier appears here "
    "so you can map it to a TikTok shipping provider."
)
NO_PROVIDERS = "TikTok's shipping providers are not loaded yet: they arrive with the next sync."
NOTHING_STUCK = "No shipment is blocked, held or refused: every tracking number reached TikTok."


@dataclass(frozen=True)
class CarriersData:
    """What the page shows, read off the GUI thread."""

    providers: list[ProviderChoice]
    rows: list[CarrierRow]
    stuck: list[StuckShipment]


def suggest(carrier: str, numbers: Sequence[str], choices: Sequence[ProviderChoice]) -> Any:
    """The TikTok provider a carrier name and its tracking numbers point to, if any."""
    # One entry per provider: TikTok lists the same provider under each option.
    providers = {c.provider_id: Provider(c.provider_id, c.provider_name) for c in choices}
    return suggest_provider(carrier, numbers, list(providers.values()))


def load_carriers() -> CarriersData:
    """Every carrier seen with its mapping in words and a suggestion, and the stuck shipments."""
    providers = list(provider_choices())
    names = {p.delivery_option_id: p.delivery_option_name for p in providers}
    rows = [
        CarrierRow(
            line, mapping_text(line, names),
            suggest(line.carrier, line.tracking_samples, providers) if providers else None,
        )
        for line in carrier_lines()
    ]  # fmt: skip
    return CarriersData(providers, rows, list(stuck_shipments()))


class StuckColumn(IntEnum):
    ORDER = 0
    SHOPIFY = 1
    CARRIER = 2
    TRACKING = 3
    PROBLEM = 4
    REASON = 5
    SHIP_BY = 6
    RETRY = 7


_PROBLEMS = {
    "blocked": ("Not mapped", DANGER),
    "held": ("Held", WARNING),
    "failed": ("Refused", DANGER),
}


def _stuck_columns() -> list[Column[StuckShipment]]:
    return [
        Column("TikTok order", lambda s: s.tiktok_order_id, width=172),
        Column("Shopify", lambda s: s.shopify_order_name or "—", width=76,
               tooltip=lambda _s: "The Shopify order"),
        Column("Carrier", lambda s: s.carrier or "(none)", width=110, tooltip=lambda s: s.carrier),
        Column("Tracking", lambda s: s.tracking_number or "(none)", width=140,
               tooltip=lambda s: s.tracking_number),
        Column("Problem", lambda s: _PROBLEMS.get(s.state, (s.state, None))[0], width=106,
               color=lambda s: _PROBLEMS.get(s.state, ("", None))[1], export=lambda s: s.state),
        Column("Reason", lambda s: s.reason, tooltip=lambda s: s.reason),
        Column("Ship by", lambda s: local_time(s.ship_by), sort_key=lambda s: s.ship_by,
               export=lambda s: iso_local(s.ship_by), width=104),
        Column("", lambda _s: "↻ Retry", color=lambda _s: ACCENT, searchable=False, width=76,
               tooltip=lambda s: "Push this tracking to TikTok again"
               + (f" (tried {s.attempts} times)" if s.attempts else ""), export=lambda _s: ""),
    ]  # fmt: skip


class CarriersPage(Page):
    """Carrier mappings with suggestions, inline editing, bulk apply, and stuck shipments."""

    page_id = "carriers"
    title = "Carriers"
    icon = "carriers.svg"
    topics = frozenset({"carriers", "fulfillment"})

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ABOUT, parent)
        self._context = context
        self.carrier_model = CarrierTableModel()
        self.carrier_model.mapping_chosen.connect(self._on_mapping_chosen)
        self.carriers = RowSortFilterProxy(self.carrier_model)
        self.stuck = RowSortFilterProxy(
            RowTableModel(_stuck_columns(), key=lambda s: s.fulfillment_id)
        )
        self.delegate = ProviderDelegate(self)
        self.providers: list[ProviderChoice] = []
        self._build()

    # -- layout -----------------------------------------------------------------

    def _build(self) -> None:
        self.search = search_field("Search carriers…")
        self.search.textChanged.connect(self.carriers.set_search)
        self.apply_button = button("Apply suggestions to selected", "Secondary")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.options_button = button("Per delivery option…", "Secondary")
        self.options_button.setToolTip("Map the selected carrier differently per delivery option")
        self.options_button.clicked.connect(self._on_options_clicked)
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.apply_button)
        tools.addWidget(self.options_button)
        tools.addWidget(self.export_button)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.table = table_view(self.carriers, stretch=CarrierColumn.WHY)
        self.table.setItemDelegateForColumn(CarrierColumn.MAPPING, self.delegate)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.sortByColumn(CarrierColumn.BLOCKED, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.empty = EmptyState("carriers.svg", "No carriers yet", EMPTY)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.stuck_title = label("Blocked, held and failed shipments", "CardTitle")
        self.stuck_empty = label(NOTHING_STUCK, "Muted", wrap=True)
        self.stuck_table = table_view(self.stuck, stretch=StuckColumn.REASON)
        self.stuck_table.sortByColumn(StuckColumn.SHIP_BY, Qt.SortOrder.AscendingOrder)
        self.stuck_table.clicked.connect(self._on_stuck_clicked)
        nothing = QWidget()
        nothing_box = QVBoxLayout(nothing)
        nothing_box.setContentsMargins(0, 0, 0, 0)
        nothing_box.addWidget(self.stuck_empty)
        nothing_box.addStretch(1)
        self.stuck_stack = QStackedWidget()
        self.stuck_stack.addWidget(nothing)
        self.stuck_stack.addWidget(self.stuck_table)
        self.stuck_section = QWidget()
        box = QVBoxLayout(self.stuck_section)
        box.setContentsMargins(0, 8, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.stuck_title)
        box.addWidget(self.stuck_stack, 1)
        splitter = split_vertically(self.stack, self.stuck_section)
        self.body.addWidget(splitter, 1)
        self._set_notice("")

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        self._context.work.query(self.page_id, load_carriers, self._show, owner=self)

    def _show(self, data: CarriersData) -> None:
        self.providers = data.providers
        self.delegate.set_providers(self.providers)
        rows, stuck = data.rows, data.stuck
        self.carrier_model.set_rows(rows)
        self.stack.setCurrentIndex(1 if rows else 0)
        for tool in (self.search, self.apply_button, self.options_button, self.export_button):
            tool.setVisible(bool(rows))
        self.stuck.model_.set_rows(stuck)
        self.stuck_stack.setCurrentIndex(1 if stuck else 0)
        self.stuck_section.setVisible(bool(rows or stuck))  # the empty state says it all
        self.stuck_title.setText(
            f"Blocked, held and failed shipments ({len(stuck)})" if stuck
            else "Blocked, held and failed shipments"
        )  # fmt: skip
        self.set_subtitle(_summary(rows, len(stuck), bool(self.providers)))
        self._on_selection_changed()

    def selected_rows(self) -> list[CarrierRow]:
        """The carriers selected in the table, in the order shown."""
        numbers = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.carriers.row(number) for number in numbers]

    def _on_selection_changed(self, *_args: object) -> None:
        selected = self.selected_rows()
        self.apply_button.setEnabled(bool(selected))
        self.options_button.setEnabled(bool(self.providers) and len(selected) == 1)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            if self.providers
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )

    # -- actions ----------------------------------------------------------------

    def _act(
        self, description: str, work: Callable[[], Any], done: Callable[[Any], str],
    ) -> None:  # fmt: skip
        """Run a mapping change off the GUI thread; ``done`` says what it did.

        A refused change (the last mapping, an unknown provider) is told on the page.
        Either way the fulfillment job is nudged and the page read again.
        """

        def finished(result: Any) -> None:
            self._context.engine.nudge("fulfillment")
            if text := done(result):
                self._set_notice(text, SUCCESS)
            self.refresh()

        def refused(error: BaseException) -> None:
            if not isinstance(error, (ValueError, ConsoleError)):
                self._context.errors.report(error, description)
                return
            self._set_notice(_message(error), DANGER)
            self._context.engine.nudge("fulfillment")  # what was saved before still counts
            self.refresh()

        def run(_progress: Progress, _cancelled: IsCancelled) -> Any:
            return work()

        self._context.work.run(
            description, run, done=finished, topics={"carriers", "fulfillment"},
            on_error=refused, owner=self,
        )  # fmt: skip

    def _on_mapping_chosen(self, carrier: str, provider_id: str) -> None:
        row = next((r for r in self.carrier_model.rows if r.carrier == carrier), None)
        if row is not None and any(
            m.provider_id == provider_id and not m.delivery_option_id for m in row.line.mappings
        ):
            return  # already so (an editor commits again when it closes)
        name = next((p.provider_name for p in self.providers if p.provider_id == provider_id), "")
        hold = self._context.settings.fulfillment.bad_tracking
        self._act(
            f"mapping {carrier}",
            lambda: map_and_report(carrier, provider_id, source="manual", bad_tracking=hold),
            lambda done: f"{carrier} now maps to {name or provider_id}. " + report_text(done),
        )

    def _on_apply_clicked(self) -> None:
        chosen = [r for r in self.selected_rows() if r.suggestion is not None and
                  r.suggestion_is_new]  # fmt: skip
        if not chosen:
            self._set_notice("No new suggestion for the selected carriers: map them by "
                             "double-clicking their TikTok provider.")  # fmt: skip
            return
        lines = [f"{r.carrier} → {r.suggestion.provider_name}" for r in chosen if r.suggestion]
        if not self._confirm(lines):
            return
        plan = [(r.carrier, r.suggestion.provider_id) for r in chosen if r.suggestion]
        hold = self._context.settings.fulfillment.bad_tracking

        def apply() -> list[ShipmentOutcome]:
            done: list[ShipmentOutcome] = []
            for carrier, provider_id in plan:
                try:
                    done += map_and_report(carrier, provider_id, source="bulk", bad_tracking=hold)
                except (ValueError, ConsoleError) as error:
                    raise ValueError(f"{carrier}: {_message(error)}") from error
            return done

        self._act(
            f"mapping {plural(len(plan), 'carrier', 'carriers')}", apply,
            lambda done: f"Mapped {plural(len(plan), 'carrier', 'carriers')}. "
            + report_text(done),
        )  # fmt: skip

    def _confirm(self, lines: list[str]) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        box = QMessageBox(
            QMessageBox.Icon.Question, "Apply suggestions?",
            f"Map {plural(len(lines), 'carrier', 'carriers')} to the suggested TikTok "
            "provider?\n\n" + "\n".join(lines[:12]) + ("\n…" if len(lines) > 12 else ""),
            buttons, self,
        )  # fmt: skip
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _on_options_clicked(self) -> None:
        selected = self.selected_rows()
        if len(selected) != 1:
            return
        dialog = CarrierOptionsDialog(selected[0].line, self.providers, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        carrier, changes = selected[0].carrier, dialog.changes()
        # New mappings first: removing one may be refused while it is the last one.
        plan = sorted(changes.items(), key=lambda item: not item[1])

        hold = self._context.settings.fulfillment.bad_tracking

        def save() -> list[ShipmentOutcome]:
            done: list[ShipmentOutcome] = []
            for option, provider_id in plan:
                if provider_id:
                    done += map_and_report(
                        carrier, provider_id, delivery_option_id=option, source="manual",
                        bad_tracking=hold,
                    )  # fmt: skip
                else:
                    carrier_actions.unmap_carrier(carrier, option)
            return done

        self._act(
            f"saving {carrier}'s mapping", save,
            lambda done: f"{carrier}'s mapping saved. " + report_text(done)
            if changes else "",
        )  # fmt: skip

    def _on_stuck_clicked(self, index: QModelIndex) -> None:
        if index.column() != StuckColumn.RETRY:
            return
        shipment = self.stuck.row(index.row())
        if shipment.state == "held" and not self._confirm_send_as_is(shipment):
            return
        self._act(
            f"retrying the tracking of order {shipment.tiktok_order_id}",
            lambda: carrier_actions.retry_fulfillment(shipment.fulfillment_id),
            lambda _r: f"Retrying the tracking of order {shipment.tiktok_order_id}.",
        )

    def _confirm_send_as_is(self, shipment: StuckShipment) -> bool:
        """A held shipment goes as it is only when the merchant says so, knowing TikTok's answer."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Send the tracking number as it is?",
            f"The tracking number {shipment.tracking_number} of order "
            f"{shipment.tiktok_order_id} was held: {shipment.reason}\n\n"
            f"TikTok will most likely refuse it (\"{LIKELY_REFUSAL}\"). Fixing the number "
            "in Shopify is safer; it is then sent by itself.\n\nSend it as it is anyway?",
            buttons, self,
        )  # fmt: skip
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _on_export_clicked(self) -> None:
        if done := export_rows(self, self.carriers, "carriers.csv", ("carrier", "carriers")):
            self._set_notice(done)

    def _set_notice(self, text: str, color: str = "") -> None:
        self.notice.show_text(text, color)


def _message(error: Exception) -> str:
    return error.message if isinstance(error, ConsoleError) else str(error)


def _summary(rows: Sequence[CarrierRow], stuck: int, providers: bool) -> str:
    if not providers and rows:
        return NO_PROVIDERS
    if not rows:
        return ABOUT
    unmapped = sum(1 for r in rows if not r.line.mapped)
    text = f"{plural(len(rows), 'carrier', 'carriers')} seen"
    text += f", {unmapped} not mapped" if unmapped else ", all mapped"
    if stuck:
        text += f"; {plural(stuck, 'shipment needs', 'shipments need')} a look below"
    return text + ". Double-click a TikTok provider to change it."
