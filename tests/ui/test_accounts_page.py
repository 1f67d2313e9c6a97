"""The Accounts page against the sandbox: connect through the dialog, see it, disconnect."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.stores.conftest import shopify_client_credentials
from tests.stores.oauth.keyrings import TrackingTokenStore
from tiktok_console.app import Console
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.sandbox.runner import SandboxInfo, SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.accounts import load_account
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.accounts import AccountService
from tiktok_console.ui.accounts_controller import AccountsController
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.connect_dialog import ConnectDialog
from tiktok_console.ui.pages.accounts import AccountsPage
from tiktok_console.ui.tasks import TaskRunner

OPTIONS = WorldOptions(seed=2, products=5, orders_per_minute=0)


@pytest.fixture(autouse=True)
def _qt_garbage_freed_on_the_main_thread() -> None:
    # Earlier tests' dialogs and bridges sit in reference cycles; collected later by
    # the sandbox's server thread, their Qt timers would be stopped from that thread.
    gc.collect()


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    with running_sandbox(OPTIONS) as runner:
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


def _controller(service: AccountService, open_browser: Callable[[str], Any]) -> AccountsController:
    # Errors reach the dialog through its done callback; the runner only logs them.
    tasks = TaskRunner(lambda description, error: None)
    return AccountsController(service, Bridge(), tasks, open_browser)


def _shopify_dialog(
    qtbot, controller: AccountsController, info: SandboxInfo, method: str = "browser"
) -> ConnectDialog:
    dialog = ConnectDialog("shopify", controller)
    qtbot.addWidget(dialog)
    dialog.method.setCurrentIndex(dialog.method.findData(method))
    dialog.fields["shop"].setText(info.shopify.shop)
    dialog.fields["client_id"].setText(info.shopify.client_id)
    dialog.fields["client_secret"].setText(info.shopify.client_secret)
    dialog.fields["base_url"].setText(info.shopify.url)  # the sandbox's; a real store's is implied
    return dialog


def _tiktok_dialog(qtbot, controller: AccountsController, info: SandboxInfo) -> ConnectDialog:
    dialog = ConnectDialog("tiktok", controller)
    qtbot.addWidget(dialog)
    dialog.fields["app_key"].setText(info.tiktok.app_key)
    dialog.fields["app_secret"].setText(info.tiktok.app_secret)
    dialog.fields["authorize_link"].setText(info.tiktok.authorize_url)
    dialog.fields["api_url"].setText(info.tiktok.api_url)
    dialog.fields["auth_url"].setText(info.tiktok.auth_url)
    return dialog


def _sign_in(qtbot, loop: asyncio.AbstractEventLoop, dialog: ConnectDialog) -> None:
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    _until(loop, lambda: dialog.result() == ConnectDialog.DialogCode.Accepted)


def _fails_with(qtbot, loop: asyncio.AbstractEventLoop, dialog: ConnectDialog) -> str:
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    _until(loop, lambda: dialog.sign_in.isEnabled() and not dialog.error.isHidden())
    assert dialog.result() != ConnectDialog.DialogCode.Accepted
    return dialog.error.text()


def test_connect_both_stores_through_the_dialog_then_disconnect(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner, token_store: TrackingTokenStore,
    monkeypatch, context, settle,
) -> None:  # fmt: skip
    info = sandbox.info()
    controller = _controller(console.accounts, consent_approver(console.http))
    page = AccountsPage(replace(context, accounts=controller))
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert "Not connected" in page.cards["shopify"].value_label.text()

    _sign_in(qtbot, qt_loop, _shopify_dialog(qtbot, controller, info))
    _sign_in(qtbot, qt_loop, _tiktok_dialog(qtbot, controller, info))

    page.refresh()
    settle()
    assert "Harbor" in page.cards["shopify"].value_label.text()
    assert "region US" in page.cards["tiktok"].note_label.text()
    shopify = page.cards["shopify"].details
    assert shopify.isVisibleTo(page) and shopify.wordWrap()
    assert "read_orders" in shopify.text() and "write_inventory" in shopify.text()
    assert "renews automatically · current one valid until" in shopify.text()
    tiktok = page.cards["tiktok"].details.text()
    tiktok_scopes = load_account("tiktok").scopes  # type: ignore[union-attr]
    assert tiktok_scopes and all(scope in tiktok for scope in tiktok_scopes)
    assert "Last successful call: just now" in tiktok and "valid until" in tiktok
    assert page.cards["shopify"].connect_button.text() == "Reconnect"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.cards["shopify"].disconnect_button, Qt.MouseButton.LeftButton)
    settle()
    assert "Not connected" in page.cards["shopify"].value_label.text()
    assert not any("shopify" in user for user in token_store.entries())


def test_the_pasted_address_completes_the_sign_in(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner
) -> None:
    opened: list[str] = []  # the browser "opens" but its redirect never reaches the console
    dialog = _tiktok_dialog(qtbot, _controller(console.accounts, opened.append), sandbox.info())
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    _until(qt_loop, lambda: bool(opened))
    approved = httpx.post(opened[0], data={"approve": "1"}, follow_redirects=False)
    dialog.pasted.setText(approved.headers["location"])  # the address the browser ended on
    qtbot.mouseClick(dialog.use_pasted, Qt.MouseButton.LeftButton)
    _until(qt_loop, lambda: dialog.result() == ConnectDialog.DialogCode.Accepted)
    assert dialog.account and dialog.account.shop_name


def test_reconnect_replaces_the_keyring_entry(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner, token_store: TrackingTokenStore
) -> None:
    controller = _controller(console.accounts, consent_approver(console.http))
    _sign_in(qtbot, qt_loop, _shopify_dialog(qtbot, controller, sandbox.info()))
    account = load_account("shopify")
    assert account
    before = token_store.load(account.account_key)
    _sign_in(qtbot, qt_loop, _shopify_dialog(qtbot, controller, sandbox.info()))
    after = token_store.load(account.account_key)
    assert before and after and after.access_token != before.access_token
    tokens = [user for user in token_store.entries() if user.endswith(account.account_key)]
    assert len(tokens) == 1  # replaced, not added beside the old one


def test_client_credentials_and_a_pasted_token_connect_without_a_browser(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner
) -> None:
    info = sandbox.info()
    controller = _controller(console.accounts, lambda url: pytest.fail("no browser expected"))
    _sign_in(qtbot, qt_loop, _shopify_dialog(qtbot, controller, info, "client_credentials"))
    account = load_account("shopify")
    assert account and account.expiring and account.token_expires_at

    dialog = _shopify_dialog(qtbot, controller, info, "token")
    dialog.fields["access_token"].setText(shopify_client_credentials(info)["access_token"])
    _sign_in(qtbot, qt_loop, dialog)
    account = load_account("shopify")
    assert account and account.shop_name and account.token_expires_at is None


def test_a_store_in_another_region_is_refused_in_the_dialog(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner
) -> None:
    controller = _controller(console.accounts, consent_approver(console.http))
    _sign_in(qtbot, qt_loop, _shopify_dialog(qtbot, controller, sandbox.info()))
    with running_sandbox(OPTIONS.model_copy(update={"region": "GB"})) as gb:
        message = _fails_with(qtbot, qt_loop, _tiktok_dialog(qtbot, controller, gb.info()))
    assert "GB" in message and "US" in message
    assert load_account("tiktok") is None


def test_without_a_keyring_the_dialog_says_what_to_install(
    qtbot, qt_loop, console: Console, sandbox: SandboxRunner
) -> None:
    no_keyring = TokenStore(keyring.backends.fail.Keyring(), SecretRedactor())
    service = AccountService(no_keyring, console.http)
    opened: list[str] = []
    dialog = _shopify_dialog(qtbot, _controller(service, opened.append), sandbox.info())
    message = _fails_with(qtbot, qt_loop, dialog)
    assert "GNOME Keyring" in message and "Nothing was saved" in message
    assert opened == [] and load_account("shopify") is None


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
