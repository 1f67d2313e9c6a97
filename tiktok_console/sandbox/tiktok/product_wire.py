"""Products as TikTok sends them: search entries and full product details.

Field names follow ``tiktok-endpoints.md`` and TikTok's own samples. Fields
the sandbox has no real data for (video, size chart, manufacturer) carry
fixed placeholder values of the right shape, so a client's parser meets
every field it will meet in production.
"""

from __future__ import annotations

import zlib
from typing import Any

from tiktok_console.sandbox.tiktok import categories
from tiktok_console.sandbox.tiktok.products import Product, Sku
from tiktok_console.sandbox.tiktok.wire import money

IMAGE_HOST = "https://p16-oec-va.ibyteimg.com"
_URI_PREFIX = "tos-maliva-i-o3syd03w52-us/"


def image(uri_key: str, size: int = 600) -> dict[str, Any]:
    """An uploaded-image object (``uri``, ``urls``, ``thumb_urls``, size)."""
    uri = _URI_PREFIX + uri_key
    return {
        "height": size,
        "width": size,
        "uri": uri,
        "urls": [f"{IMAGE_HOST}/{uri}~tplv-origin-jpeg.jpeg"],
        "thumb_urls": [f"{IMAGE_HOST}/{uri}~tplv-resize-jpeg:300:300.jpeg"],
    }


def price(sku: Sku, currency: str) -> dict[str, str]:
    """A SKU price; US prices are shown tax-exclusive (sale == tax exclusive)."""
    sale = money(sku.price)
    return {
        "currency": currency,
        "sale_price": sale,
        "tax_exclusive_price": sale,
        "unit_price": sale,
    }


def inventory(sku: Sku) -> list[dict[str, Any]]:
    """Quantity per warehouse."""
    return [{"quantity": q, "warehouse_id": w} for w, q in sku.inventory.items()]


def search_entry(product: Product, currency: str, region: str) -> dict[str, Any]:
    """One ``data.products[]`` entry of Search Products."""
    return {
        "id": product.id,
        "title": product.title,
        "status": product.status,
        "create_time": product.create_time,
        "update_time": product.update_time,
        "sales_regions": [region],
        "is_not_for_sale": False,
        "listing_quality_tier": _quality(product),
        "integrated_platform_statuses": [{"platform": "TIKTOK_SHOP", "status": product.status}],
        "product_sync_fail_reasons": list(product.audit_failed_reasons),
        "recommended_categories": [{"id": product.category[0], "local_name": product.category[1]}],
        "audit": {"status": audit_status(product)},
        "skus": [
            {
                "id": s.id,
                "seller_sku": s.seller_sku,
                "price": price(s, currency),
                "inventory": inventory(s),
            }
            for s in product.skus
        ],
    }


def detail(product: Product, currency: str, shop_id: str, option_ids: list[str]) -> dict[str, Any]:
    """The ``data`` of Get Product."""
    weight = product.weight_grams
    return {
        "id": product.id,
        "title": product.title,
        "description": product.description,
        "status": product.status,
        "create_time": product.create_time,
        "update_time": product.update_time,
        "is_cod_allowed": False,
        "is_not_for_sale": False,
        "product_types": "SINGLE_PRODUCT",
        "external_product_id": "",
        "audit": {
            "status": audit_status(product),
            "not_submitted_reasons": _not_submitted(product),
        },
        "audit_failed_reasons": [
            {
                "listing_platform": "TIKTOK_SHOP",
                "position": "product",
                "reasons": [reason],
                "suggestions": ["Fix the listing and resubmit it for review."],
            }
            for reason in product.audit_failed_reasons
        ],
        "brand": {"id": "7082427311584347905", "name": "Harbor & Pine"},
        "category_chains": [
            {
                "id": product.category[0],
                "is_leaf": True,
                "local_name": product.category[1],
                "parent_id": categories.get(product.category[0]).parent_id,
            }
        ],
        "recommended_categories": [{"id": product.category[0], "local_name": product.category[1]}],
        "certifications": [
            {
                "id": "602362",
                "title": "Product safety statement",
                "files": [
                    {
                        "format": "PDF",
                        "id": "v09ea0g40000cert",
                        "name": "SAFETY.PDF",
                        "urls": [f"{IMAGE_HOST}/cert.pdf"],
                    }
                ],
                "images": [image("cert")],
            }
        ],
        "delivery_options": [{"id": i, "is_available": True, "name": ""} for i in option_ids],
        "main_images": [_main_image(product, name) for name in product.images]
        or [image(product.id)],
        "manufacturer": {
            "address": "1200 Harbor Way, Columbus, OH 43215",
            "name": "Harbor & Pine",
            "email": "ops@harborandpine.example",
            "phone_number": "16145550120",
        },
        "package_dimensions": {"height": "4", "length": "10", "unit": "INCH", "width": "8"},
        "package_weight": {"unit": "POUND", "value": f"{weight / 453.59237:.2f}" if weight else ""},
        "product_attributes": _attributes(product),
        "size_chart": {"image": image("size-chart"), "template": {"id": ""}},
        "video": {
            "id": "",
            "cover_url": "",
            "format": "MP4",
            "height": 0,
            "width": 0,
            "size": 0,
            "url": "",
        },
        "skus": [_sku_detail(s, currency, product.id, shop_id) for s in product.skus],
    }


def _sku_detail(sku: Sku, currency: str, product_id: str, shop_id: str) -> dict[str, Any]:
    return {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "external_sku_id": "",
        "price": price(sku, currency),
        "list_price": {"amount": money(sku.list_price), "currency": currency}
        if sku.list_price
        else None,
        "inventory": inventory(sku),
        "identifier_code": {"code": sku.barcode or "", "type": "UPC" if sku.barcode else ""},
        "sku_unit_count": "1.00",
        "combined_skus": [],
        "global_listing_policy": {
            "inventory_type": "EXCLUSIVE",
            "price_sync": False,
            "replicate_source": {"product_id": product_id, "shop_id": shop_id, "sku_id": sku.id},
        },
        "sales_attributes": [
            {
                "id": f"10000{n}",
                "name": name,
                "value_id": _value_id(name, value),
                "value_name": value,
                "sku_img": image(f"{sku.id}-{n}", 100),
            }
            for n, (name, value) in enumerate(sku.attributes)
        ],
    }


def audit_status(product: Product) -> str:
    """Get Product's ``audit.status``: a live product whose edit failed review shows FAILED."""
    if product.status == "PENDING":
        return "AUDITING"
    return "FAILED" if product.status == "FAILED" or product.audit_failed_reasons else "APPROVED"


def _main_image(product: Product, name: str) -> dict[str, Any]:
    """A listing's main image: a TikTok uri uploaded through the API, or a catalog file."""
    if name.startswith(_URI_PREFIX):
        width, height = product.image_sizes.get(name, (600, 600))
        uri = name
        return {
            "height": height,
            "width": width,
            "uri": uri,
            "urls": [f"{IMAGE_HOST}/{uri}~tplv-origin-jpeg.jpeg"],
            "thumb_urls": [f"{IMAGE_HOST}/{uri}~tplv-resize-jpeg:300:300.jpeg"],
        }
    return image(name.rsplit(".", 1)[0])


def _not_submitted(product: Product) -> list[str]:
    """Why a draft was never sent to review (Get Product 202309, current spec §4.2)."""
    if product.status != "DRAFT":
        return []
    if not product.weight_grams:
        return ["The package weight is missing. Add it to submit the product for review."]
    return ["The product was saved as a draft."]


def _attributes(product: Product) -> list[dict[str, Any]]:
    if not product.attributes:  # listings made before the sandbox kept attributes
        return [
            {"id": "100392", "name": "Occasion", "values": [{"id": "1001533", "name": "Everyday"}]}
        ]
    names = {a.id: a.name for c in categories.CATEGORIES for a in c.attributes}
    return [
        {
            "id": str(a.get("id", "")),
            "name": names.get(str(a.get("id", "")), ""),
            "values": [
                {"id": str(v.get("id") or ""), "name": str(v.get("name") or "")}
                for v in a.get("values") or []
            ],
        }
        for a in product.attributes
    ]


def _quality(product: Product) -> str:
    if product.audit_failed_reasons or not product.weight_grams:
        return "POOR"
    return "GOOD" if len(product.images) > 1 else "FAIR"


def _value_id(name: str, value: str) -> str:
    """A stable id per attribute value (TikTok ids are stable per value)."""
    return f"7{zlib.crc32(f'{name}:{value}'.encode()):018d}"
