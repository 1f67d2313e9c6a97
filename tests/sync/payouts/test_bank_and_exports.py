"""The bank leg and the accountant's exports, on a real database with no network.

A bank CSV is mapped once (remembered per bank), its credits become
deposits (imported twice: stored once), and each payment is matched to its
deposit by reference or by amount within days, or marked received by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import peewee
import pytest
from openpyxl import load_workbook

from tests.sync.payouts.export_files import TOTALS, awkward_export
from tiktok_console.domain.reconciliation_inputs import Payment
from tiktok_console.storage.database import open_database
from tiktok_console.storage.payouts import bank, finance
from tiktok_console.sync.payouts.bank_csv import BankCsvError, import_bank_csv, preview
from tiktok_console.sync.payouts.exports import summary_rows, write_xlsx
from tiktok_console.sync.payouts.importing import import_settlements
from tiktok_console.sync.payouts.reconciling import payment_results

PAID = datetime(2026, 3, 2, 8, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    database = open_database(tmp_path / "db.sqlite3")
    yield database
    database.close()


def _payment(payment_id: str, amount: str) -> None:
    record = finance.PaymentRecord(
        Payment(payment_id, "USD", Decimal(amount), paid_at=PAID), "PAID", PAID
    )
    finance.store_payment(record, "{}")


def _bank_file(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Posted Date", "Details", "Money In", "Balance"])
        writer.writerows(rows)
    return path


def test_deposits_match_payments_by_reference_amount_or_by_hand(
    database: peewee.SqliteDatabase, tmp_path: Path
) -> None:
    _payment("34001", "120.50")  # named in the bank's reference
    _payment("34002", "80.00")  # same amount, two days later
    _payment("34003", "55.10")  # never reaches this bank file
    _payment("34004", "12.00")  # the merchant marks it received
    path = _bank_file(tmp_path / "bank.csv", [
        ["03/03/2026", "TIKTOK SHOP PAYOUT 34001", "$120.50", "1000"],
        ["03/04/2026", "TTS SETTLEMENT", "80.00", "1080"],
        ["03/04/2026", "Card payment", "-15.00", "1065"],
    ])  # fmt: skip
    shown = preview(path)
    assert shown.guess == {"date": "Posted Date", "amount": "Money In", "reference": "Details"}
    first = import_bank_csv(path, "Harbor Bank", shown.guess, "USD")
    assert (first.deposits, first.added, first.skipped_debits) == (2, 2, 1)
    again = import_bank_csv(path, "Harbor Bank", shown.guess, "USD")
    assert again.added == 0 and bank.deposit_count() == 2
    assert bank.mapping_for("Harbor Bank") == shown.guess
    assert finance.mark_received("34004", True)
    results = {r.payment_id: r for r in payment_results(PAID.date())}
    assert results["34001"].deposit is not None
    assert results["34001"].deposit.reference.endswith("34001")
    assert results["34002"].deposit is not None
    assert results["34002"].deposit.amount == Decimal("80.00")
    assert results["34003"].deposit is None
    assert results["34003"].bank_causes[0].cause.value == "not_deposited_yet"
    assert results["34004"].deposit is not None
    # Overdue, but the bank file stops on 03-04: nobody knows yet whether it arrived.
    unknown = {r.payment_id: r for r in payment_results(datetime(2026, 4, 1).date())}
    assert unknown["34003"].status.value == "unsettled"
    assert "no bank statement imported covers" in unknown["34003"].bank_causes[0].note
    # A later statement of the bank, past the day it was due, without it: unexplained.
    later = _bank_file(tmp_path / "bank-march.csv", [["03/20/2026", "INTEREST", "0.50", "1065.50"]])
    import_bank_csv(later, "Harbor Bank", shown.guess, "USD")
    late = {r.payment_id: r for r in payment_results(datetime(2026, 4, 1).date())}
    assert late["34003"].status.value == "unexplained"


def test_a_mapping_without_an_amount_column_is_refused(
    database: peewee.SqliteDatabase, tmp_path: Path
) -> None:
    path = _bank_file(tmp_path / "bank.csv", [["2026-03-03", "x", "1.00", "1"]])
    with pytest.raises(BankCsvError, match="amount"):
        import_bank_csv(path, "Harbor Bank", {"date": "Posted Date"}, "USD")
    assert bank.deposit_count() == 0 and bank.mapping_for("Harbor Bank") is None


def test_the_accountant_workbook_sums_to_the_export(
    database: peewee.SqliteDatabase, tmp_path: Path
) -> None:
    import_settlements([awkward_export(tmp_path / "statement.xlsx")], currency="USD")
    summary = summary_rows()
    net = sum((row[-1] for row in summary), Decimal(0))
    reserve = sum((row[-2] for row in summary), Decimal(0))
    assert net == TOTALS["settlement"] and reserve == TOTALS["reserve_amount"]
    statements, lines = write_xlsx(tmp_path / "payouts.xlsx")
    book = load_workbook(tmp_path / "payouts.xlsx")
    assert book.sheetnames == ["Summary", "Lines"]
    assert book["Summary"].max_row == statements + 1 and book["Lines"].max_row == lines + 1
