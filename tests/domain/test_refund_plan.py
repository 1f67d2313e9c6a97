"""A completed TikTok refund becomes exactly one Shopify refund: amounts, restock, note, key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.domain.aftersales_views import a_cancellation, a_return, refund, usd
from tiktok_console.domain.aftersales import RequestLine, ReturnType
from tiktok_console.domain.money import Money
from tiktok_console.domain.refund_plan import (
    GATEWAY,
    RestockType,
    SaleTransaction,
    ShopifyOrderFacts,
    ShopifyOrderLine,
    cancels_whole_order,
    plan_refund,
    restocks,
)

SHIPPED_BACK = ("RETURN_OR_REFUND_REQUEST_PENDING", "AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM")


SALE = SaleTransaction("gid://shopify/OrderTransaction/7", "TikTok Shop")


def order(
    *lines: ShopifyOrderLine, shipping: str = "5.00", sale: SaleTransaction | None = SALE
) -> ShopifyOrderFacts:
    return ShopifyOrderFacts("gid://shopify/Order/1", "USD", lines, usd(shipping), sale)


def line(sku: str, quantity: int, paid: str) -> ShopifyOrderLine:
    return ShopifyOrderLine(f"gid://shopify/LineItem/{sku}", sku, quantity, usd(paid))


def unit(n: int, sku: str, amount: str | None = None) -> RequestLine:
    return RequestLine(f"L{n}", sku, refund=refund(amount) if amount else None)


def test_refund_only_refunds_tiktoks_total_without_restock() -> None:
    request = a_return(return_type=ReturnType.REFUND, amount=refund("24.90"))
    plan = plan_refund(request, order(line("SKU-A", 1, "24.90")))

    assert plan.total == usd("24.90") and plan.matches_tiktok and not plan.problems
    assert [(p.quantity, p.restock_type) for p in plan.lines] == [(1, RestockType.NO_RESTOCK)]
    assert restocks(plan) == {}
    assert plan.note == "TikTok return 4035000000000001"
    assert plan.idempotency_key == "4035000000000001"
    assert plan.gateway == GATEWAY == "TikTok Shop"


def test_a_returned_parcel_restocks_the_units_returned_only() -> None:
    lines = (unit(1, "SKU-A", "10.00"), unit(2, "SKU-A", "10.00"), unit(3, "SKU-B", "4.90"))
    request = a_return(seen=SHIPPED_BACK, lines=lines, amount=refund("24.90"))
    plan = plan_refund(request, order(line("SKU-A", 3, "30.00"), line("SKU-B", 1, "4.90")))

    assert request.parcel_received
    assert restocks(plan) == {"gid://shopify/LineItem/SKU-A": 2, "gid://shopify/LineItem/SKU-B": 1}
    assert {p.line_item_id: p.amount for p in plan.lines} == {
        "gid://shopify/LineItem/SKU-A": usd("20.00"),
        "gid://shopify/LineItem/SKU-B": usd("4.90"),
    }
    assert plan.matches_tiktok


def test_no_restock_before_the_parcel_is_back_or_when_it_was_refused() -> None:
    shop = order(line("SKU-A", 1, "24.90"))
    never_shipped = a_return(seen=("AWAITING_BUYER_SHIP",))  # refunded by arbitration
    refused = a_return(seen=(*SHIPPED_BACK, "REJECT_RECEIVE_PACKAGE"))
    kept = a_return(seen=SHIPPED_BACK, keep=True)
    for request in (never_shipped, refused, kept):
        assert restocks(plan_refund(request, shop)) == {}


def test_shipping_is_refunded_and_capped_at_what_is_left() -> None:
    request = a_return(return_type=ReturnType.REFUND, amount=refund("29.90", shipping="5.00"))
    plan = plan_refund(request, order(line("SKU-A", 1, "24.90"), shipping="5.00"))
    assert (plan.shipping, plan.total, plan.matches_tiktok) == (usd("5.00"), usd("29.90"), True)

    spent = plan_refund(request, order(line("SKU-A", 1, "24.90"), shipping="0"))
    assert spent.shipping == usd("0") and not spent.matches_tiktok
    assert any("shipping" in problem for problem in spent.problems)


def test_a_partial_refund_is_split_over_lines_by_what_was_paid() -> None:
    lines = (unit(1, "SKU-A"), unit(2, "SKU-B"))
    request = a_return(return_type=ReturnType.REFUND, lines=lines, amount=refund("10.00"))
    plan = plan_refund(request, order(line("SKU-A", 1, "30.00"), line("SKU-B", 1, "10.00")))
    amounts = {p.line_item_id[-5:]: p.amount for p in plan.lines}
    assert amounts == {"SKU-A": usd("7.50"), "SKU-B": usd("2.50")}
    assert plan.total == usd("10.00")


def test_never_more_than_a_line_has_left_and_it_says_why() -> None:
    request = a_return(return_type=ReturnType.REFUND, lines=(unit(1, "SKU-A", "24.90"),))
    plan = plan_refund(request, order(line("SKU-A", 1, "20.00")))
    assert plan.total == usd("20.00") and not plan.matches_tiktok
    assert plan.problems == ("4.90 USD of SKU SKU-A exceeds what is left on its line",)


def test_a_sku_missing_from_the_shopify_order_blocks_when_nothing_matches() -> None:
    plan = plan_refund(a_return(), order(line("SKU-Z", 1, "24.90")))
    assert plan.blocked and plan.lines == ()
    assert "TikTok SKU SKU-A (24.90 USD) is not on the Shopify order" in plan.problems


def test_other_currency_blocks() -> None:
    facts = ShopifyOrderFacts("gid://shopify/Order/1", "GBP", (), Money.zero("GBP"))
    plan = plan_refund(a_return(), facts)
    assert plan.blocked and "USD" in plan.problems[0] and "GBP" in plan.problems[0]


def test_a_request_not_refunded_has_no_plan() -> None:
    with pytest.raises(ValueError, match="not refunded"):
        plan_refund(a_return(status="AWAITING_BUYER_SHIP"), order(line("SKU-A", 1, "24.90")))


def test_a_cancellation_restocks_unless_tiktok_says_not_to() -> None:
    shop = order(line("SKU-A", 1, "24.90"))
    plan = plan_refund(a_cancellation(), shop)
    assert plan.note == "TikTok cancellation 4036000000000001"
    assert plan.idempotency_key == "4036000000000001"
    assert [p.restock_type for p in plan.lines] == [RestockType.CANCEL]
    assert restocks(plan_refund(a_cancellation(replenish=False), shop)) == {}


def test_a_whole_order_cancellation_is_not_a_refund() -> None:
    shop = order(line("SKU-A", 2, "20.00"), line("SKU-B", 1, "4.90"))
    everything = a_cancellation(lines=(unit(1, "SKU-A"), unit(2, "SKU-A"), unit(3, "SKU-B")))
    part = a_cancellation(lines=(unit(1, "SKU-A"),))
    assert cancels_whole_order(everything, shop)
    assert not cancels_whole_order(part, shop)


def test_fees_tiktok_refunds_beyond_the_lines_are_named() -> None:
    request = a_return(return_type=ReturnType.REFUND, lines=(unit(1, "SKU-A", "24.90"),),
                       amount=refund("25.90"))  # fmt: skip
    plan = plan_refund(request, order(line("SKU-A", 1, "24.90")))
    assert not plan.matches_tiktok and "1.00 USD" in plan.problems[0]


cents = st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c) / 100)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple:
    skus = draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=5, unique=True))
    shop_lines, units = [], []
    for sku in skus:
        quantity = draw(st.integers(min_value=1, max_value=4))
        unit_price = draw(cents)
        shop_lines.append(line(sku, quantity, str(unit_price * quantity)))
        for n in range(draw(st.integers(min_value=1, max_value=quantity + 1))):
            share = draw(st.sampled_from(["none", "half", "full", "full", "any"]))
            amount = {"none": None, "half": (unit_price / 2).quantize(Decimal("0.01")),
                      "full": unit_price, "any": draw(cents)}[share]  # fmt: skip
            units.append(RequestLine(f"{sku}{n}", sku, refund=refund(str(amount))
                                     if amount is not None else None))  # fmt: skip
    itemised = all(u.refund for u in units)
    goods = sum((u.refund.total.amount for u in units if u.refund), Decimal(0))
    shipping = draw(cents)
    refund_total = goods + shipping if itemised else draw(cents) + shipping
    request = a_return(
        return_type=draw(st.sampled_from([ReturnType.REFUND, ReturnType.RETURN_AND_REFUND])),
        seen=draw(st.sampled_from([(), SHIPPED_BACK])), lines=tuple(units),
        amount=refund(str(refund_total), shipping=str(shipping)),
    )  # fmt: skip
    facts = order(*shop_lines, shipping=str(draw(st.sampled_from([shipping, draw(cents)]))))
    return request, facts


@given(scenarios())
def test_plans_never_exceed_what_was_paid_and_explain_any_gap(scenario: tuple) -> None:
    request, facts = scenario
    plan = plan_refund(request, facts)
    paid = {li.line_item_id: li for li in facts.lines}
    returned = {li.line_item_id: sum(1 for u in request.lines if u.sku_id == li.tiktok_sku_id)
                for li in facts.lines}  # fmt: skip
    for planned in plan.lines:
        assert planned.amount <= paid[planned.line_item_id].refundable
        assert planned.quantity <= paid[planned.line_item_id].refundable_quantity
        assert planned.restock_quantity <= returned[planned.line_item_id]
        if request.refund_only or not request.parcel_received:
            assert planned.restock_quantity == 0
    assert plan.shipping <= facts.shipping_refundable
    assert plan.matches_tiktok or plan.problems
    wanted = {li.line_item_id: sum((u.refund.total for u in request.lines
                                    if u.refund and u.sku_id == li.tiktok_sku_id), usd("0"))
              for li in facts.lines}  # fmt: skip
    fits = (
        all(u.refund for u in request.lines)
        and all(
            returned[i] <= li.refundable_quantity and wanted[i] <= li.refundable
            for i, li in paid.items()
        )
        and request.refund.shipping <= facts.shipping_refundable
    )
    event(f"fits={bool(fits)}")
    if fits:  # TikTok's figures fit the Shopify order: mirrored to the cent, nothing to explain
        assert plan.matches_tiktok and not plan.problems
    assert len({p.line_item_id for p in plan.lines}) == len(plan.lines)


def test_a_sku_sold_at_two_prices_is_refunded_from_both_of_its_lines() -> None:
    """TikTok discounts units one by one, so one SKU can be two Shopify lines."""
    lines = (unit(1, "SKU-A", "8.00"), unit(2, "SKU-A", "10.00"))
    request = a_return(seen=SHIPPED_BACK, lines=lines, amount=refund("18.00"))
    cheap = ShopifyOrderLine("gid://shopify/LineItem/1", "SKU-A", 1, usd("8.00"))
    full = ShopifyOrderLine("gid://shopify/LineItem/2", "SKU-A", 1, usd("10.00"))
    plan = plan_refund(request, order(cheap, full))

    assert plan.matches_tiktok and not plan.problems
    assert restocks(plan) == {cheap.line_item_id: 1, full.line_item_id: 1}
    assert {p.line_item_id: p.amount for p in plan.lines} == {
        cheap.line_item_id: usd("8.00"), full.line_item_id: usd("10.00"),
    }  # fmt: skip


def test_the_refund_names_the_sale_it_refunds_and_its_gateway() -> None:
    facts = order(line("SKU-A", 1, "24.90"), sale=SaleTransaction("gid://x/9", "manual"))
    plan = plan_refund(a_return(return_type=ReturnType.REFUND, amount=refund("24.90")), facts)

    assert plan.parent_transaction_id == "gid://x/9"
    assert plan.gateway == "manual" and not plan.problems


def test_an_order_with_no_payment_refunds_lines_and_says_no_money_moves() -> None:
    plan = plan_refund(
        a_return(return_type=ReturnType.REFUND, amount=refund("24.90")),
        order(line("SKU-A", 1, "24.90"), sale=None),
    )

    assert plan.parent_transaction_id is None and not plan.blocked
    assert plan.problems == ("the Shopify order has no payment: the refund moves no money there",)


def test_a_cancellation_of_an_order_shopify_shipped_is_a_refund_without_restock() -> None:
    shipped = ShopifyOrderLine("gid://shopify/LineItem/SKU-A", "SKU-A", 1, usd("24.90"), 0)
    request = a_cancellation(amount=refund("24.90"))

    assert not cancels_whole_order(request, order(shipped))
    plan = plan_refund(request, order(shipped))
    assert [(p.quantity, p.restock_type) for p in plan.lines] == [(1, RestockType.NO_RESTOCK)]
    assert plan.total == usd("24.90") and plan.matches_tiktok


@given(
    refundable=st.integers(0, 6),
    unfulfilled=st.integers(0, 6),
    quantity=st.integers(1, 6),
    wanted=st.sampled_from(list(RestockType)),
)
def test_a_restock_shopify_would_refuse_is_never_asked_for(
    refundable: int, unfulfilled: int, quantity: int, wanted: RestockType
) -> None:
    line = ShopifyOrderLine("L", "SKU", refundable, usd("1.00"), unfulfilled)
    shipped = refundable - min(unfulfilled, refundable)

    given_type = line.restock_for(wanted, quantity)

    event(f"{wanted} -> {given_type}")
    if given_type is RestockType.RETURN:
        assert quantity <= shipped  # Shopify: "Cannot return more items than were fulfilled"
    if given_type is RestockType.CANCEL:
        assert quantity <= min(unfulfilled, refundable)  # "... than are unfulfilled"
    if wanted is RestockType.NO_RESTOCK:
        assert given_type is RestockType.NO_RESTOCK
