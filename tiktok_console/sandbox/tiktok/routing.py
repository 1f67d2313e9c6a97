"""The API's route table and how a path resolves to an endpoint.

TikTok paths are ``/{category}/{version}/{resource...}``. Resolution tells
apart the gateway errors a client can hit: unknown path (36009009), a known
path with an unsupported version (36009014), and a wrong method (36009010).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tiktok_console.sandbox.tiktok.errors import (
    INVALID_METHOD,
    INVALID_PATH,
    INVALID_VERSION,
    ApiError,
)
from tiktok_console.sandbox.tiktok.shop import TikTokShop


@dataclass
class Call:
    """What a handler sees of one verified request."""

    shop: TikTokShop
    query: Mapping[str, str]
    body: dict[str, Any]
    path_params: dict[str, str]
    form: dict[str, Any] = field(default_factory=dict)
    version: str = ""  # the path's version segment, for endpoints whose shape changed

    def page_size(self, *, default: int | None, low: int, high: int) -> int:
        """``page_size`` from the query, validated against the endpoint's range."""
        raw = self.query.get("page_size")
        if raw is None or raw == "":
            if default is None:
                raise ApiError(36009004, "page_size is required.")
            return default
        try:
            size = int(raw)
        except ValueError:
            raise ApiError(36009004, "page_size must be an integer.") from None
        if not low <= size <= high:
            raise ApiError(36009004, f"page_size must be within [{low}, {high}].")
        return size

    def int_filter(self, name: str, source: Mapping[str, Any] | None = None) -> int | None:
        """An optional integer filter from the body (default) or another mapping."""
        value = (self.body if source is None else source).get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(36009004, f"{name} must be a Unix timestamp.") from None


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Endpoint:
    """One served operation.

    Attributes:
        method: HTTP method.
        category: first path segment (``order``, ``product``...).
        versions: versions this path is served under.
        rest: the path after the version, with ``{name}`` placeholders.
        handler: returns the ``data`` of the envelope.
        shop_scoped: True when ``shop_cipher`` is required; False when it must
            not be sent (``/authorization/*``, image upload).
        multipart: the body is multipart/form-data (not signed, not JSON).
    """

    method: str
    category: str
    versions: tuple[str, ...]
    rest: str
    handler: Handler
    shop_scoped: bool = True
    multipart: bool = False

    @property
    def key(self) -> str:
        """A stable name for rate limiting: method and path pattern."""
        return f"{self.method} /{self.category}/*/{self.rest}"


def resolve(endpoints: list[Endpoint], method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
    """Find the endpoint for ``method path`` or raise the gateway error."""
    parts = path.strip("/").split("/")
    if len(parts) < 3:
        raise ApiError(INVALID_PATH, "Invalid path, please check and retry.", 404)
    category, version, rest = parts[0], parts[1], parts[2:]
    matches = []
    for ep in endpoints:
        params = _match(ep, category, rest)
        if params is not None:
            matches.append((ep, params))
    if not matches:
        raise ApiError(INVALID_PATH, "Invalid path, please check and retry.", 404)
    best = max(_literal_count(ep) for ep, _ in matches)
    matches = [(ep, p) for ep, p in matches if _literal_count(ep) == best]
    versioned = [(ep, p) for ep, p in matches if version in ep.versions]
    if not versioned:
        raise ApiError(INVALID_VERSION, "The version name is invalid, please check and retry.")
    for ep, params in versioned:
        if ep.method == method:
            return ep, params
    raise ApiError(INVALID_METHOD, "Invalid method, please check and retry.", 405)


def _match(ep: Endpoint, category: str, rest: list[str]) -> dict[str, str] | None:
    pattern = ep.rest.split("/")
    if ep.category != category or len(pattern) != len(rest):
        return None
    params: dict[str, str] = {}
    for want, got in zip(pattern, rest, strict=True):
        if want.startswith("{"):
            if not got:
                return None
            params[want.strip("{}")] = got
        elif want != got:
            return None
    return params


def _literal_count(ep: Endpoint) -> int:
    return sum(1 for seg in ep.rest.split("/") if not seg.startswith("{"))


def parse_json_body(raw: bytes) -> dict[str, Any]:
    """The JSON object body, ``{}`` when empty; anything else is refused."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(36009004, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(36009004, "The request body must be a JSON object.")
    return body
