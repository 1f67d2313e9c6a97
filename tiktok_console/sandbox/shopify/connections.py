"""Relay connections (``edges``/``nodes``/``pageInfo``) with Shopify-style opaque cursors.

Cursors are base64 of ``{"last_id": <record id>}`` (the shape Shopify's cursors
decode to). ``first``/``last`` limits are checked before execution by the cost
calculator, which is where Shopify reports a missing or oversized page size.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from graphql import GraphQLError

T = TypeVar("T")


def encode_cursor(record_id: int) -> str:
    """An opaque cursor naming a record."""
    return base64.b64encode(json.dumps({"last_id": record_id}).encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The record ID inside a cursor; a GraphQL error when the cursor is not ours."""
    try:
        return int(json.loads(base64.b64decode(cursor, validate=True))["last_id"])
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise GraphQLError("Invalid cursor for current pagination sort.") from error


def connection(
    items: Sequence[T],
    args: dict[str, Any],
    key: Callable[[T], int],
    view: Callable[[T], dict[str, Any]],
    *,
    paged: bool = True,
) -> dict[str, Any]:
    """Slice ``items`` (already filtered and sorted) by the connection ``args``."""
    ordered = list(reversed(items)) if args.get("reverse") else list(items)
    ids = [key(item) for item in ordered]
    start, end = 0, len(ordered)
    if args.get("after") is not None:
        after = decode_cursor(args["after"])
        start = ids.index(after) + 1 if after in ids else len(ids)
    if args.get("before") is not None:
        before = decode_cursor(args["before"])
        end = ids.index(before) if before in ids else end
    window = ordered[start:end]
    first, last = args.get("first"), args.get("last")
    if paged and first is not None:
        window = window[:first]
    if paged and last is not None:
        window = window[-last:] if last else []
    has_next = bool(window) and ids.index(key(window[-1])) < len(ids) - 1 if window else False
    has_previous = bool(window) and ids.index(key(window[0])) > 0
    nodes = [view(item) for item in window]
    edges = [
        {"__typename": "Edge", "cursor": encode_cursor(key(item)), "node": node}
        for item, node in zip(window, nodes, strict=True)
    ]
    return {
        "edges": edges,
        "nodes": nodes,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }
