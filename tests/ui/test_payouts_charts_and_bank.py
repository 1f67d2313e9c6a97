"""What the Payouts charts draw and what the bank dialog matches, from a known world.

One order settled 74.49 in statement 7201 on 2026-03-12 (fees 5.40 and 2.61, a
7.50 label), two payments paid on 03-13 and 03-14. The charts must show those
exact numbers; the bank dialog, shown by "Import bank CSV…", maps a bank's
columns (a guess, then the bank's remembered mapping) and its deposits match
the payment they paid.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QPieSeries
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.ui.payout_world import SETTLED, order_on_file, settlement_export
from tiktok_console.domain.reconciliation_inputs import Payment
from tiktok_console.storage.payouts import bank, finance
from tiktok_console.ui.pages.bank_mapping_dialog import BankMappingDialog
from tiktok_console.ui.pages.payouts import PayoutsPage
from tiktok_console.ui.pages.payouts_columns import MonthColumn


def _pay(payment_id: str, amount: str, paid: datetime) -> None:
    payment = Payment(payment_id, "USD", Decimal(amount), paid_at=paid)
    finance.store_payment(finance.PaymentRecord(payment, "PAID", paid), "{}")


@pytest.fixture
def page(qtbot, context, settle, shared_api: Path, tmp_path: Path) -> PayoutsPage:
    order_on_file(shared_api)
    _pay("34001", str(SETTLED), datetime(2026, 3, 13, 9, tzinfo=UTC))
    _pay("34002", "20.00", datetime(2026, 3, 14, 9, tzinfo=UTC))
    shown = PayoutsPage(context)
    qtbot.addWidget(shown)
    shown.import_files([settlement_export(tmp_path / "statement.csv")])
    settle()
    shown.refresh()
    settle()
    return shown


def _bars(view) -> tuple[list[str], dict[str, list[float]]]:
    chart = view.chart()
    [series] = chart.series()
    assert isinstance(series, QBarSeries)
    [axis] = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    values = {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}
    return list(axis.categories()), values


def test_the_charts_show_the_payouts_fees_and_expected_against_settled(
    page: PayoutsPage, qtbot, context, settle
) -> None:
    opened = PayoutsPage(context)  # the page as the merchant opens it: one read
    qtbot.addWidget(opened)
    opened.refresh()
    settle()
    for shown in (opened, page):
        _assert_charts(shown)


def _assert_charts(page: PayoutsPage) -> None:
    days, paid = _bars(page.charts.payouts)
    assert days == ["Mar 13", "Mar 14"] and paid == {"Paid": [74.49, 20.0]}
    [pie] = page.charts.fees.chart().series()
    assert isinstance(pie, QPieSeries)
    slices = [(s.label(), round(s.value(), 2)) for s in pie.slices()]
    assert slices == [("Shipping cost", 7.5), ("Referral fee", 5.4), ("Transaction fee", 2.61)]
    days, compared = _bars(page.charts.compare)
    assert days == ["Mar 12"] and compared == {"Expected": [90.0], "Settled": [74.49]}
    # The two calendars: March's order settled in March; both payouts were paid in March.
    assert page.months.rowCount() == 1
    [march] = [page.months.row(0)]
    assert march.first.isoformat() == "2026-03-01" and march.balanced
    assert (march.by_order_date, march.by_settlement_date, march.settles_later) == (
        SETTLED, SETTLED, 0,
    )  # fmt: skip
    assert march.paid == SETTLED + Decimal("20.00") and march.unsettled_forecast == 0
    shown = page.months.data(page.months.index(0, MonthColumn.BY_ORDER_DATE))
    assert shown == "74.49"


def _bank_csv(path: Path) -> Path:
    rows = [
        ["Booking date", "Text", "Credit", "Balance"],
        ["2026-03-14", "TIKTOK SHOP PAYOUT 34001", "74.49", "1074.49"],
        ["2026-03-15", "RENT", "-900.00", "174.49"],
    ]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _answer_dialog(picks: dict[str, str], seen: dict[str, object]) -> None:
    """When the dialog is up: note what it guessed, pick the columns, press OK."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, BankMappingDialog)
    seen["guess"] = dialog.mapping()
    seen["bank"] = dialog.bank()
    dialog.bank_name.setCurrentText("Harbor Bank")  # a new bank: the guess again
    for role, header in picks.items():
        dialog.pickers[role].setCurrentText(header)
    dialog.accept()


def test_the_bank_dialog_maps_columns_and_the_deposit_matches_its_payment(
    page: PayoutsPage, settle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _bank_csv(tmp_path / "bank.csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    seen: dict[str, object] = {}
    QTimer.singleShot(0, lambda: _answer_dialog({"reference": "Text"}, seen))
    page.bank_button.click()
    settle()
    # Guessed from the headers: the booking date and the credit column; no reference yet.
    assert seen["guess"] == {"date": "Booking date", "amount": "Credit"}
    assert bank.mapping_for("Harbor Bank") == {
        "date": "Booking date", "amount": "Credit", "reference": "Text",
    }  # fmt: skip
    page.refresh()
    settle()
    rows = {page.payments.row(n).payment_id: page.payments.row(n)
            for n in range(page.payments.rowCount())}  # fmt: skip
    deposit = rows["34001"].deposit
    assert deposit is not None and deposit.amount == SETTLED
    assert "34001" in deposit.reference
    assert rows["34002"].deposit is None  # 20.00 never reached the bank


def test_a_remembered_bank_mapping_is_offered_for_that_bank(qtbot, tmp_path: Path) -> None:
    from tiktok_console.sync.payouts.bank_csv import preview

    found = preview(_bank_csv(tmp_path / "bank.csv"))
    remembered = {"Harbor Bank": {"date": "Booking date", "amount": "Balance", "reference": "Text"}}
    dialog = BankMappingDialog(found, ["Other Bank", "Harbor Bank"], remembered, "usd")
    qtbot.addWidget(dialog)
    assert dialog.mapping() == {"date": "Booking date", "amount": "Credit"}  # Other Bank: a guess
    dialog.bank_name.setCurrentText("Harbor Bank")
    assert dialog.mapping() == remembered["Harbor Bank"]
    assert dialog.currency_code() == "USD"
    dialog.pickers["amount"].setCurrentText("(none)")
    assert "amount" not in dialog.mapping()
