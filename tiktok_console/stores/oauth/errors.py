"""Errors of the browser sign-in, each naming what went wrong for the merchant."""

from __future__ import annotations

from tiktok_console.core.errors import ConsoleError


class SignInError(ConsoleError):
    """A sign-in did not complete."""


class CallbackRejectedError(SignInError):
    """A redirect reached the listener but failed a check (state, HMAC, freshness...).

    The listener keeps waiting after one of these: it may be a forged or stale
    request, and the real redirect can still arrive.

    Args:
        check: the name of the check that failed (``state``, ``hmac``, ...).
    """

    def __init__(self, check: str, message: str, detail: str = "") -> None:
        super().__init__(message, detail)
        self.check = check


class SignInDeniedError(SignInError):
    """The merchant declined on the store's consent page: the sign-in ends here."""


class SignInTimeoutError(SignInError):
    """No valid redirect arrived in time."""


class CodeAlreadyUsedError(SignInError):
    """An authorization code was offered a second time (a replay)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "This sign-in link was already used. Start the sign-in again from the Accounts page.",
            detail,
        )


class RegionMismatchError(SignInError):
    """The TikTok Shop and the Shopify store sell in different countries."""

    def __init__(self, tiktok_region: str, shopify_country: str) -> None:
        super().__init__(
            f"Your TikTok Shop is in {tiktok_region} but your Shopify store is in "
            f"{shopify_country}: a console profile links one store and one TikTok Shop of "
            "the same country. Connect the TikTok Shop of that country, or use another profile.",
            f"tiktok region {tiktok_region!r}, shopify country {shopify_country!r}",
        )
        self.tiktok_region = tiktok_region
        self.shopify_country = shopify_country
