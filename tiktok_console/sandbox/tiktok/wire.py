"""Small helpers for TikTok's wire format: ids, money strings, page tokens, masking.

TikTok sends money as strings, times as Unix seconds and ids as 19-digit
decimal strings; page tokens are opaque. Keeping these in one place keeps
every endpoint consistent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from tiktok_console.sandbox.tiktok.errors import ApiError

T = TypeVar("T")
CENT = Decimal("0.01")


def new_id(rng: random.Random, prefix: str = "7") -> str:
    """A 19-digit id string like TikTok's (``7117858858072016686``)."""
    return prefix + "".join(str(rng.randrange(10)) for _ in range(19 - len(prefix)))


def money(value: Decimal) -> str:
    """Decimal -> TikTok money string with two decimals (``"12.50"``)."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def cents(value: Decimal) -> Decimal:
    """Round to cents, half up, as money is settled."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def encode_page_token(offset: int, fingerprint: str) -> str:
    """An opaque token: base64 of the next offset and a hash of the query."""
    raw = json.dumps({"o": offset, "f": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_page_token(token: str, fingerprint: str) -> int:
    """The offset in ``token``; rejects tokens from another query or garbage.

    Assumption: a token replayed with different filters is refused with the
    invalid-parameter code rather than silently restarting.
    """
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = int(data["o"])
        same = data["f"] == fingerprint
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiError(36009004, "The page_token is invalid.") from None
    if not same or offset < 0:
        raise ApiError(36009004, "The page_token does not match this query.")
    return offset


def fingerprint(*parts: object) -> str:
    """A stable short hash of a query's filters, bound into its page tokens."""
    digest = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(digest).hexdigest()[:12]


def page(
    items: Sequence[T], page_size: int, page_token: str | None, print_: str
) -> tuple[list[T], str]:
    """Slice one page; returns (items, next_page_token or "")."""
    offset = decode_page_token(page_token, print_) if page_token else 0
    chunk = list(items[offset : offset + page_size])
    nxt = offset + page_size
    return chunk, (encode_page_token(nxt, print_) if nxt < len(items) else "")


def mask_name(name: str) -> str:
    """``Jane Doe`` -> ``J*** D***``, as TikTok masks buyer names."""
    return " ".join(part[:1] + "***" for part in name.split())


def mask_phone(digits: str) -> str:
    """``2135550191`` -> ``(+1)213*****91``."""
    return f"(+1){digits[:3]}*****{digits[-2:]}"
