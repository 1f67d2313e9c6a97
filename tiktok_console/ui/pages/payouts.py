"""Payouts: every TikTok payout explained down to the order, against Shopify and the bank.

Tabs: the orders (each with its waterfall and the variance's causes, an
"unexplained only" filter, a reviewed flag and note), the payments with
their bank match (or "mark received"), the statements (from the API, an
export, or both), and the charts. Imports of Seller Center exports and of
the bank's CSV, reviews, and the accountant's exports all run as long work;
the page reads the last reconciliation's stored results, so it opens at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.domain.payout_matching import PaymentReconciliation
from tiktok_console.storage.payouts import bank, finance
from tiktok_console.storage.payouts.results import ResultRow
from tiktok_console.storage.payouts.reviews import Review, set_review
from tiktok_console.sync.payouts import bank_csv, exports
from tiktok_console.sync.payouts.importing import ImportResult, import_settlements
from tiktok_console.sync.payouts.inputs import shop_region
from tiktok_console.sync.payouts.settlement_report import SettlementReadCancelled
from tiktok_console.ui.cell_text import money_text, plural
from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.operations import Cancelled, IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.bank_mapping_dialog import BankMappingDialog
from tiktok_console.ui.pages.base import Notice, Page, empty_or, split_vertically
from tiktok_console.ui.pages.payouts_charts import PayoutCharts
from tiktok_console.ui.pages.payouts_columns import (
    MonthColumn,
    OrderColumn,
    PaymentColumn,
    StatementColumn,
    month_columns,
    order_columns,
    payment_columns,
    statement_columns,
)
from tiktok_console.ui.pages.payouts_data import PayoutsData, load_payouts
from tiktok_console.ui.pages.payouts_detail import PayoutDetail
from tiktok_console.ui.table_model import RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, SUCCESS
from tiktok_console.ui.widgets import button

ABOUT = "Each TikTok payout against its orders, Shopify and your bank; every difference named."
EMPTY = (
    "No payouts yet. They arrive with sync once TikTok settles orders, or import a "
    "Seller Center settlement export (XLSX or CSV)."
)
TOPICS = frozenset({"payouts"})
PREVIEW = 500  # orders read first, so the page opens at once


class PayoutsPage(Page):
    """Payouts, statements and orders reconciled; imports, reviews and exports."""

    page_id = "payouts"
    title = "Payouts"
    icon = "payouts.svg"
    topics = frozenset({"payouts", "orders"})

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ABOUT, parent)
        self._context = context
        self._reviews: dict[str, Review] = {}
        self.orders = LargeRowModel(order_columns(self._review_text), key=attrgetter("subject"))
        self.payments = RowSortFilterProxy(
            RowTableModel(payment_columns(), key=attrgetter("payment_id"))
        )
        self.statements = RowSortFilterProxy(
            RowTableModel(statement_columns(), key=attrgetter("statement_id"))
        )
        self.months = RowSortFilterProxy(RowTableModel(month_columns(), key=attrgetter("first")))
        self.detail = PayoutDetail()
        self.detail.review_saved.connect(self._on_review_saved)
        self.charts = PayoutCharts()
        self._build()

    # -- layout -----------------------------------------------------------------

    def _build(self) -> None:
        self.search = search_field("Search order, Shopify order or cause…")
        self.search.textChanged.connect(self.orders.set_search)
        self.unexplained_only = QCheckBox("Unexplained only")
        self.unexplained_only.toggled.connect(self._on_filter_toggled)
        self.import_button = button("Import export…", "Secondary")
        self.import_button.setToolTip("Seller Center settlement export, XLSX or CSV")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.bank_button = button("Import bank CSV…", "Secondary")
        self.bank_button.clicked.connect(self._on_bank_clicked)
        self.export_button = button("Export…", "Secondary")
        self.export_button.setToolTip("For your accountant: statement summaries and every line")
        self.export_button.clicked.connect(self._on_export_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        for widget in (self.unexplained_only, self.import_button, self.bank_button):
            tools.addWidget(widget)
        tools.addWidget(self.export_button)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.order_table = table_view(self.orders, stretch=OrderColumn.CAUSE)
        self.order_table.sortByColumn(OrderColumn.UNEXPLAINED, Qt.SortOrder.DescendingOrder)
        self.order_table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.payment_table = table_view(self.payments, stretch=PaymentColumn.WHY)
        self.received_button = button("Mark selected received", "Secondary")
        self.received_button.setToolTip("The payment reached your bank (no bank file needed)")
        self.received_button.clicked.connect(self._on_received_clicked)
        payments = QWidget()
        payments_box = QVBoxLayout(payments)
        payments_box.setContentsMargins(0, 0, 0, 0)
        payments_box.addWidget(self.payment_table, 1)
        payments_box.addWidget(self.received_button)
        self.statement_table = table_view(self.statements, stretch=StatementColumn.SOURCE)
        self.tabs = QTabWidget()
        self.tabs.addTab(split_vertically(self.order_table, self.detail, (3, 2)), "Orders")
        self.tabs.addTab(payments, "Payments")
        self.tabs.addTab(self.statement_table, "Statements")
        self.month_table = table_view(self.months, stretch=MonthColumn.NOT_SETTLED)
        self.month_table.sortByColumn(MonthColumn.MONTH, Qt.SortOrder.DescendingOrder)
        self.month_table.setToolTip(
            "Each month on both calendars: what its orders settled, what settled in it, "
            "and what was paid"
        )
        self.tabs.addTab(self.month_table, "Months")
        self.tabs.addTab(self.charts, "Charts")
        self.empty = EmptyState("payouts.svg", "No payouts yet", EMPTY)
        self.stack = empty_or(self.empty, self.tabs)
        self.body.addWidget(self.stack, 1)

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read; on the first open a screenful (unexplained first), then every order."""
        if self.orders.rows:
            self._read_all()
            return
        self._context.work.query(
            self.page_id, lambda: load_payouts(preview=PREVIEW), self._on_preview, owner=self
        )

    def _read_all(self) -> None:
        self._context.work.query(self.page_id, load_payouts, self.show_data, owner=self)

    def _on_preview(self, data: PayoutsData) -> None:
        self.show_data(data)
        if not data.complete:
            self._read_all()

    def show_data(self, data: PayoutsData) -> None:
        """Show what ``load_payouts`` read."""
        self._reviews = data.reviews
        with KeptSelection(self.order_table, self.orders):
            self.orders.set_rows(data.orders)
        self.payments.model_.set_rows(data.payments)
        self.statements.model_.set_rows(data.statements)
        if data.complete:
            self.months.model_.set_rows(data.months)
            self.charts.show_series(data.paid_by_day, data.fees_by_type, data.expected_vs_settled)
        has_any = bool(data.orders or data.payments or data.statements)
        self.stack.setCurrentIndex(1 if has_any else 0)
        totals = [money_text(v, c) for c, v in data.unexplained.items() if v]
        unexplained = sum(1 for r in data.orders if r.status == "unexplained")
        if totals:
            self.set_subtitle(
                f"{plural(unexplained, 'difference', 'differences')} unexplained: "
                f"{', '.join(totals)}. {ABOUT}"
            )
        else:
            self.set_subtitle(ABOUT)
        self._show_current()

    def _review_text(self, subject: str) -> str:
        review = self._reviews.get(subject)
        if review is None:
            return ""
        mark = "✓ " if review.reviewed else ""
        return f"{mark}{review.note}".strip()

    def _on_filter_toggled(self, on: bool) -> None:
        self.orders.set_predicate((lambda r: r.status == "unexplained") if on else None)

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        index = self.order_table.currentIndex()
        row: ResultRow | None = self.orders.row(index.row()) if index.isValid() else None
        self.detail.show_row(row, self._reviews.get(row.subject) if row else None)

    # -- actions ----------------------------------------------------------------

    def _on_review_saved(self, subject: str, reviewed: bool, note: str) -> None:
        self._context.work.run(
            "saving the review",
            lambda _p, _c: set_review(subject, reviewed, note),
            done=lambda _review: self.refresh(),
            topics=TOPICS,
            finished="Review saved.",
            owner=self,
        )

    def _on_import_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import settlement exports", "", "Settlement exports (*.xlsx *.csv)"
        )
        if paths:
            self.import_files([Path(p) for p in paths])

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import exports as long work (progress, cancel), then show what they held."""
        rates = self._context.settings.payouts.model_copy()

        def work(progress: Progress, cancelled: IsCancelled) -> ImportResult:
            try:
                return import_settlements(
                    paths, region=shop_region(), progress=progress, cancelled=cancelled,
                    rates=rates,
                )  # fmt: skip
            except SettlementReadCancelled:
                raise Cancelled from None

        self._context.work.run(
            f"importing {plural(len(paths), 'settlement export', 'settlement exports')}",
            work, done=self._on_imported, topics=TOPICS, owner=self,
            on_error=lambda e: self.notice.show_text(f"Import failed: {e}", DANGER),
        )  # fmt: skip

    def _on_imported(self, result: ImportResult) -> None:
        parts = []
        for f in result.files:
            text = f"{Path(f.path).name}: {plural(f.lines, 'line', 'lines')}, {f.added} new"
            if f.already_known:
                text += f", {f.already_known} already known"
            if f.conflicts:
                text += f", {len(f.conflicts)} disagree with the stored copy (shown, not counted)"
            if f.report.unknown_columns:
                text += f"; columns not known: {', '.join(f.report.unknown_columns)}"
            if f.report.lost_digits:
                text += f"; {len(f.report.lost_digits)} ids lost their digits"
            parts.append(text)
        color = DANGER if any(f.conflicts for f in result.files) else SUCCESS
        self.notice.show_text(". ".join(parts) + ".", color)
        self.refresh()

    def _on_bank_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import bank statement", "", "CSV (*.csv)")
        if not path:
            return
        try:
            preview = bank_csv.preview(Path(path))
        except (bank_csv.BankCsvError, OSError, UnicodeDecodeError) as error:
            self.notice.show_text(f"Cannot read {Path(path).name}: {error}", DANGER)
            return
        names = bank.banks()
        remembered = {n: bank.mapping_for(n) or {} for n in names}
        dialog = BankMappingDialog(preview, names, remembered, "USD", self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.import_bank(Path(path), dialog.bank(), dialog.mapping(), dialog.currency_code())

    def import_bank(self, path: Path, bank_name: str, mapping: dict[str, str], ccy: str) -> None:
        """Import the bank's CSV with ``mapping`` as long work."""
        self._context.work.run(
            "importing the bank statement",
            lambda _p, _c: bank_csv.import_bank_csv(path, bank_name, mapping, ccy),
            done=lambda _result: self.refresh(), topics=TOPICS, owner=self,
            finished=lambda r: f"{plural(r.added, 'deposit', 'deposits')} added "
            f"({r.deposits - r.added} already known, {r.skipped_debits} debits skipped).",
            on_error=lambda e: self.notice.show_text(f"Bank import failed: {e}", DANGER),
        )  # fmt: skip

    def _on_received_clicked(self) -> None:
        chosen: list[PaymentReconciliation] = [
            self.payments.row(i.row()) for i in self.payment_table.selectionModel().selectedRows()
        ]
        if chosen:
            self.mark_received([p.payment_id for p in chosen])

    def mark_received(self, payment_ids: list[str]) -> None:
        """The merchant says these payments reached the bank."""
        self._context.work.run(
            "marking payments received",
            lambda _p, _c: [finance.mark_received(p, True) for p in payment_ids],
            done=lambda _marked: self.refresh(), topics=TOPICS, owner=self,
            finished=f"{plural(len(payment_ids), 'payment', 'payments')} marked received.",
        )  # fmt: skip

    def _on_export_clicked(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self, "Export payouts", "payouts.xlsx", "Excel workbook (*.xlsx);;CSV files (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """XLSX: one workbook (Summary, Lines); CSV: ``-summary.csv`` and ``-lines.csv``."""

        def work(_p: Progress, _c: IsCancelled) -> str:
            if path.suffix.lower() == ".xlsx":
                statements, lines = exports.write_xlsx(path)
                return f"Exported {statements} statements and {lines} lines to {path}."
            stem = path.with_suffix("")
            summary, detail = Path(f"{stem}-summary.csv"), Path(f"{stem}-lines.csv")
            s = exports.write_csv(summary, exports.SUMMARY_HEADERS, exports.summary_rows())
            n = exports.write_csv(detail, exports.DETAIL_HEADERS, exports.detail_rows())
            return f"Exported {s} statements to {summary} and {n} lines to {detail}."

        self._context.work.run(
            "exporting payouts", work, owner=self,
            done=lambda text: self.notice.show_text(text, SUCCESS),
        )  # fmt: skip
