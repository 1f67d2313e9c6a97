"""The product images the sandbox serves at ``/images/{name}``.

Product images must be fetchable (the app copies them to TikTok) and must be
the size the Admin API says they are, since TikTok refuses main images under
300 px. Each name gets a solid-colour PNG of the catalog's size for it, its
colour derived from the name, so the same name always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache

from ..catalog import image_size


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@lru_cache(maxsize=64)
def png_for(name: str) -> bytes:
    """An RGB PNG of the catalog's size for ``name``, its colour depending only on ``name``."""
    width, height = image_size(name)
    red, green, blue = hashlib.sha256(name.encode()).digest()[:3]
    row = b"\x00" + bytes([red, green, blue]) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        # Level 1: a solid colour compresses well at any level, and level 6 cost the sandbox
        # ~20 ms of CPU per 1,000 px image (a first push fetches thousands).
        + _chunk(b"IDAT", zlib.compress(row * height, 1))
        + _chunk(b"IEND", b"")
    )
