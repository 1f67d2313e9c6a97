"""Shopify's ``query:`` search syntax: the parser, and the filters the sync uses over HTTP.

The sync finds changed products with ``updated_at:>``, variants by ``sku:`` and
products by ``tag:``. Unknown fields match everything (Shopify ignores them
with a warning; the documentation here is silent, so that stays an assumption),
which is exactly why each known field is checked precisely: a renamed document
key would otherwise quietly return the whole catalog.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from tiktok_console.sandbox.shopify.search import (
    Term,
    matches,
    matches_any,
    parse_query,
    parse_search,
)

from .conftest import START, Sandbox, SandboxFactory
from .test_inventory import SET, first_stock, set_input
from .test_orders import create, main_variant, tiktok_order

VARIANT = {"sku": "HP-0001-BLA", "tag": ["home", "cozy"], "status": "active", "text": "Cozy Mug"}


def _iso(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).isoformat().replace("+00:00", "Z")


def test_parse_query_splits_fields_operators_quotes_and_negation() -> None:
    assert parse_query("sku:'HP 1' AND -tag:sale updated_at:>=2026-01-01T00:00:00Z mug") == [
        Term("sku", "", "HP 1", False),
        Term("tag", "", "sale", True),
        Term("updated_at", ">=", "2026-01-01T00:00:00Z", False),
        Term(None, "", "mug", False),
    ]


def test_known_fields_match_precisely() -> None:
    def hit(query: str) -> bool:
        return matches(VARIANT, parse_query(query))

    assert hit("sku:HP-0001-BLA") and hit("sku:hp-0001-bla") and hit("sku:HP-0001*")
    assert not hit("sku:HP-0001") and not hit("sku:HP-0001-BLA-2")
    assert hit("tag:cozy") and not hit("tag:coz") and not hit("-tag:home")
    assert hit("status:draft,active") and not hit("status:draft")
    assert hit("mug") and not hit("bottle")
    assert hit("vendor:anyone")  # unknown here: ignored, as Shopify does


def test_or_joins_conjunctions_and_binds_looser_than_and() -> None:
    assert parse_search("tag:a sku:b OR -tag:c AND mug") == [
        [Term("tag", "", "a", False), Term("sku", "", "b", False)],
        [Term("tag", "", "c", True), Term(None, "", "mug", False)],
    ]

    def hit(query: str) -> bool:
        return matches_any(VARIANT, parse_search(query))

    assert hit("tag:sale OR tag:cozy") and hit("tag:cozy OR tag:sale")
    assert not hit("tag:sale OR tag:new")
    assert hit("tag:sale sku:nope OR status:active mug")  # (sale AND nope) OR (active AND mug)
    assert not hit("tag:cozy sku:nope OR tag:sale")  # not cozy AND (nope OR sale)


def test_or_is_a_connective_only_in_capitals_and_unquoted() -> None:
    assert parse_search("tag:'a OR b'") == [[Term("tag", "", "a OR b", False)]]
    assert parse_search("mug or 'OR' -OR") == [
        [
            Term(None, "", "mug", False),
            Term(None, "", "or", False),
            Term(None, "", "OR", False),
            Term(None, "", "OR", True),
        ]
    ]
    assert parse_search("OR tag:cozy OR") == [[Term("tag", "", "cozy", False)]]
    assert parse_search("") == parse_search("OR") == [[]]  # no terms: everything


def test_times_compare_as_instants() -> None:
    doc = {"updated_at": float(START)}
    assert matches(doc, parse_query(f"updated_at:>{_iso(START - 1)}"))
    assert matches(doc, parse_query(f"updated_at:<='{_iso(START)}'"))
    assert not matches(doc, parse_query(f"updated_at:>{_iso(START)}"))
    assert not matches(doc, parse_query("updated_at:>yesterday-ish"))


def test_variants_by_sku_include_every_duplicate(make_sandbox: SandboxFactory) -> None:
    sandbox = make_sandbox(products=40)
    counts = Counter(v.sku for v in sandbox.store.variants.values() if v.sku)
    shared, times = counts.most_common(1)[0]
    assert times >= 2  # the catalog's duplicate-SKU flaw
    query = "query($q: String) { productVariants(first: 50, query: $q) { nodes { sku } } }"
    found = sandbox.data(query, {"q": f"sku:'{shared}'"})["productVariants"]["nodes"]
    assert [v["sku"] for v in found] == [shared] * times


def test_products_by_tag_are_only_the_tagged_ones(sandbox: Sandbox) -> None:
    tags = Counter(t for p in sandbox.store.products.values() for t in p.tags)
    tag, tagged = next((t, n) for t, n in tags.most_common() if n < len(sandbox.store.products))
    query = "query($q: String) { products(first: 50, query: $q) { nodes { tags } } }"
    found = sandbox.data(query, {"q": f"tag:{tag}"})["products"]["nodes"]
    assert len(found) == tagged and all(tag in p["tags"] for p in found)


CHANGED = """query($q: String) {
  products(first: 50, query: $q) { nodes { id } }
  productVariants(first: 50, query: $q) { nodes { id inventoryItem { id } } }
}"""


def test_updated_at_finds_only_what_changed_once_the_index_caught_up(sandbox: Sandbox) -> None:
    sandbox.tick(60)
    since = {"q": f"updated_at:>'{_iso(sandbox.clock.now() - 1)}'"}
    item, location, before = first_stock(sandbox)
    sandbox.data(
        SET % "", {"input": set_input(item, location, before + 1, changeFromQuantity=before)}
    )

    lagging = sandbox.data(CHANGED, since)
    assert lagging["products"]["nodes"] == lagging["productVariants"]["nodes"] == []
    sandbox.tick(5)
    changed = sandbox.data(CHANGED, since)
    assert len(changed["products"]["nodes"]) == 1
    (variant,) = changed["productVariants"]["nodes"]
    assert variant["inventoryItem"]["id"] == item


def test_orders_by_any_of_several_tags_in_one_search(sandbox: Sandbox) -> None:
    """The orders job's duplicate guard asks once for a page of TikTok orders."""
    variant, _, _ = main_variant(sandbox)
    made = {
        tiktok_id: create(sandbox, tiktok_order(variant, 1, tiktok_id))["order"]["id"]
        for tiktok_id in ("701", "702", "703")
    }
    sandbox.tick(5)  # past the search index's lag
    wanted = " OR ".join(f"tag:'TikTokOrderID:{i}'" for i in ("701", "703", "799"))
    query = "query($q: String) { orders(first: 50, query: $q) { nodes { id tags } } }"
    found = sandbox.data(query, {"q": wanted})["orders"]["nodes"]
    assert [n["id"] for n in found] == [made["701"], made["703"]]
    assert all("TikTokOrderID:702" not in n["tags"] for n in found)
