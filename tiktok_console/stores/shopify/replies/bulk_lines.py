"""The lines of bulk results: one model per kind of object the bulk queries select.

A bulk result is JSONL, one object per line; a nested connection's nodes come
on their own lines carrying ``__parentId`` (Shopify's documented flattening;
the sandbox may also leave them inline, under ``edges``). Lines are parsed one
at a time as they stream in, and a line that does not fit is
``UnexpectedReplyError`` naming the query and the path.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, ValidationError

from tiktok_console.stores.errors import UnexpectedReplyError
from tiktok_console.stores.shopify.replies.base import STORE, DateTime, ShopifyModel
from tiktok_console.stores.shopify.replies.inventory import LevelAt

M = TypeVar("M", bound=BaseModel)
N = TypeVar("N")

VARIANT = "gid://shopify/ProductVariant/"
_MAX_PROBLEMS = 5


class Edge(ShopifyModel, Generic[N]):
    """One edge of a connection selected as ``edges { node }``."""

    node: N


class Edges(ShopifyModel, Generic[N]):
    """A connection selected as ``edges { node }`` (bulk queries page no connection)."""

    edges: list[Edge[N]]


class VariantSkuLine(ShopifyModel):
    """A line of ``bulk/VariantSkus``."""

    id: str
    sku: str | None = None


class StockItem(ShopifyModel):
    """A variant's inventory item; its levels inline only where they are not flattened."""

    id: str
    inventory_levels: Edges[LevelAt] | None = None


class StockVariantLine(ShopifyModel):
    """A variant line of ``bulk/VariantStock``."""

    id: str
    sku: str | None = None
    updated_at: DateTime | None = None
    inventory_item: StockItem | None = None


class StockLevelLine(LevelAt):
    """A level line of ``bulk/VariantStock``, flattened out of its variant."""

    parent_id: str = Field(alias="__parentId")


def is_variant(line: dict[str, Any]) -> bool:
    """Whether a bulk line is a product variant (not a child line or another object)."""
    return str(line.get("id", "")).startswith(VARIANT)


def parse_line(model: type[M], line: dict[str, Any], query: str) -> M:
    """One bulk line as ``model``, or ``UnexpectedReplyError`` with the path of each misfit."""
    try:
        return model.model_validate(line)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()[:_MAX_PROBLEMS]
        ]
        detail = f"bulk/{query}: " + "; ".join(problems)
        raise UnexpectedReplyError(STORE, "a bulk read", detail) from error
