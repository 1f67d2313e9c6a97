"""Replies of the bulk-operation documents: start one, and ask how it is going."""

from __future__ import annotations

from tiktok_console.stores.shopify.replies.base import CodedUserError, Reply, ShopifyModel


class StartedOperation(ShopifyModel):
    """The operation Shopify started."""

    id: str
    status: str


class BulkOperationRunQueryPayload(ShopifyModel):
    """``bulkOperationRunQuery``: the operation, or why not."""

    bulk_operation: StartedOperation | None = None
    user_errors: list[CodedUserError]


class BulkOperationRunQuery(Reply):
    """``BulkOperationRunQuery.graphql``."""

    what = "starting a bulk read"
    bulk_operation_run_query: BulkOperationRunQueryPayload


class BulkOperation(ShopifyModel):
    """The shop's current bulk operation."""

    id: str
    status: str
    error_code: str | None = None
    object_count: int | None = None
    root_object_count: int | None = None
    file_size: int | None = None
    url: str | None = None
    partial_data_url: str | None = None


class CurrentBulkOperation(Reply):
    """``CurrentBulkOperation.graphql``: None when the shop never ran one."""

    what = "checking a bulk read"
    current_bulk_operation: BulkOperation | None


class BulkOperationById(Reply):
    """``BulkOperationById.graphql``: None when no operation has that id."""

    what = "checking a bulk read"
    node: BulkOperation | None
