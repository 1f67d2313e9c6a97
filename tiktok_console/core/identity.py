"""The profile's identity: the id that names its keyring entries.

Every sign-in and app secret in the OS keyring is named after this id, so
losing it orphans them all. It lives in a file of its own, apart from the
editable settings, so a damaged or hand-edited ``settings.json`` can never
change it. A profile made before that file existed gets its id back from
``settings.json``, or from a copy of it the console set aside.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from pathlib import Path

from tiktok_console.core.settings import write_private_text

log = logging.getLogger(__name__)

_ID = re.compile(r"[0-9a-f]{32}")
_ID_IN_SETTINGS = re.compile(r'"profile_id"\s*:\s*"([0-9a-f]{32})"')


def profile_identity(identity_file: Path, settings_file: Path) -> str:
    """The profile's id: read, recovered from the settings, or made (and saved).

    Raises:
        OSError: the identity file cannot be written (the caller reports it).
    """
    try:
        found = identity_file.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        found = ""
    if _ID.fullmatch(found):
        return found
    recovered = _recover(settings_file)
    if recovered is not None:
        log.info("Profile id recovered from %s", recovered[1].name)
    identity = recovered[0] if recovered else uuid.uuid4().hex
    write_private_text(identity_file, identity + "\n")
    return identity


def _recover(settings_file: Path) -> tuple[str, Path] | None:
    """The id an older version kept in ``settings.json`` (or its set-aside copies)."""
    candidates = [settings_file, *sorted(settings_file.parent.glob(settings_file.name + ".*"))]
    for candidate in candidates:
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        try:
            value = json.loads(text).get("profile_id")
        except (ValueError, AttributeError):
            match = _ID_IN_SETTINGS.search(text)  # a truncated file may still hold it
            value = match.group(1) if match else None
        if isinstance(value, str) and _ID.fullmatch(value):
            return value, candidate
    return None
