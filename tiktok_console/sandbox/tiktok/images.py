"""Upload Product Image: what TikTok takes, what it refuses, and what it remembers.

An upload returns a TikTok-hosted ``uri`` (and ``url``) that listings then refer
to; the sandbox remembers each uri's size so Create Product can check main images.
Limits: main images are at least 300x300 px (Create Product's ``main_images``
note in ``tiktok-endpoints.md``). Assumption: TikTok takes JPEG, PNG and WEBP
files of at most 5 MB and refuses the rest at upload with the codes Create
Product documents for the same faults (12052304 format, 12052302 size, 12052301
too small).
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.wire import new_id

IMAGE_HOST = "https://p16-oec-va.ibyteimg.com"
URI_PREFIX = "tos-maliva-i-o3syd03w52-us/"
MAX_BYTES = 5 * 1024 * 1024
MAIN_MIN_SIDE = 300
USE_CASES = (
    "MAIN_IMAGE",
    "ATTRIBUTE_IMAGE",
    "DESCRIPTION_IMAGE",
    "CERTIFICATION_IMAGE",
    "SIZE_CHART_IMAGE",
    "CUSTOMIZATION_IMAGE",
)


@dataclass(frozen=True)
class Uploaded:
    """An image TikTok holds."""

    uri: str
    width: int
    height: int
    use_case: str

    @property
    def url(self) -> str:
        """Where TikTok serves it."""
        return f"{IMAGE_HOST}/{self.uri}~tplv-o3syd03w52-origin-jpeg.jpeg"


class ImageBank:
    """Every image uploaded to the shop, by uri."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.images: dict[str, Uploaded] = {}

    def upload(self, data: bytes, use_case: str) -> Uploaded:
        """Take an upload or refuse it as TikTok does."""
        if use_case not in USE_CASES:
            raise ApiError(12052910, "Invalid input parameters: use_case")
        if not data:
            raise ApiError(12052910, "Invalid input parameters: data is empty")
        if len(data) > MAX_BYTES:
            raise ApiError(12052302, "The main images size exceed limit.")
        size = image_size(data)
        if size is None:
            raise ApiError(12052304, "Main product image format not support.")
        width, height = size
        image = Uploaded(URI_PREFIX + new_id(self._rng, "9").lower(), width, height, use_case)
        if use_case == "MAIN_IMAGE":
            main_image_problem(image)
        self.images[image.uri] = image
        return image

    def main_images(self, refs: list[dict[str, object]]) -> list[Uploaded]:
        """The uploaded main images ``refs`` name, checked as Create Product checks them."""
        found = []
        for ref in refs:
            image = self.images.get(str(ref.get("uri", "")))
            if image is None:
                raise ApiError(12052300, "product main image uri illegal")
            main_image_problem(image)
            found.append(image)
        return found


def main_image_problem(image: Uploaded) -> None:
    """Refuse a main image under TikTok's 300 px minimum."""
    if min(image.width, image.height) < MAIN_MIN_SIDE:
        raise ApiError(
            12052301,
            f"Width and length of main image must be at least {MAIN_MIN_SIDE}, "
            f"check uri {image.uri}",
        )


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG or WEBP file; None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:16] == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return width, height
        at += 2 + length
    return None
