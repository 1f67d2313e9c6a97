"""What a listing client sends: uploads, a Create Product body, the shop's warehouse.

Written from the API docs, independent of the sandbox's own code.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from .conftest import APP_KEY, APP_SECRET, WALL, World, tts_sign

UPLOAD = "/product/202309/images/upload"
CREATE = "/product/202309/products"
MANUFACTURER = "100198"  # Get Attributes: the Manufacturer attribute every leaf requires
TOPS = "601152"  # a leaf category (Women's Tops)


def png(width: int, height: int) -> bytes:
    """A PNG of that size (header only: enough for TikTok to read its size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    """A JPEG whose start-of-frame says ``width`` x ``height``."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


def upload(world: World, data: bytes, use_case: str = "MAIN_IMAGE") -> dict[str, Any]:
    """Upload Product Image (multipart bodies are not signed); the whole envelope."""
    query = {"app_key": APP_KEY, "timestamp": str(WALL)}
    query["sign"] = tts_sign(APP_SECRET, UPLOAD, query)
    response = world.http.post(
        world.api_url + UPLOAD,
        params=query,
        headers={"x-tts-access-token": world.token},
        files={"data": ("image", data, "application/octet-stream")},
        data={"use_case": use_case},
    )
    body: dict[str, Any] = response.json()
    return body


def uploaded_uri(world: World) -> str:
    """A main image TikTok accepted."""
    body = upload(world, png(800, 800))
    assert body["code"] == 0, body
    return str(body["data"]["uri"])


def warehouse(world: World) -> str:
    """The shop's default sales warehouse."""
    found = world.ok("GET", "/logistics/202309/warehouses")["warehouses"]
    return str(next(w["id"] for w in found if w["is_default"]))


def product_body(world: World, seller_sku: str, **overrides: Any) -> dict[str, Any]:
    """A Create Product body that passes every rule, with ``overrides`` on top."""
    body: dict[str, Any] = {
        "title": "Organic Cotton Crew Tee",
        "description": "<p>Soft organic cotton.</p>",
        "category_id": TOPS,
        "category_version": "v2",  # US shops must name the 7-level tree
        "product_attributes": [{"id": MANUFACTURER, "values": [{"name": "Harbor & Pine"}]}],
        "main_images": [{"uri": uploaded_uri(world)}],
        "package_weight": {"value": "0.4", "unit": "POUND"},
        "skus": [
            {
                "seller_sku": seller_sku,
                "price": {"amount": "24.00", "currency": "USD"},
                "sales_attributes": [{"name": "Color", "value_name": "Sage"}],
                "inventory": [{"warehouse_id": warehouse(world), "quantity": 5}],
            }
        ],
    }
    return body | overrides


def create(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """Create Product; the whole envelope."""
    envelope: dict[str, Any] = world.call("POST", CREATE, body=body).json()
    return envelope


def status(world: World, product_id: str) -> str:
    """The product's status from Get Product."""
    return str(world.ok("GET", f"/product/202309/products/{product_id}")["status"])
