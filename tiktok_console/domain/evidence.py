"""Which image files a rejection may show TikTok as evidence.

Reject Return (202606) takes at most six images, each uploaded first through
Upload Product Image, which takes JPEG, PNG and WEBP files of at most 5 MB
(the sandbox's documented assumption, ``sandbox/tiktok/images.py``). Checked
before anything is sent, so the merchant reads the problem in the dialog or on
the command line instead of a half-sent rejection.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

MAX_EVIDENCE = 6
MAX_BYTES = 5 * 1024 * 1024
MIME_BY_SUFFIX = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
SUPPORTED = "JPEG, PNG or WEBP"


def mime_type(name: str) -> str | None:
    """The image type a file name says, if TikTok takes it."""
    return MIME_BY_SUFFIX.get(PurePath(name).suffix.lower())


def evidence_problem(files: Sequence[tuple[str, int]]) -> str | None:
    """Why these (name, size in bytes) files cannot go with a rejection, or None."""
    if len(files) > MAX_EVIDENCE:
        return f"TikTok takes at most {MAX_EVIDENCE} images with a rejection ({len(files)} chosen)."
    for name, size in files:
        shown = PurePath(name).name
        if mime_type(name) is None:
            return f"{shown} is not an image TikTok takes: use {SUPPORTED} files."
        if size > MAX_BYTES:
            return f"{shown} is larger than TikTok's 5 MB limit for an image."
        if size == 0:
            return f"{shown} is empty."
    return None
