"""An access token that renews itself before it expires, once for all callers.

Both stores issue expiring tokens (TikTok: 7 days; Shopify expiring offline
tokens: 60 minutes). Many calls may notice expiry at the same moment; a lock
makes exactly one of them refresh, and the others use its result.

Expiries are judged on our own clock (the grants arrive with their lifetimes
carried over to it, see ``TikTokTokens.stored``). Even so, a grant that looks
expired the moment it arrives (a store clock far from ours, a lifetime shorter
than the margin) is not refreshed again right away: each refresh would only
bring another such grant and revoke the one in-flight calls hold (a refresh
storm). Such a grant is used until the store refuses it, then renewed once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class TokenGrant:
    """An access token and when it stops working (None: it does not expire)."""

    access_token: str
    expires_at: datetime | None
    refresh_token: str | None = None
    refresh_expires_at: datetime | None = None


Refresher = Callable[[TokenGrant], Awaitable[TokenGrant]]
Persister = Callable[[TokenGrant], None]


class RefreshingToken:
    """Hands out a valid access token, refreshing ahead of expiry or on demand.

    Args:
        grant: the current tokens.
        refresh: gets a new grant from the store, given the current one.
        persist: stores a new grant (the keyring) before it is used.
        margin: refresh this long before expiry.
        hold: a grant received less than this long ago is never refreshed ahead of
            expiry (only when the store refuses it).
        now: the clock (tests pass the sandbox's).
    """

    def __init__(
        self,
        grant: TokenGrant,
        refresh: Refresher,
        persist: Persister,
        *,
        margin: timedelta = timedelta(minutes=5),
        hold: timedelta = timedelta(minutes=5),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._grant = grant
        self._refresh = refresh
        self._persist = persist
        self._margin = margin
        self._hold = hold
        self._now = now
        # The grant handed in was saved earlier, not just received: no hold for it.
        self._received_at: datetime | None = None
        self._lock = asyncio.Lock()
        self.refresh_count = 0

    @property
    def grant(self) -> TokenGrant:
        """The tokens in use now."""
        return self._grant

    async def access_token(self) -> str:
        """A token that is valid for at least ``margin`` more, as far as we can tell."""
        if not self._due(self._grant):
            return self._grant.access_token
        return await self._renew(stale=self._grant.access_token, proactive=True)

    async def renew(self, stale: str) -> str:
        """A new token after the store refused ``stale``; refreshes once for all callers."""
        return await self._renew(stale=stale, proactive=False)

    async def _renew(self, stale: str, *, proactive: bool) -> str:
        async with self._lock:  # one refresh in flight; the others wait for its grant
            if self._grant.access_token != stale:
                return self._grant.access_token  # another caller refreshed meanwhile
            if proactive and not self._due(self._grant):
                return self._grant.access_token
            grant = await self._refresh(self._grant)
            self._persist(grant)
            self._grant = grant
            self._received_at = self._now()
            self.refresh_count += 1
            return grant.access_token

    def _due(self, grant: TokenGrant) -> bool:
        """Whether to refresh ahead of expiry: close to it, and not just received."""
        if grant.expires_at is None:
            return False
        now = self._now()
        if self._received_at is not None and now - self._received_at < self._hold:
            return False
        return grant.expires_at - self._margin <= now
