"""Approve and reject from the Deadlines page, through the decision dialog, checked on TikTok.

A sandbox world whose buyers asked for returns (its history) and cancellations (its clock
moved on an hour at a time) is pulled by the real after-sales job; the page lists the
requests; the merchant selects one, clicks Approve or Reject, reads what the decision
does, picks one of TikTok's reasons and adds a note, and confirms (or cancels). The
sandbox's own requests say what happened.
"""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.stores.oauth.keyrings import TrackingTokenStore
from tiktok_console.profile import Profile
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.tiktok.aftersales_request import REJECT_REASONS
from tiktok_console.sandbox.tiktok.reason_catalog import KNOWN
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.runtime import build_engine
from tiktok_console.ui.accounts_controller import AccountsController
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.deadlines import DeadlinesPage
from tiktok_console.ui.table_model import ROW_ROLE
from tiktok_console.ui.tasks import TaskRunner

OPTIONS = WorldOptions(
    seed=5, products=15, orders=3000, orders_per_minute=10, shopify_plan="plus",
    unlisted_share=0.0,
)  # fmt: skip
PENDING_CANCEL = "CANCELLATION_REQUEST_PENDING"
RETURN_WAITS = {"RETURN_OR_REFUND_REQUEST_PENDING", "REPLACEMENT_REQUEST_PENDING"}
REJECTED_RETURN = {
    "REFUND_OR_RETURN_REQUEST_REJECT",
    "REPLACEMENT_REQUEST_REJECT",
    "REJECT_RECEIVE_PACKAGE",
}


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    with running_sandbox(OPTIONS) as runner:
        world = runner.world
        world.advance(30 * 60)
        world.tiktok.set_order_rate(0)
        for _ in range(12):  # buyers ask to cancel within hours of paying
            if len(_waiting(runner, "cancel")) >= 2:
                break
            world.advance(3600)
        _ask_to_cancel(runner, 2 - len(_waiting(runner, "cancel")))  # none asked: some ask now
        yield runner


def _ask_to_cancel(sandbox: SandboxRunner, count: int) -> None:
    """Buyers of ``count`` unshipped orders ask to cancel, by the world's own rule."""
    shop = sandbox.world.tiktok
    with shop.lock:
        asked = {r.order_id for r in shop.aftersales.requests.values()}
        unshipped = sorted(
            (o for o in shop.book.orders.values()
             if o.status == "AWAITING_SHIPMENT" and o.fulfillment_type == "FULFILLMENT_BY_SELLER"
             and o.id not in asked),
            key=lambda o: o.id,
        )  # fmt: skip
        for order in unshipped[: max(count, 0)]:
            shop.aftersales.on_cancel_request(order, shop.clock.now_int())


def _requests(sandbox: SandboxRunner) -> dict[str, Any]:
    shop = sandbox.world.tiktok
    with shop.lock:
        return {r.id: (r.kind, r.status, r.type) for r in shop.aftersales.requests.values()}


def _waiting(sandbox: SandboxRunner, kind: str) -> list[str]:
    statuses = {PENDING_CANCEL} if kind == "cancel" else RETURN_WAITS
    return sorted(
        i for i, (k, status, _) in _requests(sandbox).items() if k == kind and status in statuses
    )


@pytest.fixture
def page(
    qtbot: QtBot,
    sandbox: SandboxRunner,
    profile: Profile,
    token_store: TrackingTokenStore,
    context: PageContext,
    settle: Callable[[], None],
) -> Iterator[DeadlinesPage]:
    """The Deadlines page of a profile connected to the sandbox, its requests pulled."""

    async def connect_and_pull() -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            info = json.loads(sandbox.info().model_dump_json())
            await AccountService(token_store, http).connect_sandbox(info)
            engine = build_engine(profile.settings, token_store, http, only=["aftersales"])
            results = await engine.run_until_caught_up(["aftersales"])
            assert not any(results.values()), results

    asyncio.run(connect_and_pull())
    http = httpx.AsyncClient()  # the controller's; the page only reads its token store
    accounts = AccountsController(
        AccountService(token_store, http), Bridge(), TaskRunner(lambda _what, _error: None),
        lambda _url: None,
    )  # fmt: skip
    shown = DeadlinesPage(replace(context, accounts=accounts), clock=sandbox.world.clock.now_dt)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    shown.refresh()
    settle()
    yield shown
    asyncio.run(http.aclose())


def _decide(
    qtbot: QtBot, page: DeadlinesPage, request_id: str, *, approve: bool
) -> Any:  # the dialog
    rows = [page.model.index(n, 0) for n in range(page.model.rowCount())]
    row = next(i for i in rows if page.model.data(i, ROW_ROLE).deadline.request_id == request_id)
    page.table.setCurrentIndex(row)
    page.decision_dialog = None
    clicked = page.approve_button if approve else page.reject_button
    assert clicked.isVisible()
    qtbot.mouseClick(clicked, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.decision_dialog is not None, timeout=10_000)
    dialog = page.decision_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_returns_are_approved_and_rejected_with_a_reason_and_note(
    qtbot: QtBot, sandbox: SandboxRunner, page: DeadlinesPage, settle: Callable[[], None]
) -> None:
    first, second, third = _waiting(sandbox, "return")[:3]

    approving = _decide(qtbot, page, first, approve=True)
    assert approving.windowTitle() == f"Approve return {first}"
    assert "refund" in approving.says.text().lower() or "replacement" in approving.says.text()
    assert approving.reason.isHidden() and approving.confirm.text() == "Approve"
    qtbot.mouseClick(approving.confirm, Qt.MouseButton.LeftButton)
    settle()
    assert page.notice.text() == f"Approved return {first} on TikTok."

    rejecting = _decide(qtbot, page, second, approve=False)
    assert rejecting.says.text().startswith("Refuses the buyer's request on order")
    offered = [rejecting.reason.itemData(n) for n in range(rejecting.reason.count())]
    # TikTok's reasons for this request and decision (Get Decision Eligibility): the
    # sandbox refuses a rejection whose reason it did not offer, so the send below checks it
    assert offered and set(offered) <= KNOWN, offered
    rejecting.reason.setCurrentIndex(len(offered) - 1)
    qtbot.keyClicks(rejecting.note, "Photos show the item used")
    assert rejecting.decision().note == "Photos show the item used"
    qtbot.mouseClick(rejecting.confirm, Qt.MouseButton.LeftButton)
    settle()
    assert page.notice.text() == f"Rejected return {second} on TikTok."

    cancelled = _decide(qtbot, page, third, approve=False)
    cancelled.reject()  # the dialog's Cancel: nothing is sent
    settle()

    after = _requests(sandbox)
    assert after[first][1] not in RETURN_WAITS | REJECTED_RETURN
    assert after[second][1] in REJECTED_RETURN
    assert after[third][1] in RETURN_WAITS


def _png(path: Path, width: int, height: int) -> Path:
    """A PNG file of that size (its header: all TikTok reads of it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    return path


def test_a_rejected_return_carries_the_images_picked_as_evidence(
    qtbot: QtBot,
    sandbox: SandboxRunner,
    page: DeadlinesPage,
    settle: Callable[[], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = _waiting(sandbox, "return")[0]
    photos = [_png(tmp_path / f"photo{n}.png", 600 + n, 400) for n in range(7)]
    (tmp_path / "scan.gif").write_bytes(b"GIF89a")
    picked: list[list[Path]] = []

    def pick(*_: Any) -> tuple[list[str], str]:  # what the merchant selects in the file picker
        return [str(p) for p in picked.pop(0)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", pick)
    rejecting = _decide(qtbot, page, target, approve=False)
    assert rejecting.add_images.isVisible()

    picked.append(photos)  # seven: more than TikTok takes
    qtbot.mouseClick(rejecting.add_images, Qt.MouseButton.LeftButton)
    assert "at most 6 images" in rejecting.evidence_problem.text()
    assert rejecting.evidence_problem.isVisible() and rejecting.evidence_list.count() == 0
    picked.append([photos[0], tmp_path / "scan.gif"])  # a format TikTok does not take
    qtbot.mouseClick(rejecting.add_images, Qt.MouseButton.LeftButton)
    assert "scan.gif is not an image TikTok takes" in rejecting.evidence_problem.text()
    picked.append(photos[:2])
    qtbot.mouseClick(rejecting.add_images, Qt.MouseButton.LeftButton)
    assert not rejecting.evidence_problem.isVisible()
    shown = [rejecting.evidence_list.item(n).text() for n in range(rejecting.evidence_list.count())]
    assert shown == ["photo0.png", "photo1.png"]

    qtbot.mouseClick(rejecting.confirm, Qt.MouseButton.LeftButton)
    settle()
    assert page.notice.text() == f"Rejected return {target} on TikTok."
    shop = sandbox.world.tiktok
    with shop.lock:
        rejected = shop.aftersales.requests[target]
        assert rejected.status in REJECTED_RETURN
        assert rejected.evidence is not None
        assert [(i.width, i.height) for i in rejected.evidence.images] == [(600, 400), (601, 400)]


def test_cancellations_are_approved_and_rejected_and_warn_about_shipping(
    qtbot: QtBot, sandbox: SandboxRunner, page: DeadlinesPage, settle: Callable[[], None]
) -> None:
    first, second = _waiting(sandbox, "cancel")[:2]

    approving = _decide(qtbot, page, first, approve=True)
    assert approving.says.text().startswith("Cancels order ")
    assert "refunds the buyer" in approving.says.text()
    qtbot.mouseClick(approving.confirm, Qt.MouseButton.LeftButton)
    settle()

    rejecting = _decide(qtbot, page, second, approve=False)
    assert "Shipping this order also rejects" in rejecting.says.text()
    assert rejecting.reason.count() == len(REJECT_REASONS)  # Get Reject Reasons, for cancels
    qtbot.mouseClick(rejecting.confirm, Qt.MouseButton.LeftButton)
    settle()
    assert page.notice.text() == f"Rejected cancellation {second} on TikTok."

    after = _requests(sandbox)
    assert after[first][1] == "CANCELLATION_REQUEST_SUCCESS"
    assert after[second][1] == "CANCELLATION_REQUEST_CANCEL"
