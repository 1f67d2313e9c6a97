"""After-sales views: what a TikTok request's status and history mean for the merchant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.domain.aftersales_views import T0, a_cancellation, a_return
from tiktok_console.domain.aftersales import Arbitration, ReturnType, SellerAction, merge_statuses
from tiktok_console.domain.aftersales_stage import Stage, stage_of


def test_the_parcel_came_back_only_through_buyer_shipped_and_an_accepted_package() -> None:
    back = ("AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM")
    assert a_return(seen=back).parcel_received
    assert not a_return(seen=back, status="BUYER_SHIPPED_ITEM").parcel_received  # not refunded yet
    assert not a_return(seen=(*back, "REJECT_RECEIVE_PACKAGE")).parcel_received
    assert not a_return(seen=back, return_type=ReturnType.REFUND).parcel_received
    assert not a_return(seen=()).parcel_received


def test_refunded_closed_and_awaiting_the_seller() -> None:
    pending = a_return(
        status="RETURN_OR_REFUND_REQUEST_PENDING",
        actions=(
            SellerAction("SELLER_RESPOND_RETURN", T0 + timedelta(hours=3)),
            SellerAction("SELLER_RESPOND_RETURN", T0 + timedelta(hours=2)),
        ),
    )
    assert pending.awaiting_seller and not pending.refunded and not pending.closed
    assert pending.next_deadline == T0 + timedelta(hours=2)
    done = a_return()
    assert done.refunded and done.closed and done.next_deadline is None
    assert a_cancellation().refunded and a_cancellation().closed
    rejected = a_cancellation(status="CANCELLATION_REQUEST_CANCEL")
    assert rejected.closed and not rejected.refunded


def test_history_and_naive_deadlines() -> None:
    assert merge_statuses({"A"}, "B") == frozenset({"A", "B"})
    with pytest.raises(ValueError):
        SellerAction("SELLER_RESPOND_REFUND", T0.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("status", "extra", "stage"),
    [
        ("RETURN_OR_REFUND_REQUEST_PENDING", "action", Stage.AWAITING_SELLER),
        ("REFUND_OR_RETURN_REQUEST_REJECT", "dispute", Stage.IN_DISPUTE),
        ("AWAITING_BUYER_SHIP", "", Stage.AWAITING_BUYER),
        ("BUYER_SHIPPED_ITEM", "", Stage.PARCEL_RETURNING),
        ("RETURN_OR_REFUND_REQUEST_SUCCESS", "", Stage.REFUNDED),
        ("REPLACEMENT_REQUEST_REFUND_SUCCESS", "", Stage.REFUNDED),
        ("REFUND_OR_RETURN_REQUEST_REJECT", "", Stage.REJECTED),
        ("RETURN_OR_REFUND_REQUEST_CANCEL", "", Stage.WITHDRAWN),
        ("REPLACEMENT_REQUEST_COMPLETE", "", Stage.COMPLETED),
        ("RETURN_OR_REFUND_REQUEST_PENDING", "", Stage.PENDING),
    ],
)
def test_a_return_stage(status: str, extra: str, stage: Stage) -> None:
    step = SellerAction("SELLER_RESPOND_RETURN", T0)
    view = a_return(
        status=status,
        actions=(step,) if extra == "action" else (),
        arbitration=Arbitration.IN_PROGRESS if extra == "dispute" else Arbitration.NONE,
    )
    assert stage_of(view) is stage


def test_a_cancellation_stage() -> None:
    step = SellerAction("SELLER_RESPOND_BUYER_CANCEL", T0)
    assert stage_of(a_cancellation(status="CANCELLATION_REQUEST_PENDING", actions=(step,))) is (
        Stage.AWAITING_SELLER
    )
    assert stage_of(a_cancellation(status="CANCELLATION_REQUEST_PENDING")) is Stage.PENDING
    assert stage_of(a_cancellation()) is Stage.REFUNDED
    assert stage_of(a_cancellation(status="CANCELLATION_REQUEST_CANCEL")) is Stage.CLOSED
