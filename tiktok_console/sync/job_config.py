"""The knobs every paging job shares: how far Shopify's search index may lag, pages per run.

The orders and fulfillment jobs both read pages of a store's changes and re-read
an overlap as long as the search index may lag a write; tests shorten the lag.
Each job's own config adds what its batch does per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

INDEX_LAG = timedelta(seconds=30)


@dataclass(kw_only=True)
class PagedJobConfig:
    """Knobs of a job that pages through a store's changes (tests shorten the waits)."""

    # How long Shopify's search index may lag a write: the overlap re-reads that much,
    # and an unresolved write is not retried before it has passed.
    index_lag: timedelta = field(default=INDEX_LAG)
    pages_per_run: int = 20
