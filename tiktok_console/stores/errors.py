"""The small error tree every store call can raise.

Each error says whether retrying can help and, for rate limits, after how
long. Messages are written for the merchant; codes and store messages ride
along for the log. No error ever carries a token (the log redacts them anyway).
"""

from __future__ import annotations

from tiktok_console.core.errors import ConsoleError
from tiktok_console.stores.retry_after import bounded

STORE_NAMES = {"shopify": "Shopify", "tiktok": "TikTok Shop"}


class StoreError(ConsoleError):
    """A call to a store failed.

    Args:
        store: ``"shopify"`` or ``"tiktok"``.
        message: for the merchant.
        detail: for the log (status, store code, store message).
    """

    retryable = False

    def __init__(self, store: str, message: str, detail: str = "") -> None:
        super().__init__(message, detail)
        self.store = store

    @property
    def store_name(self) -> str:
        """The store's name as the merchant knows it."""
        return STORE_NAMES.get(self.store, self.store)


class AuthExpiredError(StoreError):
    """The store no longer accepts our credentials: reconnect the store."""

    def __init__(self, store: str, detail: str = "") -> None:
        name = STORE_NAMES.get(store, store)
        super().__init__(
            store,
            f"{name} no longer accepts the console's sign-in. "
            f"Reconnect {name} on the Accounts page.",
            detail,
        )


class RateLimitedError(StoreError):
    """The store asked us to slow down; retry after ``retry_after`` seconds."""

    retryable = True

    def __init__(self, store: str, retry_after: float, detail: str = "") -> None:
        name = STORE_NAMES.get(store, store)
        super().__init__(store, f"{name} asked the console to slow down; retrying shortly.", detail)
        # Bounded whoever computed it (a header, a cost bucket): never a wait for ever.
        self.retry_after = bounded(retry_after)


class StoreUnavailableError(StoreError):
    """The store did not answer properly (5xx, timeout, dropped or malformed reply)."""

    retryable = True

    def __init__(self, store: str, detail: str = "") -> None:
        name = STORE_NAMES.get(store, store)
        super().__init__(store, f"{name} is not answering properly right now; retrying.", detail)


class StoreUnreachableError(StoreUnavailableError):
    """No connection to the store at all: refused, no address (DNS), or no answer in time.

    Args:
        reason: in plain words ("connection refused", "no answer within 30 s").
    """

    def __init__(self, store: str, reason: str, detail: str = "") -> None:
        super().__init__(store, detail)
        name = STORE_NAMES.get(store, store)
        self.reason = reason
        self.message = f"Cannot reach {name} ({reason}); retrying."
        self.args = (self.message,)


class UnexpectedReplyError(StoreUnavailableError):
    """The store answered in a shape the console does not understand.

    Not retried: the same question gets the same answer. To a write it is still
    an unclear outcome (the store may have acted before answering), which is why
    it is a kind of ``StoreUnavailableError``.

    Args:
        what: the request, as the merchant would name it ("creating an order").
        detail: the document and the path of each field that did not fit.
    """

    retryable = False

    def __init__(self, store: str, what: str, detail: str) -> None:
        super().__init__(store, detail)
        name = STORE_NAMES.get(store, store)
        self.message = (
            f"{name} answered {what} in a form this version of TikTok Console does not "
            "understand. Check for an update of the console; the details name the field."
        )
        self.args = (self.message,)


class RequestRejectedError(StoreError):
    """The store refused the request itself; retrying the same request will not help."""

    def __init__(self, store: str, code: str, store_message: str, detail: str = "") -> None:
        name = STORE_NAMES.get(store, store)
        super().__init__(
            store, f"{name} refused the request: {store_message} (code {code}).", detail
        )
        self.code = code
        self.store_message = store_message
