"""What mapping a carrier does to each shipment it blocked: sent, held (and why), or still blocked.

Mapping releases the carrier's blocked shipments; the fulfillment job then
checks each tracking number against the provider before sending it. The
merchant is told per shipment what that check will do, with the same rule
the job applies (``domain.carriers.tracking_fits`` and the ``bad_tracking``
setting), instead of "goes to TikTok now" for a shipment that will be held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tiktok_console.domain.carriers import tracking_fits
from tiktok_console.storage.fulfillment.carrier_mappings import mapping_for
from tiktok_console.storage.fulfillment.shipments import BLOCKED, PENDING, fulfillment
from tiktok_console.storage.fulfillment.views import stuck_shipments
from tiktok_console.sync.fulfillment import carrier_actions

Outcome = Literal["sent", "sent with a warning", "held", "still blocked"]

LIKELY_REFUSAL = "Tracking number mismatch provider"
"""What TikTok answers, in our experience, to a tracking number that does not fit its provider."""


@dataclass(frozen=True)
class ShipmentOutcome:
    """What becomes of one shipment a mapping change concerned."""

    fulfillment_id: str
    tiktok_order_id: str
    tracking_number: str
    outcome: Outcome
    why: str = ""


def map_and_report(
    carrier: str,
    provider_id: str,
    *,
    delivery_option_id: str = "",
    source: str = "manual",
    bad_tracking: str = "hold",
) -> list[ShipmentOutcome]:
    """Map ``carrier`` (see ``carrier_actions.map_carrier``), then say what each of its
    blocked shipments does next, oldest first."""
    blocked = [
        s for s in stuck_shipments()
        if s.carrier == carrier and s.state == BLOCKED
        and (not delivery_option_id or s.delivery_option_id == delivery_option_id)
    ]  # fmt: skip
    carrier_actions.map_carrier(
        carrier, provider_id, delivery_option_id=delivery_option_id, source=source
    )
    return [_outcome(s.fulfillment_id, bad_tracking) for s in blocked]


def _outcome(fulfillment_id: str, bad_tracking: str) -> ShipmentOutcome:
    item = fulfillment(fulfillment_id)
    assert item is not None  # shipments are never deleted
    base = (item.fulfillment_id, item.tiktok_order_id, item.tracking_number)
    mapping = mapping_for(item.carrier, item.delivery_option_id)
    if item.state != PENDING or mapping is None:
        return ShipmentOutcome(*base, "still blocked", "no mapping for its delivery option")
    if tracking_fits(mapping.provider_name, item.tracking_number) is not False:
        return ShipmentOutcome(*base, "sent")
    problem = f"{item.tracking_number} does not look like a {mapping.provider_name} number"
    if bad_tracking == "warn":
        return ShipmentOutcome(*base, "sent with a warning", problem)
    return ShipmentOutcome(*base, "held", problem)


def report_text(outcomes: list[ShipmentOutcome]) -> str:
    """One sentence per kind of outcome, naming the orders ("" when nothing was waiting)."""
    if not outcomes:
        return "No shipment was waiting for it."
    parts: list[str] = []
    for kind in ("sent", "sent with a warning", "held", "still blocked"):
        these = [o for o in outcomes if o.outcome == kind]
        if not these:
            continue
        orders = ", ".join(o.tiktok_order_id for o in these[:5]) + ("…" if len(these) > 5 else "")
        count = f"{len(these)} shipment{'s' if len(these) != 1 else ''}"
        if kind == "sent":
            parts.append(f"{count} go{'es' if len(these) == 1 else ''} to TikTok now ({orders}).")
        elif kind == "sent with a warning":
            parts.append(f"{count} go{'es' if len(these) == 1 else ''} to TikTok despite an "
                         f"unusual tracking number ({orders}).")  # fmt: skip
        elif kind == "held":
            why = "; ".join(f"{o.tiktok_order_id}: {o.why}" for o in these[:3])
            parts.append(f"{count} held, not sent: {why}. Fix the number in Shopify, or retry "
                         "to send it as it is.")  # fmt: skip
        else:
            parts.append(f"{count} still blocked: their delivery option has no mapping "
                         f"({orders}).")  # fmt: skip
    return " ".join(parts)
