"""After-sales tables. Their schema is created by ``aftersales.schema`` (one migration), never here.

Each request keeps TikTok's JSON as pulled (``payload``) beside the parsed
columns, so a fix in the mapping can be replayed over history; its lines and
next actions are kept in the console's own small JSON (``lines``,
``actions``) so a domain view is rebuilt without the store's wire model.
Money is decimal text with its currency; times are aware UTC.
"""

from __future__ import annotations

import peewee

from tiktok_console.storage.fields import DecimalTextField, UtcDateTimeField
from tiktok_console.storage.tables import BaseRow


class _RequestRow(BaseRow):
    order_id = peewee.CharField(max_length=64, index=True)
    status = peewee.CharField(max_length=64)
    statuses_seen = peewee.TextField(default="")  # comma-separated, every status seen
    role = peewee.CharField(max_length=16, default="")
    reason_text = peewee.TextField(default="")
    created_at = UtcDateTimeField()
    update_time = UtcDateTimeField()  # TikTok's update_time: the newest wins
    actions = peewee.TextField(default="[]")  # [[action, unix deadline], ...]
    deadline = UtcDateTimeField(null=True, index=True)  # the earliest; NULL: nothing awaited
    lines = peewee.TextField(default="[]")
    refund_total = DecimalTextField(null=True)
    refund_subtotal = DecimalTextField(null=True)
    refund_shipping = DecimalTextField(null=True)
    refund_tax = DecimalTextField(null=True)
    currency = peewee.CharField(max_length=3, default="")
    payload = peewee.TextField()
    shopify_refund_id = peewee.CharField(max_length=128, default="")  # "" until mirrored
    mirrored_at = UtcDateTimeField(null=True)
    updated_at = UtcDateTimeField()


class TikTokReturnRow(_RequestRow):
    """A return, refund-only, replacement or exchange request as last pulled."""

    return_id = peewee.CharField(max_length=64, primary_key=True)
    return_type = peewee.CharField(max_length=32)
    arbitration_status = peewee.CharField(max_length=32, default="")
    can_buyer_keep_item = peewee.BooleanField(default=False)
    is_quick_refund = peewee.BooleanField(default=False)
    tracking_number = peewee.CharField(max_length=128, default="")

    class Meta:
        table_name = "tiktok_return_row"


class TikTokCancellationRow(_RequestRow):
    """A cancellation request as last pulled."""

    cancel_id = peewee.CharField(max_length=64, primary_key=True)
    cancel_type = peewee.CharField(max_length=32, default="")
    should_replenish_stock = peewee.BooleanField(null=True)

    class Meta:
        table_name = "tiktok_cancellation_row"


class TikTokDisputeRow(BaseRow):
    """A return the buyer escalated to the platform (kept while and after it is decided)."""

    return_id = peewee.CharField(max_length=64, primary_key=True)
    order_id = peewee.CharField(max_length=64, index=True)
    arbitration_status = peewee.CharField(max_length=32)
    amount = DecimalTextField(null=True)
    currency = peewee.CharField(max_length=3, default="")
    deadline = UtcDateTimeField(null=True, index=True)
    opened_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "tiktok_dispute_row"


class DeadlineNotificationRow(BaseRow):
    """A desktop notification raised for one deadline at one threshold: never raised again."""

    key = peewee.CharField(max_length=255)
    threshold_seconds = peewee.IntegerField()
    notified_at = UtcDateTimeField()

    class Meta:
        table_name = "deadline_notification_row"
        primary_key = peewee.CompositeKey("key", "threshold_seconds")


class DeadlineSnoozeRow(BaseRow):
    """A deadline the merchant silenced until a moment."""

    key = peewee.CharField(max_length=255, primary_key=True)
    until = UtcDateTimeField(index=True)

    class Meta:
        table_name = "deadline_snooze_row"
