"""What every resolver needs: the store, the API version and this server's base URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

if TYPE_CHECKING:
    from .store import ShopifyStore


Info = GraphQLResolveInfo[Any]


@dataclass
class RequestContext:
    """Per-request context handed to graphql-core as ``context_value``.

    ``bulk`` is set while a bulk operation runs its inner query: connections then
    return every node, ignoring ``first``/``last``, as Shopify's bulk queries do.
    """

    store: ShopifyStore
    version: str
    base_url: str
    bulk: bool = False


def ctx(info: Info) -> RequestContext:
    """The request context of a resolver call."""
    context: Any = info.context
    assert isinstance(context, RequestContext)
    return context
