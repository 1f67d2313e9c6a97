"""The Payouts page on a real database: an export imported through the page (progress,
cancel), the waterfall and causes, the unexplained filter, reviews, the bank leg, exports."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from tests.sync.payouts.export_files import ORDER_A, TOTALS, awkward_export, big_export
from tiktok_console.domain.reconciliation_inputs import Payment
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import line_count
from tiktok_console.storage.payouts.reviews import reviews
from tiktok_console.sync.payouts.settlement_reader import BATCH
from tiktok_console.ui.pages.overview import OverviewPage
from tiktok_console.ui.pages.payouts import EMPTY, PayoutsPage
from tiktok_console.ui.pages.payouts_columns import OrderColumn


@pytest.fixture
def page(qtbot, context, settle) -> PayoutsPage:
    shown = PayoutsPage(context)
    qtbot.addWidget(shown)
    shown.refresh()
    settle()
    return shown


def _pay(payment_id: str, amount: str, paid: datetime) -> None:
    payment = Payment(payment_id, "USD", Decimal(amount), paid_at=paid)
    finance.store_payment(finance.PaymentRecord(payment, "PAID", paid), "{}")


def _select(page: PayoutsPage, order_id: str) -> None:
    for number in range(page.orders.rowCount()):
        if page.orders.row(number).order_id == order_id:
            page.order_table.setCurrentIndex(page.orders.index(number, 0))
            return
    raise AssertionError(f"{order_id} not shown")


def test_an_empty_database_says_how_payouts_arrive(page: PayoutsPage) -> None:
    assert page.stack.currentIndex() == 0
    assert any(shown.text() == EMPTY for shown in page.empty.findChildren(QLabel))
    assert page.orders.rowCount() == 0


def test_an_imported_export_shows_its_orders_waterfall_and_unexplained_money(
    page: PayoutsPage, settle, tmp_path: Path
) -> None:
    page.import_files([awkward_export(tmp_path / "statement.xlsx")])
    settle()
    assert page.stack.currentIndex() == 1
    assert "unknown" in page.notice.text().lower() or "not known" in page.notice.text()
    settled = sum((page.orders.row(n).settled for n in range(page.orders.rowCount())), Decimal(0))
    assert settled == TOTALS["settlement"]  # orders, the lost-id line and the adjustment
    _select(page, ORDER_A[0])
    texts = [page.detail.waterfall.itemAt(i).widget().text()
             for i in range(page.detail.waterfall.count())]  # fmt: skip
    assert "Revenue" in texts and "Settlement" in texts and "$47.27" in texts
    assert "Unexplained" in page.detail.causes.text()  # neither store knows the order
    page.unexplained_only.setChecked(True)
    assert all(page.orders.row(n).status == "unexplained" for n in range(page.orders.rowCount()))
    page.import_files([tmp_path / "statement.xlsx"])  # again: nothing counted twice
    settle()
    assert "0 new" in page.notice.text()
    again = sum((page.orders.row(n).settled for n in range(page.orders.rowCount())), Decimal(0))
    assert again == TOTALS["settlement"]


def test_a_cancelled_import_keeps_nothing(
    page: PayoutsPage, settle, context, tmp_path: Path
) -> None:
    big = big_export(tmp_path / "big.xlsx", 3 * BATCH)
    page.import_files([big])
    [operation] = context.work.operations
    operation.cancel()
    settle()
    assert line_count() == 0 and page.orders.rowCount() == 0


def test_a_review_and_note_are_kept_and_shown(page: PayoutsPage, settle, tmp_path: Path) -> None:
    page.import_files([awkward_export(tmp_path / "statement.xlsx")])
    settle()
    _select(page, ORDER_A[0])
    page.detail.reviewed.setChecked(True)
    page.detail.note.setText("asked TikTok support")
    page.detail.save.click()
    settle()
    assert reviews()[f"order:{ORDER_A[0]}"].note == "asked TikTok support"
    page.refresh()
    settle()
    _select(page, ORDER_A[0])
    index = page.orders.index(page.order_table.currentIndex().row(), OrderColumn.REVIEWED)
    assert page.orders.data(index) == "✓ asked TikTok support"
    assert page.detail.reviewed.isChecked()


def test_payments_show_their_bank_match_and_can_be_marked_received(
    page: PayoutsPage, settle, tmp_path: Path
) -> None:
    paid = datetime(2026, 3, 2, tzinfo=UTC)
    for payment_id, amount in (("34001", "120.50"), ("34002", "9.99")):
        _pay(payment_id, amount, paid)
    bank = tmp_path / "bank.csv"
    with bank.open("w", newline="") as handle:
        csv.writer(handle).writerows([["Date", "Description", "Amount"],
                                      ["2026-03-03", "TIKTOK 34001", "120.50"]])  # fmt: skip
    page.import_bank(bank, "Harbor Bank", {"date": "Date", "amount": "Amount",
                                           "reference": "Description"}, "USD")  # fmt: skip
    settle()
    page.refresh()
    settle()
    rows = {page.payments.row(n).payment_id: page.payments.row(n)
            for n in range(page.payments.rowCount())}  # fmt: skip
    assert rows["34001"].deposit is not None and rows["34002"].deposit is None
    page.mark_received(["34002"])
    settle()
    page.refresh()
    settle()
    rows = {page.payments.row(n).payment_id: page.payments.row(n)
            for n in range(page.payments.rowCount())}  # fmt: skip
    assert rows["34002"].deposit is not None


def test_exports_for_the_accountant(page: PayoutsPage, settle, tmp_path: Path) -> None:
    page.import_files([awkward_export(tmp_path / "statement.xlsx")])
    settle()
    page.export_to(tmp_path / "out.csv")
    settle()
    with (tmp_path / "out-summary.csv").open() as handle:
        summary = list(csv.DictReader(handle))
    assert sum(Decimal(r["Net settlement"]) for r in summary) == TOTALS["settlement"]
    assert (tmp_path / "out-lines.csv").exists()
    page.export_to(tmp_path / "out.xlsx")
    settle()
    assert (tmp_path / "out.xlsx").stat().st_size > 0


def test_the_overview_card_shows_the_last_payout(qtbot, context, settle) -> None:
    paid = datetime(2026, 3, 2, tzinfo=UTC)
    _pay("34001", "120.50", paid)
    overview = OverviewPage(context)
    qtbot.addWidget(overview)
    overview.refresh()
    settle()
    assert overview.payouts_card.value_label.text() == "$120.50"
    assert "not in the bank yet" in overview.payouts_card.note_label.text()
