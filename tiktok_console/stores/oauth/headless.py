"""Approving a consent page without a browser (the sandbox, the CLI, tests).

Both sandbox consent pages approve with a form POST of ``approve=1`` to the
page's own URL, answered by a 302 to the app's redirect URI. This does what a
click does, follows nothing automatically, and delivers the redirect to the
loopback listener by requesting the ``Location`` itself, only if that is on
this computer: a consent page elsewhere could send it anywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urljoin, urlsplit

import httpx

from tiktok_console.stores.oauth.errors import SignInError
from tiktok_console.stores.store_urls import is_loopback

log = logging.getLogger(__name__)


def consent_approver(http: httpx.AsyncClient) -> Callable[[str], Awaitable[None]]:
    """An ``open_browser`` that approves the consent page at the URL it is given."""

    async def approve(url: str) -> None:
        _require_loopback(url, "consent page")
        consent = await http.post(url, data={"approve": "1"}, follow_redirects=False)
        location = consent.headers.get("location")
        if consent.status_code not in (301, 302, 303, 307) or not location:
            raise SignInError(
                "The store's consent page did not send the browser back to the console.",
                f"consent POST answered HTTP {consent.status_code}",
            )
        location = urljoin(url, location)
        _require_loopback(location, "redirect")
        delivered = await http.get(location, follow_redirects=False)
        log.debug("redirect delivered to the listener: HTTP %s", delivered.status_code)

    return approve


def _require_loopback(url: str, what: str) -> None:
    """Approving is for the sandbox: never send or follow anything off this computer."""
    host = urlsplit(url).hostname or ""
    if not is_loopback(host):
        raise SignInError(
            "Automatic approval works only with the sandbox stores on this computer.",
            f"{what} host {host!r} is not loopback",
        )
