"""TikTok request signing (v202309+), exactly as README A3 describes.

The sandbox verifies every API call with this; the app's client signs with
its own implementation, so a mismatch between the two shows up in tests.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

# Query keys never signed: the sign itself and the legacy access_token.
_UNSIGNED = frozenset({"sign", "access_token"})


def compute_sign(app_secret: str, path: str, query: Mapping[str, str], body: bytes = b"") -> str:
    """Lowercase hex HMAC-SHA256 of ``secret + path + sorted k/v + body + secret``.

    Args:
        app_secret: the app's secret (HMAC key and wrapper).
        path: the request path without host or query.
        query: query parameters as sent (URL-decoded).
        body: the exact body bytes; pass ``b""`` for GET and multipart uploads.
    """
    params = {k: v for k, v in query.items() if k not in _UNSIGNED}
    joined = "".join(f"{k}{params[k]}" for k in sorted(params))
    secret = app_secret.encode()
    message = secret + (path + joined).encode() + body + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify_sign(
    app_secret: str, path: str, query: Mapping[str, str], body: bytes, sign: str
) -> bool:
    """Constant-time check of ``sign`` against the expected signature."""
    expected = compute_sign(app_secret, path, query, body)
    return hmac.compare_digest(expected, sign)
