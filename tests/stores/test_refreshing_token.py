"""A TikTok grant is refreshed when its lifetime runs out on our clock, once for all
callers, however far TikTok's clock is from ours: no refresh storm."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.stores.oauth.http import server_date
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.tiktok.oauth import TikTokTokens

MARGIN = timedelta(minutes=5)
HOLD = timedelta(minutes=5)
LOCAL_START = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)

offsets = st.integers(min_value=-400 * 86400, max_value=400 * 86400).map(
    lambda s: timedelta(seconds=s)
)
lifetimes = st.integers(min_value=3600, max_value=30 * 86400).map(lambda s: timedelta(seconds=s))


@dataclass
class Tiktok:
    """A token host whose clock is ``offset`` from ours, issuing ``lifetime``-long grants."""

    clock: list[datetime]
    offset: timedelta
    lifetime: timedelta
    issued: list[str] = field(default_factory=list)

    def grant(self) -> TokenGrant:
        """A grant as the session makes it: TikTok's reply, received now on our clock."""
        server_now = self.clock[0] + self.offset
        expiry = int((server_now + self.lifetime).timestamp())
        reply = TikTokTokens(
            access_token=f"TTP_{len(self.issued)}", access_token_expire_in=expiry,
            refresh_token=f"R_{len(self.issued)}", refresh_token_expire_in=expiry + 86400,
            open_id="o", server_now=server_now,
        )  # fmt: skip
        self.issued.append(reply.access_token)
        stored = reply.stored(self.clock[0])
        return TokenGrant(
            stored.access_token, stored.access_expires_at, stored.refresh_token,
            stored.refresh_expires_at,
        )  # fmt: skip

    async def refresh(self, _: TokenGrant) -> TokenGrant:
        await asyncio.sleep(0)  # let the other callers pile up behind the refresh
        return self.grant()


def _token(host: Tiktok) -> RefreshingToken:
    return RefreshingToken(
        host.grant(), host.refresh, lambda _: None, margin=MARGIN, hold=HOLD,
        now=lambda: host.clock[0],
    )  # fmt: skip


@settings(deadline=None, max_examples=60)
@given(offset=offsets, lifetime=lifetimes)
async def test_a_grant_lives_its_lifetime_on_our_clock_whatever_tiktoks_clock_says(
    offset: timedelta, lifetime: timedelta
) -> None:
    host = Tiktok([LOCAL_START], offset, lifetime)
    token = _token(host)
    for _ in range(20):
        assert await token.access_token() == "TTP_0"
    host.clock[0] = LOCAL_START + lifetime - MARGIN - timedelta(seconds=2)
    assert await token.access_token() == "TTP_0"
    assert token.refresh_count == 0

    host.clock[0] = LOCAL_START + lifetime - MARGIN + timedelta(seconds=2)
    tokens = await asyncio.gather(*(token.access_token() for _ in range(25)))
    assert set(tokens) == {"TTP_1"}
    assert token.refresh_count == 1


@settings(deadline=None, max_examples=30)
@given(offset=offsets)
async def test_a_grant_that_looks_expired_on_arrival_is_not_refreshed_again_and_again(
    offset: timedelta,
) -> None:
    # TikTok's lifetime shorter than our margin: every new grant looks due at once.
    host = Tiktok([LOCAL_START], offset, timedelta(minutes=1))
    token = _token(host)
    first = await asyncio.gather(*(token.access_token() for _ in range(10)))
    assert set(first) == {"TTP_1"}  # the saved grant was due: one refresh for all ten
    for _ in range(HOLD.seconds - 1):
        host.clock[0] += timedelta(seconds=1)
        assert await token.access_token() == "TTP_1"  # due too, but just received: held
    assert token.refresh_count == 1
    host.clock[0] += timedelta(seconds=2)
    assert await token.access_token() == "TTP_2"  # at most one refresh per hold
    assert token.refresh_count == 2


async def test_a_renewal_for_a_token_already_replaced_returns_the_new_one_without_refreshing() -> (
    None
):
    # The replacement looks due (short lifetime): it is still returned as is.
    host = Tiktok([LOCAL_START], timedelta(0), timedelta(minutes=1))
    token = _token(host)
    renewed = await asyncio.gather(*(token.renew("TTP_0") for _ in range(10)))
    assert set(renewed) == {"TTP_1"}
    host.clock[0] += HOLD * 2  # TTP_1 is now due by its lifetime, and not held
    assert await token.renew("TTP_0") == "TTP_1"  # a late caller refused with TTP_0
    assert token.refresh_count == 1


async def test_a_token_the_store_refused_is_renewed_even_when_just_received() -> None:
    host = Tiktok([LOCAL_START], timedelta(days=-300), timedelta(days=7))
    token = _token(host)
    assert await token.renew(await token.access_token()) == "TTP_1"
    assert await token.renew("TTP_1") == "TTP_2"  # TikTok refused it: 105002 wins
    assert token.refresh_count == 2


@given(offset=offsets)
def test_the_reply_date_carries_tiktoks_clock(offset: timedelta) -> None:
    instant = (LOCAL_START + offset).replace(microsecond=0)
    assert server_date(instant.strftime("%a, %d %b %Y %H:%M:%S GMT")) == instant


def test_a_missing_or_unreadable_date_is_none() -> None:
    assert server_date(None) is None
    assert server_date("yesterday") is None
