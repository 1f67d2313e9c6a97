"""Evidence a seller sends with Reject Return: images uploaded first, named by id.

Reject Return (202606, ``tiktok-current-versions.md`` §2.4) takes at most six
``images`` {``image_id``, ``mime_type``, ``height``, ``width``} and a
``comment`` of at most 500 characters. The docs name no upload of their own
for return evidence; Upload Product Image is the only image upload they list,
so an ``image_id`` is the ``uri`` it answered. Assumption: TikTok refuses an id
it never issued, too many images or too long a comment with its generic
parameter error (25001001), as it does the other faults of this body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.images import ImageBank, Uploaded

MAX_IMAGES = 6
MAX_COMMENT = 500
INVALID = 25001001


@dataclass(frozen=True)
class Evidence:
    """What a rejection showed TikTok: the seller's note and images."""

    comment: str
    images: tuple[Uploaded, ...]


def checked_evidence(body: dict[str, Any], bank: ImageBank) -> Evidence:
    """The body's comment and images, or TikTok's refusal of them."""
    comment = body.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise ApiError(INVALID, f"comment must be at most {MAX_COMMENT} characters.")
    refs = body.get("images") or []
    if not isinstance(refs, list):
        raise ApiError(INVALID, "images must be a list.")
    if len(refs) > MAX_IMAGES:
        raise ApiError(INVALID, f"At most {MAX_IMAGES} images may be sent.")
    found = []
    for ref in refs:
        image_id = ref.get("image_id") if isinstance(ref, dict) else None
        image = bank.images.get(str(image_id or ""))
        if image is None:
            raise ApiError(INVALID, f"image_id {image_id} is not an uploaded image.")
        found.append(image)
    return Evidence(comment, tuple(found))
