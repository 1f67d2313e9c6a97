"""Errors the sandbox answers with, in TikTok's envelope.

Handlers raise ``ApiError``; the app turns it into ``{code, message,
request_id, data}`` with the HTTP status TikTok uses for that code.
"""

from __future__ import annotations

from typing import Any

# Common gateway codes (README A4, official common-errors page).
TOO_MANY_REQUESTS = 36009002
INTERNAL = 36009003
AUTH_PARAMS = 36009004  # missing sign, bad token, bad app_key, timestamp window, stray cipher
INVALID_PATH = 36009009
INVALID_METHOD = 36009010
INVALID_VERSION = 36009014
INVALID_SIGN = 106001
MISSING_CIPHER = 106013
EXPIRED_TOKEN = 105002
TOKEN_SHOP_MISMATCH = 101000


class ApiError(Exception):
    """A request the sandbox refuses; becomes an error envelope.

    Args:
        code: TikTok's numeric error code.
        message: the message text.
        http_status: HTTP status; TikTok documents 401 for a bad sign and 429
            for rate limits. Assumption: everything else comes back as HTTP 200
            with the code in the body (README part D, point 4).
        data: optional ``data`` (partial-success errors carry details there).
    """

    def __init__(self, code: int, message: str, http_status: int = 200, data: Any = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status
        self.data = data


def invalid_params(message: str, code: int = 36009004) -> ApiError:
    """A malformed query or body on a gateway-level check."""
    return ApiError(code, message)
