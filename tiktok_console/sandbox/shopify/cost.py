"""Query cost, calculated as Shopify documents it, before and after execution.

Requested cost (before execution): scalars and enums 0, objects 1, connections
``2 + (first|last) × cost of one node`` (assumption: the ``+2`` for the
connection itself, from Shopify's published examples), lists of objects
``first`` (or 1) × object cost, interfaces the costliest fragment, each mutation
field 10 whatever it selects, introspection free; ``@idempotent`` adds nothing.
Actual cost (after) uses the numbers of nodes really returned.

The pre-execution walk also enforces Shopify's connection rules: one of
``first``/``last`` is required and at most 250 (assumption: the wording of the
over-250 error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    value_from_ast_untyped,
)

MUTATION_COST = 10
MAX_PAGE = 250


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    errors: list[GraphQLError] = field(default_factory=list)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _args(node: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    return {a.name.value: value_from_ast_untyped(a.value, variables) for a in node.arguments or ()}


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def requested_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> tuple[int, list[GraphQLError]]:
    """The requested cost of a (valid) document, and connection-rule errors."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0, []
    walk = _Walk(schema, _fragments(document), variables or {})
    if operation.operation == OperationType.MUTATION:
        fields = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
        return MUTATION_COST * len([f for f in fields if not f.name.value.startswith("__")]), []
    root = schema.query_type
    assert root is not None
    cost = _selection_cost(walk, operation.selection_set, root, [])
    return cost, walk.errors


def _selection_cost(
    walk: _Walk, selection_set: SelectionSetNode | None, parent: Any, path: list[str]
) -> int:
    if selection_set is None:
        return 0
    common, per_type = 0, dict[str, int]()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            common += _field_cost(walk, selection, parent, path)
            continue
        if isinstance(selection, InlineFragmentNode):
            condition = (
                selection.type_condition.name.value if selection.type_condition else parent.name
            )
            sub = selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = walk.fragments[selection.name.value]
            condition, sub = fragment.type_condition.name.value, fragment.selection_set
        else:  # pragma: no cover - graphql-core has no other selection kinds
            continue
        target = walk.schema.get_type(condition)
        per_type[condition] = per_type.get(condition, 0) + _selection_cost(walk, sub, target, path)
    return common + max(per_type.values(), default=0)


def _field_cost(walk: _Walk, node: FieldNode, parent: Any, path: list[str]) -> int:
    name = node.name.value
    if name.startswith("__"):
        return 0
    definition = parent.fields[name]
    named = get_named_type(definition.type)
    if is_leaf_type(named):
        return 0
    here = [*path, (node.alias or node.name).value]
    args = _args(node, walk.variables)
    if named.name.endswith("Connection"):
        size = _page_size(walk, node, args, here)
        return 2 + size * _node_cost(walk, node.selection_set, named, here)
    child = 1 + _selection_cost(walk, node.selection_set, named, here)
    count = args.get("first") if _is_list(definition.type) else None
    return child * (count if isinstance(count, int) and count > 0 else 1)


def _page_size(walk: _Walk, node: FieldNode, args: dict[str, Any], path: list[str]) -> int:
    size = args.get("first") if args.get("first") is not None else args.get("last")
    if size is None:
        walk.errors.append(GraphQLError("you must provide one of first or last", [node], path=path))
        return 0
    if not isinstance(size, int) or size > MAX_PAGE or size < 0:
        walk.errors.append(
            GraphQLError(
                f"Connection page size must be between 0 and {MAX_PAGE}", [node], path=path
            )
        )
        return 0
    return size


def _node_cost(
    walk: _Walk, selection_set: SelectionSetNode | None, connection: Any, path: list[str]
) -> int:
    """Cost of one node of a connection, through ``nodes`` and/or ``edges { node }``."""
    best = 0
    for selection in selection_set.selections if selection_set else []:
        if not isinstance(selection, FieldNode) or selection.name.value not in ("nodes", "edges"):
            continue
        target = get_named_type(connection.fields[selection.name.value].type)
        here = [*path, selection.name.value]
        if selection.name.value == "nodes":
            best = max(best, 1 + _selection_cost(walk, selection.selection_set, target, here))
            continue
        for edge_field in selection.selection_set.selections if selection.selection_set else []:
            if isinstance(edge_field, FieldNode) and edge_field.name.value == "node":
                node_type = get_named_type(target.fields["node"].type)
                best = max(
                    best, 1 + _selection_cost(walk, edge_field.selection_set, node_type, here)
                )
    return best


def actual_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    data: dict[str, Any] | None,
) -> int:
    """The cost of what was actually returned."""
    operation = _operation(document, operation_name)
    if operation is None or data is None:
        return 0
    if operation.operation == OperationType.MUTATION:
        return requested_cost(schema, document, operation_name, None)[0]
    walk = _Walk(schema, _fragments(document), {})
    root = schema.query_type
    return _actual(walk, operation.selection_set, root, data)


def _actual(walk: _Walk, selection_set: SelectionSetNode | None, parent: Any, data: Any) -> int:
    if selection_set is None or not isinstance(data, dict):
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _actual_field(walk, selection, parent, data)
        elif isinstance(selection, InlineFragmentNode | FragmentSpreadNode):
            if isinstance(selection, InlineFragmentNode):
                cond = (
                    selection.type_condition.name.value if selection.type_condition else parent.name
                )
                sub = selection.selection_set
            else:
                fragment = walk.fragments[selection.name.value]
                cond, sub = fragment.type_condition.name.value, fragment.selection_set
            target = walk.schema.get_type(cond)
            if isinstance(target, GraphQLObjectType) or target is parent:
                total += _actual(walk, sub, target, data)
    return total


def _actual_field(walk: _Walk, node: FieldNode, parent: Any, data: dict[str, Any]) -> int:
    name = node.name.value
    if name.startswith("__") or not hasattr(parent, "fields") or name not in parent.fields:
        return 0
    named = get_named_type(parent.fields[name].type)
    value = data.get((node.alias or node.name).value)
    if is_leaf_type(named) or value is None or named.name == "PageInfo":
        return 0
    if named.name.endswith("Connection"):
        return 2 + _actual(walk, node.selection_set, named, value)
    if isinstance(value, list):
        own = 0 if named.name.endswith("Edge") else 1
        return sum(own + _actual(walk, node.selection_set, named, item) for item in value)
    if named.name.endswith("Edge"):
        return _actual(walk, node.selection_set, named, value)
    return 1 + _actual(walk, node.selection_set, named, value)
