"""The orders job's cursor: how far TikTok's orders were read, and since when the console reads.

``newest`` is the newest ``update_time`` stored (pulling resumes there, less an
overlap). ``since`` is when the first pull began: an order shipped on TikTok
at or after it reached AWAITING_SHIPMENT while the console was connected and
is created in Shopify fulfilled; one shipped before is history. The cursor is
JSON; a cursor written before ``since`` was kept is a bare number, and takes
the TikTok shop's connection time instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.storage.orders.tiktok_orders import requeue_shipped_skips
from tiktok_console.sync.orders.creation import JOB


@dataclass(frozen=True)
class OrdersCursor:
    """The orders job's cursor (see the module)."""

    newest: int
    since: datetime | None

    @classmethod
    def parse(cls, text: str, connected_at: datetime | None, now: datetime) -> OrdersCursor:
        """``text`` as stored ("" before the first pull, which begins ``since`` now)."""
        if not text:
            return cls(0, now)
        if text.lstrip("-").isdigit():
            return cls(int(text), connected_at)
        data = json.loads(text)
        since = data.get("since")
        return cls(int(data.get("newest", 0)), datetime.fromisoformat(since) if since else None)

    def at(self, newest: int) -> OrdersCursor:
        """The same cursor, moved to ``newest``."""
        return OrdersCursor(newest, self.since)

    def text(self) -> str:
        """As stored."""
        since = self.since.isoformat() if self.since else None
        return json.dumps({"newest": self.newest, "since": since})


def begin_cursor(connected_at: datetime | None, now: datetime) -> OrdersCursor:
    """The cursor a pull starts from, written down the first time it is known.

    The first pull records ``since`` (now). A bare-number cursor from an earlier
    version is rewritten with the connection time, and the orders that version
    left out as "not sent in status IN_TRANSIT" are looked at again: those
    shipped since the connection go to Shopify fulfilled, the rest stay out
    as history.
    """
    text = load_cursor(JOB)
    cursor = OrdersCursor.parse(text, connected_at, now)
    if text and not text.lstrip("-").isdigit():
        return cursor
    with db.atomic():
        if text:
            requeue_shipped_skips()
        save_cursor(JOB, cursor.text())
    return cursor
