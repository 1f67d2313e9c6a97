"""New listings: Check Product Listing, then Create Product through the journaled write.

A create is recorded (with its body and idempotency key) before it is sent,
so a crash or an unclear answer at any point resends the same body with the
same key, which TikTok answers with the first result: a product is never
listed twice. Creates are sent in the merchant's priority order (``Turns``)
even though products are prepared several at a time, so the daily cap takes
the merchant's first choices; beyond the cap a product waits in the queue.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tiktok_console.storage.catalog import listings as store
from tiktok_console.storage.catalog.listings import Listing, StoredProblem
from tiktok_console.storage.intents import (
    PENDING,
    complete_intent,
    forget_intent,
    intent,
    pending_intents,
)
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.catalog_api import CatalogApi
from tiktok_console.stores.tiktok.models.products import ProductWriteResult
from tiktok_console.sync.catalog.queue import CAP_REFUSED, shop_day
from tiktok_console.sync.journal import journaled

log = logging.getLogger(__name__)

CREATE = "tiktok.create_product"


class Turns:
    """Lets concurrent tasks, numbered 0, 1, … in priority order, take one step in that order.

    Every task must ``pass_`` its number once (at its step, or when it ends
    without taking it); a task waits only on lower numbers, so it never deadlocks
    as long as tasks start in number order.
    """

    def __init__(self) -> None:
        self._passed: set[int] = set()
        self._next = 0
        self._changed = asyncio.Condition()

    async def wait(self, number: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self._next >= number)

    async def pass_(self, number: int) -> None:
        async with self._changed:
            self._passed.add(number)
            while self._next in self._passed:
                self._next += 1
            self._changed.notify_all()


@dataclass
class DailyCap:
    """TikTok's cap on new listings a shop-local day, as far as the job has learned it.

    The cap is only known once TikTok refuses a create for it; then no more
    creates are sent that day, and later days send at most that many.
    """

    region: str
    guess: int  # for the queue's dates until TikTok says
    learned: int | None = None
    full: bool = False  # TikTok refused this run: the rest waits
    created_on: Counter[date] = field(default_factory=Counter)

    @property
    def per_day(self) -> int:
        return self.learned or self.guess

    def take(self, now: datetime) -> bool:
        """Whether a create may go out now; counts it when it may."""
        day = shop_day(now, self.region)
        if self.full or (self.learned is not None and self.created_on[day] >= self.learned):
            return False
        self.created_on[day] += 1
        return True

    def give_back(self, now: datetime) -> None:
        self.created_on[shop_day(now, self.region)] -= 1

    def refused(self, now: datetime) -> None:
        """TikTok refused a create for the cap (the one counted for it did not happen)."""
        self.give_back(now)
        self.full = True
        allowed = self.created_on[shop_day(now, self.region)]  # those sent today, less refusals
        self.learned = allowed if allowed > 0 else (self.learned or self.guess)


@dataclass
class CatalogStats:
    """Calls made, for tests and benchmarks."""

    creates: int = 0
    edits: int = 0
    price_updates: int = 0


@dataclass(frozen=True)
class Creation:
    """One product to create: the body checked, and what to record with it."""

    entry: Listing
    body: dict[str, Any]
    problems: tuple[StoredProblem, ...]
    category: str


class Creator:
    """Checks and creates listings."""

    def __init__(
        self,
        catalog: CatalogApi,
        cap: DailyCap,
        stats: CatalogStats,
        now: Callable[[], datetime],
    ) -> None:
        self._catalog = catalog
        self.cap = cap
        self._stats = stats
        self._now = now
        self.created_skus: dict[str, str] = {}  # seller SKU -> product id, this job's creates

    async def check(self, creation: Creation) -> bool:
        """TikTok's Check Product Listing; a failed check blocks the product with its reasons."""
        check = await self._catalog.check_listing(creation.body)
        if check.passed:
            return True
        refused = tuple(
            StoredProblem(str(r.code), "tiktok", True, r.message, "Fix it and push again")
            for r in check.fail_reasons
        )
        store.save_outcome(
            creation.entry.shopify_product_id, self._now(), state=store.BLOCKED,
            problems=creation.problems + refused, category_id=creation.category,
        )  # fmt: skip
        return False

    def queue(self, creation: Creation) -> None:
        store.save_outcome(
            creation.entry.shopify_product_id, self._now(), state=store.QUEUED,
            problems=creation.problems, category_id=creation.category,
        )  # fmt: skip

    async def create(self, creation: Creation) -> None:
        """Create the listing, recorded first; the cap was taken (``DailyCap.take``)."""
        product_id = creation.entry.shopify_product_id
        journal = f"{CREATE}:{product_id}"
        previous = intent(journal)
        if previous is not None and previous.status == PENDING:
            # Its outcome is unknown (the resend at the start of this run was not answered
            # clearly either): only that body with that key may go, at the next run.
            self.cap.give_back(self._now())
            return
        attempt = int(previous.payload.get("attempt", 0)) + 1 if previous else 1
        body = {**creation.body, "idempotency_key": _key(product_id, attempt)}
        forget_intent(journal)  # a refused attempt: the new one is recorded with its own body
        await self._send(creation, journal, {"attempt": attempt, "body": body})

    async def resume(self) -> None:
        """A create whose outcome is unknown (a crash came between) is sent again, same key."""
        for pending in pending_intents(CREATE):
            entry = store.listing(pending.subject)
            if entry is None or entry.tiktok_product_id:
                complete_intent(pending.key, {"resolved": "already linked"})
                continue
            log.info("Resending the create of %s (key %s)", entry.shopify_product_id, pending.key)
            creation = Creation(entry, pending.payload["body"], entry.problems, entry.category_id)
            self.cap.take(self._now())  # counted, as TikTok counts it (once, whatever the key)
            await self._send(creation, pending.key, pending.payload)

    async def _send(self, creation: Creation, journal: str, payload: Mapping[str, Any]) -> None:
        product_id = creation.entry.shopify_product_id
        body = payload["body"]

        def settle(result: ProductWriteResult) -> dict[str, Any]:
            sku_ids = {s.seller_sku: s.id for s in result.skus}
            store.save_outcome(
                product_id, self._now(), state=store.PENDING_AUDIT, problems=creation.problems,
                category_id=creation.category, tiktok_product_id=result.product_id,
                sku_ids=sku_ids, last_body=_sent(body), tiktok_status="PENDING",
                queued_until=None,
            )  # fmt: skip
            return {"product_id": result.product_id, "sku_ids": sku_ids}

        def refused(error: RequestRejectedError) -> None:
            if error.code == CAP_REFUSED:
                self.cap.refused(self._now())
                self.queue(creation)
                return
            self.cap.give_back(self._now())
            problem = StoredProblem(error.code, "tiktok", True, error.store_message, "")
            store.save_outcome(
                product_id, self._now(), state=store.BLOCKED,
                problems=(*creation.problems, problem), category_id=creation.category,
            )  # fmt: skip

        written = await journaled(
            CREATE, journal, lambda: self._catalog.create(body), settle=settle,
            subject=product_id, payload=payload, refused=refused, at=self._now(),
        )  # fmt: skip
        if written.complete and written.value is not None:
            self._stats.creates += 1
            for sku in written.value.skus:
                self.created_skus[sku.seller_sku] = written.value.product_id


def _key(product_id: str, attempt: int) -> str:
    digest = hashlib.sha256(f"{product_id}#{attempt}".encode()).hexdigest()[:32]
    return f"tc-{digest}"


def _sent(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "idempotency_key"}
