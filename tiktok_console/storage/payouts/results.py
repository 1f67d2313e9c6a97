"""The last reconciliation, kept so the Payouts page opens without reconciling again.

Reconciling a year takes a second or two; the page must open at once. Each
reconciliation replaces the rows in one transaction; the page reads them raw
(no peewee objects, causes decoded only when a row is opened), so 100,000
settlement lines' worth of orders load in a few hundred milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from tiktok_console.storage.database import db

ORDER, SKU, LOOSE = "order", "sku", "loose"


class Waterfall(NamedTuple):
    """An order's settlement, step by step (signed as TikTok signs them)."""

    revenue: Decimal
    fees: Decimal
    shipping: Decimal
    adjustments: Decimal
    settlement: Decimal


class ResultRow(NamedTuple):
    """One reconciled order, SKU of an order, or line tied to no order, as the page shows it."""

    subject: str
    order_id: str
    sku_id: str
    adjustment_id: str
    currency: str
    expected: Decimal
    settled: Decimal
    unexplained: Decimal
    status: str
    causes_json: str
    shopify_order: str | None
    statement_id: str
    lines: int
    waterfall_text: str

    @property
    def variance(self) -> Decimal:
        """Settled minus expected."""
        return self.settled - self.expected

    @property
    def causes(self) -> tuple[tuple[str, Decimal, str], ...]:
        """Each named part of the variance (cause, amount, note), Shopify's after."""
        return tuple((c, Decimal(a), n) for c, a, n in json.loads(self.causes_json))

    @property
    def waterfall(self) -> Waterfall | None:
        """Revenue, fees, shipping, adjustments, settlement (None for an unsettled order)."""
        if not self.waterfall_text:
            return None
        return Waterfall(*(Decimal(v) for v in self.waterfall_text.split("|")))

    @property
    def kind(self) -> str:
        """order, sku or loose."""
        return self.subject[: self.subject.index(":")]


_COLUMNS = (
    "subject, order_id, sku_id, adjustment_id, currency, expected, settled, unexplained, "
    "status, causes, shopify_order, statement_id, lines, waterfall"
)


def replace_results(rows: Iterable[ResultRow]) -> int:
    """The new reconciliation replaces the old (call inside a transaction)."""
    db.execute_sql("DELETE FROM payout_result_row")
    values = [
        (
            r.kind,
            r.subject,
            r.order_id,
            r.sku_id,
            r.adjustment_id,
            r.currency,
            str(r.expected),
            str(r.settled),
            str(r.unexplained),
            r.status,
            r.causes_json,
            r.shopify_order,
            r.statement_id,
            r.lines,
            r.waterfall_text,
        )
        for r in rows
    ]
    insert = f"INSERT INTO payout_result_row (kind, {_COLUMNS}) VALUES ({', '.join('?' * 15)})"  # noqa: S608
    db.cursor().executemany(insert, values)
    return len(values)


def results(
    kinds: tuple[str, ...] = (ORDER, LOOSE),
    unexplained_only: bool = False,
    limit: int | None = None,
) -> list[ResultRow]:
    """The stored results of some kinds; with ``limit``, the unexplained first."""
    marks = ", ".join("?" * len(kinds))
    where = f"WHERE kind IN ({marks})"
    if unexplained_only:
        where += " AND status = 'unexplained'"
    order = "ORDER BY status != 'unexplained', id" if limit is not None else "ORDER BY id"
    sql = f"SELECT {_COLUMNS} FROM payout_result_row {where} {order}"  # noqa: S608
    params: tuple[object, ...] = kinds
    if limit is not None:
        sql += " LIMIT ?"
        params = (*kinds, limit)
    new = tuple.__new__
    dec = Decimal
    out = []
    for row in db.execute_sql(sql, params):
        (s, o, k, a, c, e, st, u, status, causes, shop, stmt, n, w) = row
        out.append(
            new(
                ResultRow,
                (s, o, k, a, c, dec(e), dec(st), dec(u), status, causes, shop, stmt, n, w),
            )
        )
    return out


def result_count(kinds: tuple[str, ...] = (ORDER, LOOSE)) -> int:
    """How many results of these kinds are stored."""
    marks = ", ".join("?" * len(kinds))
    sql = f"SELECT COUNT(*) FROM payout_result_row WHERE kind IN ({marks})"  # noqa: S608
    return int(db.execute_sql(sql, kinds).fetchone()[0])


def skus_of(order_id: str) -> list[ResultRow]:
    """The SKU rows of one order."""
    sql = f"SELECT {_COLUMNS} FROM payout_result_row WHERE order_id = ? AND subject LIKE 'sku:%'"  # noqa: S608 (the names are ours; values are bound)
    return [_row(r) for r in db.execute_sql(sql, (order_id,))]


def unexplained_total() -> dict[str, Decimal]:
    """All unexplained money, per currency."""
    totals: dict[str, Decimal] = {}
    sql = (
        "SELECT currency, unexplained FROM payout_result_row "
        "WHERE status = 'unexplained' AND kind != 'sku'"
    )
    for currency, amount in db.execute_sql(sql):
        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(amount)
    return totals


def _row(r: tuple[object, ...]) -> ResultRow:
    s, o, k, a, c, e, st, u, status, causes, shop, stmt, n, w = r
    return ResultRow(
        str(s), str(o), str(k), str(a), str(c), Decimal(str(e)), Decimal(str(st)),
        Decimal(str(u)), str(status), str(causes), None if shop is None else str(shop),
        str(stmt), int(str(n)), str(w),
    )  # fmt: skip
