"""Which addresses the console sends secrets to: checked before any request.

App secrets, authorization codes and tokens go to the store's own hosts over
https, and nowhere else. Plain http is accepted only on this computer's
loopback (the sandbox). Shopify hosts are the shop's own myshopify domain (or
Shopify's admin host); TikTok hosts come from an allow-list, which only the
demo may extend.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from tiktok_console.core.errors import ConsoleError

SHOPIFY_HOSTS = frozenset({"admin.shopify.com"})
TIKTOK_HOSTS = frozenset(
    {
        "auth.tiktok-shops.com",
        "open-api.tiktokglobalshop.com",
        "services.tiktokshop.com",
        "services.us.tiktokshop.com",
        "services.tiktokshops.us",
        "partner.tiktokshop.com",
    }
)


class UnsafeStoreUrlError(ConsoleError):
    """An address the console will not send a sign-in or secret to."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


def _host(url: str, what: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeStoreUrlError(f"{what} {url!r} is not a web address (https://...).")
    if parts.username or parts.password:
        raise UnsafeStoreUrlError(f"{what} {url!r} must not carry a user name or password.")
    if parts.scheme == "http" and not is_loopback(host):
        raise UnsafeStoreUrlError(
            f"{what} {url!r} is not secure: the console talks to stores over https only "
            "(plain http only to this computer, for the sandbox)."
        )
    return parts.scheme, host


def check_shopify_url(url: str, shop: str) -> str:
    """``url`` if it is ``shop``'s own address (or Shopify's, or loopback); else raise.

    Raises:
        UnsafeStoreUrlError: not https, or another host than the shop's.
    """
    _, host = _host(url, "The Shopify address")
    if is_loopback(host) or host == shop.strip().lower() or host in SHOPIFY_HOSTS:
        return url
    raise UnsafeStoreUrlError(
        f"The Shopify address {url!r} is not your store's: it should be https://{shop}."
    )


def check_tiktok_url(url: str, extra_hosts: Iterable[str] = ()) -> str:
    """``url`` if its host is a TikTok Shop host (or loopback); else raise.

    ``extra_hosts`` extends the allow-list; only the demo passes any.

    Raises:
        UnsafeStoreUrlError: not https, or not a TikTok Shop host.
    """
    _, host = _host(url, "The TikTok Shop address")
    allowed = TIKTOK_HOSTS | {h.lower() for h in extra_hosts}
    if is_loopback(host) or host in allowed:
        return url
    raise UnsafeStoreUrlError(
        f"The TikTok Shop address {url!r} is not one of TikTok Shop's own hosts "
        f"({', '.join(sorted(TIKTOK_HOSTS))})."
    )
