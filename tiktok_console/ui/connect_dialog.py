"""The dialog that connects one store: credentials, then the browser sign-in.

While the browser is open the dialog waits, and offers the fallback: paste the
address the browser ended on, for when the redirect cannot reach the console.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.accounts import STORE_TITLES, Account, StoreKind
from tiktok_console.stores.store_urls import check_shopify_url, check_tiktok_url
from tiktok_console.sync.accounts import PasteTarget
from tiktok_console.ui.accounts_controller import AccountsController, ShopifyForm, TikTokForm
from tiktok_console.ui.error_reporter import describe
from tiktok_console.ui.widgets import label

_OPTIONAL = frozenset({"base_url"})
_SHOPIFY_METHODS = {
    "browser": "Browser sign-in (app from the Dev Dashboard)",
    "client_credentials": "Client credentials (your own custom app, no browser)",
    "token": "Admin API access token (shpat_…)",
}


class ConnectDialog(QDialog):
    """Connect ``store``; accepted once the account is saved."""

    def __init__(
        self, store: StoreKind, controller: AccountsController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._controller = controller
        self._paste: PasteTarget | None = None
        self._task: asyncio.Task[Any] | None = None
        self.account: Account | None = None
        self.setWindowTitle(f"Connect {STORE_TITLES[store]}")
        self.setMinimumWidth(520)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._form_page())
        self._pages.addWidget(self._waiting_page())
        self.error = label("", "ErrorText", wrap=True)
        self.error.setStyleSheet("color: #d93a4a;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)
        layout.addWidget(self.error)

    # -- the form ---------------------------------------------------------------------

    def _form_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.fields: dict[str, QLineEdit] = {}
        if self.store == "shopify":
            intro = "Sign in with your Shopify app (Dev Dashboard) credentials."
            self._field(form, "shop", "Store address", "your-store.myshopify.com")
            self._field(form, "client_id", "Client ID", "from your app's settings")
            self._field(form, "client_secret", "Client secret", "", secret=True)
            self.method = QComboBox()
            for key, text in _SHOPIFY_METHODS.items():
                self.method.addItem(text, key)
            self.method.currentIndexChanged.connect(self._method_changed)
            form.addRow("Sign in with", self.method)
            self._field(form, "access_token", "Access token", "shpat_…", secret=True)
            self._field(
                form, "base_url", "Store URL (optional)", "https://your-store.myshopify.com"
            )
            self._method_changed()
        else:
            intro = "Use your app's details from TikTok Shop Partner Center."
            self._field(form, "app_key", "App key", "")
            self._field(form, "app_secret", "App secret", "", secret=True)
            self._field(
                form,
                "authorize_link",
                "Authorization link",
                "https://services…/open/authorize?service_id=…",
            )
            self._field(form, "api_url", "API host", "")
            self._field(form, "auth_url", "Token host", "")
            self.fields["api_url"].setText(TikTokForm.api_url)
            self.fields["auth_url"].setText(TikTokForm.auth_url)
        form.insertRow(0, label(intro, "Muted", wrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in = QPushButton("Sign in with your browser")
        self.sign_in.setObjectName("Primary")
        self.sign_in.setDefault(True)
        buttons.addButton(self.sign_in, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._start)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        return page

    def _field(
        self, form: QFormLayout, key: str, title: str, hint: str, secret: bool = False
    ) -> None:
        edit = QLineEdit()
        edit.setPlaceholderText(hint)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields[key] = edit
        form.addRow(title, edit)

    def shopify_method(self) -> str:
        """``browser``, ``client_credentials`` or ``token``."""
        return str(self.method.currentData()) if self.store == "shopify" else "browser"

    def _method_changed(self) -> None:
        token = self.shopify_method() == "token"
        for key in ("client_id", "client_secret"):
            self.fields[key].setEnabled(not token)
        self.fields["access_token"].setEnabled(token)
        if hasattr(self, "sign_in"):
            browser = self.shopify_method() == "browser"
            self.sign_in.setText("Sign in with your browser" if browser else "Connect")

    def form(self) -> ShopifyForm | TikTokForm:
        """The typed values; raises ``ConsoleError`` naming what is missing."""
        value = {key: edit.text().strip() for key, edit in self.fields.items() if edit.isEnabled()}
        missing = [
            key.replace("_", " ")
            for key, text in value.items()
            if not text and key not in _OPTIONAL
        ]
        if missing:
            raise ConsoleError(f"Please fill in: {', '.join(missing)}.")
        # Checked here for an early word; the sign-in flows check again.
        if value.get("base_url"):
            check_shopify_url(value["base_url"], value.get("shop", ""))
        for key in ("authorize_link", "api_url", "auth_url"):
            if value.get(key):
                check_tiktok_url(value[key])
        if self.store == "shopify":
            return ShopifyForm(
                **value, client_credentials=self.shopify_method() == "client_credentials"
            )
        return TikTokForm(**value)

    # -- waiting for the browser ------------------------------------------------------

    def _waiting_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            label(
                f"Approve TikTok Console in your browser to connect {STORE_TITLES[self.store]}.",
                "",
                wrap=True,
            )
        )
        busy = QProgressBar()
        busy.setRange(0, 0)
        layout.addWidget(busy)
        layout.addWidget(
            label(
                "If the browser ends on an error page after you approve, "
                "copy its address and paste it here:",
                "Muted",
                wrap=True,
            )
        )
        self.pasted = QLineEdit()
        self.pasted.setPlaceholderText("http://127.0.0.1:…/callback?code=…")
        layout.addWidget(self.pasted)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_pasted = buttons.addButton(
            "Use this address", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.use_pasted.clicked.connect(self._use_pasted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        return page

    def _start(self) -> None:
        try:
            form = self.form()
        except ConsoleError as error:
            self._show_error(error.message)
            return
        self.error.hide()
        if self.shopify_method() == "browser":
            self._pages.setCurrentIndex(1)
        self.sign_in.setEnabled(False)
        self._task = self._controller.connect(form, self._waiting, self._done)

    def _waiting(self, paste: PasteTarget) -> None:
        self._paste = paste

    def _use_pasted(self) -> None:
        if self._paste is None:
            return
        try:
            self._paste(self.pasted.text())
        except ConsoleError as error:
            self._show_error(error.message)

    def _done(self, account: Account | None, error: BaseException | None) -> None:
        self.sign_in.setEnabled(True)
        if account is not None:
            self.account = account
            self.accept()
            return
        if error is not None:
            self._pages.setCurrentIndex(0)
            self._show_error(describe(error, f"connecting {STORE_TITLES[self.store]}")[0])

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def reject(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().reject()
