"""Every difference between what an order should pay and what settled gets a named cause."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

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
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_ids import id_range
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

D = Decimal
CREATED = datetime(2026, 1, 2, 10, tzinfo=UTC)
SETTLED = datetime(2026, 1, 12, 3, tzinfo=UTC)
RATES = replace(REGION_FEE_RATES["US"], label_cost=D("7.50"))
ORDER_ID = "576461413000000001"


def _line(
    order_id: str = ORDER_ID,
    sku: str = "sku-1",
    kind: LineKind = LineKind.ORDER,
    statement: str = "S1",
    **parts: str,
) -> SettlementLine:
    amounts = {Field(k): D(v) for k, v in parts.items()}
    return SettlementLine(
        kind=kind,
        type_label=kind.value,
        order_id=order_id,
        adjustment_id="",
        sku_id=sku,
        currency="USD",
        settlement=sum(amounts.values(), D(0)),
        parts=amounts,
        amounts=amounts,
        statement_id=statement,
        order_created=CREATED,
        settled_time=SETTLED,
        source="api",
    )


def _sale(sku: str = "sku-1", **extra: str) -> SettlementLine:
    parts = {
        "subtotal_before_discounts": "100.00",
        "seller_discounts": "-10.00",
        "referral_fee": "-5.40",
        "transaction_fee": "-2.61",
        "actual_shipping_fee": "-7.50",
    }
    parts.update(extra)
    return _line(sku=sku, **parts)


def _order(**changes: object) -> TikTokOrder:
    order = TikTokOrder(
        order_id=ORDER_ID,
        created_at=CREATED,
        currency="USD",
        original_total_product_price=D("100.00"),
        seller_discount=D("10.00"),
        skus=(OrderSku("sku-1", 1, D("100.00"), D("10.00")),),
        tiktok_shipped=True,
        expected_settle_on=date(2026, 1, 12),
    )
    return replace(order, **changes)  # type: ignore[arg-type]


SHOPIFY = ShopifyOrder(ORDER_ID, "#1001", "USD", D("90.00"))


def _one(lines: list[SettlementLine], order: TikTokOrder | None = None, shopify=(SHOPIFY,)):
    result = reconcile([order or _order()], lines, shopify, RATES)
    [only] = result.orders
    return only, result


def _causes(result) -> dict[Cause, Decimal]:
    return {c.cause: c.amount for c in result.causes}


def test_an_order_paid_as_expected_is_matched_with_its_fees_named() -> None:
    order, result = _one([_sale()])
    assert order.status is Status.MATCHED
    assert order.expected == D("90.00") and order.settled == D("74.49")
    assert _causes(order) == {
        Cause.REFERRAL_FEE: D("-5.40"),
        Cause.TRANSACTION_FEE: D("-2.61"),
        Cause.SHIPPING_COST: D("-7.50"),
    }
    assert order.unexplained == 0 and order.shopify_order == "#1001"
    [sku] = result.skus
    assert (sku.sku_id, sku.status, sku.expected) == ("sku-1", Status.MATCHED, D("90.00"))


def test_a_label_charged_above_its_cost_leaves_the_excess_unexplained() -> None:
    order, result = _one([_sale(actual_shipping_fee="-8.87")])
    assert order.status is Status.UNEXPLAINED
    assert order.unexplained == D("-1.37") and result.unexplained_total == D("-1.37")
    assert _causes(order)[Cause.SHIPPING_COST] == D("-7.50")
    assert order.causes[-1].note == (
        "TikTok charged 8.87 for the TikTok Shipping label where 7.50 was expected: 1.37 more"
    )


def test_a_fee_above_its_rate_is_not_explained_by_being_a_fee() -> None:
    order, _ = _one([_sale(referral_fee="-9.00")])
    assert _causes(order) == {
        Cause.REFERRAL_FEE: D("-5.40"),
        Cause.TRANSACTION_FEE: D("-2.61"),
        Cause.SHIPPING_COST: D("-7.50"),
        Cause.UNEXPLAINED: D("-3.60"),
    }


def test_a_refund_in_a_later_statement_and_the_missing_shopify_refund() -> None:
    refund = _line(
        kind=LineKind.REFUND,
        statement="S2",
        refund_subtotal="-50.00",
        seller_discount_refund="5.00",
        referral_fee="2.70",
        transaction_fee="1.31",
    )
    order, _ = _one([_sale(), refund])
    assert order.status is Status.EXPLAINED
    causes = _causes(order)
    assert causes[Cause.REFUND_LATER_STATEMENT] == D("-45.00")
    assert causes[Cause.REFERRAL_FEE] == D("-2.70")
    assert order.shopify_causes[0].cause is Cause.SHOPIFY_REFUND_MISSING
    assert order.shopify_causes[0].amount == D("45.00")
    assert "no refund" in order.shopify_causes[0].note
    refunded = replace(SHOPIFY, refunds=(ShopifyRefund(D("45.00"), SETTLED),))
    again, _ = _one([_sale(), refund], shopify=(refunded,))
    assert again.shopify_causes == ()


def _refund_line(units: int = 1) -> SettlementLine:
    return _line(
        kind=LineKind.REFUND, statement="S2", refund_subtotal="-100.00",
        seller_discount_refund="10.00", referral_fee="5.40", transaction_fee="2.61",
    )._replace(quantity=units)  # fmt: skip


def test_a_shopify_refund_of_fewer_units_than_tiktok_refunded_is_flagged_with_the_gap() -> None:
    skus = (OrderSku("sku-1", 2, D("200.00"), D("20.00"), seller_sku="TEE-M"),)
    order = _order(skus=skus, original_total_product_price=D("200.00"), seller_discount=D("20.00"))
    sale = _sale(subtotal_before_discounts="200.00", seller_discounts="-20.00",
                 referral_fee="-10.80", transaction_fee="-5.22")  # fmt: skip
    one_unit = ShopifyRefund(D("97.43"), SETTLED, {"TEE-M": 1})
    copy = replace(SHOPIFY, subtotal=D("180.00"))
    # TikTok refunded one unit (90.00 at its prices): Shopify's one-unit refund matches.
    both, _ = _one([sale, _refund_line()], order, (replace(copy, refunds=(one_unit,)),))
    assert both.shopify_causes == ()
    # TikTok refunded two units, Shopify one: 90.00 of refund missing in Shopify.
    two = _line(
        kind=LineKind.REFUND,
        statement="S2",
        refund_subtotal="-200.00",
        seller_discount_refund="20.00",
        referral_fee="10.80",
        transaction_fee="5.22",
    )
    short, _ = _one([sale, two], order, (replace(copy, refunds=(one_unit,)),))
    [missing] = short.shopify_causes
    assert (missing.cause, missing.amount) == (Cause.SHOPIFY_REFUND_MISSING, D("90.00"))
    assert "TikTok refunded 180.00" in missing.note and "refunded 90.00" in missing.note
    # Shopify refunded before TikTok settled the refund: the rest comes later, named so.
    early, _ = _one([sale], order, (replace(copy, refunds=(one_unit,)),))
    [later] = early.shopify_causes
    assert (later.cause, later.amount) == (Cause.NOT_SETTLED_YET, D("-90.00"))
    assert early.status is Status.EXPLAINED


def test_a_shopify_subtotal_other_than_the_buyer_prices_is_unexplained() -> None:
    discounted = _order(platform_discount=D("5.00"))
    fees = {"referral_fee": "-5.10", "transaction_fee": "-2.47"}
    sale = _sale(subtotal_before_discounts="95.00", **fees)
    # The console creates the Shopify order at the buyer's prices (after TikTok's discount).
    right, _ = _one([sale], discounted, (replace(SHOPIFY, subtotal=D("85.00")),))
    assert right.shopify_causes == () and right.unexplained == 0
    wrong, _ = _one([sale], discounted, (replace(SHOPIFY, subtotal=D("80.00")),))
    [cause] = wrong.shopify_causes
    assert (cause.cause, cause.amount) == (Cause.UNEXPLAINED, D("-5.00"))
    assert wrong.status is Status.UNEXPLAINED and "subtotal of 80.00" in cause.note
    # Not read back from Shopify yet: neither subtotal nor refunds are compared.
    unread = replace(SHOPIFY, subtotal=D("1.00"), read=False)
    refund = _refund_line()
    waiting, _ = _one([_sale(), refund], shopify=(unread,))
    assert waiting.shopify_causes == ()


def test_sample_and_platform_discount() -> None:
    sample = _order(is_sample=True)
    order, _ = _one(
        [_sale(seller_discounts="-100.00", referral_fee="0", transaction_fee="0")], sample
    )
    assert _causes(order)[Cause.SAMPLE_ORDER] == D("-90.00") and order.status is Status.EXPLAINED
    discounted = _order(platform_discount=D("5.00"))
    fees = {"referral_fee": "-5.10", "transaction_fee": "-2.47"}
    buyer_paid = replace(SHOPIFY, subtotal=D("85.00"))
    order, _ = _one([_sale(subtotal_before_discounts="95.00", **fees)], discounted, (buyer_paid,))
    assert _causes(order)[Cause.PLATFORM_DISCOUNT] == D("-5.00")
    assert order.unexplained == 0


def test_an_order_not_settled_yet_says_when_it_should() -> None:
    order, result = _one([])
    assert order.status is Status.UNSETTLED
    assert order.causes[0].cause is Cause.NOT_SETTLED_YET
    assert order.causes[0].amount == D("-90.00") and "2026-01-12" in order.causes[0].note
    assert result.skus == ()


def test_lines_no_order_explains_are_unexplained() -> None:
    adjustment = _line(
        order_id="", sku="", kind=LineKind.ADJUSTMENT, adjustment_amount="-4.50"
    )._replace(
        adjustment_id="7200000000000000042",
        type_label="SHIPPING_FEE_ADJUSTMENT",
    )
    stranger = _sale()._replace(order_id="999")
    result = reconcile([_order()], [_sale(), adjustment, stranger], [SHOPIFY], RATES)
    [loose] = result.unmatched
    assert (loose.adjustment_id, loose.status) == ("7200000000000000042", Status.UNEXPLAINED)
    assert loose.causes[0].cause is Cause.ADJUSTMENT_WITHOUT_ORDER
    unknown = next(o for o in result.orders if o.order_id == "999")
    assert unknown.status is Status.UNEXPLAINED and unknown.unexplained == D("74.49")
    assert result.unexplained_total == D("-4.50") + D("74.49")


def test_a_missing_shopify_order_is_named() -> None:
    order, _ = _one([_sale()], shopify=())
    assert order.status is Status.EXPLAINED
    assert [(c.cause, c.amount) for c in order.shopify_causes] == [
        (Cause.SHOPIFY_ORDER_MISSING, D("90.00"))
    ]


def test_a_line_whose_id_lost_its_digits_finds_its_order_by_sku_and_time() -> None:
    lost = _sale()._replace(order_id="", lost_ids={Field.ORDER_ID: "5.76461413E+17"})
    neighbour = _order(order_id="576461413000000123", skus=(OrderSku("sku-9", 1, D(1)),))
    result = reconcile([_order(), neighbour], [lost], [SHOPIFY], RATES)
    assert result.resolved_lost_ids == 1 and result.unmatched == ()
    assert result.orders[0].settled == D("74.49")
    twin = _order(order_id="576461413000000555")
    again = reconcile([_order(), twin], [lost], [SHOPIFY], RATES)
    assert again.resolved_lost_ids == 0 and again.unmatched[0].status is Status.UNEXPLAINED
    assert id_range("5.78E+18") == (5775000000000000000, 5785000000000000000)


def test_each_sku_is_reconciled_on_its_own() -> None:
    order = _order(
        original_total_product_price=D("130.00"),
        skus=(OrderSku("sku-1", 1, D("100.00"), D("10.00")), OrderSku("sku-2", 1, D("30.00"))),
    )
    second = _line(
        sku="sku-2",
        subtotal_before_discounts="25.00",
        referral_fee="-1.50",
        transaction_fee="-0.73",
    )
    whole, result = _one(
        [_sale(), second], order, shopify=(replace(SHOPIFY, subtotal=D("120.00")),)
    )
    by_sku = {s.sku_id: s for s in result.skus}
    assert by_sku["sku-1"].status is Status.MATCHED
    assert by_sku["sku-2"].unexplained == D("-5.00")
    assert whole.unexplained == D("-5.00")


amounts = st.decimals(min_value=-500, max_value=500, places=2)
fields = st.sampled_from(
    ["subtotal_before_discounts", "seller_discounts", "referral_fee", "transaction_fee",
     "actual_shipping_fee", "customer_shipping_fee", "affiliate_commission", "vat",
     "refund_subtotal", "adjustment_amount"]
)  # fmt: skip


@given(st.lists(st.dictionaries(fields, amounts, min_size=1), max_size=6), st.booleans())
def test_the_causes_always_add_up_to_the_variance(
    parts: list[dict[str, Decimal]], sample: bool
) -> None:
    lines = [
        _line(statement=f"S{i % 2}", **{k: str(v) for k, v in p.items()})
        for i, p in enumerate(parts)
    ]
    result = reconcile([_order(is_sample=sample)], lines, [SHOPIFY], RATES)
    for row in (*result.orders, *result.skus):
        assert sum((c.amount for c in row.causes), D(0)) == row.variance
        assert (row.unexplained != 0) <= (row.status is Status.UNEXPLAINED)


def test_rates_default_per_region() -> None:
    assert REGION_FEE_RATES["US"].rates[Field.REFERRAL_FEE] == D("0.06")
    assert isinstance(REGION_FEE_RATES["GB"], FeeRates)


def test_units_refunded_before_settlement_are_a_refund_not_unexplained() -> None:
    from datetime import UTC, datetime

    from tiktok_console.domain.reconciliation import reconcile
    from tiktok_console.domain.reconciliation_inputs import (
        REGION_FEE_RATES,
        Cause,
        OrderSku,
        Status,
        TikTokOrder,
    )
    from tiktok_console.domain.settlement_fields import Field
    from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

    created = datetime(2026, 1, 2, tzinfo=UTC)
    order = TikTokOrder(
        "5001", created, "USD", Decimal("60.00"), Decimal("6.00"),
        skus=(OrderSku("sku-1", 3, Decimal("60.00"), Decimal("6.00")),),
    )  # fmt: skip

    def settled(units: int) -> SettlementLine:
        revenue = Decimal("18.00") * units
        parts = {
            Field.SUBTOTAL_BEFORE_DISCOUNTS: Decimal("20.00") * units,
            Field.SELLER_DISCOUNTS: Decimal("-2.00") * units,
            Field.REFERRAL_FEE: -(revenue * Decimal("0.06")),
            Field.TRANSACTION_FEE: -(revenue * Decimal("0.029")).quantize(Decimal("0.01")),
        }
        return SettlementLine(
            LineKind.ORDER, "Order", "5001", "", "sku-1", "USD", sum(parts.values()),
            parts, parts, "S1", quantity=units, order_created=created, settled_time=created,
        )  # fmt: skip

    rates = REGION_FEE_RATES["US"]
    [one_left_out] = reconcile([order], [settled(2)], [], rates).orders
    causes = {c.cause: c.amount for c in one_left_out.causes}
    assert causes[Cause.REFUND] == Decimal("-18.00")
    assert one_left_out.status is Status.EXPLAINED and one_left_out.unexplained == 0
    [all_there] = reconcile([order], [settled(3)], [], rates).orders
    assert Cause.REFUND not in {c.cause for c in all_there.causes}
    # A line that does not say its units keeps the gap unexplained: nothing to tie it to.
    [unknown] = reconcile([order], [settled(2)._replace(quantity=None)], [], rates).orders
    assert unknown.status is Status.UNEXPLAINED and unknown.unexplained == Decimal("-18.00")
    # Every unit refunded before settlement: only the shipping settles.
    shipping = {Field.PLATFORM_SHIPPING_DISCOUNT: Decimal("5.99")}
    only_shipping = SettlementLine(
        LineKind.ORDER, "Order", "5001", "", "", "USD", Decimal("5.99"), shipping, shipping,
        "S1", order_created=created, settled_time=created,
    )  # fmt: skip
    [refunded] = reconcile([order], [only_shipping], [], rates).orders
    assert {c.cause: c.amount for c in refunded.causes}[Cause.REFUND] == Decimal("-54.00")
    assert refunded.unexplained == 0


def test_a_unit_left_out_of_the_settlement_is_a_refund_at_its_own_price() -> None:
    # Three units of one SKU at 38.99, one with a 3.90 discount; the undiscounted one was
    # returned before the order settled, so the two settled carry 77.98 less 3.90.
    order = _order(
        original_total_product_price=D("116.97"), seller_discount=D("3.90"),
        skus=(OrderSku("sku-1", 3, D("116.97"), D("3.90")),),
    )  # fmt: skip
    fees = {"referral_fee": "-4.44", "transaction_fee": "-2.15"}
    two = _sale(subtotal_before_discounts="77.98", seller_discounts="-3.90", **fees)
    copy = replace(SHOPIFY, subtotal=D("113.07"))
    result, _ = _one([two._replace(quantity=2)], order, (copy,))
    assert _causes(result)[Cause.REFUND] == D("-38.99")
    assert result.unexplained == 0 and result.status is Status.EXPLAINED
