"""How many connections the app keeps open to the stores.

The sync jobs run many calls side by side (the catalog push and the stock
pusher 32 each). httpx keeps only 20 idle connections by default: beyond
that, each call that finishes closes its connection and the next call opens
a new one, a TCP handshake and a new server-side connection per call. The app
keeps as many idle connections as it may open.
"""

from __future__ import annotations

import httpx

MAX_CONNECTIONS = 100
POOL_LIMITS = httpx.Limits(
    max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS
)
