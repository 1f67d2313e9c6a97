"""The one reading of ``Retry-After`` every store call shares (Shopify, TikTok, sign-in).

The header is either seconds (``2``, ``2.0``) or an HTTP date. Whatever a
server (or something in between) sends, the wait is finite and at most
``MAX_RETRY_AFTER``: ``1e9``, ``inf`` or a date next year must never put a
sync to sleep for ever.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MAX_RETRY_AFTER = 600.0  # ten minutes
DEFAULT_RETRY_AFTER = 2.0


def bounded(seconds: float) -> float:
    """``seconds`` clamped to ``[0, MAX_RETRY_AFTER]``; not-a-number waits the default."""
    if math.isnan(seconds):
        return DEFAULT_RETRY_AFTER
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def parse_retry_after(
    value: str | None, now: datetime | None = None, default: float = DEFAULT_RETRY_AFTER
) -> float:
    """Seconds to wait for a ``Retry-After`` header value (seconds or HTTP date).

    Missing or unreadable values give ``default``; every result is bounded.
    """
    if value is None or not value.strip():
        return bounded(default)
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return bounded(default if math.isnan(seconds) else seconds)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return bounded(default)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # RFC 9110: an HTTP date is GMT
    return bounded((when - (now or datetime.now(UTC))).total_seconds())
