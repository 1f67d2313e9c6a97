"""Images copied from Shopify to TikTok once: by address, then by content hash.

A Shopify image already uploaded is never fetched or uploaded again; the
same bytes under a new address reuse the first upload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import httpx

from tiktok_console.domain.listing_html import HostedImage
from tiktok_console.storage.catalog.listings import (
    CatalogImage,
    cached_by_hash,
    cached_image,
    remember_image,
)
from tiktok_console.stores.errors import StoreUnavailableError
from tiktok_console.stores.tiktok.api import TikTokShopApi

MAIN, DESCRIPTION = "MAIN_IMAGE", "DESCRIPTION_IMAGE"


class ImageCopier:
    """Uploads Shopify images to TikTok, remembering each upload."""

    def __init__(self, tiktok: TikTokShopApi, http: httpx.AsyncClient) -> None:
        self._tiktok = tiktok
        self._http = http
        self.uploads = 0  # for tests and benchmarks: uploads actually made

    async def image(self, source: str, use_case: str) -> CatalogImage:
        """The TikTok image for ``source``, uploading it only if never uploaded."""
        known = cached_image(source, use_case)
        if known is not None:
            return known
        try:
            reply = await self._http.get(source)
            reply.raise_for_status()
        except httpx.HTTPError as error:
            raise StoreUnavailableError("shopify", f"could not fetch image {source}") from error
        data = reply.content
        digest = hashlib.sha256(data).hexdigest()
        image = cached_by_hash(digest, use_case)
        if image is None:
            uploaded = await self._tiktok.upload_image(data, use_case=use_case)
            self.uploads += 1
            image = CatalogImage(
                digest, use_case, uploaded.uri, uploaded.url, uploaded.width, uploaded.height
            )
        remember_image(source, image)
        return image

    async def main_uris(self, sources: Sequence[str]) -> list[str]:
        """Main images, in order."""
        return [(await self.image(source, MAIN)).uri for source in sources]

    async def description(self, sources: Sequence[str]) -> dict[str, HostedImage]:
        """Description images by Shopify address, re-hosted on TikTok with their size."""
        hosted = {}
        for source in sources:
            image = await self.image(source, DESCRIPTION)
            hosted[source] = HostedImage(image.url or image.uri, image.width, image.height)
        return hosted
