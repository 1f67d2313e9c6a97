"""Migration 8: the payouts tables (see ``payouts.tables``). Frozen once landed."""

from __future__ import annotations

DESCRIPTION = (
    "payouts: statements, payments, withdrawals, settlement lines (API and imports), "
    "unsettled transactions, bank deposits and column mappings, reviews, reconciliation results"
)

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE payout_statement_row (
        statement_id VARCHAR(64) NOT NULL PRIMARY KEY,
        statement_time TEXT NOT NULL,
        currency VARCHAR(3) NOT NULL DEFAULT '',
        settlement_amount TEXT NOT NULL,
        revenue_amount TEXT,
        fee_amount TEXT,
        shipping_cost_amount TEXT,
        adjustment_amount TEXT,
        reserve_amount TEXT,
        payment_id VARCHAR(64) NOT NULL DEFAULT '',
        payment_status VARCHAR(16) NOT NULL DEFAULT '',
        from_api INTEGER NOT NULL DEFAULT 0,
        from_import INTEGER NOT NULL DEFAULT 0,
        lines_stored INTEGER NOT NULL DEFAULT 0,
        payload TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX payout_statement_row_time ON payout_statement_row (statement_time)",
    """CREATE TABLE payout_payment_row (
        payment_id VARCHAR(64) NOT NULL PRIMARY KEY,
        create_time TEXT NOT NULL,
        status VARCHAR(16) NOT NULL DEFAULT '',
        amount TEXT NOT NULL,
        currency VARCHAR(3) NOT NULL,
        settlement_amount TEXT,
        settlement_currency VARCHAR(3),
        reserve_amount TEXT,
        amount_before_exchange TEXT,
        exchange_rate TEXT,
        paid_time TEXT,
        bank_account VARCHAR(64) NOT NULL DEFAULT '',
        received_by_hand_at TEXT,
        payload TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX payout_payment_row_time ON payout_payment_row (create_time)",
    """CREATE TABLE payout_withdrawal_row (
        withdrawal_id VARCHAR(64) NOT NULL PRIMARY KEY,
        type VARCHAR(16) NOT NULL DEFAULT '',
        status VARCHAR(16) NOT NULL DEFAULT '',
        amount TEXT NOT NULL,
        currency VARCHAR(3) NOT NULL DEFAULT '',
        create_time TEXT,
        payload TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    # One row per settlement and source: the same line imported twice is one
    # row; the API's and an export's copies sit side by side and are merged on read.
    """CREATE TABLE payout_line_row (
        id INTEGER NOT NULL PRIMARY KEY,
        dedupe_key TEXT NOT NULL,
        source VARCHAR(8) NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        kind VARCHAR(16) NOT NULL,
        type_label VARCHAR(64) NOT NULL DEFAULT '',
        order_id VARCHAR(64) NOT NULL DEFAULT '',
        adjustment_id VARCHAR(64) NOT NULL DEFAULT '',
        sku_id VARCHAR(64) NOT NULL DEFAULT '',
        currency VARCHAR(3) NOT NULL DEFAULT '',
        settlement TEXT NOT NULL,
        parts TEXT NOT NULL,
        amounts TEXT NOT NULL,
        statement_id VARCHAR(64) NOT NULL DEFAULT '',
        payment_id VARCHAR(64) NOT NULL DEFAULT '',
        seller_sku VARCHAR(255) NOT NULL DEFAULT '',
        order_line_id VARCHAR(64) NOT NULL DEFAULT '',
        quantity INTEGER,
        order_created TEXT,
        settled_time TEXT,
        lost_ids TEXT,
        flags TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL DEFAULT '',
        stored_at TEXT NOT NULL,
        UNIQUE (dedupe_key, source)
    )""",
    "CREATE INDEX payout_line_row_order ON payout_line_row (order_id)",
    "CREATE INDEX payout_line_row_statement ON payout_line_row (statement_id)",
    """CREATE TABLE payout_unsettled_row (
        transaction_id VARCHAR(64) NOT NULL PRIMARY KEY,
        type VARCHAR(32) NOT NULL DEFAULT '',
        order_id VARCHAR(64) NOT NULL DEFAULT '',
        adjustment_id VARCHAR(64) NOT NULL DEFAULT '',
        currency VARCHAR(3) NOT NULL DEFAULT '',
        est_settlement_amount TEXT,
        est_settle_time TEXT,
        reason TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE bank_deposit_row (
        deposit_id VARCHAR(64) NOT NULL PRIMARY KEY,
        bank VARCHAR(128) NOT NULL,
        booked_on TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency VARCHAR(3) NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL
    )""",
    """CREATE TABLE bank_mapping_row (
        bank VARCHAR(128) NOT NULL PRIMARY KEY,
        columns TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE payout_review_row (
        subject VARCHAR(200) NOT NULL PRIMARY KEY,
        reviewed INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    )""",
    # The last reconciliation, one row per order, SKU of an order, or loose line:
    # what the page opens on without reconciling again.
    """CREATE TABLE payout_result_row (
        id INTEGER NOT NULL PRIMARY KEY,
        kind VARCHAR(8) NOT NULL,
        subject VARCHAR(200) NOT NULL,
        order_id VARCHAR(64) NOT NULL DEFAULT '',
        sku_id VARCHAR(64) NOT NULL DEFAULT '',
        adjustment_id VARCHAR(64) NOT NULL DEFAULT '',
        currency VARCHAR(3) NOT NULL DEFAULT '',
        expected TEXT NOT NULL,
        settled TEXT NOT NULL,
        unexplained TEXT NOT NULL,
        status VARCHAR(16) NOT NULL,
        causes TEXT NOT NULL,
        shopify_causes TEXT NOT NULL DEFAULT '',
        shopify_order VARCHAR(64),
        statement_id VARCHAR(64) NOT NULL DEFAULT '',
        lines INTEGER NOT NULL DEFAULT 0,
        waterfall TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX payout_result_row_order ON payout_result_row (order_id)",
    "CREATE INDEX payout_result_row_kind ON payout_result_row (kind, status)",
)
