"""After-sales storage: TikTok returns, cancellation requests and disputes, their deadlines,
the Shopify refunds that mirror them, and the Deadlines page's notification log and snoozes.

The schema is ``schema`` (one migration); tables are in ``tables``.
"""
