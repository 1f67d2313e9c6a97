"""Every field a typed Shopify reply reads is one its document selects, at the same path.

``test_shopify_documents.py`` validates each document against the sandbox's
schema and Shopify's (2025-01 introspection plus the documented 2026 deltas);
this module checks the models against those documents, field by field, so a
model cannot read what the document never asks for (it would fail on every
real reply). A reply that does not fit is a clear store error: a document's
in ``test_shopify_transport.py`` (over HTTP), a bulk line's here.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from graphql import FieldNode, InlineFragmentNode, OperationDefinitionNode, SelectionSetNode, parse
from pydantic import BaseModel

import tiktok_console.stores.shopify
from tiktok_console.stores.errors import UnexpectedReplyError
from tiktok_console.stores.shopify.documents import all_bulk_queries, all_documents
from tiktok_console.stores.shopify.replies import REPLIES, Reply
from tiktok_console.stores.shopify.replies.bulk_lines import (
    StockLevelLine,
    StockVariantLine,
    VariantSkuLine,
    parse_line,
)

DOCUMENTS = all_documents()

# A model registers itself when its module is imported: import every Shopify module, so the
# registry holds them all whichever tests ran before (the catalog's live apart, for one).
for _module in pkgutil.walk_packages(
    tiktok_console.stores.shopify.__path__, "tiktok_console.stores.shopify."
):
    importlib.import_module(_module.name)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models a field's type holds (through Optional, list, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    if origin is Annotated:
        return _models_in(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple, set, frozenset):
        return [m for arg in get_args(annotation) for m in _models_in(arg)]
    return []


def _selected(selection: SelectionSetNode) -> dict[str, SelectionSetNode | None]:
    """A selection set's response keys (alias or name) and their own selections."""
    fields: dict[str, SelectionSetNode | None] = {}
    for node in selection.selections:
        if isinstance(node, InlineFragmentNode):  # `... on BulkOperation {…}`: its fields count
            fields.update(_selected(node.selection_set))
            continue
        assert isinstance(node, FieldNode), "the checker reads fields and inline fragments only"
        key = (node.alias or node.name).value
        fields[key] = node.selection_set
    return fields


def misfits(model: type[BaseModel], selection: SelectionSetNode, path: str) -> list[str]:
    """Paths of the fields ``model`` reads that ``selection`` does not select."""
    found: list[str] = []
    selected = _selected(selection)
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key.startswith("__"):  # added by Shopify itself (a bulk line's __parentId)
            continue
        where = f"{path}.{key}"
        if key not in selected:
            found.append(where)
            continue
        inner = selected[key]
        for nested in _models_in(info.annotation):
            if inner is None:
                found.append(f"{where} (an object read from a leaf)")
            else:
                found.extend(misfits(nested, inner, where))
    return found


def _operation(text: str) -> OperationDefinitionNode:
    (operation,) = parse(text).definitions
    assert isinstance(operation, OperationDefinitionNode)
    return operation


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_field_the_model_reads_is_selected(name: str) -> None:
    model = REPLIES[name]
    assert misfits(model, _operation(DOCUMENTS[name]).selection_set, name) == []


VARIANT_NODE = ("productVariants", "edges", "node")
LEVEL_NODE = (*VARIANT_NODE, "inventoryItem", "inventoryLevels", "edges", "node")

# Each kind of bulk line, with the query and the node of it that the line is.
BULK_LINES = {
    "VariantSkuLine": (VariantSkuLine, "VariantSkus", VARIANT_NODE),
    "StockVariantLine": (StockVariantLine, "VariantStock", VARIANT_NODE),
    "StockLevelLine": (StockLevelLine, "VariantStock", LEVEL_NODE),
}


def _node(selection: SelectionSetNode, path: tuple[str, ...]) -> SelectionSetNode:
    for key in path:
        inner = _selected(selection)[key]
        assert inner is not None, f"{key} selects nothing below it"
        selection = inner
    return selection


@pytest.mark.parametrize("line", sorted(BULK_LINES))
def test_every_field_a_bulk_line_reads_is_selected(line: str) -> None:
    model, query, path = BULK_LINES[line]
    node = _node(_operation(all_bulk_queries()[query]).selection_set, path)
    assert misfits(model, node, f"bulk/{query}") == []


def test_every_document_has_exactly_one_model() -> None:
    assert set(REPLIES) == set(DOCUMENTS)


class _ShopWithPlanName(Reply):
    """A model reading a field its document does not select (``shop.planName``)."""

    document = "_ShopWithPlanName"
    shop: _ShopPlan


class _ShopPlan(BaseModel):
    plan_name: str


_ShopWithPlanName.model_rebuild()


def test_the_checker_finds_a_field_the_document_does_not_select() -> None:
    shop = _operation(DOCUMENTS["Shop"]).selection_set
    assert misfits(_ShopWithPlanName, shop, "Shop") == ["Shop.shop.plan_name"]


def test_a_bulk_line_that_does_not_fit_is_a_clear_store_error() -> None:
    line = {
        "location": {"id": "gid://shopify/Location/1"},
        "quantities": [{"name": "available", "quantity": "many"}],
        "__parentId": "gid://shopify/ProductVariant/1",
    }
    with pytest.raises(UnexpectedReplyError) as caught:
        parse_line(StockLevelLine, line, "VariantStock")
    error = caught.value
    assert error.store == "shopify" and not error.retryable
    assert error.message.startswith("Shopify answered a bulk read in a form")
    assert error.detail.startswith("bulk/VariantStock: quantities.0.quantity:")
