"""Read queries behind the Inventory page: one line per TikTok SKU, and a SKU's stock ledger.

The page must open with 50,000 SKUs in 300 ms, so the SKU list is one SQL
statement whose tuples become the rows as they are: ``InventorySku`` is a
``NamedTuple`` (immutable, like the frozen dataclasses elsewhere) because
building 50,000 of them from tuples costs about 40 ms where frozen
dataclasses cost 300 ms. For the same reason the last push time is kept as
its stored text and parsed only when a cell or a sort asks for it.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import NamedTuple

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.inventory.tables import StockRuleRow, TikTokSkuRow
from tiktok_console.storage.tables import ShopifyVariantRow, SkuMappingRow

_TIMES = UtcDateTimeField()


class InventorySku(NamedTuple):
    """A TikTok SKU, the Shopify variant behind it, and where its stock stands.

    Attributes:
        sku_id: the TikTok SKU id.
        seller_sku: the seller SKU on TikTok ("" when the listing has none).
        title: the TikTok product and variant name.
        variant_id: the mapped Shopify variant ("" when the SKU is not mapped).
        variant: that variant's own name (``Red / M``); for a product's only variant,
            the product's title; its SKU when it has neither.
        shopify_available: Shopify's available units at the mapped locations, as
            last read (None before the first read).
        tiktok_quantity: what TikTok shows now.
        target: what TikTok should show, as last computed (None before).
        buffer: the SKU's own buffer ("3" units, "10%"), "" for the global one.
        cap: the most TikTok shows during a livestream (None: no cap).
        frozen_flag: 1 when the merchant froze the SKU at 0 on TikTok.
        drift: TikTok's quantity minus the target (``DRIFT_SQL``): above 0 TikTok
            may sell stock Shopify does not have (None before the first computation).
        drift_rank: sorts drifts by size either way, above target before below
            at equal size: ``2·|drift| + (drift > 0)`` (None without a target).
        last_push_text: when a quantity was last pushed, as stored (see ``last_push_at``).
        explanation: why TikTok shows what it shows ("why is TikTok at 3?").
        variant_title: the product and variant (``Cotton Tee — Red / M``), or its SKU.
    """

    sku_id: str
    seller_sku: str
    title: str
    variant_id: str
    variant: str
    shopify_available: int | None
    tiktok_quantity: int
    target: int | None
    buffer: str
    cap: int | None
    frozen_flag: int
    drift: int | None
    drift_rank: int | None
    last_push_text: str | None
    explanation: str
    variant_title: str

    @property
    def frozen(self) -> bool:
        """TikTok shows 0 for this SKU until the merchant unfreezes it."""
        return bool(self.frozen_flag)

    @property
    def last_push_at(self) -> datetime | None:
        """When a quantity was last pushed to TikTok (aware UTC)."""
        return _TIMES.python_value(self.last_push_text)


_SKUS = TikTokSkuRow._meta.table_name
_RULES = StockRuleRow._meta.table_name
_MAPPINGS = SkuMappingRow._meta.table_name
_VARIANTS = ShopifyVariantRow._meta.table_name

# Only live listings (or ones we took off sale at zero) take stock: a listing in
# review or refused by TikTok cannot oversell, as nothing can be pushed to it.
_PUSHABLE = "(s.product_status = 'ACTIVATE' OR s.deactivated_by_us)"

# The one definition of drift: what TikTok shows minus the target, whenever a
# target is known (NULL otherwise), whatever the listing's status. Every
# count and column of drift uses it, so a header never says "no drift" over
# a row showing one.
DRIFT_SQL = "(s.tiktok_quantity - s.target)"

# The variant's own name; a variant not read since names were kept (NULL) has it
# after the " — " its title was built with; a product's only variant ("") and a
# variant without any name show the title, then the SKU.
_VARIANT_NAME = """CASE
    WHEN v.variant_name <> '' THEN v.variant_name
    WHEN v.variant_name IS NULL AND instr(v.title, ' — ') > 0
        THEN substr(v.title, instr(v.title, ' — ') + 3)
    ELSE COALESCE(NULLIF(v.title, ''), v.sku, '') END"""

# Columns in the order of InventorySku's fields; COALESCE gives the row its
# final types and SQLite computes the drift (NULL without a target), so
# Python only wraps the tuple and sorts on plain fields.
_INVENTORY = f"""
SELECT s.sku_id, s.seller_sku, s.title,
       COALESCE(m.shopify_variant_id, ''), {_VARIANT_NAME},
       s.shopify_available, s.tiktok_quantity, s.target,
       COALESCE(r.buffer, ''), r.cap, COALESCE(r.frozen, 0),
       {DRIFT_SQL}, 2 * abs({DRIFT_SQL}) + ({DRIFT_SQL} > 0),
       s.last_push_at, s.last_explanation, COALESCE(NULLIF(v.title, ''), v.sku, '')
FROM {{skus}} AS s
LEFT JOIN "{_MAPPINGS}" AS m ON m.tiktok_sku_id = s.sku_id
LEFT JOIN "{_VARIANTS}" AS v ON v.variant_id = m.shopify_variant_id
LEFT JOIN "{_RULES}" AS r ON r.sku_id = s.sku_id
"""  # noqa: S608 (the table names are ours)

# The SKUs furthest from their target first (above it before below at equal
# size): what the page shows at the top by default, so it can show them
# before the rest is read.
_MOST_DRIFT = (
    f'(SELECT * FROM "{_SKUS}" AS s ORDER BY abs({DRIFT_SQL}) IS NULL, '  # noqa: S608
    f"abs({DRIFT_SQL}) DESC, {DRIFT_SQL} DESC LIMIT ?)"
)
_make_sku = partial(tuple.__new__, InventorySku)


def inventory_skus(limit: int | None = None) -> list[InventorySku]:
    """Every TikTok SKU with its Shopify variant, stock, rules and last push.

    Unordered; with ``limit``, only the ``limit`` SKUs furthest from their
    target (biggest drift first, either way).
    """
    if limit is None:
        cursor = db.execute_sql(_INVENTORY.format(skus=f'"{_SKUS}"'))
    else:
        cursor = db.execute_sql(_INVENTORY.format(skus=_MOST_DRIFT), (limit,))
    return list(map(_make_sku, cursor))


def oversell_risks() -> int:
    """How many SKUs TikTok shows more of than it should (drift above 0)."""
    sql = f'SELECT count(*) FROM "{_SKUS}" AS s WHERE tiktok_quantity > target AND {_PUSHABLE}'  # noqa: S608
    return int(db.execute_sql(sql).fetchone()[0])


def inventory_size() -> int:
    """How many TikTok SKUs there are (the page reads a big catalog off the GUI thread)."""
    return int(db.execute_sql(f'SELECT count(*) FROM "{_SKUS}"').fetchone()[0])  # noqa: S608
