"""Finance over HTTP: daily statements, payments, transactions and planted discrepancies."""

from __future__ import annotations

from decimal import Decimal

from .conftest import World

DAY = 86400


def test_statements_exist_after_days_pass(busy: World) -> None:
    assert (
        busy.ok("GET", "/finance/202309/statements", query={"sort_field": "statement_time"})[
            "statements"
        ]
        == []
    )
    busy.advance(3 * 3600)
    busy.shop.set_order_rate(0)
    for order in busy.shop.snapshot()["orders"]:
        if (
            order["status"] == "AWAITING_SHIPMENT"
            and order["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
            and order["delivery_option_id"] == busy.shop.logistics.options[0].id
        ):
            body = {
                "tracking_number": "9400111899223856789012",
                "shipping_provider_id": "7117858858072016686",
            }
            busy.ok("POST", f"/fulfillment/202309/orders/{order['id']}/packages", body=body)
    busy.advance(16 * DAY)
    statements = busy.ok(
        "GET", "/finance/202309/statements", query={"sort_field": "statement_time"}
    )["statements"]
    assert statements
    assert all(s["statement_time"] % DAY == 0 for s in statements)
    payments = busy.ok("GET", "/finance/202309/payments", query={"sort_field": "create_time"})[
        "payments"
    ]
    assert {p["id"] for p in payments} == {s["payment_id"] for s in statements}
    assert any(Decimal(p["reserve_amount"]["value"]) < 0 for p in payments)


def test_transactions_add_up_and_discrepancies_are_listed(world: World) -> None:
    snap = world.shop.snapshot()
    kinds = {d["kind"] for d in snap["discrepancies"]}
    assert kinds == {"order_settled_short", "adjustment_without_order"}
    statements = world.ok(
        "GET",
        "/finance/202309/statements",
        query={"sort_field": "statement_time", "page_size": "100"},
    )["statements"]
    assert statements
    for statement in statements[:5]:
        data = world.ok(
            "GET",
            f"/finance/202501/statements/{statement['id']}/statement_transactions",
            query={"sort_field": "order_create_time", "page_size": "100"},
        )
        total = sum(Decimal(t["settlement_amount"]) for t in data["transactions"])
        assert (
            total
            == Decimal(statement["settlement_amount"])
            == Decimal(data["total_settlement_amount"])
        )
    orphan = next(d for d in snap["discrepancies"] if d["kind"] == "adjustment_without_order")
    data = world.ok(
        "GET",
        f"/finance/202501/statements/{orphan['statement_id']}/statement_transactions",
        query={"sort_field": "order_create_time"},
    )
    adjustment = next(t for t in data["transactions"] if t["id"] == orphan["transaction_id"])
    assert adjustment["order_id"] == "" and adjustment["settlement_amount"] == "-4.50"
    short = next(d for d in snap["discrepancies"] if d["kind"] == "order_settled_short")
    detail = world.ok("GET", "/order/202309/orders", query={"ids": short["order_id"]})["orders"][0]
    tx = world.ok("GET", f"/finance/202501/orders/{short['order_id']}/statement_transactions")
    assert tx["sku_transactions"] and tx["order_id"] == short["order_id"]
    assert Decimal(detail["payment"]["total_amount"]) > 0


def test_refund_after_settlement_lands_in_a_later_statement(world: World) -> None:
    world.shop.set_order_rate(0)
    world.advance(25 * DAY)
    ledger = world.shop.ledger
    later = [
        txs for txs in ledger.by_order.values() if len(txs) > 1 and all(t.statement_id for t in txs)
    ]
    assert later, "expected at least one order refunded after it settled"
    statement_time = {s.id: s.statement_time for s in ledger.statements}
    for txs in later:
        assert statement_time[txs[1].statement_id] > statement_time[txs[0].statement_id]
        assert txs[1].revenue < 0


def test_order_transactions_carry_the_fees_tiktok_deducts(world: World) -> None:
    statements = world.ok(
        "GET",
        "/finance/202309/statements",
        query={"sort_field": "statement_time", "page_size": "100"},
    )["statements"]
    sold = []
    for statement in statements:
        sold += [
            t
            for t in world.ok(
                "GET",
                f"/finance/202501/statements/{statement['id']}/statement_transactions",
                query={"sort_field": "order_create_time", "page_size": "100"},
            )["transactions"]
            if t["type"] == "ORDER" and Decimal(t["revenue_amount"]) > 0
        ]
    assert sold
    for t in sold:
        fees = {k: Decimal(v) for k, v in t["fee_tax_breakdown"]["fee"].items()}
        taxes = sum(Decimal(v) for v in t["fee_tax_breakdown"]["tax"].values())
        assert fees["referral_fee_amount"] < 0 and fees["transaction_fee_amount"] < 0
        assert sum(fees.values()) + taxes == Decimal(t["fee_tax_amount"])
    assert any(
        Decimal(t["fee_tax_breakdown"]["fee"]["affiliate_commission_amount"]) < 0 for t in sold
    )
    assert any(Decimal(t["shipping_cost_amount"]) != 0 for t in sold)
