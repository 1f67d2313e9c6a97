"""Bulk query operations: run a query over the whole store and publish JSONL.

Shopify runs bulk operations on its own machines and keeps answering meanwhile,
so the inner query runs on a worker thread started with the operation, not in
the request: with it inline, the sandbox's stores stopped answering for as long
as a large export took. The worker reads the live store, as Shopify's exports
are not point-in-time snapshots (a record changed meanwhile may show either
version). Connections come unpaged; the result is flattened to JSON lines, one
object per line, where every node of a nested connection is its own line
carrying ``__parentId``. Grouped output (``groupObjects: true``, and every
version before 2026-01) puts children right after their parent; ungrouped
output lists all parents first.

Timing (assumption, so clients must poll): the operation reports ``CREATED`` for
its first simulated second, then ``RUNNING`` until its worker has finished and
``2 s + objects × store.bulk_seconds_per_object`` have passed since it was
created, then ``COMPLETED`` (``FAILED`` if the inner query raised).
"""

from __future__ import annotations

import json
import math
import threading
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    parse,
    validate,
)

from .error_format import format_validation_error
from .errors import UserErrors, user_error
from .gql_schema import schema_for
from .records import BulkOperationRec
from .versions import max_concurrent_bulk_queries

if TYPE_CHECKING:
    from .context import RequestContext

ACTIVE = ("CREATED", "RUNNING")
MIN_RUN_SECONDS = 2.0


def refresh_bulk(operation: BulkOperationRec, now: float) -> None:
    """Move an operation's status along with the clock."""
    if operation.status not in ACTIVE:
        return
    if now >= operation.runs_until:
        operation.status = "COMPLETED"
        operation.completed_at = operation.runs_until
    elif now >= operation.created_at + 1:
        operation.status = "RUNNING"


def start_bulk_query(
    c: RequestContext, query: str, group_objects: bool | None
) -> tuple[BulkOperationRec | None, UserErrors]:
    """``bulkOperationRunQuery``: checks the query, then starts its worker."""
    store = c.store
    now = store.now()
    for operation in store.bulk_operations.values():
        refresh_bulk(operation, now)
    running = [op for op in store.bulk_operations.values() if op.status in ACTIVE]
    if len(running) >= max_concurrent_bulk_queries(c.version):
        return None, [
            user_error(
                None,
                f"A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/{running[-1].id}.",
                "OPERATION_IN_PROGRESS",
            )
        ]
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, [user_error(["query"], f"Invalid bulk query: {error.message}", "INVALID")]
    operation_node = next(
        (d for d in document.definitions if isinstance(d, OperationDefinitionNode)), None
    )
    if operation_node is None or operation_node.operation != OperationType.QUERY:
        return None, [
            user_error(
                ["query"],
                "Bulk queries must be queries; use bulkOperationRunMutation for mutations.",
                "INVALID",
            )
        ]
    schema = schema_for(c.version)
    invalid = validate(schema, document)
    if invalid:
        message = format_validation_error(invalid[0])["message"]
        return None, [user_error(["query"], f"Invalid bulk query: {message}", "INVALID")]
    if not _roots_at_connection(c, operation_node):
        return None, [
            user_error(["query"], "Bulk queries must contain at least one connection.", "INVALID")
        ]
    grouped = True if group_objects is None and c.version < "2026-01" else bool(group_objects)
    operation = BulkOperationRec(
        id=store.ids.next("BulkOperation"),
        query=query,
        group_objects=grouped,
        status="CREATED",
        created_at=now,
        lines=[],
        root_count=0,
        runs_until=math.inf,  # until the worker has finished
    )
    store.bulk_operations[operation.id] = operation
    worker = threading.Thread(
        target=_work, args=(c, document, operation), name=f"bulk-{operation.id}", daemon=True
    )
    worker.start()
    return operation, []


def _roots_at_connection(c: RequestContext, operation: OperationDefinitionNode) -> bool:
    """Whether the query's first root field is a connection (checked before it runs)."""
    query_type = schema_for(c.version).query_type
    first = next((s for s in operation.selection_set.selections if isinstance(s, FieldNode)), None)
    if query_type is None or first is None or first.name.value not in query_type.fields:
        return False
    named = get_named_type(query_type.fields[first.name.value].type)
    return str(named.name).endswith("Connection")


def _work(c: RequestContext, document: DocumentNode, operation: BulkOperationRec) -> None:
    """The worker: run the inner query over the live store, then publish its lines."""
    from .executor import run_inner_query

    store = c.store
    try:
        data, errors = run_inner_query(c, document)
        roots, lines = _flatten(data or {}, operation.group_objects) if not errors else (None, [])
    except Exception:  # the operation fails, as Shopify's can, instead of the thread
        roots, lines = None, []
    with store.lock:
        if roots is None:
            operation.status = "FAILED"
            operation.error_code = "INTERNAL_SERVER_ERROR"
            operation.completed_at = store.now()
            return
        operation.lines = lines
        operation.root_count = roots
        operation.runs_until = max(
            store.now(),
            operation.created_at + MIN_RUN_SECONDS + len(lines) * store.bulk_seconds_per_object,
        )


def _connection_nodes(value: Any) -> list[Any] | None:
    if not isinstance(value, dict) or not ({"edges", "nodes"} & value.keys()):
        return None
    if not value.keys() <= {"edges", "nodes", "pageInfo"}:
        return None
    if "nodes" in value:
        return list(value["nodes"])
    return [edge.get("node") for edge in value["edges"] if isinstance(edge, dict)]


def _flatten(data: dict[str, Any], grouped: bool) -> tuple[int | None, list[str]]:
    root_field = next(iter(data.values()), None)
    roots = _connection_nodes(root_field)
    if roots is None:
        return None, []
    lines: list[str] = []
    queue: list[tuple[dict[str, Any], str | None]] = [(node, None) for node in roots if node]
    while queue:
        node, parent = queue.pop(0)
        own = {k: v for k, v in node.items() if _connection_nodes(v) is None}
        if parent is not None:
            own["__parentId"] = parent
        lines.append(json.dumps(own, separators=(",", ":")))
        children = [
            (child, node.get("id"))
            for value in node.values()
            for child in (_connection_nodes(value) or [])
            if child
        ]
        queue = children + queue if grouped else queue + children
    return len(roots), lines
