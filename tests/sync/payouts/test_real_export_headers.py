"""Exports with the column names real exports use (see ``domain.settlement_headers``' sources)
import to exactly the money they hold, as CSV or XLSX; a broken file says what is wrong.

Each example writes an export of one region's real headers (a random choice of
its columns, in a random order, with random amounts whose totals add up the way
that region's export adds them) and reads it back: every column is known,
every line adds up, and each amount lands in its field.
"""

from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tiktok_console.domain.settlement_fields import Field
from tiktok_console.sync.payouts.settlement_reader import read_settlement
from tiktok_console.sync.payouts.settlement_report import SettlementReadError

F = Field
IDS = {"Order/adjustment ID": F.ORDER_ID, "Type": F.TYPE, "Currency": F.CURRENCY}
# Header as the export writes it -> field; totals are computed from the parts.
SOURCED: dict[str, dict[str, object]] = {
    # shared/api/seller-center-exports.md (a US statement export).
    "US": {
        "times": {"Order created time(UTC)": F.ORDER_CREATED,
                  "Order settled time(UTC)": F.SETTLED_TIME},
        "revenue": {"Subtotal before discounts": F.SUBTOTAL_BEFORE_DISCOUNTS,
                    "Seller discounts": F.SELLER_DISCOUNTS},
        "fees": {"Transaction fee": F.TRANSACTION_FEE, "Referral fee": F.REFERRAL_FEE,
                 "Affiliate commission": F.AFFILIATE_COMMISSION},
        "shipping": {},
        "totals": ("Total revenue", "Total fees"),
    },
    # A Malaysian seller's converter of the income export (trailing spaces as written).
    "SEA": {
        "times": {"Order settled time(UTC)": F.SETTLED_TIME},
        "revenue": {"Subtotal before discounts": F.SUBTOTAL_BEFORE_DISCOUNTS},
        "fees": {"Transaction fee": F.TRANSACTION_FEE,
                 "TikTok Shop commission fee": F.COMMISSION_FEE,
                 "SFP service fee": F.SFP_SERVICE_FEE,
                 "Affiliate Shop Ads commission ": F.AFFILIATE_ADS_COMMISSION,
                 "Affiliate commission ": F.AFFILIATE_COMMISSION,
                 "Affiliate partner commission ": F.AFFILIATE_PARTNER_COMMISSION},
        "shipping": {"Actual shipping fee ": F.ACTUAL_SHIPPING_FEE,
                     "Platform shipping fee discount": F.PLATFORM_SHIPPING_DISCOUNT,
                     "Customer shipping fee": F.CUSTOMER_SHIPPING_FEE},
        "totals": ("Total revenue", "Seller shipping fee"),
    },
    # TikTok's field guide for the Indonesian order detail tables.
    "ID": {
        "times": {"Time(Timezone=UTC)": F.SETTLED_TIME},
        "revenue": {"Subtotal before discounts": F.SUBTOTAL_BEFORE_DISCOUNTS,
                    "Seller discounts": F.SELLER_DISCOUNTS},
        "fees": {},
        "shipping": {},
        "totals": (),
    },
}  # fmt: skip
PREFER = {"US": "US", "SEA": "SEA", "ID": "SEA"}
CENTS = st.integers(min_value=0, max_value=10**7).map(lambda c: Decimal(c) / 100)


def _some(draw: st.DrawFn, columns: dict[str, Field], keep_one: bool) -> dict[str, Field]:
    if not columns:
        return {}
    names = draw(st.lists(st.sampled_from(sorted(columns)), unique=True, min_size=int(keep_one)))
    return {n: columns[n] for n in names}


@st.composite
def exports(
    draw: st.DrawFn,
) -> tuple[str, list[str], list[list[object]], list[dict[Field, Decimal]]]:
    """A region, its headers (shuffled), rows of text cells, and what each row must read as."""
    region = draw(st.sampled_from(sorted(SOURCED)))
    spec = SOURCED[region]
    revenue = _some(draw, spec["revenue"], keep_one=True)  # type: ignore[arg-type]
    fees = _some(draw, spec["fees"], keep_one=False)  # type: ignore[arg-type]
    shipping = _some(draw, spec["shipping"], keep_one=False)  # type: ignore[arg-type]
    totals: tuple[str, ...] = spec["totals"]  # type: ignore[assignment]
    headers = [*IDS, *spec["times"], "Total settlement amount", *revenue, *fees, *shipping,  # type: ignore[misc]
               *totals]  # fmt: skip
    headers = draw(st.permutations(headers))
    rows, wanted = [], []
    for n in range(draw(st.integers(min_value=1, max_value=4))):
        amounts: dict[Field, Decimal] = {}
        cells: dict[str, object] = {
            "Order/adjustment ID": f"57646141300000{n:04d}",
            "Type": "Order",
            "Currency": "MYR" if region == "SEA" else "USD",
        }
        for name in spec["times"]:  # type: ignore[attr-defined]
            cells[name] = "2026/03/12"
        sums = {"revenue": Decimal(0), "fees": Decimal(0), "shipping": Decimal(0)}
        for group, columns, sign in (("revenue", revenue, 1), ("fees", fees, -1),
                                     ("shipping", shipping, -1)):  # fmt: skip
            for name, field in columns.items():
                amount = draw(CENTS) * sign
                if field is F.SELLER_DISCOUNTS:
                    amount = -amount
                if field is F.CUSTOMER_SHIPPING_FEE:
                    amount = -amount  # the buyer's shipping is paid to the seller
                cells[name] = str(amount)
                amounts[field] = amount
                sums[group] += amount
        if "Total revenue" in totals:
            cells["Total revenue"] = str(sums["revenue"])
        if "Total fees" in totals:  # the US export counts seller shipping inside it
            cells["Total fees"] = str(sums["fees"] + sums["shipping"])
        if "Seller shipping fee" in totals:
            cells["Seller shipping fee"] = str(sums["shipping"])
        settlement = sum(sums.values(), Decimal(0))
        cells["Total settlement amount"] = str(settlement)
        amounts[F.SETTLEMENT] = settlement
        rows.append([cells.get(h, "") for h in headers])
        wanted.append(amounts)
    return PREFER[region], headers, rows, wanted


def _write(folder: Path, as_xlsx: bool, headers: list[str], rows: list[list[object]]) -> Path:
    if as_xlsx:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Order Details"
        for row in (headers, *rows):
            sheet.append(row)
        path = folder / "income.xlsx"
        book.save(path)
        return path
    path = folder / "income.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows([headers, *rows])
    return path


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.booleans())
def test_real_headers_import_to_exactly_the_money_they_hold(
    export: tuple[str, list[str], list[list[object]], list[dict[Field, Decimal]]], as_xlsx: bool
) -> None:
    prefer, headers, rows, wanted = export
    with tempfile.TemporaryDirectory() as folder:
        read = read_settlement(_write(Path(folder), as_xlsx, headers, rows), prefer=prefer)
    assert read.report.unknown_columns == ()
    assert read.report.cells == ()
    assert len(read.lines) == len(wanted)
    for line, amounts in zip(read.lines, wanted, strict=True):
        assert line.adds_up, line.flags
        assert line.settlement == amounts[F.SETTLEMENT]
        for field, amount in amounts.items():
            if field is not F.SETTLEMENT:
                assert line.part(field) == amount, field
        assert line.settled_time is not None and line.settled_time.day == 12


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"", "income.csv", "No settlement columns"),
        (b"\xef\xbb\xbf", "income.csv", "No settlement columns"),
        (b"Order/adjustment ID;Type\n", "income.csv", "No settlement columns"),
        (b"", "income.xlsx", "not a settlement export"),
    ],
)
def test_an_empty_or_headless_file_says_what_is_missing(
    tmp_path: Path, content: bytes, name: str, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SettlementReadError, match=says):
        read_settlement(path)


def test_a_workbook_cut_short_in_the_download_says_to_export_it_again(tmp_path: Path) -> None:
    whole = _write(tmp_path, True, ["Order/adjustment ID", "Type", "Total settlement amount"],
                   [["576461413000000001", "Order", "10.00"]])  # fmt: skip
    data = whole.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(SettlementReadError, match="Export it again from Seller Center"):
        read_settlement(cut)
