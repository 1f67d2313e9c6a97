"""One pass over Shopify's variants changed since a time, resumable page by page.

Shopify cannot sort ``productVariants`` by ``updatedAt`` (its sort keys are id, title, SKU
and the like), so a job that reads them "changed since" pages in id order, where the
newest change of a page says nothing about the pages after it. Saving that as the
cursor lost every later variant changed earlier (a crash after page one lost them for
good). The variants job and the inventory fast path both keep their pass here instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class VariantPass:
    """Where a job paging Shopify's variants stands, saved with each page it stores.

    Shopify cannot sort variants by ``updatedAt``, so a pass pages in id order: its page
    position (``after``) and its high-water mark (``newest``) are kept apart. ``since`` (the
    filter of the pass under way) moves only when a pass has stored its last page, and then
    back by the pass's own length: a variant changed while the pass ran may sit on a page
    already read, and may be older than the newest change the pass saw.
    """

    since: str | None = None  # the filter's lower bound (ISO), None for a full pull
    after: str | None = None  # the last stored page's end cursor; None: no pass under way
    newest: str | None = None  # the newest updatedAt this pass stored
    started: str | None = None  # when the pass began (the job's clock)

    @classmethod
    def load(cls, raw: str) -> VariantPass:
        if not raw:
            return cls()
        if not raw.startswith("{"):  # before passes were kept: a bare high-water mark
            return cls(since=raw)
        data = json.loads(raw)
        return cls(**{key: data.get(key) for key in ("since", "after", "newest", "started")})

    def dump(self) -> str:
        return json.dumps(
            {"since": self.since, "after": self.after, "newest": self.newest,
             "started": self.started}
        )  # fmt: skip

    def query(self, overlap: timedelta) -> str | None:
        """The pass's search filter, ``overlap`` earlier (Shopify's index lags writes)."""
        if self.since is None:
            return None
        since = (datetime.fromisoformat(self.since) - overlap).astimezone(UTC)
        return f"updated_at:>='{since.strftime('%Y-%m-%dT%H:%M:%SZ')}'"

    def begun(self, now: datetime) -> VariantPass:
        """This pass, or a new one from ``now`` when none is under way."""
        if self.after is not None:
            return self
        return replace(self, started=now.isoformat(), newest=None)

    def stored(self, end_cursor: str | None, stamps: list[datetime]) -> VariantPass:
        """The pass after one more stored page (its end cursor, its variants' stamps)."""
        known = [datetime.fromisoformat(self.newest)] if self.newest else []
        newest = max([*known, *stamps], default=None)
        return replace(self, after=end_cursor, newest=newest.isoformat() if newest else self.newest)

    def finished(self, now: datetime) -> VariantPass:
        """The next pass's filter: changes since this pass began, as the store dates them."""
        if self.newest is None:
            return VariantPass(since=self.since)
        started = datetime.fromisoformat(self.started) if self.started else now
        since = datetime.fromisoformat(self.newest) - max(now - started, timedelta(0))
        if self.since is not None:
            since = max(since, datetime.fromisoformat(self.since))
        return VariantPass(since=since.isoformat())
