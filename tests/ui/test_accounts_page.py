"""The Accounts page against the sandbox: connect through the dialog, see it, disconnect."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tiktok_console.app import Console
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.ui.accounts_controller import AccountsController
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.connect_dialog import ConnectDialog
from tiktok_console.ui.pages.accounts import AccountsPage
from tiktok_console.ui.tasks import TaskRunner


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    with running_sandbox(WorldOptions(seed=2, products=5, orders_per_minute=0)) as runner:
        yield runner


def _until(
    loop: asyncio.AbstractEventLoop, condition: Callable[[], bool], timeout: float = 20
) -> None:
    async def wait() -> None:
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() > deadline:
                raise AssertionError("timed out")
            await asyncio.sleep(0.02)

    loop.run_until_complete(wait())


def test_connect_both_stores_through_the_dialog_then_disconnect(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner, keyring_backend, monkeypatch
) -> None:
    info = sandbox.info()
    bridge = Bridge()
    tasks = TaskRunner(lambda description, error: pytest.fail(f"{description}: {error}"))
    controller = AccountsController(console.accounts, bridge, tasks, consent_approver(console.http))
    page = AccountsPage(controller, open_connect=lambda store: None)
    qtbot.addWidget(page)
    page.refresh()
    assert "Not connected" in page.cards["shopify"].value_label.text()

    dialog = ConnectDialog("shopify", controller)
    qtbot.addWidget(dialog)
    dialog.fields["shop"].setText(info.shopify.shop)
    dialog.fields["client_id"].setText(info.shopify.client_id)
    dialog.fields["client_secret"].setText(info.shopify.client_secret)
    dialog.fields["base_url"].setText(info.shopify.url)  # the sandbox's; a real store's is implied
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    _until(qt_loop, lambda: dialog.result() == ConnectDialog.DialogCode.Accepted)

    dialog = ConnectDialog("tiktok", controller)
    qtbot.addWidget(dialog)
    dialog.fields["app_key"].setText(info.tiktok.app_key)
    dialog.fields["app_secret"].setText(info.tiktok.app_secret)
    dialog.fields["authorize_link"].setText(info.tiktok.authorize_url)
    dialog.fields["api_url"].setText(info.tiktok.api_url)
    dialog.fields["auth_url"].setText(info.tiktok.auth_url)
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    _until(qt_loop, lambda: dialog.result() == ConnectDialog.DialogCode.Accepted)

    page.refresh()
    assert "Harbor" in page.cards["shopify"].value_label.text()
    assert "region US" in page.cards["tiktok"].note_label.text()
    assert "Last successful call: just now" in page.cards["tiktok"].details.text()
    assert page.cards["shopify"].connect_button.text() == "Reconnect"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.cards["shopify"].disconnect_button, Qt.MouseButton.LeftButton)
    assert "Not connected" in page.cards["shopify"].value_label.text()
    assert not any("shopify" in user for _, user in keyring_backend.entries())


def test_missing_fields_are_named_and_nothing_starts(qtbot, console: Console) -> None:
    controller = AccountsController(
        console.accounts, Bridge(), TaskRunner(lambda description, error: None)
    )
    dialog = ConnectDialog("tiktok", controller)
    qtbot.addWidget(dialog)
    dialog.fields["app_key"].setText("abc")
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    assert "app secret" in dialog.error.text() and "authorize link" in dialog.error.text()
    assert dialog.result() != ConnectDialog.DialogCode.Accepted
