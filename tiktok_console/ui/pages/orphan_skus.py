"""What the Orphan orders page shows: its data, the SKU table's columns, and its texts.

Apart from ``orphans`` (the page: layout, selection, mapping and undo) because
these are read off the GUI thread or are plain functions of the rows: what is
loaded, how each column shows and sorts a SKU, and how a mapping's outcome and
the page's subtitle read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from tiktok_console.domain.sku_matching import VariantCandidate
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.catalog.variants import (
    RecentMapping,
    Variant,
    all_variants,
    not_in_shopify,
    recent_mappings,
)
from tiktok_console.storage.orders.views import OrphanSku, orphan_skus
from tiktok_console.ui.cell_text import iso_local, local_time, money_text, plural, time_left
from tiktok_console.ui.pages.orphan_detail import is_urgent
from tiktok_console.ui.table_model import RIGHT, Column
from tiktok_console.ui.theme import DANGER

ABOUT = "Orders wait here until each of their TikTok SKUs is mapped to a Shopify variant."


@dataclass(frozen=True)
class OrphansData:
    """What the page shows, read off the GUI thread."""

    variants: dict[str, Variant]
    candidates: list[VariantCandidate]
    skus: list[OrphanSku]
    recent: list[RecentMapping]
    not_in_shopify: frozenset[str] = frozenset()  # SKU ids the merchant said are not sold there
    connected: bool = True  # both stores are connected


def load_orphans() -> OrphansData:
    """The orphan SKUs, every Shopify variant (to map to) and the recent mappings."""
    variants = list(all_variants())
    skus = list(orphan_skus())
    return OrphansData(
        {v.variant_id: v for v in variants},
        [VariantCandidate(v.variant_id, v.sku, v.title, v.barcode or None) for v in variants],
        skus,
        list(recent_mappings()),
        frozenset(not_in_shopify(s.sku_id for s in skus)),
        len(load_accounts()) == 2,
    )


class SkuColumn(IntEnum):
    """The columns of the orphan SKUs table."""

    SKU = 0
    NAME = 1
    ORDERS = 2
    VALUE = 3
    OLDEST = 4
    SHIP_BY = 5


def sku_columns(now: Callable[[], datetime]) -> list[Column[OrphanSku]]:
    """The table's columns; ``now`` tells which ship-by times are urgent."""

    def urgent(row: OrphanSku) -> bool:
        return is_urgent(row.ship_by, now())

    return [
        Column("SKU", lambda r: r.seller_sku or "(no seller SKU)", width=170,
               tooltip=lambda r: f"TikTok SKU id {r.sku_id}"),
        Column("Product", lambda r: r.title or "(name not in the order)",
               tooltip=lambda r: r.title),
        Column("Orders", lambda r: str(r.orders_blocked), sort_key=lambda r: r.orders_blocked,
               align=RIGHT),
        Column("Value blocked", lambda r: money_text(r.value_blocked, r.currency),
               sort_key=lambda r: r.value_blocked, align=RIGHT,
               export=lambda r: str(r.value_blocked)),
        Column("Oldest order", lambda r: local_time(r.oldest_order),
               sort_key=lambda r: r.oldest_order, export=lambda r: iso_local(r.oldest_order)),
        Column("Ship by", lambda r: local_time(r.ship_by), sort_key=lambda r: r.ship_by,
               export=lambda r: iso_local(r.ship_by), color=lambda r: DANGER if urgent(r) else None,
               bold=urgent, tooltip=lambda r: time_left(r.ship_by, now())),
    ]  # fmt: skip


def mapped_text(
    names: Sequence[str], released: int, still: int, left: int, waits: bool = True
) -> str:
    """What "Map now" did: "Mapped MUG-1: 3 orders go to Shopify in 10 s." (Undo is beside it
    while ``left`` seconds remain; then the orders are on their way). ``waits``: whether
    orders wait for the undo grace at all."""
    what = names[0] if len(names) == 1 else f"{len(names)} SKUs"
    text = f"Mapped {what}."
    if released and not waits:
        goes = plural(released, "order goes", "orders go")
        text = f"Mapped {what}: {goes} to Shopify within seconds."
    elif released and left > 0:
        text = (
            f"Mapped {what}: {plural(released, 'order goes', 'orders go')} to Shopify in {left} s."
        )
    elif released:
        text = f"Mapped {what}: {plural(released, 'order is', 'orders are')} going to Shopify now."
    if still:
        text += f" {plural(still, 'order still waits', 'orders still wait')} for other SKUs."
    return text


def summary_text(rows: Sequence[OrphanSku]) -> str:
    """The page's subtitle: how many SKUs hold back how many orders."""
    if not rows:
        return ABOUT
    orders = len({o for row in rows for o in row.order_ids})
    text = f"{plural(len(rows), 'SKU holds', 'SKUs hold')} back {plural(orders, 'order', 'orders')}"
    return text + ". Map a SKU and its orders go to Shopify within seconds."
