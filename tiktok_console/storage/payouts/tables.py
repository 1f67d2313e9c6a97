"""Payouts tables. Their schema is created by ``payouts.schema`` (migration 8), never here.

TikTok's JSON is kept as pulled (``payload``) beside the parsed columns, so a
fix in the mapping can be replayed over history. Money is decimal text with
its currency; times are aware UTC.
"""

from __future__ import annotations

import peewee

from tiktok_console.storage.fields import DecimalTextField, UtcDateTimeField
from tiktok_console.storage.tables import BaseRow


class PayoutStatementRow(BaseRow):
    """A daily statement, from the API, an import, or both."""

    statement_id = peewee.CharField(max_length=64, primary_key=True)
    statement_time = UtcDateTimeField(index=True)
    currency = peewee.CharField(max_length=3, default="")
    settlement_amount = DecimalTextField()
    revenue_amount = DecimalTextField(null=True)
    fee_amount = DecimalTextField(null=True)
    shipping_cost_amount = DecimalTextField(null=True)
    adjustment_amount = DecimalTextField(null=True)
    reserve_amount = DecimalTextField(null=True)
    payment_id = peewee.CharField(max_length=64, default="")
    payment_status = peewee.CharField(max_length=16, default="")
    from_api = peewee.BooleanField(default=False)
    from_import = peewee.BooleanField(default=False)
    lines_stored = peewee.BooleanField(default=False)  # its transactions are in line rows
    payload = peewee.TextField(default="")
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "payout_statement_row"


class PayoutPaymentRow(BaseRow):
    """A payout to the bank, and whether the merchant marked it received by hand."""

    payment_id = peewee.CharField(max_length=64, primary_key=True)
    create_time = UtcDateTimeField(index=True)
    status = peewee.CharField(max_length=16, default="")
    amount = DecimalTextField()
    currency = peewee.CharField(max_length=3)
    settlement_amount = DecimalTextField(null=True)
    settlement_currency = peewee.CharField(max_length=3, null=True)
    reserve_amount = DecimalTextField(null=True)
    amount_before_exchange = DecimalTextField(null=True)
    exchange_rate = DecimalTextField(null=True)
    paid_time = UtcDateTimeField(null=True)
    bank_account = peewee.CharField(max_length=64, default="")
    received_by_hand_at = UtcDateTimeField(null=True)
    payload = peewee.TextField()
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "payout_payment_row"


class PayoutWithdrawalRow(BaseRow):
    """A withdrawal, settlement transfer or reversal on the seller's balance."""

    withdrawal_id = peewee.CharField(max_length=64, primary_key=True)
    type = peewee.CharField(max_length=16, default="")
    status = peewee.CharField(max_length=16, default="")
    amount = DecimalTextField()
    currency = peewee.CharField(max_length=3, default="")
    create_time = UtcDateTimeField(null=True)
    payload = peewee.TextField()
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "payout_withdrawal_row"


class PayoutUnsettledRow(BaseRow):
    """A transaction TikTok has not settled yet: the forecast."""

    transaction_id = peewee.CharField(max_length=64, primary_key=True)
    type = peewee.CharField(max_length=32, default="")
    order_id = peewee.CharField(max_length=64, default="")
    adjustment_id = peewee.CharField(max_length=64, default="")
    currency = peewee.CharField(max_length=3, default="")
    est_settlement_amount = DecimalTextField(null=True)
    est_settle_time = UtcDateTimeField(null=True)
    reason = peewee.TextField(default="")
    payload = peewee.TextField()
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "payout_unsettled_row"


class BankDepositRow(BaseRow):
    """One credit line of a bank statement."""

    deposit_id = peewee.CharField(max_length=64, primary_key=True)
    bank = peewee.CharField(max_length=128)
    booked_on = peewee.CharField(max_length=10)  # ISO date
    amount = DecimalTextField()
    currency = peewee.CharField(max_length=3)
    reference = peewee.TextField(default="")
    payload = peewee.TextField(default="")
    imported_at = UtcDateTimeField()

    class Meta:
        table_name = "bank_deposit_row"


class BankMappingRow(BaseRow):
    """Which CSV column is the date, amount and reference, remembered per bank."""

    bank = peewee.CharField(max_length=128, primary_key=True)
    columns = peewee.TextField()  # JSON {"date": header, "amount": header, ...}
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "bank_mapping_row"


class PayoutReviewRow(BaseRow):
    """The merchant's reviewed flag and note on any line (order, SKU, payment, statement)."""

    subject = peewee.CharField(max_length=200, primary_key=True)
    reviewed = peewee.BooleanField(default=False)
    note = peewee.TextField(default="")
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "payout_review_row"
