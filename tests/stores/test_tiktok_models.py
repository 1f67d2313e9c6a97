"""TikTok models: every published sample parses, and the edge types are exact."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tiktok_console.domain.money import Money
from tiktok_console.stores.tiktok.models import events, finance, orders, products, returns
from tiktok_console.stores.tiktok.models.common import Amount, OptionalTime, Priced, UnixTime
from tiktok_console.stores.tiktok.models.registry import SAMPLE_MODELS, model_for_sample


@pytest.fixture
def samples(shared_api: Path) -> Path:
    root = shared_api / "samples" / "tiktok"
    if not root.is_dir():
        pytest.skip(f"{root} is not present")
    return root


def _payload(path: Path) -> Any:
    raw = json.loads(path.read_text())
    if path.parent.name != "events" and isinstance(raw, dict) and "code" in raw:
        return raw.get("data") or {}
    return raw


def _load(samples: Path, name: str) -> Any:
    (path,) = list(samples.rglob(f"{name}.json"))[:1]
    model = model_for_sample(name)
    assert model is not None
    return model.model_validate(_payload(path))


def test_every_sample_has_a_model_and_parses(samples: Path) -> None:
    files = sorted(samples.rglob("*.json"))
    assert len(files) > 150
    unregistered = [f.name for f in files if model_for_sample(f.name) is None]
    assert not unregistered, f"add these to models/registry.py: {unregistered}"
    failures = {}
    for path in files:
        model = SAMPLE_MODELS[path.stem]
        try:
            model.model_validate(_payload(path))
        except ValidationError as error:
            failures[str(path.relative_to(samples))] = str(error)
    assert not failures, failures


def test_order_sample_money_and_times(samples: Path) -> None:
    order = _load(samples, "OrderBatchGetOrderDetailResponse").orders[0]
    assert order.payment.total_amount == Money(Decimal("5000"), "IDR")
    assert order.line_items[0].sale_price == Money(Decimal("0.01"), "IDR")
    assert order.create_time == datetime(2021, 4, 28, 12, 6, 1, tzinfo=UTC)
    assert order.packages[0].id == "1152321127278713123"


def test_product_sample_price_is_money_with_the_sample_currency(samples: Path) -> None:
    page = _load(samples, "ProductSearchProductsResponse")
    sku = page.products[0].skus[0]
    assert sku.price.sale_price == Money(Decimal("121.11"), "USD")
    assert sku.price.tax_exclusive_price == Money(Decimal("111.01"), "USD")
    assert sku.total_quantity == 999


def test_return_sample_deadline_and_partial_refund_currency(samples: Path) -> None:
    ret = _load(samples, "ReturnRefundSearchReturnsResponse").return_orders[0]
    assert ret.deadline == datetime.fromtimestamp(1690554680, UTC)
    assert ret.refund_amount.refund_total == Money(Decimal("1.23"), "USD")
    assert ret.partial_refund == Money(Decimal("10"), "IDR")  # its own currency


def test_payment_sample_amounts_use_their_own_currency(samples: Path) -> None:
    payment = _load(samples, "FinanceGetPaymentsResponse").payments[0]
    assert payment.amount == Money(Decimal("100"), "GBP")
    assert payment.reserve_amount == Money(Decimal("-30"), "GBP")
    assert payment.exchange_rate == Decimal("1.000000")


def test_tracking_millis_become_seconds(samples: Path) -> None:
    tracking = _load(samples, "FulfillmentGetOrderTrackingResponse")
    assert tracking.tracking[0].update_time_millis == datetime.fromtimestamp(1694685539, UTC)


def test_events_parse_data_by_type(samples: Path) -> None:
    status = _load(samples, "ProductStatusChangeEvent")
    assert isinstance(status.data, events.ProductStatusChange)
    assert status.data.product_id == "576486316948490000"  # a JSON number in the sample
    expiring = _load(samples, "UpcomingAuthorizationExpirationEvent")
    assert expiring.data.expiration_time == datetime.fromtimestamp(1627587506, UTC)
    order = _load(samples, "OrderStatusChangeEvent")
    assert isinstance(order.data, events.OrderStatusChange)
    assert order.timestamp == datetime.fromtimestamp(1644412885, UTC)


def test_webhook_cancel_status_is_normalized() -> None:
    event = events.WebhookEvent.model_validate(
        {
            "type": 1,
            "tts_notification_id": "1",
            "shop_id": "9",
            "timestamp": 1,
            "data": {"order_id": "5", "order_status": "CANCEL"},
        }
    )
    assert isinstance(event.data, events.OrderStatusChange)
    assert event.data.status == "CANCELLED"


def test_unknown_event_type_keeps_its_data() -> None:
    event = events.WebhookEvent.model_validate(
        {"type": 99, "shop_id": "9", "timestamp": 1, "data": {"anything": [1, 2]}}
    )
    assert isinstance(event.data, events.UnknownEventData)
    assert event.data.model_extra == {"anything": [1, 2]}


def _line(line_id: str, sku: str, price: str = "10.00") -> dict[str, Any]:
    return {
        "id": line_id,
        "sku_id": sku,
        "seller_sku": f"S-{sku}",
        "currency": "USD",
        "original_price": price,
        "sale_price": price,
    }


def test_group_lines_counts_units_per_sku_in_first_seen_order() -> None:
    lines = [
        orders.OrderLineItem.model_validate(_line(str(n), sku, price))
        for n, (sku, price) in enumerate(
            [("a", "1.10"), ("b", "5.00"), ("a", "1.20"), ("a", "1.30")]
        )
    ]
    groups = orders.group_lines(lines)
    assert [(g.sku_id, g.quantity) for g in groups] == [("a", 3), ("b", 1)]
    assert groups[0].sale_total == Money(Decimal("3.60"), "USD")
    assert groups[0].line_ids == ["0", "2", "3"]


@given(st.lists(st.sampled_from("abcd"), max_size=30))
def test_grouping_keeps_every_line_once(skus: list[str]) -> None:
    lines = [orders.OrderLineItem.model_validate(_line(str(n), s)) for n, s in enumerate(skus)]
    groups = orders.group_lines(lines)
    assert sum(g.quantity for g in groups) == len(skus)
    assert sorted(i for g in groups for i in g.line_ids) == sorted(str(n) for n in range(len(skus)))
    assert len({g.sku_id for g in groups}) == len(groups)


def test_unknown_fields_and_statuses_are_tolerated() -> None:
    product = products.ProductSummary.model_validate(
        {"id": "1", "status": "SOMETHING_NEW", "brand_new_field": {"x": 1}}
    )
    assert product.status == "SOMETHING_NEW"
    assert product.status not in products.PRODUCT_STATUSES


class _Sample(Priced):
    price: Amount
    at: UnixTime
    maybe: OptionalTime = None


# From 1973 (milliseconds pass 10**11) to 2100: every time TikTok can send.
@given(st.integers(min_value=100_000_000, max_value=4_102_444_800))
def test_unix_time_reads_seconds_millis_and_digit_strings(seconds: int) -> None:
    expected = datetime.fromtimestamp(seconds, UTC)
    for wire in (seconds, str(seconds), seconds * 1000 + 999, str(seconds * 1000)):
        parsed = _Sample.model_validate({"currency": "USD", "price": "1", "at": wire})
        assert parsed.at == expected
        assert parsed.at.tzinfo is UTC


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_amount_strings_are_exact(amount: Decimal) -> None:
    parsed = _Sample.model_validate({"currency": "EUR", "price": str(amount), "at": 1})
    assert parsed.price == Money(amount, "EUR")
    assert parsed.model_dump(mode="json")["price"] == f"{amount:f}"


def test_zero_and_empty_times_mean_not_yet() -> None:
    for wire in (0, "", None):
        parsed = _Sample.model_validate({"currency": "USD", "price": "1", "at": 1, "maybe": wire})
        assert parsed.maybe is None


def test_an_amount_without_currency_is_refused() -> None:
    with pytest.raises(ValidationError):
        _Sample.model_validate({"price": "1.00", "at": 1})
    with pytest.raises(ValidationError):
        _Sample.model_validate({"currency": "USD", "price": "abc", "at": 1})


def test_breakdowns_inherit_the_parent_currency() -> None:
    tx = finance.StatementTransaction.model_validate(
        {
            "id": "1",
            "currency": "GBP",
            "settlement_amount": "3.00",
            "fee_tax_breakdown": {"fee": {"referral_fee_amount": "-1.50"}},
        }
    )
    assert tx.fee_tax_breakdown is not None and tx.fee_tax_breakdown.fee is not None
    assert tx.fee_tax_breakdown.fee.referral_fee_amount == Money(Decimal("-1.50"), "GBP")


def test_request_models_serialize_to_the_wire_shape() -> None:
    body = products.UpdatePriceRequest(
        skus=[products.SkuPriceUpdate(id="1", price=Money(Decimal("12.5"), "USD"))]
    ).model_dump(mode="json", exclude_none=True)
    assert body == {"skus": [{"id": "1", "price": {"amount": "12.50", "currency": "USD"}}]}
    search = orders.SearchOrdersRequest(
        update_time_ge=datetime.fromtimestamp(1_700_000_000, UTC)
    ).model_dump(mode="json", exclude_none=True)
    assert search == {"update_time_ge": 1_700_000_000}
    approve = returns.ApproveReturnRequest(decision="APPROVE_REFUND")
    assert approve.model_dump(mode="json", exclude_none=True) == {"decision": "APPROVE_REFUND"}
