"""Moving the sandbox's clock over HTTP (``POST /clock/advance``) instead of sleeping.

The stores and the app's engine read the same sandbox clock (``Clocks`` in the
``connected`` fixture), so a test that moves it sees Shopify's search index
catch up, holds end and warehouses ship, in no real time and on any machine.
"""

from __future__ import annotations

from tests.sync.conftest import Connected

WHOLE_SECOND = 1.0  # Shopify's updatedAt has whole seconds: past it, a write is "later"


async def advance(connected: Connected, seconds: float) -> float:
    """Move the sandbox clock ``seconds`` forward; returns its new time (Unix seconds)."""
    url = f"{connected.sandbox.info().control_url}/clock/advance"
    reply = await connected.http.post(url, params={"seconds": seconds})
    reply.raise_for_status()
    return float(reply.json()["now"])


async def past_index_lag(connected: Connected) -> None:
    """Past Shopify's search-index lag: a write just made is found by ``query:`` searches."""
    lag = connected.sandbox.world.options.index_lag_seconds
    await advance(connected, lag + 0.2)
