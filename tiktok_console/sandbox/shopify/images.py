"""Tiny PNG images the sandbox serves at ``/images/{name}``.

Product images must be fetchable (the app copies them to TikTok), but their
content does not matter: each name gets a small solid-colour PNG whose colour
is derived from the name, so the same name always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

SIZE = 16


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_for(name: str) -> bytes:
    """A 16x16 RGB PNG whose colour depends only on ``name``."""
    red, green, blue = hashlib.sha256(name.encode()).digest()[:3]
    row = b"\x00" + bytes([red, green, blue]) * SIZE
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * SIZE))
        + _chunk(b"IEND", b"")
    )
