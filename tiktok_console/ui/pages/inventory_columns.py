"""What the Inventory page shows: its data, columns, filters and header, apart from the page.

The page (``inventory.py``) holds the widgets and the merchant's actions; this
holds what is read (``load_inventory``, off the GUI thread), how each SKU reads
in the table (the columns, formatted when painted), the filters, and the
header's counts of what the table shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from operator import attrgetter

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.inventory.views import InventorySku, inventory_skus
from tiktok_console.sync.inventory import actions
from tiktok_console.ui.cell_text import iso_local, local_time
from tiktok_console.ui.pages.inventory_detail import drift_color, why_text
from tiktok_console.ui.pages.livestream_bar import Livestream, LivestreamReport
from tiktok_console.ui.table_model import RIGHT, Column
from tiktok_console.ui.theme import DANGER, WARNING

EMPTY = (
    "No TikTok SKUs yet. Once both stores are connected, the inventory sync reads your "
    "TikTok listings and keeps their stock in line with Shopify."
)
ABOUT = "Shopify is the master: TikTok shows Shopify's stock minus buffers and open orders."
SEARCH_DELAY_MS = 200  # typing pauses this long before 50,000 rows are searched
PREVIEW = 200  # SKUs shown first while a big catalog is read (a few screenfuls)
TOPICS = frozenset({"inventory"})


@dataclass(frozen=True)
class InventoryData:
    """What the page shows, read off the GUI thread."""

    rows: Sequence[InventorySku]
    complete: bool  # False: the SKUs furthest above target, while every SKU is read
    livestream: Livestream | None
    last_report: LivestreamReport | None
    connected: bool = True  # both stores are connected (a livestream needs them)


def load_inventory(limit: int | None, now: datetime) -> InventoryData:
    """Every SKU (or the ``limit`` furthest above target) and the livestream's state."""
    rows = inventory_skus(limit)
    reports = actions.livestream_reports()
    last = max(reports, key=lambda r: r.ended_at) if reports else None
    complete = limit is None or len(rows) < limit
    connected = len(load_accounts()) == 2
    return InventoryData(rows, complete, actions.active_livestream(now), last, connected)


class SkuColumn(IntEnum):
    SKU = 0
    VARIANT = 1
    SHOPIFY = 2
    TIKTOK = 3
    TARGET = 4
    DRIFT = 5
    BUFFER = 6
    CAP = 7
    FROZEN = 8
    LAST_PUSH = 9
    WHY = 10
    PRODUCT = 11


FILTERS: dict[str, Callable[[InventorySku], bool] | None] = {
    "All SKUs": None,
    "Drift": lambda r: bool(r.drift),
    "Zero on TikTok": lambda r: r.tiktok_quantity == 0,
    "Frozen": lambda r: bool(r.frozen_flag),
    "Not mapped": lambda r: not r.variant_id,
}


# Biggest drift either way first when sorted descending; at equal size, TikTok
# above target (an oversell risk) before below (lost sales). A C getter of a
# number SQLite computed: 50,000 keys in a few ms.
_DRIFT_KEY = attrgetter("drift_rank")


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _drift(value: int | None) -> str:
    return "—" if value is None else f"{value:+,}" if value else "0"


def _pushed_at(moment: datetime | None) -> str:
    """ "21:30" today, "02 Mar 21:30" before (in the computer's zone)."""
    if moment is not None and moment.astimezone().date() == datetime.now().astimezone().date():
        return f"{moment.astimezone():%H:%M}"
    return local_time(moment)


def sku_columns() -> list[Column[InventorySku]]:
    # Fixed widths throughout: sizing columns to their contents would format
    # a thousand rows just to measure them. SKU and title share a column so
    # the explanation keeps room; CSV gets them apart (Product is hidden).
    return [
        Column("SKU / product", lambda r: f"{r.seller_sku or '(no seller SKU)'} · {r.title}",
               sort_key=lambda r: r.seller_sku.casefold(), export=attrgetter("seller_sku"),
               tooltip=lambda r: f"{r.title}\nTikTok SKU id {r.sku_id}", width=215),
        Column("Variant", lambda r: r.variant or ("(untitled)" if r.variant_id else "Not mapped"),
               color=lambda r: None if r.variant_id else WARNING, width=150,
               tooltip=lambda r: r.variant_title if r.variant_id else
               "Not mapped to a Shopify variant: its stock is not synced"),
        Column("Shopify", lambda r: _count(r.shopify_available),
               sort_key=attrgetter("shopify_available"), align=RIGHT, width=66, searchable=False,
               tooltip=lambda _r: "Available in Shopify at the synced locations"),
        Column("TikTok", lambda r: f"{r.tiktok_quantity:,}", sort_key=attrgetter("tiktok_quantity"),
               align=RIGHT, width=60, searchable=False),
        Column("Target", lambda r: _count(r.target), sort_key=attrgetter("target"), align=RIGHT,
               width=60, searchable=False, tooltip=lambda _r: "What TikTok should show"),
        Column("Drift", lambda r: _drift(r.drift), sort_key=_DRIFT_KEY, align=RIGHT, width=66,
               searchable=False, color=lambda r: drift_color(r.drift),
               bold=lambda r: bool(r.drift), tooltip=lambda _r: "TikTok minus target: above 0 "
               "TikTok may sell stock you do not have"),
        Column("Buffer", lambda r: r.buffer or "global", width=60, searchable=False,
               tooltip=lambda _r: "Held back from TikTok (global: the setting's buffer)"),
        Column("Cap", lambda r: _count(r.cap), sort_key=attrgetter("cap"), align=RIGHT, width=46,
               searchable=False, tooltip=lambda _r: "The most TikTok shows during a livestream"),
        Column("Frozen", lambda r: "Frozen" if r.frozen_flag else "", width=68,
               sort_key=attrgetter("frozen_flag"),
               color=lambda r: DANGER if r.frozen_flag else None, searchable=False),
        Column("Last push", lambda r: _pushed_at(r.last_push_at),
               sort_key=attrgetter("last_push_text"), export=lambda r: iso_local(r.last_push_at),
               width=88, searchable=False, tooltip=why_text),
        Column("Why", lambda r: r.explanation, tooltip=why_text, searchable=False),
        Column("Product", attrgetter("title"), searchable=False),  # hidden: for CSV
    ]  # fmt: skip


def summary(rows: Sequence[InventorySku], of: int | None = None) -> str:
    """What the table shows, counted: ``of`` is the catalog's size when a filter hides some."""
    if not rows and not of:
        return ABOUT
    # map() over C attribute getters: a generator over 50,000 rows costs 50 ms.
    drifting = sum(map(bool, map(attrgetter("drift"), rows)))
    zero = len(rows) - sum(map(bool, map(attrgetter("tiktok_quantity"), rows)))
    frozen = sum(map(attrgetter("frozen_flag"), rows))
    parts = [f"{len(rows):,} TikTok {'SKU' if len(rows) == 1 else 'SKUs'}"]
    if of is not None and of != len(rows):
        parts[0] = f"{len(rows):,} of {of:,} TikTok SKUs shown"
    no_seller_sku = sum(1 for r in rows if not r.seller_sku)
    parts.append(f"{drifting:,} drifting from Shopify" if drifting else "no drift")
    parts.append(f"{zero:,} at zero on TikTok")
    if frozen:
        parts.append(f"{frozen:,} frozen")
    if no_seller_sku:
        parts.append(f"{no_seller_sku:,} without a seller SKU")
    return " · ".join(parts) + "."
