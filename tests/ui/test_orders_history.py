"""The Orders page's "Import history since…" against the sandbox, over HTTP.

The action runs off the GUI thread, creates the orders TikTok shipped before
the console was connected in Shopify as fulfilled (stock untouched), says what
it did, and run again creates nothing more.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.orders.tiktok_orders import SKIPPED
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.runtime import build_engine
from tiktok_console.ui.accounts_controller import AccountsController
from tiktok_console.ui.pages.orders import OrdersPage
from tiktok_console.ui.tasks import TaskRunner


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(seed=5, products=12, orders=40, orders_per_minute=0, clock_speed=0,
                           index_lag_seconds=0.2)  # fmt: skip
    with running_sandbox(options) as runner:
        yield runner


def _twins(sandbox: SandboxRunner) -> Counter[str]:
    return Counter(
        tag.split(":", 1)[1]
        for order in sandbox.world.shopify.snapshot()["orders"]
        for tag in order["tags"]
        if tag.startswith("TikTokOrderID:")
    )


def _connect_and_pull(sandbox: SandboxRunner, profile: Any, token_store: Any) -> None:
    async def go() -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            service = AccountService(token_store, http)
            await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
            engine = build_engine(profile.settings, token_store, http,
                                  only=["shopify_variants", "orders"])  # fmt: skip
            await engine.run_until_caught_up()

    asyncio.run(go())


def test_import_history_creates_the_earlier_orders_once(
    qtbot, profile, token_store, context, settle, sandbox
) -> None:
    _connect_and_pull(sandbox, profile, token_store)
    assert TikTokOrderRow.select().where(TikTokOrderRow.sync_state == SKIPPED).count() > 3
    waiting = _twins(sandbox)  # orders still awaiting shipment went in on their own
    accounts = AccountsController(AccountService(token_store, httpx.AsyncClient()),
                                  context.bridge, TaskRunner(lambda *_: None))  # fmt: skip
    page = OrdersPage(dataclasses.replace(context, accounts=accounts))
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert page.history_button.isEnabled()

    assert page.import_history(date(2000, 1, 1))
    assert not page.history_button.isEnabled()  # one import at a time
    qtbot.waitUntil(lambda: page.history_button.isEnabled(), timeout=60_000)
    settle()
    twins = _twins(sandbox)
    assert len(twins) > len(waiting) and max(twins.values()) == 1
    said = page.notice.text()
    imported = len(twins) - len(waiting)
    assert said.startswith(f"Imported {imported} of ") and "Stock was not changed" in said

    page.import_history(date(2000, 1, 1))
    qtbot.waitUntil(lambda: page.history_button.isEnabled(), timeout=60_000)
    settle()
    assert _twins(sandbox) == twins
    assert page.notice.text().startswith("Imported 0 of ")


def test_import_history_without_stores_says_to_connect(qtbot, context, settle) -> None:
    page = OrdersPage(context)
    qtbot.addWidget(page)
    assert not page.import_history(date(2000, 1, 1))
    assert "Connect both stores" in page.notice.text()


def test_an_import_that_cannot_reach_shopify_says_so_and_can_be_tried_again(
    qtbot, profile, token_store, context, settle
) -> None:
    options = WorldOptions(seed=5, products=12, orders=10, orders_per_minute=0, clock_speed=0)
    with running_sandbox(options) as gone:
        _connect_and_pull(gone, profile, token_store)
    # The stores stopped answering (the sandbox is shut down).
    accounts = AccountsController(AccountService(token_store, httpx.AsyncClient()),
                                  context.bridge, TaskRunner(lambda *_: None))  # fmt: skip
    page = OrdersPage(dataclasses.replace(context, accounts=accounts))
    qtbot.addWidget(page)
    assert page.import_history(date(2000, 1, 1))
    qtbot.waitUntil(lambda: page.history_button.isEnabled(), timeout=60_000)
    assert page.notice.text().startswith("History was not imported: ")
