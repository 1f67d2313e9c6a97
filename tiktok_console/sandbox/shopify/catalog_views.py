"""GraphQL views of the shop, locations, products, variants and inventory.

A view is a dict: scalars are computed at once, related objects and connections
are callables ``(info, **args)`` that graphql-core's default resolver calls only
when a query selects them.
"""

from __future__ import annotations

from typing import Any

from .connections import connection
from .context import Info, RequestContext
from .ids import gid, level_gid
from .money import iso, money_str
from .records import QUANTITY_NAMES, ImageRec, LevelRec, LocationRec, ProductRec, VariantRec

View = dict[str, Any]

_PLAN_NAMES = {
    "standard": "Shopify",
    "advanced": "Advanced",
    "plus": "Shopify Plus",
    "enterprise": "Commerce Components",
}


def shop_view(c: RequestContext) -> View:
    store = c.store
    name = store.shop_domain.split(".")[0]
    return {
        "__typename": "Shop",
        "id": gid("Shop", 60_000_000_000 + store.seed),
        "name": store.shop_name,
        "myshopifyDomain": store.shop_domain,
        "email": f"owner@{name}.example",
        "currencyCode": store.currency,
        "ianaTimezone": "America/New_York",
        "weightUnit": "GRAMS",
        "createdAt": iso(store.created_at),
        "updatedAt": iso(store.created_at),
        "billingAddress": {
            "id": gid("ShopAddress", 70_000_000_000 + store.seed),
            "countryCodeV2": store.country,
            "country": "United States" if store.country == "US" else store.country,
            "city": "Columbus",
            "provinceCode": "OH",
            "zip": "43215",
            "address1": "150 E Gay St",
        },
        "plan": {
            "displayName": "Development" if store.dev_store else _PLAN_NAMES[store.plan],
            "partnerDevelopment": store.dev_store,
            "shopifyPlus": store.plan in ("plus", "enterprise"),
        },
    }


def location_view(c: RequestContext, location: LocationRec) -> View:
    store = c.store

    def levels(info: Info, **args: Any) -> View:
        found = sorted(
            (lv for (_, loc), lv in store.levels.items() if loc == location.id),
            key=lambda lv: lv.item_id,
        )
        return connection(
            found, args, lambda lv: lv.item_id, lambda lv: level_view(c, lv), paged=not c.bulk
        )

    def one_level(info: Info, inventoryItemId: str) -> View | None:
        from .ids import parse_gid

        item_id = parse_gid(inventoryItemId, "InventoryItem")
        level = store.level(item_id, location.id) if item_id is not None else None
        return level_view(c, level) if level else None

    return {
        "__typename": "Location",
        "id": gid("Location", location.id),
        "legacyResourceId": str(location.id),
        "name": location.name,
        "isActive": location.is_active,
        "isPrimary": location.fulfills_online_orders and location == store.online_location(),
        "fulfillsOnlineOrders": location.fulfills_online_orders,
        "address": {
            "address1": "1 Main St",
            "city": location.city,
            "provinceCode": "OH" if location.city == "Columbus" else "OR",
            "zip": "43215" if location.city == "Columbus" else "97205",
            "countryCode": store.country,
        },
        "createdAt": iso(location.created_at),
        "updatedAt": iso(location.created_at),
        "inventoryLevels": levels,
        "inventoryLevel": one_level,
    }


def image_view(c: RequestContext, image: ImageRec) -> View:
    return {
        "__typename": "Image",
        "id": gid("ProductImage", image.id),
        "url": lambda info, **args: f"{c.base_url}/images/{image.name}",
        "altText": image.alt,
        "width": image.width,
        "height": image.height,
    }


def product_view(c: RequestContext, product: ProductRec) -> View:
    store = c.store
    variants = [store.variants[v] for v in product.variant_ids]

    def images(info: Info, **args: Any) -> View:
        return connection(
            product.images, args, lambda i: i.id, lambda i: image_view(c, i), paged=not c.bulk
        )

    def variant_connection(info: Info, **args: Any) -> View:
        return connection(
            variants, args, lambda v: v.id, lambda v: variant_view(c, v), paged=not c.bulk
        )

    total = sum(
        lv.quantity("available") for v in variants for lv in store.item_levels(v.inventory_item_id)
    )
    return {
        "__typename": "Product",
        "id": gid("Product", product.id),
        "legacyResourceId": str(product.id),
        "title": product.title,
        "handle": product.handle,
        "status": product.status,
        "descriptionHtml": product.description_html,
        "vendor": product.vendor,
        "productType": product.product_type,
        "tags": sorted(product.tags),
        "createdAt": iso(product.created_at),
        "updatedAt": iso(product.updated_at),
        "featuredImage": image_view(c, product.images[0]) if product.images else None,
        "images": images,
        "variants": variant_connection,
        "totalInventory": total,
        "tracksInventory": True,
        "hasOnlyDefaultVariant": len(variants) == 1 and variants[0].title == "Default Title",
    }


def variant_view(c: RequestContext, variant: VariantRec) -> View:
    store = c.store
    product = store.products[variant.product_id]
    available = sum(lv.quantity("available") for lv in store.item_levels(variant.inventory_item_id))
    return {
        "__typename": "ProductVariant",
        "id": gid("ProductVariant", variant.id),
        "legacyResourceId": str(variant.id),
        "sku": variant.sku,
        "barcode": variant.barcode,
        "price": money_str(variant.price),
        "compareAtPrice": money_str(variant.compare_at_price) if variant.compare_at_price else None,
        "title": variant.title,
        "displayName": f"{product.title} - {variant.title}",
        "position": variant.position,
        "selectedOptions": [{"name": n, "value": v} for n, v in variant.options],
        "inventoryPolicy": variant.inventory_policy,
        "inventoryQuantity": available,
        "availableForSale": product.status == "ACTIVE"
        and (available > 0 or variant.inventory_policy == "CONTINUE"),
        "taxable": True,
        "createdAt": iso(variant.created_at),
        "updatedAt": iso(variant.updated_at),
        "inventoryItem": lambda info, **a: item_view(c, variant.inventory_item_id),
        "product": lambda info, **a: product_view(c, product),
    }


def item_view(c: RequestContext, item_id: int) -> View:
    store = c.store
    item = store.items[item_id]
    variant = store.variants[item.variant_id]

    def levels(info: Info, **args: Any) -> View:
        found = store.item_levels(item_id)
        return connection(
            found, args, lambda lv: lv.location_id, lambda lv: level_view(c, lv), paged=not c.bulk
        )

    def one_level(info: Info, locationId: str) -> View | None:
        from .ids import parse_gid

        location_id = parse_gid(locationId, "Location")
        level = store.level(item_id, location_id) if location_id is not None else None
        return level_view(c, level) if level else None

    # A missing weight reads as 0, as on a real store.
    weight = float(item.weight_value or 0)
    return {
        "__typename": "InventoryItem",
        "id": gid("InventoryItem", item.id),
        "legacyResourceId": str(item.id),
        "sku": variant.sku,
        "tracked": item.tracked,
        "requiresShipping": True,
        "measurement": {
            "id": gid("InventoryItemMeasurement", item.id),
            "weight": {"unit": item.weight_unit, "value": weight},
        },
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "inventoryLevels": levels,
        "inventoryLevel": one_level,
        "variant": lambda info, **a: variant_view(c, variant),
    }


def level_view(c: RequestContext, level: LevelRec) -> View:
    store = c.store
    level_id = level_gid(level.location_id, level.item_id)

    def quantities(info: Info, names: list[str]) -> list[View]:
        from graphql import GraphQLError

        unknown = [n for n in names if n not in QUANTITY_NAMES]
        if unknown:
            raise GraphQLError(f"Invalid quantity name(s): {', '.join(unknown)}")
        return [
            {
                "id": f"gid://shopify/InventoryQuantity/{level.location_id}"
                f"?inventory_item_id={level.item_id}&name={name}",
                "name": name,
                "quantity": level.quantity(name),
                "updatedAt": iso(level.updated_at),
            }
            for name in names
        ]

    return {
        "__typename": "InventoryLevel",
        "id": level_id,
        "createdAt": iso(level.created_at),
        "updatedAt": iso(level.updated_at),
        "quantities": quantities,
        "item": lambda info, **a: item_view(c, level.item_id),
        "location": lambda info, **a: location_view(c, store.locations[level.location_id]),
    }
