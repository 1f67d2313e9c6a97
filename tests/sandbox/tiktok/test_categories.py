"""Categories as a listing client meets them: the tree, rules, attributes, recommendations."""

from __future__ import annotations

import pytest

from .conftest import World

CATEGORIES = "/product/202309/categories"


def test_the_tree_has_roots_and_available_leaves(world: World) -> None:
    tree = world.ok("GET", CATEGORIES)["categories"]
    ids = {c["id"] for c in tree}
    leaves = [c for c in tree if c["is_leaf"]]
    assert leaves and len(leaves) < len(tree)
    assert all(c["parent_id"] in ids for c in leaves)
    assert all(c["permission_statuses"] == ["AVAILABLE"] for c in tree)
    found = world.ok("GET", CATEGORIES, query={"keyword": "skin"})["categories"]
    assert [c["local_name"] for c in found] == ["Skincare"]


def test_rules_need_a_leaf_category(world: World) -> None:
    tree = world.ok("GET", CATEGORIES)["categories"]
    leaf = next(c for c in tree if c["is_leaf"])
    root = next(c for c in tree if not c["is_leaf"])
    rules = world.ok("GET", f"{CATEGORIES}/{leaf['id']}/rules")
    assert rules["package_dimension"] == {"is_required": False}
    assert rules["seller_sku"] == {"is_required": False}
    assert set(rules["size_chart"]) >= {"is_supported", "is_required"}
    assert world.call("GET", f"{CATEGORIES}/{root['id']}/rules").json()["code"] == 12052024
    assert world.call("GET", f"{CATEGORIES}/999999/attributes").json()["code"] == 12052023


def _required(world: World, category_id: str) -> set[str]:
    attributes = world.ok("GET", f"{CATEGORIES}/{category_id}/attributes")["attributes"]
    return {a["name"] for a in attributes if a["is_requried"]}


def test_one_category_needs_what_only_the_merchant_knows(world: World) -> None:
    """Every leaf requires a Manufacturer (the Shopify vendor); Skincare also Ingredients."""
    leaves = [c for c in world.ok("GET", CATEGORIES)["categories"] if c["is_leaf"]]
    required = {c["local_name"]: _required(world, c["id"]) for c in leaves}
    assert required.pop("Skincare") == {"Manufacturer", "Ingredients"}
    assert set(map(frozenset, required.values())) == {frozenset({"Manufacturer"})}
    tops = next(c for c in leaves if c["local_name"] == "Women's Tops")
    attributes = world.ok("GET", f"{CATEGORIES}/{tops['id']}/attributes")["attributes"]
    sales = {a["name"] for a in attributes if a["type"] == "SALES_PROPERTY"}
    assert {"Color", "Size"} <= sales  # the Shopify options fill these


@pytest.mark.parametrize(
    ("title", "product_type", "leaf"),
    [
        ("Wireless Earbuds", "Electronics", "Headphones & Earbuds"),
        ("Scented Soy Candle", "Home", "Home Fragrance"),
        ("Glow Drops", "Beauty", "Skincare"),  # no title word: the Shopify product type decides
        ("Mystery Thing", "", "Bags"),
    ],
)
def test_recommend_category_reads_title_then_product_type(
    world: World, title: str, product_type: str, leaf: str
) -> None:
    data = world.ok(
        "POST",
        f"{CATEGORIES}/recommend",
        body={"product_title": title, "origin_platform_product_type": product_type},
    )
    chain = data["categories"]
    assert chain[-1]["name"] == leaf and chain[-1]["is_leaf"]
    assert data["leaf_category_id"] == chain[-1]["id"]
    assert [c["level"] for c in chain] == [1, 2]
    empty = world.call("POST", f"{CATEGORIES}/recommend", body={"product_title": ""})
    assert empty.json()["code"] == 12052910
