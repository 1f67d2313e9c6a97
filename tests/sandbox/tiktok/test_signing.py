"""Request signing: the five README vectors, and tampering rejected over HTTP."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_console.sandbox.tiktok.signing import compute_sign, verify_sign

from .conftest import APP_KEY, APP_SECRET, WALL, World, tts_sign

BODY_3 = b'{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}'
BODY_4 = b'{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}'
Q2 = {
    "app_key": "68xu9ks5p4i8",
    "shop_cipher": "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK",
    "timestamp": "1696909648",
}
VECTORS = [
    (
        "e59af819cc",
        "/authorization/202309/shops",
        {"app_key": "29a39d", "timestamp": "1623812664"},
        b"",
        "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
    ),
    (
        "e59af819cc",
        "/event/202309/webhooks",
        Q2,
        b"",
        "ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37",
    ),
    (
        "e59af819cc",
        "/event/202309/webhooks",
        Q2,
        BODY_3,
        "701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7",
    ),
    (
        "e59af819cc",
        "/event/202309/webhooks",
        Q2,
        BODY_4,
        "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
    ),
    (
        "app_secret",
        "/test-api",
        {"foo": "bar"},
        b"",
        "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f",
    ),
]


@pytest.mark.parametrize(("secret", "path", "query", "body", "expected"), VECTORS)
def test_readme_vectors(
    secret: str, path: str, query: dict[str, str], body: bytes, expected: str
) -> None:
    assert compute_sign(secret, path, query, body) == expected
    assert tts_sign(secret, path, query, body) == expected
    assert verify_sign(secret, path, query, body, expected)
    assert not verify_sign(secret, path, query, body + b" ", expected)
    assert not verify_sign(secret + "x", path, query, body, expected)


def test_sign_and_access_token_are_not_signed() -> None:
    query = {"app_key": "a", "timestamp": "1"}
    base = compute_sign("s", "/p", query)
    assert compute_sign("s", "/p", {**query, "sign": "x", "access_token": "y"}) == base


def test_signed_request_is_accepted(world: World) -> None:
    data = world.ok("GET", "/authorization/202309/shops", cipher=False)
    assert data["shops"][0]["cipher"] == world.shop.cipher


_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=8)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    part=st.sampled_from(["path", "query", "extra", "body", "timestamp", "secret"]),
    key=_text,
    value=_text,
)
def test_tampering_is_rejected(world: World, part: str, key: str, value: str) -> None:
    """Sign one request, change one thing after signing: the sandbox refuses it."""
    path = "/order/202309/orders/search"
    raw = json.dumps({"order_status": "COMPLETED"}).encode()
    now = WALL
    query = {
        "app_key": APP_KEY,
        "timestamp": str(now),
        "shop_cipher": world.shop.cipher,
        "page_size": "5",
    }
    sign = tts_sign(APP_SECRET, path, query, raw)
    sent_path, sent_query, sent_raw = path, dict(query), raw
    if part == "path":
        sent_path = "/product/202309/products/search"
    elif part == "query":
        sent_query["page_size"] = "6"
    elif part == "extra":
        sent_query["x" + key] = value
    elif part == "body":
        sent_raw = json.dumps({"order_status": "COMPLETED", key: value}).encode()
    elif part == "timestamp":
        sent_query["timestamp"] = str(now - 1)
    else:
        sign = tts_sign(APP_SECRET + value, path, query, raw)
    response = world.call(
        "POST",
        sent_path,
        query=sent_query,
        sign=sign,
        raw=sent_raw,
        cipher=False,
        timestamp=int(sent_query["timestamp"]),
    )
    assert response.status_code == 401
    assert response.json()["code"] == 106001
    assert response.json()["data"] is None
