"""The product images the sandbox serves at ``/images/{name}``.

Product images must be fetchable (the app copies them to TikTok) and must be
the size the Admin API says they are, since TikTok refuses main images under
300 px. Each name gets a solid-colour PNG of the catalog's size for it, its
colour derived from the name, so the same name always gives the same bytes.

A first push fetches thousands of them, each a different colour: compressing
a whole 1,000 px image cost the sandbox ~4 ms of CPU per image. A solid colour
needs only its first row written out: every later row uses PNG's "Up" filter
(each byte minus the one above), so is all zeros. Those zero rows compress to
the same bytes whatever the colour, so they are compressed once per size and
joined after the first row's (flushed to a byte boundary, as zlib allows);
the stream's Adler-32 is computed for the zeros without reading them.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache

from ..catalog import image_size

_ADLER = 65521  # Adler-32's modulus
_NONE, _UP = 0, 2  # PNG filter types
_LEVEL = 1
_ZLIB_HEADER = bytes([0x78, 0x01])  # deflate, 32 KB window, fastest (level 1)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@lru_cache(maxsize=64)
def png_for(name: str) -> bytes:
    """An RGB PNG of the catalog's size for ``name``, its colour depending only on ``name``."""
    width, height = image_size(name)
    red, green, blue = hashlib.sha256(name.encode()).digest()[:3]
    first = bytes([_NONE]) + bytes([red, green, blue]) * width
    head = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    # A full flush ends the first row's deflate blocks on a byte boundary without a
    # final block, so the cached blocks of the zero rows can follow it.
    start = head.compress(first) + head.flush(zlib.Z_FULL_FLUSH)
    adler = _adler_after_up_rows(zlib.adler32(first), width * 3, height - 1)
    idat = _ZLIB_HEADER + start + _up_rows(width, height - 1) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


@lru_cache(maxsize=16)
def _up_rows(width: int, rows: int) -> bytes:
    """Raw deflate (final block included) of ``rows`` rows that repeat the row above."""
    tail = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    return tail.compress((bytes([_UP]) + bytes(width * 3)) * rows) + tail.flush()


def _adler_after_up_rows(adler: int, row_bytes: int, rows: int) -> int:
    """Adler-32 ``adler`` continued over ``rows`` rows of the Up filter byte and zeros.

    Adler-32 keeps a = 1 + sum of bytes and b = sum of the successive a's. Row i
    (1-based) adds the byte 2, so a becomes a0 + 2i, then ``row_bytes`` zeros
    that each add a again: b grows by (1 + row_bytes)(a0 + 2i). Summed over the
    rows: (1 + row_bytes)(rows * a0 + rows(rows + 1)).
    """
    a, b = adler & 0xFFFF, adler >> 16
    b = (b + (1 + row_bytes) * (rows * a + rows * (rows + 1))) % _ADLER
    a = (a + _UP * rows) % _ADLER
    return (b << 16) | a
