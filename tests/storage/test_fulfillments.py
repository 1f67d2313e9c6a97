"""Fulfillment records and carrier mappings, on a real (migrated) database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee
import pytest

from tiktok_console.domain.carriers import Provider
from tiktok_console.storage.database import open_database
from tiktok_console.storage.fulfillment.carrier_mappings import (
    all_mappings,
    cached_providers,
    delete_mapping,
    delivery_option_names,
    mapping_count,
    mapping_for,
    providers_fetched_at,
    providers_for,
    save_mapping,
    store_providers,
)
from tiktok_console.storage.fulfillment.shipments import (
    BLOCKED,
    HELD,
    PENDING,
    PUSHED,
    SeenFulfillment,
    carrier_seen,
    carriers_seen,
    claimed_lines,
    fulfillment,
    fulfillments_to_push,
    mark_fulfillment,
    record_seen,
    release_blocked,
    state_counts,
)

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
USPS = Provider("7117858858072016686", "USPS")
UPS = Provider("7117859084333745966", "UPS")


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


def _seen(fulfillment_id: str = "F1", **changes: object) -> SeenFulfillment:
    seen = SeenFulfillment(
        fulfillment_id=fulfillment_id,
        shopify_order_id="gid://shopify/Order/1",
        tiktok_order_id="576",
        delivery_option_id="opt-standard",
        carrier="USPS",
        tracking_number="9400111899223344556677",
        tracking_url="",
        line_item_ids=("1", "2"),
        shopify_created_at=T0,
    )
    return replace(seen, **changes)  # type: ignore[arg-type]


def test_a_new_shipment_is_pending_with_its_lines() -> None:
    assert record_seen(_seen())
    found = fulfillment("F1")
    assert found is not None
    assert (found.state, found.line_item_ids, found.carrier) == (PENDING, ("1", "2"), "USPS")
    assert claimed_lines("576") == {"1": "F1", "2": "F1"}


def test_seeing_it_again_unchanged_writes_nothing() -> None:
    record_seen(_seen())
    assert not record_seen(_seen())


def test_the_lines_of_a_recorded_shipment_never_change() -> None:
    record_seen(_seen())
    record_seen(_seen(line_item_ids=("3",), tracking_number="9400111899223344550000"))
    found = fulfillment("F1")
    assert found is not None and found.line_item_ids == ("1", "2")


def test_new_tracking_sends_a_blocked_or_held_one_back_to_pending() -> None:
    for state in (BLOCKED, HELD):
        record_seen(_seen(fulfillment_id=state))
        mark_fulfillment(state, state, reason="why")
        record_seen(_seen(fulfillment_id=state, tracking_number="1Z999AA10123456784"))
        found = fulfillment(state)
        assert found is not None and found.state == PENDING
        assert found.tracking_number == "1Z999AA10123456784"


def test_new_tracking_on_a_pushed_one_asks_for_a_correction() -> None:
    record_seen(_seen())
    mark_fulfillment("F1", PUSHED, package_id="P1", pushed_tracking="9400111899223344556677")
    assert fulfillments_to_push() == []
    record_seen(_seen(tracking_number="9400111899223344550000"))
    found = fulfillment("F1")
    assert found is not None and found.state == PUSHED and found.tracking_changed
    assert [f.fulfillment_id for f in fulfillments_to_push()] == ["F1"]


def test_shipments_to_push_come_oldest_first_and_continue_after_a_key() -> None:
    for index in range(5):
        record_seen(_seen(fulfillment_id=f"F{index}", shopify_created_at=T0 - timedelta(index)))
    first = fulfillments_to_push(limit=2)
    assert [f.fulfillment_id for f in first] == ["F4", "F3"]
    rest = fulfillments_to_push(after=(first[-1].shopify_created_at, first[-1].fulfillment_id))
    assert [f.fulfillment_id for f in rest] == ["F2", "F1", "F0"]


def test_releasing_a_carrier_frees_only_its_blocked_shipments() -> None:
    record_seen(_seen("A"))
    record_seen(_seen("B", delivery_option_id="opt-express"))
    record_seen(_seen("C", carrier="Other"))
    record_seen(_seen("D"))
    for fid in "ABC":
        mark_fulfillment(fid, BLOCKED, reason="not mapped")
    assert release_blocked("USPS", "opt-express") == 1
    assert release_blocked("USPS") == 1
    states = {fid: fulfillment(fid).state for fid in "ABCD"}  # type: ignore[union-attr]
    assert states == {"A": PENDING, "B": PENDING, "C": BLOCKED, "D": PENDING}
    assert carriers_seen() == ["Other", "USPS"]
    assert carrier_seen("Other") and not carrier_seen("UPS")
    assert state_counts() == {PENDING: 3, BLOCKED: 1}


def test_a_mapping_for_the_delivery_option_wins_over_the_general_one() -> None:
    save_mapping("Post", USPS.provider_id, USPS.name)
    save_mapping("Post", UPS.provider_id, UPS.name, delivery_option_id="opt-express")
    assert mapping_for("Post", "opt-express").provider_name == "UPS"  # type: ignore[union-attr]
    assert mapping_for("Post", "opt-standard").provider_name == "USPS"  # type: ignore[union-attr]
    assert mapping_for("Courier", "opt-standard") is None
    save_mapping("Post", UPS.provider_id, UPS.name, source="bulk")  # replaces, never duplicates
    assert mapping_count() == 2
    assert [(m.carrier, m.delivery_option_id, m.source) for m in all_mappings()] == [
        ("Post", "", "bulk"),
        ("Post", "opt-express", "manual"),
    ]
    assert delete_mapping("Post", "opt-express") and not delete_mapping("Post", "opt-express")


def test_the_provider_cache_is_replaced_per_delivery_option() -> None:
    store_providers("opt-standard", "Standard Shipping", [USPS, UPS], at=T0)
    store_providers("opt-express", "Express Shipping", [UPS], at=T0)
    store_providers("opt-standard", "Standard Shipping", [UPS], at=T0 + timedelta(hours=1))
    assert providers_for("opt-standard") == [UPS]
    assert cached_providers() == {"opt-express": [UPS], "opt-standard": [UPS]}
    assert providers_fetched_at("opt-standard") == T0 + timedelta(hours=1)
    assert providers_fetched_at("opt-unknown") is None
    assert delivery_option_names() == {
        "opt-standard": "Standard Shipping",
        "opt-express": "Express Shipping",
    }
