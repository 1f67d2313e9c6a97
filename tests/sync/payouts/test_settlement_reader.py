"""A Seller Center settlement export imports to exactly the totals it states, offline."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.sync.payouts.export_files import (
    ORDER_A,
    ORDER_HEADERS,
    TOTALS,
    awkward_export,
    big_export,
)
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import Check, LineKind
from tiktok_console.sync.payouts.settlement_reader import (
    BATCH,
    SettlementReadCancelled,
    SettlementReadError,
    read_settlement,
)


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return awkward_export(tmp_path_factory.mktemp("export") / "statement.xlsx")


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_the_awkward_export_imports_to_exactly_the_totals_it_holds(
    awkward: Path, engine: str
) -> None:
    read = read_settlement(awkward, currency="USD", engine=engine)
    report = read.report
    assert report.engine == engine
    assert {f.value: v for f, v in report.totals.items()} == TOTALS
    assert {f.value: v for f, v in report.summary.items()} == TOTALS
    assert report.summary_mismatches == {}
    kinds = sorted(line.kind.value for line in read.lines)
    assert kinds == ["adjustment", "order", "order", "refund", "reserve"]
    assert report.duplicate_lines == 1 and report.conflicts == ()
    assert report.cells == ()
    orders = report.sheets[0]
    assert (orders.name, orders.region, orders.header_row) == ("Order Details", "US", 2)
    assert orders.explanation_row == 3
    assert orders.unknown_columns == ("Warehouse note",)
    assert (orders.rows, orders.lines) == (5, 4)
    assert [s.name for s in report.sheets] == ["Order Details", "Reserve Details", "Adjustments"]


def test_every_line_adds_up_and_total_fees_is_counted_once(awkward: Path) -> None:
    lines = read_settlement(awkward, currency="USD").lines
    first = next(x for x in lines if x.order_id == ORDER_A[0] and x.kind is LineKind.ORDER)
    assert first.settlement == Decimal("65.49") and first.adds_up
    assert first.part(Field.REFERRAL_FEE) == Decimal("-5.40")
    assert first.part(Field.AFFILIATE_COMMISSION) == Decimal("-9.00")
    assert Field.FEES not in first.parts and Field.SHIPPING not in first.parts
    assert sum(first.parts.values()) == first.settlement
    assert first.sku_id == "1729000111" and first.quantity == 2
    assert all(line.adds_up for line in lines)


def test_the_rounded_id_is_reported_and_its_line_kept(awkward: Path) -> None:
    read = read_settlement(awkward, currency="USD")
    [lost] = read.report.lost_digits
    assert (lost.sheet, lost.row, lost.shown) == ("Order Details", 5, "5.78E+18")
    assert lost.column == "A (Order/adjustment ID)"
    line = next(x for x in read.lines if x.lost_ids)
    assert line.order_id == "" and line.sku_id == "1729000222"
    assert line.settlement == Decimal("41.45")
    assert [f.check for f in line.flags] == [Check.LOST_DIGITS]


def test_the_adjustment_and_the_reserve_carry_their_own_ids(awkward: Path) -> None:
    lines = read_settlement(awkward, currency="USD").lines
    adjustment = next(x for x in lines if x.kind is LineKind.ADJUSTMENT)
    assert adjustment.adjustment_id == "7200000000000000042" and adjustment.order_id == ""
    assert adjustment.settlement == Decimal("-4.50")
    reserve = next(x for x in lines if x.kind is LineKind.RESERVE)
    assert reserve.adjustment_id == "9100000000000000007"
    assert reserve.amounts[Field.RESERVE_AMOUNT] == Decimal("-4.21")


def test_importing_the_same_file_twice_counts_nothing_twice(awkward: Path) -> None:
    from tiktok_console.domain.settlement_merge import merge_lines

    first = read_settlement(awkward, currency="USD").lines
    again = merge_lines(first, read_settlement(awkward, currency="USD").lines)
    assert (again.added, again.duplicates, len(again.lines)) == (0, len(first), len(first))


def test_unreadable_cells_are_listed_with_row_and_column(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Order Details"
    sheet.append([h.strip() for h in ORDER_HEADERS])
    broken = list(ORDER_A)
    broken[10] = "two dollars"
    broken[3] = "yesterday"
    sheet.append(broken)
    book.save(tmp_path / "broken.xlsx")
    read = read_settlement(tmp_path / "broken.xlsx", currency="USD")
    cells = {(c.row, c.column, c.value) for c in read.report.cells}
    assert cells == {
        (2, "K (Transaction fee)", "two dollars"),
        (2, "D (order settled time(UTC))", "yesterday"),
    }
    [line] = read.lines
    assert not line.adds_up  # the fee it could not read is missing, and it says so
    assert line.flags[0].difference == Decimal("-2.61")


def test_a_csv_export_reads_like_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(ORDER_HEADERS)
        writer.writerow(ORDER_A)
        writer.writerow(["5.78E+18", *ORDER_A[1:]])
    read = read_settlement(path, currency="USD")
    assert read.report.engine == "csv"
    assert [line.settlement for line in read.lines] == [Decimal("65.49"), Decimal("65.49")]
    assert [d.shown for d in read.report.lost_digits] == ["5.78E+18"]
    assert read.report.unknown_columns == ("Warehouse note",)


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"PK\x03\x04 this is not really a zip", "statement.xlsx", "not a settlement export"),
        (b"\x00\x01\x02binary", "statement.csv", "not a text CSV"),
        (b"name,email\nAda,ada@example.com\n", "contacts.csv", "No settlement columns"),
    ],
)
def test_a_broken_file_gives_a_clear_error(
    tmp_path: Path, content: bytes, name: str, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SettlementReadError, match=says):
        read_settlement(path)


def test_a_workbook_without_settlement_columns_names_the_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Order Details"
    sheet.append(["Product", "Stock"])
    book.save(tmp_path / "stock.xlsx")
    with pytest.raises(SettlementReadError, match=r'sheet "Order Details".*Product, Stock'):
        read_settlement(tmp_path / "stock.xlsx")
    with pytest.raises(SettlementReadError, match="is not a file"):
        read_settlement(tmp_path / "missing.xlsx")


def test_progress_is_reported_and_cancel_stops_the_import(tmp_path: Path) -> None:
    path = big_export(tmp_path / "big.xlsx", BATCH + 10)
    seen: list[tuple[int, int]] = []
    read = read_settlement(path, currency="USD", progress=lambda d, t, _: seen.append((d, t)))
    assert len(read.lines) == BATCH + 10
    assert seen[-1][0] == seen[-1][1] == BATCH + 11
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) >= 2
    with pytest.raises(SettlementReadCancelled):
        read_settlement(path, currency="USD", cancelled=lambda: True)


def test_an_imported_export_reconciles_offline(awkward: Path) -> None:
    from datetime import UTC, datetime

    from tiktok_console.domain.reconciliation import reconcile
    from tiktok_console.domain.reconciliation_inputs import (
        REGION_FEE_RATES,
        Cause,
        FeeRates,
        OrderSku,
        ShopifyOrder,
        ShopifyRefund,
        Status,
        TikTokOrder,
    )

    lines = read_settlement(awkward, currency="USD").lines
    a = TikTokOrder(
        ORDER_A[0], datetime(2026, 1, 2, 10, tzinfo=UTC), "USD", Decimal(100), Decimal(10),
        skus=(OrderSku("1729000111", 2, Decimal(100), Decimal(10)),), tiktok_shipped=True,
    )  # fmt: skip
    b = TikTokOrder(  # the order whose id the spreadsheet rounded to 5.78E+18
        "5780000000000012345", datetime(2026, 1, 3, 11, 30, tzinfo=UTC), "USD", Decimal(50),
        Decimal("4.5"), skus=(OrderSku("1729000222", 1, Decimal(50), Decimal("4.5")),),
    )  # fmt: skip
    shopify = ShopifyOrder(
        ORDER_A[0], "#1001", "USD", Decimal(90), (ShopifyRefund(Decimal(20), datetime.now(UTC)),)
    )
    us = REGION_FEE_RATES["US"]
    rates = FeeRates(us.rates, label_cost=Decimal("7.50"))
    result = reconcile([a, b], lines, [shopify], rates)
    assert result.resolved_lost_ids == 1
    first, second = result.orders
    assert (first.status, first.settled, first.variance) == (
        Status.EXPLAINED, Decimal("47.27"), Decimal("-42.73"),
    )  # fmt: skip
    assert {c.cause: c.amount for c in first.causes} == {
        Cause.REFUND: Decimal("-20.00"),
        Cause.REFERRAL_FEE: Decimal("-4.20"),
        Cause.TRANSACTION_FEE: Decimal("-2.03"),
        Cause.AFFILIATE_COMMISSION: Decimal("-9.00"),
        Cause.SHIPPING_COST: Decimal("-7.50"),
    }
    assert first.shopify_causes == ()
    assert second.status is Status.EXPLAINED and second.unexplained == 0
    assert second.shopify_causes[0].cause is Cause.SHOPIFY_ORDER_MISSING
    [adjustment] = result.unmatched
    assert adjustment.causes[0].cause is Cause.ADJUSTMENT_WITHOUT_ORDER
    assert result.unexplained_total == Decimal("-4.50")


def test_a_workbook_with_only_a_summary_says_so(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary"
    sheet.append(["Total settlement amount", "$1.00"])
    book.save(tmp_path / "summary.xlsx")
    with pytest.raises(SettlementReadError, match="no sheet of settlement lines"):
        read_settlement(tmp_path / "summary.xlsx")
