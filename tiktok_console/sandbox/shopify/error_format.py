"""Validation errors worded as Shopify words them.

Shopify runs graphql-ruby, whose messages and ``extensions.code`` values differ
from graphql-core's. The common cases are translated; anything else keeps
graphql-core's message with code ``GRAPHQL_VALIDATION_FAILED`` (assumption).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

Translation = tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, dict[str, Any]]]]

_RULES: list[Translation] = [
    (
        re.compile(r"Cannot query field '(?P<f>\w+)' on type '(?P<t>\w+)'"),
        lambda m: (
            f"Field '{m['f']}' doesn't exist on type '{m['t']}'",
            {"code": "undefinedField", "typeName": m["t"], "fieldName": m["f"]},
        ),
    ),
    (
        re.compile(r"Unknown argument '(?P<a>\w+)' on field '\w+\.(?P<f>\w+)'"),
        lambda m: (
            f"Field '{m['f']}' doesn't accept argument '{m['a']}'",
            {"code": "argumentNotAccepted", "name": m["f"], "typeName": "Field",
             "argumentName": m["a"]},
        ),
    ),
    (
        re.compile(r"Field '(?P<f>\w+)' argument '(?P<a>\w+)' of type .* is required"),
        lambda m: (
            f"Field '{m['f']}' is missing required arguments: {m['a']}",
            {"code": "missingRequiredArguments", "className": "Field", "name": m["f"],
             "arguments": m["a"]},
        ),
    ),
    (
        re.compile(r"Unknown directive '@(?P<d>\w+)'"),
        lambda m: (
            f"Directive '{m['d']}' is not defined",
            {"code": "undefinedDirective", "directiveName": m["d"]},
        ),
    ),
    (
        re.compile(r"Field '(?P<f>\w+)' is not defined by type '(?P<t>\w+)'"),
        lambda m: (
            f"InputObject '{m['t']}' doesn't accept argument '{m['f']}'",
            {"code": "argumentNotAccepted", "name": m["t"], "typeName": "InputObject",
             "argumentName": m["f"]},
        ),
    ),
    (
        re.compile(r"Field '(?P<f>\w+)' of type '(?P<t>[^']+)' must have a selection"),
        lambda m: (
            f"Field must have selections (field '{m['f']}' returns {m['t'].strip('[]!')} "
            "but has no selections. Did you mean '" + m["f"] + " { ... }'?)",
            {"code": "selectionMismatch", "nodeName": f"field '{m['f']}'",
             "typeName": m["t"].strip("[]!")},
        ),
    ),
    (
        re.compile(r"Field '(?P<f>\w+)' must not have a selection since type '(?P<t>[^']+)'"),
        lambda m: (
            f"Selections can't be made on scalars (field '{m['f']}' returns "
            f"{m['t'].strip('[]!')} but has selections)",
            {"code": "selectionMismatch", "nodeName": f"field '{m['f']}'",
             "typeName": m["t"].strip("[]!")},
        ),
    ),
]  # fmt: skip


def format_validation_error(error: GraphQLError) -> dict[str, Any]:
    """One entry of the top-level ``errors`` list for a validation error."""
    message, extensions = error.message, {"code": "GRAPHQL_VALIDATION_FAILED"}
    for pattern, translate in _RULES:
        match = pattern.search(error.message)
        if match:
            message, extensions = translate(match)
            break
    entry: dict[str, Any] = {"message": message}
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        entry["path"] = list(error.path)
    entry["extensions"] = extensions
    return entry


def format_execution_error(error: GraphQLError) -> dict[str, Any]:
    """One entry of ``errors`` for an error raised while resolving."""
    entry: dict[str, Any] = {"message": error.message}
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        entry["path"] = list(error.path)
    entry["extensions"] = dict(error.extensions or {}) or {"code": "INTERNAL_SERVER_ERROR"}
    return entry
