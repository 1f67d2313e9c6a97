"""Non-secret settings, saved as JSON next to the profile.

Every field has a default, unknown fields are ignored, and a file that cannot
be read is set aside rather than lost: a new version of the app never breaks
an old file, and an old version never breaks a new one. Secrets never go
here: tokens and app secrets live in the OS keyring.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)

Theme = Literal["system", "light", "dark"]


class WindowSettings(BaseModel):
    """Where the main window was, so it reopens there."""

    model_config = ConfigDict(extra="ignore")

    # The default fits a 1366×768 laptop screen with its taskbar and title bar.
    width: int = Field(default=1240, ge=640)
    height: int = Field(default=680, ge=480)
    last_page: str = "overview"


UNDO_GRACE_SECONDS = 10.0


class OrderSettings(BaseModel):
    """How TikTok orders become Shopify orders."""

    model_config = ConfigDict(extra="ignore")

    include_fbt: bool = False  # orders fulfilled by TikTok are usually kept out of Shopify
    customer: Literal["none", "placeholder"] = "none"  # what to do with masked buyers
    poll_seconds: float = Field(default=2.0, ge=0.5)
    # How long Shopify's search index may lag behind a new order (the duplicate guard
    # waits this long before deciding an unconfirmed create did not happen).
    search_lag_seconds: float = Field(default=30.0, ge=0.0)
    # "Map now" is like "undo send": the orders it releases go to Shopify only
    # after this many seconds, so the merchant can still undo a wrong pick.
    undo_grace_seconds: float = Field(default=UNDO_GRACE_SECONDS, ge=0.0)


class LivestreamSettings(BaseModel):
    """What changes while a livestream is on: faster polling, tighter buffers, caps."""

    model_config = ConfigDict(extra="ignore")

    poll_seconds: float = Field(default=0.5, ge=0.2)
    buffer_units: int = Field(default=2, ge=0)
    buffer_percent: int = Field(default=10, ge=0, le=100)
    default_cap: int | None = Field(default=None, ge=0)  # per-SKU caps override it


class InventorySettings(BaseModel):
    """How Shopify stock becomes TikTok stock (Shopify is the master)."""

    model_config = ConfigDict(extra="ignore")

    # Which Shopify locations' stock TikTok sells; empty means every active location.
    location_ids: list[str] = Field(default_factory=list)
    buffer_units: int = Field(default=0, ge=0)  # held back from TikTok, per SKU
    buffer_percent: int = Field(default=0, ge=0, le=100)  # the larger of the two applies
    deactivate_at_zero: bool = False  # take listings off sale at 0, relist when stock returns
    poll_seconds: float = Field(default=1.0, ge=0.2)
    reconcile_minutes: float = Field(default=60.0, ge=1.0)
    livestream: LivestreamSettings = Field(default_factory=LivestreamSettings)


class FulfillmentSettings(BaseModel):
    """How Shopify shipments reach TikTok."""

    model_config = ConfigDict(extra="ignore")

    # A tracking number that does not look like the mapped provider's: warn and send
    # anyway, or hold it for the merchant.
    bad_tracking: Literal["warn", "hold"] = "hold"
    poll_seconds: float = Field(default=30.0, ge=1.0)
    provider_cache_hours: float = Field(default=24.0, ge=0.0)


class Settings(BaseModel):
    """Every non-secret setting of one profile."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    # Names this profile's keyring entries, so two profiles never share a sign-in.
    profile_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    theme: Theme = "system"
    welcome_dismissed: bool = False
    window: WindowSettings = Field(default_factory=WindowSettings)
    orders: OrderSettings = Field(default_factory=OrderSettings)
    inventory: InventorySettings = Field(default_factory=InventorySettings)
    fulfillment: FulfillmentSettings = Field(default_factory=FulfillmentSettings)


def load_settings(path: Path) -> Settings:
    """Read settings, falling back to defaults for anything missing or unreadable.

    A file that is not valid JSON, or whose values fail validation, is renamed
    to ``settings.json.unreadable-<time>`` so the merchant's file is kept for
    inspection, and defaults are used.
    """
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Settings.model_validate(data)
    except (OSError, ValueError, ValidationError) as error:
        aside = path.with_name(f"{path.name}.unreadable-{datetime.now(UTC):%Y%m%d-%H%M%S}")
        log.warning("Settings file %s could not be read (%s); kept as %s", path, error, aside)
        try:
            path.replace(aside)
        except OSError:
            log.exception("Could not set the unreadable settings file aside")
        return Settings()


def save_settings(settings: Settings, path: Path) -> None:
    """Write settings atomically: a crash mid-write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = settings.model_dump_json(indent=2)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
