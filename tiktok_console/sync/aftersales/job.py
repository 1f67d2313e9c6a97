"""The ``aftersales`` job: TikTok returns, cancellations and disputes in, refunds out to Shopify.

Each run (1) settles refunds whose outcome a crash or a lost reply hid, by
reading the Shopify order; (2) pulls returns and cancellations changed since
its cursor, oldest change first, each page stored (raw payload, deadlines,
disputes) in the transaction that advances the cursor, so the cursor never
passes data that is not stored and a replay stores nothing twice; (3) mirrors
the refunds TikTok completed (``mirror``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from tiktok_console.domain.aftersales import CancellationView, ReturnView
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.aftersales.requests import store_cancellations, store_returns
from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.sync.aftersales.mirror import JOB, RefundMirror
from tiktok_console.sync.aftersales.tiktok_calls import PAGE, AftersalesCalls
from tiktok_console.sync.engine import Outcome

RETURNS, CANCELLATIONS = "returns", "cancellations"
TOPICS = frozenset({"aftersales", "deadlines"})

View = ReturnView | CancellationView
Page = Sequence[tuple[Any, str]]


class AftersalesJob:
    """Pulls after-sales requests and mirrors their refunds."""

    name = JOB

    def __init__(
        self,
        tiktok: TikTokShopApi,
        shopify: ShopifyTransport,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        interval: float = 60.0,
        pages_per_run: int = 20,
        refunds_per_run: int = 100,
    ) -> None:
        self.calls = AftersalesCalls(tiktok)
        self._mirror = RefundMirror(shopify, now)
        self._now = now
        self._pages_per_run = pages_per_run
        self._refunds_per_run = refunds_per_run
        self.interval = interval

    async def run_once(self) -> Outcome:
        settled = await self._mirror.settle_pending()
        pulled, more_returns = await self._pull(
            RETURNS, self.calls.returns_since, self.calls.returns_in_second, _store_returns
        )
        pulled_c, more_cancels = await self._pull(
            CANCELLATIONS, self.calls.cancellations_since, self.calls.cancellations_in_second,
            _store_cancellations,
        )  # fmt: skip
        record_call("tiktok", datetime.now(UTC))
        mirrored, more_refunds = await self._mirror.mirror(self._refunds_per_run)
        changed = TOPICS if pulled + pulled_c + mirrored + settled else frozenset()
        return Outcome(
            caught_up=not (more_returns or more_cancels or more_refunds),
            changed=changed,
            summary=f"{pulled} returns, {pulled_c} cancellations pulled, "
            f"{mirrored} refunds mirrored",
        )

    async def _pull(
        self,
        kind: str,
        first_page: Callable[[datetime | None], Awaitable[Page]],
        one_second: Callable[[datetime], Awaitable[Page]],
        store: Callable[[Page, datetime], int],
    ) -> tuple[int, bool]:
        """Store what changed since the cursor, page by page (keyset on ``update_time``)."""
        since = _cursor().get(kind)
        stored = 0
        for _ in range(self._pages_per_run):
            page = await first_page(_at(since))
            stored += _save(kind, page, store, self._now())
            newest = _newest(page)
            if len(page) < PAGE:
                return stored, False
            if newest == since:  # a full page of one second: walk that second by token
                walked = await one_second(datetime.fromtimestamp(newest, UTC))
                stored += _save(kind, walked, store, self._now())
                newest += 1
            since = newest
        return stored, True


def _save(kind: str, page: Page, store: Callable[[Page, datetime], int], now: datetime) -> int:
    """Store a page and advance the cursor past it, in one transaction."""
    if not page:
        return 0
    with db.atomic():
        written = store(page, now)
        cursor = _cursor()
        cursor[kind] = max(cursor.get(kind) or 0, _newest(page))
        save_cursor(JOB, json.dumps(cursor, sort_keys=True))
    return written


def _store_returns(page: Page, now: datetime) -> int:
    return len(store_returns(list(page), now))


def _store_cancellations(page: Page, now: datetime) -> int:
    return len(store_cancellations(list(page), now))


def _cursor() -> dict[str, int]:
    text = load_cursor(JOB)
    return {k: int(v) for k, v in json.loads(text).items()} if text else {}


def _newest(page: Page) -> int:
    return max((int(view.updated_at.timestamp()) for view, _ in page), default=0)


def _at(second: int | None) -> datetime | None:
    return None if second is None else datetime.fromtimestamp(second, UTC)
