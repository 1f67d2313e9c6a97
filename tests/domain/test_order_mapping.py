"""TikTok order facts and their Shopify ``orderCreate`` variables.

The variables must be accepted by Shopify: every test that builds them also
coerces them against ``OrderCreateOrderInput`` of the sandbox SDL and of the
real 2025-01 Admin schema, so an unknown field, a wrong type or a bad enum
value fails here, not on a merchant's store.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLInputType,
    GraphQLSchema,
    Undefined,
    build_client_schema,
    build_schema,
    is_input_type,
)
from graphql.utilities import coerce_input_value, validate_input_value
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.domain.money import Money
from tiktok_console.domain.order_mapping import (
    PLACEHOLDER_EMAIL,
    UnmappedSkuError,
    build_order_create,
)
from tiktok_console.domain.orders import (
    RecipientFacts,
    TaxFacts,
    TikTokLineFacts,
    TikTokOrderFacts,
    group_by_sku,
    is_eligible,
    order_total,
    unmapped_skus,
)
from tiktok_console.domain.shipping_address import province_code, shipping_address
from tiktok_console.sandbox.shopify.gql_schema import SDL_PATH

CREATED = datetime(2026, 3, 1, 15, 4, 5, tzinfo=UTC)
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# -- schema checks (also used by tests/sync/test_order_facts.py) -----------------
@functools.cache
def sandbox_schema() -> GraphQLSchema:
    """The sandbox's Admin SDL."""
    return build_schema(SDL_PATH.read_text(encoding="utf-8"))


@functools.cache
def real_schema(path: Path) -> GraphQLSchema:
    """Shopify's real 2025-01 Admin schema."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return build_client_schema(json.load(handle)["data"], assume_valid=True)


def assert_accepted(variables: dict[str, Any], shared_api: Path) -> None:
    """``variables`` are valid ``orderCreate`` arguments on both schemas.

    graphql-core 3.3's ``coerce_input_value`` only answers ``Undefined`` on a
    bad value; ``validate_input_value`` names every unknown field, missing
    required field, wrong shape and unknown enum value. Custom scalars
    (Decimal, DateTime) pass through it, so their text is checked here.
    """
    real = real_schema(shared_api / "shopify-admin-schema-2025-01.json.gz")
    for schema in (sandbox_schema(), real):
        for arg, name in (
            ("order", "OrderCreateOrderInput"),
            ("options", "OrderCreateOptionsInput"),
        ):
            type_ = schema.get_type(name)
            assert is_input_type(type_)
            assert _problems(variables[arg], type_) == []
            assert coerce_input_value(variables[arg], type_) is not Undefined
    _check_scalars(variables["order"])


def _problems(value: Any, type_: GraphQLInputType) -> list[str]:
    problems: list[str] = []
    validate_input_value(value, type_, lambda e, path: problems.append(f"{path}: {e.message}"))
    return problems


def _check_scalars(value: Any, key: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _check_scalars(v, k)
    elif isinstance(value, list):
        for item in value:
            _check_scalars(item, key)
    elif key in ("amount", "rate"):
        assert isinstance(value, str) and DECIMAL.match(value), (key, value)
    elif key == "processedAt":
        assert isinstance(value, str) and ISO_UTC.match(value), value
    else:
        assert not isinstance(value, float), (key, value)


# -- builders -----------------------------------------------------------------
def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


def line(
    sku_id: str = "sku1",
    price: str = "10.00",
    tax: str = "0.95",
    *,
    gift: bool = False,
    line_id: str = "",
    seller_sku: str = "TEE-RED-M",
    currency: str = "USD",
    rate: str = "0.095",
) -> TikTokLineFacts:
    taxes = (TaxFacts("SALES_TAX", Decimal(rate), Money(Decimal(tax), currency)),)
    return TikTokLineFacts(
        line_id=line_id or f"li-{sku_id}-{price}",
        sku_id=sku_id,
        seller_sku=seller_sku,
        product_name="Cotton Tee",
        sku_name="Red, M",
        unit_sale_price=Money(Decimal(price), currency),
        seller_discount=Money.zero(currency),
        platform_discount=Money.zero(currency),
        tax=Money(Decimal(tax), currency),
        is_gift=gift,
        taxes=taxes,
    )


RECIPIENT = RecipientFacts(
    name="J*** D***",
    first_name="J***",
    last_name="D***",
    phone="(+1)213*****91",
    email="abc@scs.tiktokw.us",
    address_lines=("1*** Maple Ave",),
    city="Los Angeles",
    province="California",
    zip="90012",
    country_code="US",
    masked=True,
)


def facts(*lines: TikTokLineFacts, currency: str = "USD", **changes: Any) -> TikTokOrderFacts:
    base = TikTokOrderFacts(
        order_id="576461413038785752",
        shop_name="Maple Tees",
        status="AWAITING_SHIPMENT",
        created_at=CREATED,
        updated_at=CREATED + timedelta(hours=1),
        currency=currency,
        buyer_message="Leave at door",
        delivery_option_id="7091146663229654785",
        delivery_option_name="Standard Shipping",
        shipping_fee=Money(Decimal("5.99"), currency),
        shipping_tax=Money.zero(currency),
        is_sample=False,
        fulfillment_type="FULFILLMENT_BY_SELLER",
        ship_by=CREATED + timedelta(days=2),
        recipient=RECIPIENT,
        lines=lines or (line(),),
        paid_at=CREATED + timedelta(minutes=3),
    )
    return replace(base, **changes)


MAPPING = {"sku1": "gid://shopify/ProductVariant/1", "sku2": "gid://shopify/ProductVariant/2"}


def wire_total(order: dict[str, Any]) -> Decimal:
    """What Shopify will add up: line prices x quantity, their taxes, shipping lines."""
    amount = Decimal(0)
    for item in order["lineItems"]:
        amount += Decimal(item["priceSet"]["shopMoney"]["amount"]) * item["quantity"]
        amount += sum(
            Decimal(t["priceSet"]["shopMoney"]["amount"]) for t in item.get("taxLines", [])
        )
    for ship in order["shippingLines"]:
        amount += Decimal(ship["priceSet"]["shopMoney"]["amount"])
        amount += sum(
            Decimal(t["priceSet"]["shopMoney"]["amount"]) for t in ship.get("taxLines", [])
        )
    return amount


def paid(order: dict[str, Any]) -> Decimal:
    return sum(
        (Decimal(t["amountSet"]["shopMoney"]["amount"]) for t in order.get("transactions", [])),
        Decimal(0),
    )


# -- domain helpers -------------------------------------------------------------
def test_group_by_sku_counts_units_and_sums_money() -> None:
    lines = (
        line("sku1", "10.00", "0.95"),
        line("sku2", "4.00", "0.38"),
        line("sku1", "8.00", "0.76"),
    )
    lines += (line("sku1", "0.00", "0.00", gift=True),)
    groups = group_by_sku(lines)
    assert [(g.sku_id, g.quantity, g.gifts) for g in groups] == [("sku1", 3, 1), ("sku2", 1, 0)]
    assert groups[0].paid == usd("18.00") and groups[0].tax == usd("1.71")
    assert groups[0].title == "Cotton Tee - Red, M"


def test_order_total_is_goods_tax_shipping_and_fees() -> None:
    order = facts(
        line("sku1", "10.00", "0.95"),
        line("sku2", "4.00", "0.38"),
        shipping_tax=usd("0.50"),
        retail_delivery_fee=usd("0.28"),
    )
    assert order_total(order) == usd("22.10")


@pytest.mark.parametrize(
    ("status", "fulfillment", "include_fbt", "expected"),
    [
        ("AWAITING_SHIPMENT", "FULFILLMENT_BY_SELLER", False, True),
        ("PARTIALLY_SHIPPING", "FULFILLMENT_BY_SELLER", False, True),
        ("AWAITING_COLLECTION", "FULFILLMENT_BY_SELLER", False, True),
        ("AWAITING_SHIPMENT", "", False, True),
        ("AWAITING_SHIPMENT", "FULFILLMENT_BY_TIKTOK", False, False),
        ("AWAITING_SHIPMENT", "FULFILLMENT_BY_TIKTOK", True, True),
        ("UNPAID", "FULFILLMENT_BY_SELLER", False, False),
        ("ON_HOLD", "FULFILLMENT_BY_SELLER", True, False),
        ("IN_TRANSIT", "FULFILLMENT_BY_SELLER", False, False),
        ("DELIVERED", "FULFILLMENT_BY_SELLER", False, False),
        ("CANCELLED", "FULFILLMENT_BY_SELLER", False, False),
    ],
)
def test_eligibility(status: str, fulfillment: str, include_fbt: bool, expected: bool) -> None:
    order = facts(status=status, fulfillment_type=fulfillment)
    assert is_eligible(order, include_fbt=include_fbt) is expected


def test_unmapped_skus_are_listed_once_in_order() -> None:
    order = facts(line("sku3"), line("sku1"), line("sku3", "9.00"), line("sku4"))
    assert unmapped_skus(order, {"sku1": "gid://shopify/ProductVariant/1", "sku4": ""}) == (
        "sku3",
        "sku4",
    )
    assert unmapped_skus(order, {s: "gid" for s in ("sku1", "sku3", "sku4")}) == ()


def test_facts_refuse_naive_times_and_mixed_currencies() -> None:
    with pytest.raises(ValueError, match="aware"):
        facts(created_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="currency"):
        facts(shipping_fee=Money(Decimal(1), "EUR"))
    with pytest.raises(ValueError, match="sum of its taxes"):
        replace(line(), tax=usd("2.00"))


# -- the mapping ----------------------------------------------------------------
def test_an_ordinary_order(shared_api: Path) -> None:
    order = facts(
        line("sku1", "10.00", "0.95"), line("sku1", "10.00", "0.95"), line("sku2", "4.00", "0.38")
    )
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    sent = variables["order"]
    assert sent["tags"] == ["TikTok Shop", "TikTokOrderID:576461413038785752", "TikTok Console"]
    assert sent["sourceName"] == "tiktok_shop"
    assert sent["sourceIdentifier"] == "576461413038785752"
    assert sent["processedAt"] == "2026-03-01T15:04:05Z"
    assert sent["note"] == "Leave at door"
    assert sent["financialStatus"] == "PAID"
    assert sent["customAttributes"] == [
        {"key": "TikTok Order ID", "value": "576461413038785752"},
        {"key": "TikTok Shop", "value": "Maple Tees"},
        {"key": "Delivery option", "value": "Standard Shipping"},
        {"key": "Ship by", "value": "2026-03-03T15:04:05Z"},
    ]
    assert sent["lineItems"] == [
        {
            "variantId": "gid://shopify/ProductVariant/1",
            "quantity": 2,
            "priceSet": {"shopMoney": {"amount": "10.00", "currencyCode": "USD"}},
            "taxLines": [
                {
                    "title": "Sales tax",
                    "rate": "0.095",
                    "priceSet": {"shopMoney": {"amount": "1.90", "currencyCode": "USD"}},
                }
            ],
        },
        {
            "variantId": "gid://shopify/ProductVariant/2",
            "quantity": 1,
            "priceSet": {"shopMoney": {"amount": "4.00", "currencyCode": "USD"}},
            "taxLines": [
                {
                    "title": "Sales tax",
                    "rate": "0.095",
                    "priceSet": {"shopMoney": {"amount": "0.38", "currencyCode": "USD"}},
                }
            ],
        },
    ]
    assert sent["shippingLines"] == [
        {
            "title": "Standard Shipping",
            "code": "7091146663229654785",
            "source": "TikTok Shop",
            "priceSet": {"shopMoney": {"amount": "5.99", "currencyCode": "USD"}},
        }
    ]
    assert sent["transactions"] == [
        {
            "kind": "SALE",
            "status": "SUCCESS",
            "gateway": "TikTok Shop",
            "amountSet": {"shopMoney": {"amount": "32.27", "currencyCode": "USD"}},
            "processedAt": "2026-03-01T15:07:05Z",
        }
    ]
    assert variables["options"] == {
        "inventoryBehaviour": "DECREMENT_IGNORING_POLICY",
        "sendReceipt": False,
        "sendFulfillmentReceipt": False,
    }


def test_units_at_different_prices_become_separate_lines(shared_api: Path) -> None:
    order = facts(
        line("sku1", "10.00", "0.95"), line("sku1", "8.50", "0.81"), line("sku1", "10.00", "0.95")
    )
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    items = variables["order"]["lineItems"]
    assert [(i["quantity"], i["priceSet"]["shopMoney"]["amount"]) for i in items] == [
        (2, "10.00"),
        (1, "8.50"),
    ]
    assert wire_total(variables["order"]) == paid(variables["order"]) == Decimal("37.20")


def test_a_sample_order_is_free_tagged_and_has_no_transaction(shared_api: Path) -> None:
    order = facts(line("sku1", "0.00", "0.00"), is_sample=True, shipping_fee=usd("0.00"))
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    sent = variables["order"]
    assert "TikTok Shop Sample" in sent["tags"]
    assert sent["lineItems"][0]["priceSet"]["shopMoney"]["amount"] == "0.00"
    assert "taxLines" not in sent["lineItems"][0]
    assert "transactions" not in sent and sent["financialStatus"] == "PAID"
    assert sent["shippingLines"][0]["priceSet"]["shopMoney"]["amount"] == "0.00"


def test_a_gift_is_its_own_free_line_and_tags_the_order(shared_api: Path) -> None:
    order = facts(line("sku1", "10.00", "0.95"), line("sku1", "0.00", "0.00", gift=True))
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    sent = variables["order"]
    assert "TikTok Shop Gift" in sent["tags"] and "TikTok Shop Sample" not in sent["tags"]
    gift = [i for i in sent["lineItems"] if i.get("properties")]
    assert gift == [
        {
            "variantId": "gid://shopify/ProductVariant/1",
            "quantity": 1,
            "priceSet": {"shopMoney": {"amount": "0.00", "currencyCode": "USD"}},
            "properties": [{"name": "TikTok Shop gift", "value": "Yes"}],
        }
    ]


def test_blank_details_are_left_out_not_sent_empty(shared_api: Path) -> None:
    order = facts(
        buyer_message="",
        delivery_option_id="",
        delivery_option_name="",
        shop_name="",
        ship_by=None,
        paid_at=None,
    )
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    sent = variables["order"]
    assert "note" not in sent
    assert sent["customAttributes"] == [{"key": "TikTok Order ID", "value": order.order_id}]
    assert sent["shippingLines"][0]["title"] == "TikTok Shop shipping"
    assert "code" not in sent["shippingLines"][0]
    # Without a payment time the sale is dated when the order was placed.
    assert sent["transactions"][0]["processedAt"] == sent["processedAt"]


def test_a_gift_at_the_same_price_as_a_paid_unit_stays_apart() -> None:
    order = facts(line("sku1", "0.00", "0.00"), line("sku1", "0.00", "0.00", gift=True))
    items = build_order_create(order, MAPPING)["order"]["lineItems"]
    assert [i["quantity"] for i in items] == [1, 1]


def test_shipping_tax_and_retail_delivery_fee_are_charged(shared_api: Path) -> None:
    order = facts(shipping_tax=usd("0.57"), retail_delivery_fee=usd("0.28"))
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    ship, fee = variables["order"]["shippingLines"]
    assert ship["taxLines"] == [
        {
            "title": "Shipping tax",
            "rate": "0.0952",
            "priceSet": {"shopMoney": {"amount": "0.57", "currencyCode": "USD"}},
        }
    ]
    assert fee["title"] == "Retail delivery fee"
    assert fee["priceSet"]["shopMoney"]["amount"] == "0.28"
    assert paid(variables["order"]) == order_total(order).amount == Decimal("17.79")


def test_customer_modes(shared_api: Path) -> None:
    none = build_order_create(facts(), MAPPING)["order"]
    assert "email" not in none and "customer" not in none
    assert "abc@scs.tiktokw.us" not in json.dumps(none)
    placeholder = build_order_create(facts(), MAPPING, customer_mode="placeholder")
    assert placeholder["order"]["email"] == PLACEHOLDER_EMAIL
    assert placeholder["order"]["customer"] == {
        "toUpsert": {"email": PLACEHOLDER_EMAIL, "firstName": "TikTok", "lastName": "Buyer"}
    }
    assert_accepted(placeholder, shared_api)
    own = build_order_create(
        facts(), MAPPING, customer_mode="placeholder", placeholder_email="t@x.example"
    )
    assert own["order"]["email"] == "t@x.example"
    assert own["order"]["customer"]["toUpsert"]["email"] == "t@x.example"


def test_a_masked_address_is_sent_without_the_masked_phone() -> None:
    address = build_order_create(facts(), MAPPING)["order"]["shippingAddress"]
    assert address == {
        "firstName": "J***",
        "lastName": "D***",
        "address1": "1*** Maple Ave",
        "city": "Los Angeles",
        "provinceCode": "CA",
        "zip": "90012",
        "countryCode": "US",
    }


def test_an_unmasked_address_keeps_phone_and_splits_a_single_name() -> None:
    recipient = replace(
        RECIPIENT,
        first_name="David Kong",
        last_name="",
        phone="+14085550100",
        address_lines=("5800 Bristol Pkwy", "Suite 100"),
        province="ca",
        masked=False,
    )
    assert shipping_address(recipient) == {
        "firstName": "David",
        "lastName": "Kong",
        "address1": "5800 Bristol Pkwy",
        "address2": "Suite 100",
        "city": "Los Angeles",
        "provinceCode": "CA",
        "zip": "90012",
        "countryCode": "US",
        "phone": "+14085550100",
    }


def test_no_address_before_tiktok_reveals_it() -> None:
    order = facts(recipient=RecipientFacts(name="J*** D***", masked=True))
    assert "shippingAddress" not in build_order_create(order, MAPPING)["order"]


@pytest.mark.parametrize(
    ("province", "country", "code"),
    [
        ("California", "US", "CA"),
        ("new york", "US", "NY"),
        ("District of Columbia", "US", "DC"),
        ("TX", "US", "TX"),
        ("Ontario", "CA", ""),
        ("ON", "CA", "ON"),
        ("", "US", ""),
        ("Atlantis", "US", ""),
    ],
)
def test_province_codes(province: str, country: str, code: str) -> None:
    assert province_code(province, country) == code


def test_an_orphan_is_refused_with_its_skus() -> None:
    order = facts(line("sku1"), line("sku9"))
    with pytest.raises(UnmappedSkuError) as raised:
        build_order_create(order, MAPPING)
    assert raised.value.sku_ids == ("sku9",)


def test_an_order_without_lines_is_refused() -> None:
    order = replace(facts(), lines=())
    with pytest.raises(ValueError, match="no lines"):
        build_order_create(order, MAPPING)


def test_a_zero_decimal_currency_is_sent_without_decimals(shared_api: Path) -> None:
    order = facts(
        line("sku1", "1500", "120", currency="JPY", rate="0.08"),
        currency="JPY",
        shipping_fee=Money(Decimal(500), "JPY"),
        shipping_tax=Money.zero("JPY"),
        recipient=RecipientFacts(),
    )
    variables = build_order_create(order, MAPPING)
    assert_accepted(variables, shared_api)
    sent = variables["order"]
    assert sent["currency"] == "JPY"
    assert sent["lineItems"][0]["priceSet"]["shopMoney"] == {
        "amount": "1500",
        "currencyCode": "JPY",
    }
    assert sent["transactions"][0]["amountSet"]["shopMoney"]["amount"] == "2120"


# -- properties -------------------------------------------------------------------
cents = st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def random_lines(draw: st.DrawFn) -> tuple[TikTokLineFacts, ...]:
    count = draw(st.integers(min_value=1, max_value=12))
    out = []
    for index in range(count):
        sku = draw(st.sampled_from(["sku1", "sku2"]))
        price = draw(st.sampled_from([Decimal(0), Decimal("9.99")]) | cents)
        gift = draw(st.booleans()) and draw(st.booleans())
        rate = draw(st.sampled_from(["0", "0.07", "0.095", "0.1025"]))
        tax = (price * Decimal(rate)).quantize(Decimal("0.01"))
        out.append(line(sku, str(price), str(tax), gift=gift, rate=rate, line_id=f"li{index}"))
    return tuple(out)


@settings(max_examples=60, deadline=None)
@given(
    lines=random_lines(),
    fee=cents,
    shipping_tax=cents,
    rdf=st.sampled_from([Decimal(0), Decimal("0.28")]),
    sample=st.booleans(),
)
def test_the_parts_add_up_to_the_payment(
    lines: tuple[TikTokLineFacts, ...],
    fee: Decimal,
    shipping_tax: Decimal,
    rdf: Decimal,
    sample: bool,
) -> None:
    order = facts(
        *lines,
        shipping_fee=usd(str(fee)),
        shipping_tax=usd(str(shipping_tax)),
        retail_delivery_fee=usd(str(rdf)),
        is_sample=sample,
    )
    sent = build_order_create(order, MAPPING)["order"]
    assert wire_total(sent) == paid(sent) == order_total(order).amount
    assert sum(i["quantity"] for i in sent["lineItems"]) == len(lines)
    assert ("TikTok Shop Sample" in sent["tags"]) is sample
    assert ("TikTok Shop Gift" in sent["tags"]) is any(li.is_gift for li in lines)
    _check_scalars(sent)


@settings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(
        st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False), min_size=1, max_size=6
    )
)
def test_amounts_finer_than_a_cent_still_add_up(amounts: list[Decimal]) -> None:
    # Rounded once per wire amount; the transaction is the sum of what is sent.
    lines = tuple(
        line(f"sku{i % 2 + 1}", str(a), str(a / 10), line_id=f"li{i}")
        for i, a in enumerate(amounts)
    )
    sent = build_order_create(facts(*lines), MAPPING)["order"]
    assert wire_total(sent) == paid(sent)
    _check_scalars(sent)
