"""What the Accounts page can do: connect, reconnect and disconnect, in the background.

The page never awaits anything: it asks the controller, which runs the sign-in
as a task and reports through the bridge ("accounts" changed) or a callback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.accounts import Account, StoreKind
from tiktok_console.sync.accounts import AccountService, PasteTarget
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.tasks import TaskRunner


@dataclass(frozen=True)
class ShopifyForm:
    """What the merchant typed to connect Shopify."""

    shop: str
    client_id: str = ""
    client_secret: str = ""
    access_token: str = ""  # a custom-app token instead of the browser sign-in
    base_url: str = ""
    client_credentials: bool = False  # the merchant's own app: the grant, no browser

    @property
    def shop_base_url(self) -> str:
        """Where the shop answers: https://<shop> unless told otherwise."""
        return self.base_url or f"https://{self.shop}"


@dataclass(frozen=True)
class TikTokForm:
    """What the merchant typed to connect TikTok Shop."""

    app_key: str
    app_secret: str
    authorize_link: str
    auth_url: str = "https://auth.tiktok-shops.com"
    api_url: str = "https://open-api.tiktokglobalshop.com"


Done = Callable[[Account | None, BaseException | None], None]


def open_in_browser(url: str) -> None:
    """The system browser (the merchant is already signed in there)."""
    QDesktopServices.openUrl(QUrl(url))


class AccountsController:
    """Runs account actions as background tasks."""

    def __init__(
        self,
        service: AccountService,
        bridge: Bridge,
        tasks: TaskRunner,
        open_browser: Callable[[str], Any] = open_in_browser,
    ) -> None:
        self.service = service
        self._bridge = bridge
        self._tasks = tasks
        self._open_browser = open_browser

    def accounts(self) -> dict[StoreKind, Account]:
        """Every connected store (read from the local database)."""
        return self.service.accounts()

    def connect(
        self,
        form: ShopifyForm | TikTokForm,
        on_waiting: Callable[[PasteTarget], None],
        done: Done,
    ) -> asyncio.Task[Any]:
        """Start a sign-in; ``done`` gets the account or the error."""
        if isinstance(form, ShopifyForm):
            work = self._shopify(form, on_waiting)
        else:
            work = self.service.connect_tiktok(
                self._open_browser, authorize_link=form.authorize_link, auth_url=form.auth_url,
                api_url=form.api_url, app_key=form.app_key, app_secret=form.app_secret,
                on_waiting=on_waiting,
            )  # fmt: skip
        store = "Shopify" if isinstance(form, ShopifyForm) else "TikTok Shop"
        return self._tasks.spawn(
            work, f"connecting {store}", on_done=lambda task: self._finished(task, done)
        )

    def disconnect(self, store: StoreKind) -> None:
        """Forget the store and delete its keyring entries; says which could not go."""
        failures = self.service.disconnect(store)
        self._bridge.on_event_changed({"accounts"})
        if failures:
            raise ConsoleError(
                f"Disconnected, but could not remove from the keyring: {'; '.join(failures)}. "
                "Remove them with your keyring's own tool."
            )

    async def _shopify(
        self, form: ShopifyForm, on_waiting: Callable[[PasteTarget], None]
    ) -> Account:
        if form.access_token:
            return await self.service.connect_shopify_token(
                shop=form.shop, shop_base_url=form.shop_base_url, access_token=form.access_token
            )
        if form.client_credentials:
            return await self.service.connect_shopify_client_credentials(
                shop=form.shop, shop_base_url=form.shop_base_url,
                client_id=form.client_id, client_secret=form.client_secret,
            )  # fmt: skip
        return await self.service.connect_shopify(
            self._open_browser, shop=form.shop, shop_base_url=form.shop_base_url,
            client_id=form.client_id, client_secret=form.client_secret, on_waiting=on_waiting,
        )  # fmt: skip

    def _finished(self, task: asyncio.Task[Account], done: Done) -> None:
        if task.cancelled():
            done(None, None)
            return
        error = task.exception()
        done(None if error else task.result(), error)
        if error is None:
            self._bridge.on_event_changed({"accounts"})
