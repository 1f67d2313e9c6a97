"""TikTok's response envelope ``{code, message, request_id, data}``."""

from __future__ import annotations

import itertools
import time
from typing import Any

_counter = itertools.count(1)


def request_id() -> str:
    """An id shaped like TikTok's: UTC timestamp digits plus 18 hex digits."""
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
    return f"{stamp}{next(_counter):018X}"


def envelope(data: Any) -> dict[str, Any]:
    """A success envelope around ``data``."""
    return {"code": 0, "message": "Success", "request_id": request_id(), "data": data}


def error_body(code: int, message: str, data: Any = None) -> dict[str, Any]:
    """An error envelope; ``data`` is null unless the error carries details."""
    return {"code": code, "message": message, "request_id": request_id(), "data": data}
