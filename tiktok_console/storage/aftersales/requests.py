"""Storing pulled TikTok returns and cancellations, and reading them back as domain views.

A pull may bring a request again, or an older copy after a newer one (pages
overlap, webhooks race the poll): each request is kept once, by id, and only
a copy at least as new as the stored one replaces it. Every status ever seen
is kept (a completed return says the parcel came back only through its
history), and the Shopify refund id, once recorded, is never overwritten by a
pull: it is what the mirroring job re-reads before any retry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from tiktok_console.domain.aftersales import (
    REFUNDED_CANCEL_STATUSES,
    REFUNDED_RETURN_STATUSES,
    Arbitration,
    CancellationView,
    DisputeView,
    ReturnType,
    ReturnView,
)
from tiktok_console.domain.money import Money
from tiktok_console.storage.aftersales.codec import (
    actions_from,
    actions_json,
    lines_from,
    lines_json,
    refund_columns,
    refund_from_columns,
)
from tiktok_console.storage.aftersales.tables import (
    TikTokCancellationRow,
    TikTokDisputeRow,
    TikTokReturnRow,
)
from tiktok_console.storage.database import db

Pulled = tuple[ReturnView, str]  # the view and TikTok's JSON of it
PulledCancel = tuple[CancellationView, str]
_KEEP_ON_UPDATE = ("shopify_refund_id", "mirrored_at")
_DISPUTE_UPDATES = [
    TikTokDisputeRow.arbitration_status,
    TikTokDisputeRow.amount,
    TikTokDisputeRow.currency,
    TikTokDisputeRow.deadline,
    TikTokDisputeRow.updated_at,
]


def store_returns(pulled: Sequence[Pulled], now: datetime) -> list[str]:
    """Keep each return's newest copy; returns the ids that were new or newer."""
    rows = [(view.return_id, view.updated_at, _return_fields(view, payload, now))
            for view, payload in pulled]  # fmt: skip
    with db.atomic():
        changed = _upsert(TikTokReturnRow, TikTokReturnRow.return_id, rows)
        for view, _ in pulled:
            if view.return_id in changed and view.arbitration is not Arbitration.NONE:
                _store_dispute(view, now)
    return changed


def store_cancellations(pulled: Sequence[PulledCancel], now: datetime) -> list[str]:
    """Keep each cancellation's newest copy; returns the ids that were new or newer."""
    rows = [(view.cancel_id, view.updated_at, _cancel_fields(view, payload, now))
            for view, payload in pulled]  # fmt: skip
    with db.atomic():
        return _upsert(TikTokCancellationRow, TikTokCancellationRow.cancel_id, rows)


def return_view(return_id: str) -> ReturnView | None:
    """A stored return, or None."""
    row = TikTokReturnRow.get_or_none(TikTokReturnRow.return_id == return_id)
    return None if row is None else _return_of(row)


def cancellation_view(cancel_id: str) -> CancellationView | None:
    """A stored cancellation, or None."""
    row = TikTokCancellationRow.get_or_none(TikTokCancellationRow.cancel_id == cancel_id)
    return None if row is None else _cancel_of(row)


def disputes(open_only: bool = True) -> list[DisputeView]:
    """Disputed returns (those the platform still arbitrates, unless ``open_only`` is False)."""
    query = TikTokDisputeRow.select().order_by(TikTokDisputeRow.opened_at)
    if open_only:
        query = query.where(TikTokDisputeRow.arbitration_status == Arbitration.IN_PROGRESS.value)
    return [
        DisputeView(
            return_id=row.return_id, order_id=row.order_id,
            arbitration=Arbitration(row.arbitration_status),
            amount=Money(row.amount, row.currency) if row.amount is not None else None,
            deadline=row.deadline,
        )
        for row in query
    ]  # fmt: skip


def refunds_to_mirror(limit: int = 500) -> list[ReturnView | CancellationView]:
    """Refunded requests with no Shopify refund recorded yet, oldest update first."""
    returns = (TikTokReturnRow.select()
               .where(TikTokReturnRow.shopify_refund_id == "",
                      TikTokReturnRow.status.in_(sorted(REFUNDED_RETURN_STATUSES)))
               .order_by(TikTokReturnRow.update_time).limit(limit))  # fmt: skip
    cancels = (TikTokCancellationRow.select()
               .where(TikTokCancellationRow.shopify_refund_id == "",
                      TikTokCancellationRow.status.in_(sorted(REFUNDED_CANCEL_STATUSES)))
               .order_by(TikTokCancellationRow.update_time).limit(limit))  # fmt: skip
    found: list[ReturnView | CancellationView] = [_return_of(r) for r in returns]
    found += [_cancel_of(r) for r in cancels]
    return sorted(found, key=lambda v: v.updated_at)[:limit]


def record_shopify_refund(request_id: str, refund_id: str, now: datetime) -> bool:
    """Note the Shopify refund made for a return or cancellation; False if unknown.

    Raises:
        ValueError: a different refund is already recorded (a second refund must not exist).
    """
    for table, key in ((TikTokReturnRow, TikTokReturnRow.return_id),
                       (TikTokCancellationRow, TikTokCancellationRow.cancel_id)):  # fmt: skip
        row = table.get_or_none(key == request_id)
        if row is None:
            continue
        if row.shopify_refund_id and row.shopify_refund_id != refund_id:
            raise ValueError(f"{request_id} is already mirrored as {row.shopify_refund_id}")
        table.update(shopify_refund_id=refund_id, mirrored_at=now).where(
            key == request_id
        ).execute()
        return True
    return False


def shopify_refund_id(request_id: str) -> str:
    """The Shopify refund recorded for a request ("" when none)."""
    for table, key in ((TikTokReturnRow, TikTokReturnRow.return_id),
                       (TikTokCancellationRow, TikTokCancellationRow.cancel_id)):  # fmt: skip
        row = table.select(table.shopify_refund_id).where(key == request_id).first()
        if row is not None:
            return str(row.shopify_refund_id)
    return ""


def _upsert(
    table: Any, key: Any, rows: Iterable[tuple[str, datetime, dict[str, Any]]]
) -> list[str]:
    incoming = list(rows)
    ids = [request_id for request_id, _, _ in incoming]
    stored = {
        row[0]: (row[1], set(filter(None, row[2].split(","))))
        for row in table.select(key, table.update_time, table.statuses_seen)
        .where(key.in_(ids)).tuples()
    }  # fmt: skip
    changed = []
    for request_id, update_time, fields in incoming:
        before = stored.get(request_id)
        if before is not None:
            seen = before[1] | set(fields["statuses_seen"].split(","))
            fields["statuses_seen"] = ",".join(sorted(seen))
            if update_time < before[0]:  # an older copy: keep only its history
                table.update(statuses_seen=fields["statuses_seen"]).where(
                    key == request_id
                ).execute()
                continue
        update = [field for name, field in table._meta.fields.items()
                  if name in fields and name not in _KEEP_ON_UPDATE]  # fmt: skip
        table.insert(**fields).on_conflict(conflict_target=[key], preserve=update).execute()
        stored[request_id] = (update_time, set(fields["statuses_seen"].split(",")))
        changed.append(request_id)
    return changed


def _common(view: ReturnView | CancellationView, payload: str, now: datetime) -> dict[str, Any]:
    return {
        "order_id": view.order_id, "status": view.status,
        "statuses_seen": ",".join(sorted({view.status, *getattr(view, "statuses_seen", ())})),
        "role": view.role, "reason_text": view.reason_text, "created_at": view.created_at,
        "update_time": view.updated_at, "actions": actions_json(view.next_actions),
        "deadline": view.next_deadline, "lines": lines_json(view.lines),
        **refund_columns(view.refund), "payload": payload, "updated_at": now,
    }  # fmt: skip


def _return_fields(view: ReturnView, payload: str, now: datetime) -> dict[str, Any]:
    return {
        **_common(view, payload, now), "return_id": view.return_id,
        "return_type": view.return_type.value, "arbitration_status": view.arbitration.value,
        "can_buyer_keep_item": view.can_buyer_keep_item, "is_quick_refund": view.is_quick_refund,
        "tracking_number": view.tracking_number,
    }  # fmt: skip


def _cancel_fields(view: CancellationView, payload: str, now: datetime) -> dict[str, Any]:
    return {
        **_common(view, payload, now),
        "cancel_id": view.cancel_id,
        "cancel_type": view.cancel_type,
        "should_replenish_stock": view.should_replenish_stock,
    }


def _store_dispute(view: ReturnView, now: datetime) -> None:
    amount = view.refund.total if view.refund else None
    TikTokDisputeRow.insert(
        return_id=view.return_id,
        order_id=view.order_id,
        arbitration_status=view.arbitration.value,
        amount=amount.amount if amount else None,
        currency=amount.currency if amount else "",
        deadline=view.next_deadline if view.in_dispute else None,
        opened_at=now,
        updated_at=now,
    ).on_conflict(conflict_target=[TikTokDisputeRow.return_id], preserve=_DISPUTE_UPDATES).execute()


def _request_kwargs(row: Any) -> dict[str, Any]:
    return {
        "order_id": row.order_id, "status": row.status, "role": row.role,
        "reason_text": row.reason_text, "created_at": row.created_at,
        "updated_at": row.update_time, "next_actions": actions_from(row.actions),
        "lines": lines_from(row.lines),
        "refund": refund_from_columns(row.refund_total, row.refund_subtotal, row.refund_shipping,
                                      row.refund_tax, row.currency),
    }  # fmt: skip


def _return_of(row: TikTokReturnRow) -> ReturnView:
    return ReturnView(
        **_request_kwargs(row), return_id=row.return_id, return_type=ReturnType(row.return_type),
        arbitration=Arbitration(row.arbitration_status),
        can_buyer_keep_item=bool(row.can_buyer_keep_item),
        is_quick_refund=bool(row.is_quick_refund), tracking_number=row.tracking_number,
        statuses_seen=frozenset(filter(None, row.statuses_seen.split(","))),
    )  # fmt: skip


def _cancel_of(row: TikTokCancellationRow) -> CancellationView:
    replenish = row.should_replenish_stock
    return CancellationView(
        **_request_kwargs(row), cancel_id=row.cancel_id, cancel_type=row.cancel_type,
        should_replenish_stock=None if replenish is None else bool(replenish),
    )  # fmt: skip
