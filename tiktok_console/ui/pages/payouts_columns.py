"""The Payouts page's table columns: orders, payments, statements."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import IntEnum

from tiktok_console.domain.payout_calendar import Bridge
from tiktok_console.domain.payout_matching import PaymentReconciliation
from tiktok_console.storage.payouts.finance import StatementRecord
from tiktok_console.storage.payouts.results import ResultRow
from tiktok_console.ui.cell_text import iso_local, local_time, money_text
from tiktok_console.ui.pages.payouts_detail import cause_text
from tiktok_console.ui.table_model import RIGHT, Column
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING

STATUS_COLORS = {
    "matched": SUCCESS, "explained": SUCCESS, "unexplained": DANGER, "unsettled": MUTED,
}  # fmt: skip
_ROUTINE = {
    "referral_fee", "commission_fee", "transaction_fee", "affiliate_commission", "sfp_fee",
    "other_fee", "shipping_cost", "shipping_subsidy", "buyer_paid_shipping", "tax",
}  # fmt: skip


class OrderColumn(IntEnum):
    ORDER = 0
    SHOPIFY = 1
    EXPECTED = 2
    SETTLED = 3
    VARIANCE = 4
    STATUS = 5
    CAUSE = 6
    UNEXPLAINED = 7
    REVIEWED = 8


def main_cause(row: ResultRow) -> str:
    """The cause worth reading first: unexplained, else any beyond the routine fees."""
    causes = row.causes
    for cause, _amount, note in causes:
        if cause in ("unexplained", "adjustment_without_order"):
            # The status already says "Unexplained": the note is what to read.
            return note[0].upper() + note[1:] if note else cause_text(cause)
    named = [cause_text(c) for c, _, _ in causes if c not in _ROUTINE]
    return ", ".join(named) or "Fees and shipping only"


def order_columns(reviewed: Callable[[str], str]) -> list[Column[ResultRow]]:
    money = lambda pick: lambda r: money_text(pick(r), r.currency)  # noqa: E731
    return [
        Column("Order", lambda r: r.order_id or r.adjustment_id or "(no order)", width=172),
        Column("Shopify", lambda r: r.shopify_order or "—", width=76),
        Column("Expected", money(lambda r: r.expected), sort_key=lambda r: r.expected,
               align=RIGHT, export=lambda r: str(r.expected), width=90),
        Column("Settled", money(lambda r: r.settled), sort_key=lambda r: r.settled,
               align=RIGHT, export=lambda r: str(r.settled), width=90),
        Column("Variance", money(lambda r: r.variance), sort_key=lambda r: r.variance,
               align=RIGHT, export=lambda r: str(r.variance), width=90),
        Column("Status", lambda r: r.status.capitalize(), width=108,
               color=lambda r: STATUS_COLORS.get(r.status), export=lambda r: r.status),
        Column("Cause", main_cause, tooltip=main_cause),
        Column("Unexplained", lambda r: money_text(r.unexplained, r.currency) if r.unexplained
               else "", sort_key=lambda r: abs(r.unexplained), align=RIGHT,
               color=lambda r: DANGER if r.unexplained else None,
               export=lambda r: str(r.unexplained), width=112),
        Column("Reviewed", lambda r: reviewed(r.subject),
               tooltip=lambda r: reviewed(r.subject), width=90),
    ]  # fmt: skip


class PaymentColumn(IntEnum):
    PAYMENT = 0
    AMOUNT = 1
    SETTLED = 2
    BANK = 3
    STATUS = 4
    WHY = 5


def _bank(p: PaymentReconciliation) -> str:
    if p.deposit is None:
        return "Not in the bank yet"
    if p.deposit.deposit_id.startswith("hand:"):
        return f"Marked received {p.deposit.booked_on.isoformat()}"
    return f"{p.deposit.booked_on.isoformat()} {p.deposit.reference}".strip()


def _why(p: PaymentReconciliation) -> str:
    parts = [f"{cause_text(c.cause.value)} {money_text(c.amount, p.currency)}"
             + (f" ({c.note})" if c.note else "") for c in (*p.causes, *p.bank_causes)]  # fmt: skip
    return "; ".join(parts) or "Matches its statements and the bank"


def payment_columns() -> list[Column[PaymentReconciliation]]:
    return [
        Column("Payment", lambda p: p.payment_id, width=160),
        Column("Paid", lambda p: money_text(p.paid, p.currency), sort_key=lambda p: p.paid,
               align=RIGHT, export=lambda p: str(p.paid), width=100),
        Column("Settled", lambda p: money_text(p.settled, p.currency),
               sort_key=lambda p: p.settled, align=RIGHT, export=lambda p: str(p.settled),
               width=100),
        Column("Bank", _bank, tooltip=_bank, width=200,
               color=lambda p: WARNING if p.deposit is None else None),
        Column("Status", lambda p: p.status.value.capitalize(), width=100,
               color=lambda p: STATUS_COLORS.get(p.status.value), export=lambda p: p.status.value),
        Column("Why", _why, tooltip=_why),
    ]  # fmt: skip


class StatementColumn(IntEnum):
    STATEMENT = 0
    TIME = 1
    SETTLEMENT = 2
    PAYMENT = 3
    STATUS = 4
    SOURCE = 5


def statement_columns() -> list[Column[StatementRecord]]:
    return [
        Column("Statement", lambda s: s.statement_id, width=170),
        Column("Time", lambda s: local_time(s.statement_time), sort_key=lambda s: s.statement_time,
               export=lambda s: iso_local(s.statement_time), width=130),
        Column("Settlement", lambda s: money_text(s.settlement_amount, s.currency),
               sort_key=lambda s: s.settlement_amount, align=RIGHT,
               export=lambda s: str(s.settlement_amount), width=110),
        Column("Payment", lambda s: s.payment_id or "—", width=160),
        Column("Payment status", lambda s: s.payment_status.capitalize() or "—", width=110),
        Column("Source", lambda s: {"api": "TikTok API", "import": "Imported export",
                                    "both": "API and export"}.get(s.source, s.source)),
    ]  # fmt: skip


class MonthColumn(IntEnum):
    MONTH = 0
    BY_ORDER_DATE = 1
    NOT_SETTLED = 9


# Month -> (title, the bridge's part, its tooltip): the order-date side to the settlement-date
# side, then to what was paid.
_MONTH_PARTS: tuple[tuple[str, str, str, int], ...] = (
    ("By order date", "by_order_date", "Settled money of the orders placed in the month", 116),
    ("Settles later", "settles_later", "Of those, settled after the month ended", 104),
    ("Earlier orders", "from_earlier_orders", "Settled in the month for earlier orders", 116),
    ("No order", "without_order_date", "Settled in the month, tied to no order", 84),
    ("By settled date", "by_settlement_date", "Everything settled in the month", 122),
    ("Reserve", "reserve", "Held back (or released) by TikTok in the month", 84),
    ("In transit", "in_transit", "Settled in the month, paid after it", 90),
    ("Paid", "paid", "Payouts paid in the month", 96),
    ("Not settled", "unsettled_forecast", "The month's orders TikTok has not settled yet", 100),
)


def month_columns() -> list[Column[Bridge]]:
    """The two calendars, one month a row (plain amounts: the shop's currency)."""
    columns: list[Column[Bridge]] = [
        Column("Month", lambda b: b.first.strftime("%b %Y"), sort_key=lambda b: b.first,
               export=lambda b: b.first.strftime("%Y-%m"), width=90,
               tooltip=lambda b: "" if b.balanced else "The two calendars do not meet"),
    ]  # fmt: skip
    for title, name, note, width in _MONTH_PARTS:
        columns.append(
            Column(title, _amount(name), sort_key=_part(name), align=RIGHT,
                   export=_exact(name), tooltip=_said(note), width=width)
        )  # fmt: skip
    return columns


def _part(name: str) -> Callable[[Bridge], Decimal]:
    return lambda b: Decimal(getattr(b, name))


def _exact(name: str) -> Callable[[Bridge], str]:
    return lambda b: str(getattr(b, name))


def _said(note: str) -> Callable[[Bridge], str]:
    return lambda _b: note


def _amount(name: str) -> Callable[[Bridge], str]:
    return lambda b: f"{Decimal(getattr(b, name)):,.2f}"
