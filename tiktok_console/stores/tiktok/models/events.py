"""Webhook events: ``{type, tts_notification_id, shop_id, timestamp, data}``.

``data`` is parsed by ``type`` (TikTok's numeric event type). An event type we
do not know yet keeps its data as ``UnknownEventData`` instead of failing, so
a new TikTok event never stops the listener.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, model_validator

from tiktok_console.stores.tiktok.models.common import (
    IdStr,
    OptionalTime,
    TikTokModel,
    UnixTime,
)

ORDER_STATUS_CHANGE = 1
RECIPIENT_ADDRESS_UPDATE = 3
PACKAGE_UPDATE = 4
PRODUCT_STATUS_CHANGE = 5
SELLER_DEAUTHORIZATION = 6
UPCOMING_AUTHORIZATION_EXPIRATION = 7
CANCELLATION_STATUS_CHANGE = 11
RETURN_STATUS_CHANGE = 12
PRODUCT_INFORMATION_CHANGE = 15
PRODUCT_CREATION = 16

# Webhooks say CANCEL where the order API says CANCELLED.
_ORDER_STATUS_ALIASES = {"CANCEL": "CANCELLED"}


class OrderStatusChange(TikTokModel):
    """Type 1: an order changed status."""

    order_id: IdStr
    order_status: str = ""
    is_on_hold_order: bool = False
    update_time: OptionalTime = None

    @property
    def status(self) -> str:
        """The status spelled as the order API spells it."""
        return _ORDER_STATUS_ALIASES.get(self.order_status, self.order_status)


class RecipientAddressUpdate(TikTokModel):
    """Type 3: the buyer changed the shipping address."""

    order_id: IdStr
    update_time: OptionalTime = None


class PackageChange(TikTokModel):
    """A package and its orders in a package update."""

    package_id: IdStr
    order_id_list: list[IdStr] = Field(default_factory=list)


class PackageUpdate(TikTokModel):
    """Type 4: packages were combined or split."""

    sc_type: str = ""
    role_type: str = ""
    package_list: list[PackageChange] = Field(default_factory=list)
    update_time: OptionalTime = None


class ProductStatusChange(TikTokModel):
    """Type 5: a listing passed or failed review, or changed status."""

    product_id: IdStr
    status: str = ""
    suspended_reason: str = ""
    update_time: OptionalTime = None


class AuthorizationMessage(TikTokModel):
    """Types 6 and 7: deauthorized, or authorization expiring at ``expiration_time``."""

    message: str = ""
    expiration_time: OptionalTime = None


class CancellationStatusChange(TikTokModel):
    """Type 11: a cancellation request changed status."""

    order_id: IdStr
    cancel_id: IdStr = ""
    cancel_status: str = ""
    cancellations_role: str = ""
    create_time: OptionalTime = None


class ReturnStatusChange(TikTokModel):
    """Type 12: a return changed status."""

    order_id: IdStr
    return_id: IdStr = ""
    return_role: str = ""
    return_type: str = ""
    return_status: str = ""
    create_time: OptionalTime = None
    update_time: OptionalTime = None


class ProductInformationChange(TikTokModel):
    """Type 15: listing fields changed (in Seller Center, say)."""

    product_id: IdStr
    changed_fields: list[str] = Field(default_factory=list)
    update_time: OptionalTime = None


class ProductCreation(TikTokModel):
    """Type 16: a product was created."""

    product_id: IdStr
    product_type: list[str] = Field(default_factory=list)
    update_time: OptionalTime = None


class UnknownEventData(TikTokModel):
    """The data of an event type this version does not know: kept whole."""

    model_config = ConfigDict(extra="allow", frozen=True)


EventData = (
    OrderStatusChange
    | RecipientAddressUpdate
    | PackageUpdate
    | ProductStatusChange
    | AuthorizationMessage
    | CancellationStatusChange
    | ReturnStatusChange
    | ProductInformationChange
    | ProductCreation
    | UnknownEventData
)

EVENT_DATA: dict[int, type[TikTokModel]] = {
    ORDER_STATUS_CHANGE: OrderStatusChange,
    RECIPIENT_ADDRESS_UPDATE: RecipientAddressUpdate,
    PACKAGE_UPDATE: PackageUpdate,
    PRODUCT_STATUS_CHANGE: ProductStatusChange,
    SELLER_DEAUTHORIZATION: AuthorizationMessage,
    UPCOMING_AUTHORIZATION_EXPIRATION: AuthorizationMessage,
    CANCELLATION_STATUS_CHANGE: CancellationStatusChange,
    RETURN_STATUS_CHANGE: ReturnStatusChange,
    PRODUCT_INFORMATION_CHANGE: ProductInformationChange,
    PRODUCT_CREATION: ProductCreation,
}


class WebhookEvent(TikTokModel):
    """One webhook delivery (dedupe on ``tts_notification_id`` when present)."""

    type: int
    tts_notification_id: str = ""
    shop_id: IdStr
    timestamp: UnixTime
    data: EventData

    @model_validator(mode="before")
    @classmethod
    def _parse_data_by_type(cls, raw: Any) -> Any:
        if not isinstance(raw, dict) or not isinstance(raw.get("data"), dict):
            return raw
        model = EVENT_DATA.get(_int(raw.get("type")), UnknownEventData)
        return {**raw, "data": model.model_validate(raw["data"])}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
