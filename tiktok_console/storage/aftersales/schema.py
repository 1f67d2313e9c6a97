"""Migration 7: the after-sales tables (see ``aftersales.tables``). Frozen once landed."""

from __future__ import annotations

_REQUEST_COLUMNS = """
        order_id VARCHAR(64) NOT NULL,
        status VARCHAR(64) NOT NULL,
        statuses_seen TEXT NOT NULL DEFAULT '',
        role VARCHAR(16) NOT NULL DEFAULT '',
        reason_text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        update_time TEXT NOT NULL,
        actions TEXT NOT NULL DEFAULT '[]',
        deadline TEXT,
        lines TEXT NOT NULL DEFAULT '[]',
        refund_total TEXT,
        refund_subtotal TEXT,
        refund_shipping TEXT,
        refund_tax TEXT,
        currency VARCHAR(3) NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        shopify_refund_id VARCHAR(128) NOT NULL DEFAULT '',
        mirrored_at TEXT,
        updated_at TEXT NOT NULL"""

DESCRIPTION = "after-sales: TikTok returns, cancellation requests, disputes; deadline notifications"

STATEMENTS: tuple[str, ...] = (
    f"""CREATE TABLE tiktok_return_row (
        return_id VARCHAR(64) NOT NULL PRIMARY KEY,{_REQUEST_COLUMNS},
        return_type VARCHAR(32) NOT NULL,
        arbitration_status VARCHAR(32) NOT NULL DEFAULT '',
        can_buyer_keep_item INTEGER NOT NULL DEFAULT 0,
        is_quick_refund INTEGER NOT NULL DEFAULT 0,
        tracking_number VARCHAR(128) NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX tiktok_return_row_order_id ON tiktok_return_row (order_id)",
    "CREATE INDEX tiktok_return_row_deadline ON tiktok_return_row (deadline)",
    # Refunded and not yet mirrored: what the mirroring job reads.
    """CREATE INDEX tiktok_return_row_unmirrored ON tiktok_return_row (status)
        WHERE shopify_refund_id = ''""",
    f"""CREATE TABLE tiktok_cancellation_row (
        cancel_id VARCHAR(64) NOT NULL PRIMARY KEY,{_REQUEST_COLUMNS},
        cancel_type VARCHAR(32) NOT NULL DEFAULT '',
        should_replenish_stock INTEGER
    )""",
    "CREATE INDEX tiktok_cancellation_row_order_id ON tiktok_cancellation_row (order_id)",
    "CREATE INDEX tiktok_cancellation_row_deadline ON tiktok_cancellation_row (deadline)",
    """CREATE INDEX tiktok_cancellation_row_unmirrored ON tiktok_cancellation_row (status)
        WHERE shopify_refund_id = ''""",
    """CREATE TABLE tiktok_dispute_row (
        return_id VARCHAR(64) NOT NULL PRIMARY KEY,
        order_id VARCHAR(64) NOT NULL,
        arbitration_status VARCHAR(32) NOT NULL,
        amount TEXT,
        currency VARCHAR(3) NOT NULL DEFAULT '',
        deadline TEXT,
        opened_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX tiktok_dispute_row_order_id ON tiktok_dispute_row (order_id)",
    "CREATE INDEX tiktok_dispute_row_deadline ON tiktok_dispute_row (deadline)",
    """CREATE TABLE deadline_notification_row (
        key VARCHAR(255) NOT NULL,
        threshold_seconds INTEGER NOT NULL,
        notified_at TEXT NOT NULL,
        PRIMARY KEY (key, threshold_seconds)
    )""",
    """CREATE TABLE deadline_snooze_row (
        key VARCHAR(255) NOT NULL PRIMARY KEY,
        until TEXT NOT NULL
    )""",
    "CREATE INDEX deadline_snooze_row_until ON deadline_snooze_row (until)",
)
