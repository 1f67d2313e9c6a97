"""Rows of a settlement export become lines whose money adds up, or says why not."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_headers import match_headers
from tiktok_console.domain.settlement_lines import Check, LineKind, dedupe_key, read_id
from tiktok_console.domain.settlement_merge import merge_lines
from tiktok_console.domain.settlement_rows import RowReader

HEADERS = [
    "Order/adjustment ID",
    "Type",
    "Order created time(UTC)",
    "Order settled time(UTC)",
    "Currency",
    "Total settlement amount",
    "Total revenue",
    "Subtotal before discounts",
    "Seller discounts",
    "Total fees",
    "Transaction fee",
    "Referral fee",
    "Related order ID",
    "SKU ID",
]


def _row(**cells: object) -> list[object]:
    base: dict[str, object] = {
        "Order/adjustment ID": "576461413000000001",
        "Type": "Order",
        "Order created time(UTC)": "2026/01/02 10:00:00",
        "Order settled time(UTC)": "2026/01/12 03:00:00",
        "Currency": "USD",
        "Total settlement amount": "$82.40",
        "Total revenue": "$90.00",
        "Subtotal before discounts": "$100.00",
        "Seller discounts": "($10.00)",
        "Total fees": "(7.60)",
        "Transaction fee": "-2.20",
        "Referral fee": "-5.40",
        "Related order ID": "",
        "SKU ID": 1729000111.0,
    }
    base.update({k.replace("_", " "): v for k, v in cells.items()})
    return [base[h] for h in HEADERS]


def _reader() -> RowReader:
    return RowReader(match_headers(HEADERS, "US"), currency="USD")


def test_an_order_row_adds_up_and_total_fees_is_not_added_to_its_parts() -> None:
    result = _reader().read(_row(), 3)
    line = result.line
    assert line is not None and result.problems == ()
    assert line.kind is LineKind.ORDER and line.order_id == "576461413000000001"
    assert line.sku_id == "1729000111"
    assert line.settlement == Decimal("82.40") and line.adds_up and line.flags == ()
    assert Field.FEES not in line.parts and Field.REVENUE not in line.parts
    assert sum(line.parts.values()) == line.settlement
    assert line.settled_time == datetime(2026, 1, 12, 3, tzinfo=UTC)
    assert line.money(Field.REFERRAL_FEE).amount == Decimal("-5.40")


def test_a_settlement_that_is_not_its_parts_is_flagged_with_the_difference() -> None:
    line = _reader().read(_row(**{"Total settlement amount": "81.03"}), 3).line
    assert line is not None and not line.adds_up
    assert [(f.check, f.difference) for f in line.flags] == [(Check.SUM, Decimal("-1.37"))]
    assert line.settlement == Decimal("81.03")


def test_a_total_that_disagrees_with_its_parts_is_flagged_and_the_parts_count() -> None:
    line = _reader().read(_row(**{"Total fees": "-9.99"}), 3).line
    assert line is not None and line.adds_up
    assert [(f.check, f.field, f.difference) for f in line.flags] == [
        (Check.TOTAL, Field.FEES, Decimal("-2.39"))
    ]


def test_a_total_without_its_parts_stands_for_itself() -> None:
    headers = ["Order ID", "Total settlement amount", "Total revenue", "Total fees"]
    line = RowReader(match_headers(headers, "US"), "USD").read(["1", "8", "10", "-2"], 2).line
    assert line is not None and line.adds_up
    assert line.parts == {Field.REVENUE: Decimal(10), Field.FEES: Decimal(-2)}


def test_an_id_spreadsheet_rounded_is_reported_and_the_line_kept() -> None:
    for cell in ("5.78E+18", 5.78e18, "5,78E+18"):
        line = _reader().read(_row(**{"Order/adjustment ID": cell}), 9).line
        assert line is not None
        assert line.order_id == "" and line.kind is LineKind.ORDER
        assert line.lost_ids is not None and Field.ORDER_ID in line.lost_ids
        assert any(f.check is Check.LOST_DIGITS for f in line.flags)
        assert line.settlement == Decimal("82.40")
    assert read_id(123456.0) == ("123456", False)
    assert read_id("'576461413000000001") == ("576461413000000001", False)
    assert read_id(2.0**60)[1]


def test_an_adjustment_row_carries_its_own_id_and_the_related_order() -> None:
    row = _row(
        **{
            "Order/adjustment ID": "7200000000000000042",
            "Type": "Logistics reimbursement",
            "Total settlement amount": "4.50",
            "Total revenue": "",
            "Subtotal before discounts": "",
            "Seller discounts": "",
            "Total fees": "",
            "Transaction fee": "",
            "Referral fee": "",
            "Related order ID": "576461413000000001",
        }
    )
    line = _reader().read(row, 4).line
    assert line is not None and line.kind is LineKind.ADJUSTMENT
    assert line.adjustment_id == "7200000000000000042"
    assert line.order_id == "576461413000000001"
    assert line.settlement == Decimal("4.50") and line.parts == {}


def test_unreadable_cells_are_reported_with_row_and_column_and_the_rest_kept() -> None:
    result = _reader().read(_row(**{"Referral fee": "five", "Order created time(UTC)": "soon"}), 7)
    assert result.line is not None
    assert {(p.row, p.column, p.field) for p in result.problems} == {
        (7, 11, Field.REFERRAL_FEE),
        (7, 2, Field.ORDER_CREATED),
    }
    assert not result.line.adds_up  # the fee it could not read is missing from the sum


def test_an_amount_in_another_currency_is_a_problem() -> None:
    result = _reader().read(_row(**{"Transaction fee": "-2,20 EUR"}), 5)
    assert [p.message for p in result.problems] == ["in EUR, the line is in USD"]


def test_blank_rows_hold_no_line() -> None:
    result = _reader().read([""] * len(HEADERS), 10)
    assert result.line is None and result.blank


def test_the_same_file_twice_counts_each_settlement_once() -> None:
    reader = _reader()
    lines = [reader.read(_row(), 2).line, reader.read(_row(**{"SKU ID": "42"}), 3).line]
    first = merge_lines([], [x for x in lines if x])
    again = merge_lines(first.lines, [x for x in lines if x])
    assert (again.added, again.duplicates, again.conflicts) == (0, 2, ())
    assert len(again.lines) == 2


def test_a_line_the_api_already_gave_is_confirmed_and_a_different_one_is_a_conflict() -> None:
    imported = _reader().read(_row(), 2).line
    assert imported is not None
    api = imported._replace(source="api", settled_time=datetime(2026, 1, 12, 3, 0, 59, tzinfo=UTC))
    merged = merge_lines([api], [imported])
    assert merged.duplicates == 1 and dedupe_key(imported) in merged.confirmed
    moved = imported._replace(settlement=Decimal("80.00"))
    clash = merge_lines([api], [moved])
    assert len(clash.lines) == 1 and clash.lines[0].source == "api"
    assert [c.other.settlement for c in clash.conflicts] == [Decimal("80.00")]


cents = st.decimals(min_value=-1000, max_value=1000, places=2)


@given(revenue=cents, transaction=cents, referral=cents, error=cents)
def test_a_line_adds_up_exactly_when_its_settlement_is_its_parts(
    revenue: Decimal, transaction: Decimal, referral: Decimal, error: Decimal
) -> None:
    headers = [
        "Order ID",
        "Total settlement amount",
        "Total revenue",
        "Transaction fee",
        "Referral fee",
    ]
    reader = RowReader(match_headers(headers, "US"), "USD")
    total = revenue + transaction + referral
    cells = [str(x) for x in (total + error, revenue, transaction, referral)]
    line = reader.read(["9", *cells], 2).line
    assert line is not None
    assert line.adds_up == (error == 0)
    if error:
        assert line.flags[0].difference == error


def test_a_row_with_words_but_no_id_or_amount_is_reported_not_dropped() -> None:
    cells: list[object] = [""] * len(HEADERS)
    cells[1] = "Order"
    result = _reader().read(cells, 12)
    assert result.line is None and not result.blank
    assert [(p.row, p.message) for p in result.problems] == [(12, "no id and no amount")]
