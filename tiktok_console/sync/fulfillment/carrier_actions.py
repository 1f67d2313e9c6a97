"""What the merchant does on the Carriers page, as plain functions (no Qt).

Mapping a carrier releases the shipments it blocked: they go back to pending
and the fulfillment job sends them on its next run (the page nudges it with
``engine.nudge("fulfillment")`` so that is within seconds).
"""

from __future__ import annotations

import logging

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.carriers import Provider
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.fulfillment import carrier_mappings
from tiktok_console.storage.fulfillment.carrier_mappings import (
    delete_mapping,
    mapping_count,
    save_mapping,
)
from tiktok_console.storage.fulfillment.shipments import (
    HELD,
    PENDING,
    RETRYABLE,
    fulfillment,
    mark_fulfillment,
    release_blocked,
)

log = logging.getLogger(__name__)

JOB = "fulfillment"
# A held shipment the merchant retries is sent as it is: the retry is their decision
# that the number is right. The job recognises this reason (no column holds it).
SEND_AS_IS = "Retry asked: sending the tracking number as it is."


def map_carrier(
    carrier: str, provider_id: str, *, delivery_option_id: str = "", source: str = "manual"
) -> int:
    """Map a Shopify carrier name to a TikTok provider; returns how many shipments it released.

    Raises:
        ValueError: the provider is not one TikTok lists (for that delivery option,
            when one is given), as last fetched.
    """
    provider = _known_provider(provider_id, delivery_option_id)
    with db.atomic():
        save_mapping(
            carrier, provider.provider_id, provider.name,
            delivery_option_id=delivery_option_id, source=source,
        )  # fmt: skip
        released = release_blocked(carrier, delivery_option_id)
        scope = f" for {_option_name(delivery_option_id)}" if delivery_option_id else ""
        record_activity(
            JOB,
            "map",
            f"Carrier {carrier!r} mapped to {provider.name}{scope}; {released} shipment(s) "
            "released",
            subject=carrier,
        )
    log.info("Mapped carrier %r to %s; released %d", carrier, provider.name, released)
    return released


def unmap_carrier(carrier: str, delivery_option_id: str = "") -> None:
    """Remove a mapping; the last remaining one is always kept.

    Raises:
        ConsoleError: it is the last mapping.
    """
    if mapping_count() <= 1:
        raise ConsoleError(
            "At least one carrier mapping is always kept: map another carrier first, "
            "or change this one to another provider instead of removing it."
        )
    with db.atomic():
        if delete_mapping(carrier, delivery_option_id):
            record_activity(JOB, "unmap", f"Carrier {carrier!r} unmapped", subject=carrier)


def retry_fulfillment(fulfillment_id: str) -> None:
    """Send a blocked, held or failed shipment again on the job's next run.

    A held one is then sent as it is, despite its unusual tracking number.

    Raises:
        ConsoleError: there is no such shipment.
    """
    found = fulfillment(fulfillment_id)
    if found is None:
        raise ConsoleError(f"Shipment {fulfillment_id} is not known; refresh the page.")
    if found.state not in RETRYABLE:
        return  # already pending or pushed: nothing to do
    reason = SEND_AS_IS if found.state == HELD else "Retry asked; sending to TikTok again."
    with db.atomic():
        mark_fulfillment(fulfillment_id, PENDING, reason=reason)
        record_activity(
            JOB,
            "retry",
            f"Retry of shipment {fulfillment_id} (TikTok order {found.tiktok_order_id}) asked",
            subject=found.tiktok_order_id,
        )


def cached_providers() -> dict[str, list[Provider]]:
    """TikTok's providers by delivery option id, as last fetched."""
    return carrier_mappings.cached_providers()


def delivery_option_names() -> dict[str, str]:
    """Delivery option id -> name."""
    return carrier_mappings.delivery_option_names()


def _known_provider(provider_id: str, delivery_option_id: str) -> Provider:
    cached = cached_providers()
    if delivery_option_id:
        options = {delivery_option_id: cached.get(delivery_option_id, [])}
    else:
        options = cached
    for providers in options.values():
        for provider in providers:
            if provider.provider_id == provider_id:
                return provider
    where = f" for {_option_name(delivery_option_id)}" if delivery_option_id else ""
    raise ValueError(
        f"TikTok does not list shipping provider {provider_id!r}{where}; "
        "choose one of the providers shown."
    )


def _option_name(delivery_option_id: str) -> str:
    return delivery_option_names().get(delivery_option_id) or delivery_option_id
