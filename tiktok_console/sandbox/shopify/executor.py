"""Run one GraphQL request: parse, validate, cost, throttle, execute, report cost.

The response body has Shopify's shape in every case, including
``extensions.cost`` with the bucket's state after the request.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLError, execute_sync, parse, validate

from .context import RequestContext
from .cost import actual_cost, requested_cost
from .error_format import format_execution_error, format_validation_error
from .gql_schema import schema_for
from .limits import CostBucket, ShopifyLimits, ThrottleStatus

Body = dict[str, Any]
RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"


def _cost(requested: int, actual: int | None, status: ThrottleStatus) -> Body:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": status.as_json(),
        }
    }


def _max_cost_exceeded(cost: int, limit: int) -> Body:
    message = (
        f"Query cost is {cost}, which exceeds the single query max cost limit ({limit}).\n\n"
        "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how "
        "the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer "
        "limits, bulk operations should be used instead.\nSee "
        "https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
    )
    return {
        "errors": [
            {
                "message": message,
                "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": limit},
            }
        ]
    }


def execute_request(
    c: RequestContext,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    bucket: CostBucket,
    limits: ShopifyLimits,
    bucket_key: str,
) -> Body:
    """The JSON body answering one GraphQL request (always HTTP 200)."""
    schema = schema_for(c.version)
    try:
        document = parse(query)
    except GraphQLError as error:
        entry = format_validation_error(error)
        entry["extensions"] = {"code": "GRAPHQL_PARSE_FAILED"}
        return {"errors": [entry]}
    errors = validate(schema, document)
    if errors:
        return {"errors": [format_validation_error(e) for e in errors]}
    requested, cost_errors = requested_cost(schema, document, operation_name, variables)
    if cost_errors:
        return {
            "errors": [
                format_execution_error(e) | {"extensions": {"code": "BAD_REQUEST"}}
                for e in cost_errors
            ]
        }
    now = c.store.now()
    if requested > limits.max_query_cost:
        status = bucket.give_back(bucket_key, 0, now)
        return _max_cost_exceeded(requested, limits.max_query_cost) | {
            "extensions": _cost(requested, None, status)
        }
    ok, status = bucket.take(bucket_key, requested, now)
    if not ok:
        return {
            "errors": [
                {
                    "message": "Throttled",
                    "extensions": {"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS},
                }
            ],
            "extensions": _cost(requested, None, status),
        }
    with c.store.lock:
        result = execute_sync(
            schema,
            document,
            context_value=c,
            variable_values=variables,
            operation_name=operation_name,
        )
    data = result.data
    actual = actual_cost(schema, document, operation_name, data) if data is not None else 0
    status = bucket.give_back(bucket_key, max(0, requested - actual), c.store.now())
    body: Body = {}
    if result.errors:
        body["errors"] = [format_execution_error(e) for e in result.errors]
    if data is not None:
        body["data"] = data
    body["extensions"] = _cost(requested, actual, status)
    return body


def run_inner_query(
    c: RequestContext, document: DocumentNode
) -> tuple[dict[str, Any] | None, list[str]]:
    """Run a bulk operation's query over the whole store (connections unpaged)."""
    bulk = dataclasses.replace(c, bulk=True)
    schema = schema_for(c.version)
    errors = validate(schema, document)
    if errors:
        return None, [format_validation_error(e)["message"] for e in errors]
    result: ExecutionResult = execute_sync(schema, document, context_value=bulk)
    if result.errors:
        return None, [e.message for e in result.errors]
    return result.data, []
