"""Injected network and server faults, so clients are tested against a bad day.

Real stores throttle, fail with 5xx, hang, drop connections and (behind a
misbehaving proxy) return bodies that are not JSON. ``FaultMiddleware`` wraps
a store's ASGI app and, per request, decides from a seeded RNG whether to
inject one of those faults; ``FaultConfig`` holds the knobs and can be changed
while the sandbox runs (the control app does that).

Timeouts and drops happen either before the store sees the request or after
it has done the work (``processed_share``): the second case is the one that
makes a client's write journal earn its keep, since the write happened but the
client never heard back.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tiktok_console.sandbox import fault_bodies
from tiktok_console.sandbox.fault_bodies import FaultResponse, StoreKind

# A stuck request is held at most this long, so a stopping server is never blocked for long.
MAX_HOLD_SECONDS = 120.0

# The browser pages of both OAuth flows; faulting them makes a flow untestable.
CONSENT_PATHS: tuple[str, ...] = ("/admin/oauth/authorize", "/open/authorize", "/oauth/authorize")


class FaultKind(StrEnum):
    """The kinds of fault the middleware can inject."""

    HTTP_5XX = "http_5xx"
    HTTP_429 = "http_429"
    TIMEOUT = "timeout"
    DROP = "drop"
    MALFORMED = "malformed"
    TRUNCATED = "truncated"


@dataclass
class FaultConfig:
    """Mutable fault knobs for one store; every fault is off by default.

    Attributes:
        error_rate: probability (0..1) that a request gets a fault.
        http_5xx, http_429, timeout, drop, malformed, truncated: relative shares of
            each kind among faulted requests. When all are zero and ``error_rate`` is
            set, every kind is equally likely (so ``--fault-rate`` alone does something).
        latency_ms: added to every request that is not exempt.
        timeout_seconds: how long a "timeout" request is held (capped at MAX_HOLD_SECONDS);
            it should exceed the client's timeout.
        processed_share: share of timeouts and drops that happen after the store did the work.
        fault_consent_pages: also fault the OAuth consent pages.
    """

    error_rate: float = 0.0
    http_5xx: float = 0.0
    http_429: float = 0.0
    timeout: float = 0.0
    drop: float = 0.0
    malformed: float = 0.0
    truncated: float = 0.0
    latency_ms: float = 0.0
    timeout_seconds: float = 30.0
    processed_share: float = 0.5
    fault_consent_pages: bool = False

    def shares(self) -> dict[FaultKind, float]:
        """Each kind's weight, with the even default mix when none is set."""
        weights = {kind: float(getattr(self, kind.value)) for kind in FaultKind}
        if sum(weights.values()) <= 0:
            return dict.fromkeys(FaultKind, 1.0)
        return weights

    def expected_rate(self, kind: FaultKind) -> float:
        """Probability that one request gets this kind of fault."""
        weights = self.shares()
        return self.error_rate * weights[kind] / sum(weights.values())

    def draw(self, rng: random.Random) -> FaultKind | None:
        """Decide the fate of one request; ``None`` means serve it normally."""
        if self.error_rate <= 0 or rng.random() >= self.error_rate:
            return None
        weights = self.shares()
        kinds = [k for k, w in weights.items() if w > 0]
        return rng.choices(kinds, weights=[weights[k] for k in kinds])[0]

    def update(self, **knobs: Any) -> None:
        """Set the given knobs; unknown names raise ``AttributeError``."""
        names = {f.name for f in fields(self)}
        for name, value in knobs.items():
            if name not in names:
                raise AttributeError(f"unknown fault knob: {name}")
            setattr(self, name, value)

    def reset(self) -> None:
        """Every knob back to its default: no faults at all."""
        self.update(**asdict(FaultConfig()))

    def as_dict(self) -> dict[str, Any]:
        """The knobs as plain JSON-able values."""
        return asdict(self)


Rate = Annotated[float, Field(ge=0, le=1)]
Share = Annotated[float, Field(ge=0, le=1000)]


class FaultKnobs(BaseModel):
    """A partial update of one store's ``FaultConfig``; absent knobs keep their value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    error_rate: Rate | None = None
    http_5xx: Share | None = None
    http_429: Share | None = None
    timeout: Share | None = None
    drop: Share | None = None
    malformed: Share | None = None
    truncated: Share | None = None
    latency_ms: Annotated[float, Field(ge=0, le=60_000)] | None = None
    timeout_seconds: Annotated[float, Field(gt=0, le=MAX_HOLD_SECONDS)] | None = None
    processed_share: Rate | None = None
    fault_consent_pages: bool | None = None

    def apply(self, config: FaultConfig) -> None:
        """Write the given knobs into ``config``."""
        config.update(**self.model_dump(exclude_none=True))


class StoreFaults(BaseModel):
    """Knobs per store, ``{"shopify": {...}, "tiktok": {...}}``; flat knobs mean both stores.

    The one shape for faults set at start (``WorldOptions.faults``, ``--faults``)
    and at run time (``POST /faults``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    shopify: FaultKnobs | None = None
    tiktok: FaultKnobs | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat_knobs_are_for_both(cls, body: Any) -> Any:
        if not isinstance(body, dict) or not body:
            return body
        stores = set(body) & {"shopify", "tiktok"}
        if not stores:
            return {"shopify": body, "tiktok": body}
        if set(body) - stores:
            raise ValueError(
                'give per-store knobs ({"shopify": {...}, "tiktok": {...}}) or flat knobs,'
                f" not both (mixed: {sorted(set(body) - stores)})"
            )
        return body

    def apply(self, configs: dict[StoreKind, FaultConfig]) -> None:
        """Write each store's knobs into its ``FaultConfig``."""
        for store, config in configs.items():
            knobs = getattr(self, store)
            if knobs is not None:
                knobs.apply(config)

    def starting_config(self, store: StoreKind, error_rate: float) -> FaultConfig:
        """A store's knobs at start: ``error_rate`` (``--fault-rate``), then these."""
        config = FaultConfig(error_rate=error_rate)
        self.apply({store: config})
        return config


@dataclass
class _Captured:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class FaultMiddleware:
    """Pure-ASGI middleware injecting faults per request, deterministically from ``rng``.

    Args:
        app: the store's ASGI app.
        config: the knobs; read on every request, so changes apply at once.
        rng: the only source of randomness (seed it for reproducible runs).
        store: whose error dialect to speak ("shopify" or "tiktok").
        consent_paths: paths left alone unless ``config.fault_consent_pages``.
    """

    def __init__(
        self,
        app: ASGIApp,
        config: FaultConfig,
        rng: random.Random,
        *,
        store: StoreKind = "tiktok",
        consent_paths: tuple[str, ...] = CONSENT_PATHS,
    ) -> None:
        self.app = app
        self.config = config
        self.rng = rng
        self.store: StoreKind = store
        self.consent_paths = consent_paths
        self.injected: Counter[str] = Counter()
        self._injectors: dict[FaultKind, Callable[[Scope, Receive, Send], Awaitable[None]]] = {
            FaultKind.HTTP_5XX: self._server_error,
            FaultKind.HTTP_429: self._throttled,
            FaultKind.TIMEOUT: self._timeout,
            FaultKind.DROP: self._drop,
            FaultKind.MALFORMED: self._malformed,
            FaultKind.TRUNCATED: self._truncated,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._exempt(scope):
            await self.app(scope, receive, send)
            return
        config = self.config
        if config.latency_ms > 0:
            await asyncio.sleep(config.latency_ms / 1000)
        kind = config.draw(self.rng)
        if kind is None:
            await self.app(scope, receive, send)
            return
        self.injected[kind.value] += 1
        await self._injectors[kind](scope, receive, send)

    def _exempt(self, scope: Scope) -> bool:
        if self.config.fault_consent_pages:
            return False
        path = str(scope.get("path", ""))
        return any(path == p or path.startswith(p + "/") for p in self.consent_paths)

    async def _throttled(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, fault_bodies.throttled(self.store, self.rng))

    async def _server_error(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, fault_bodies.server_error(self.store, self.rng))

    async def _malformed(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, fault_bodies.malformed(self.store, self.rng))

    async def _timeout(self, scope: Scope, receive: Receive, send: Send) -> None:
        processed = self.rng.random() < self.config.processed_share
        body = await _read_body(receive)
        captured = await _capture(self.app, scope, body) if processed else None
        hold = min(max(self.config.timeout_seconds, 0.0), MAX_HOLD_SECONDS)
        if await _client_left_within(receive, hold):
            return
        if captured is not None:  # the answer arrives, far too late
            await _respond(send, FaultResponse(captured.status, captured.headers, captured.body))
        else:
            await _respond(send, fault_bodies.gateway_timeout(self.store, self.rng))

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.rng.random() < self.config.processed_share:
            await _capture(self.app, scope, await _read_body(receive))
        await _close_connection(send)

    async def _truncated(self, scope: Scope, receive: Receive, send: Send) -> None:
        captured = await _capture(self.app, scope, await _read_body(receive))
        headers = [(k, v) for k, v in captured.headers if k.lower() != b"content-length"]
        # Promise the whole body, deliver part of it, then hang up: a cut-off transfer.
        headers.append((b"content-length", str(len(captured.body)).encode()))
        await send({"type": "http.response.start", "status": captured.status, "headers": headers})
        cut = self.rng.randint(0, max(len(captured.body) - 1, 0))
        await send({"type": "http.response.body", "body": captured.body[:cut], "more_body": True})
        await _close_connection(send)


async def _respond(send: Send, response: FaultResponse) -> None:
    headers = [*response.headers, (b"content-length", str(len(response.body)).encode())]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _capture(app: ASGIApp, scope: Scope, body: bytes) -> _Captured:
    """Run the app to completion and keep its response instead of sending it."""
    captured = _Captured(500, [], b"")
    chunks: list[bytes] = []
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            await asyncio.Event().wait()  # no disconnect until the app is done
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured.status = int(message["status"])
            captured.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    captured.body = b"".join(chunks)
    return captured


async def _client_left_within(receive: Receive, seconds: float) -> bool:
    """Wait up to ``seconds``; True as soon as the client disconnects."""

    async def wait_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(wait_disconnect(), timeout=seconds)
    except TimeoutError:
        return False
    return True


async def _close_connection(send: Send) -> None:
    """Hang up without (finishing) a response.

    ASGI has no message for this, so reach the server's transport through the bound
    ``send`` (uvicorn's request cycle holds it). Fallback for other servers: raise,
    which makes any ASGI server abort the connection.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("fault injected: connection dropped")
    transport.close()
    # Let the server see the connection is gone before the app returns, so it does
    # not try to answer with a 500 of its own.
    for _ in range(3):
        await asyncio.sleep(0)
