"""TikTok Shop request signing (API version 202309 and later).

The algorithm, exactly as TikTok documents it: take every query parameter but
``sign`` and ``access_token``, sort by key, concatenate ``key + value``, put
the request path in front and the exact body bytes behind (unless the body is
multipart), wrap the whole in the app secret on both sides, and take the
lowercase hex HMAC-SHA256 keyed with the app secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

_UNSIGNED = frozenset({"sign", "access_token"})


def sign(app_secret: str, path: str, query: Mapping[str, str], body: bytes | str = b"") -> str:
    """The ``sign`` query parameter for a request.

    Args:
        app_secret: the app's secret from Partner Center.
        path: the request path, without host or query (``/order/202309/orders/search``).
        query: the query parameters as sent (URL-decoded values).
        body: the exact body bytes sent; empty for GET and for multipart uploads.
    """
    payload = body.encode() if isinstance(body, str) else bytes(body)
    parts = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in _UNSIGNED)
    secret = app_secret.encode()
    message = secret + path.encode() + parts.encode() + payload + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signature_valid(
    app_secret: str, path: str, query: Mapping[str, str], body: bytes | str, signature: str
) -> bool:
    """Whether ``signature`` is right for the request (constant-time compare)."""
    return hmac.compare_digest(sign(app_secret, path, query, body), signature.lower())
